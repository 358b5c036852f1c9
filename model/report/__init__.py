"""Stage 8: write the report workbook and the JSON summary."""
