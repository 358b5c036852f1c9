"""Stage 1: read the workbook into typed tables (one DataFrame per sheet)."""
