"""``sourcing from-csv FOLDER WORKBOOK``: a workbook from one CSV file per sheet
(``model.read.from_csv``)."""

from __future__ import annotations

from model.read.from_csv import csv_folder_to_workbook


def from_csv_command(args) -> int:
    sheets = csv_folder_to_workbook(args.folder, args.workbook)
    print(f"wrote {args.workbook} ({', '.join(sheets)})")
    return 0
