"""``sourcing from-csv FOLDER WORKBOOK [--force]``: a workbook from one CSV file per sheet
(``model.read.from_csv``).

The CSV files are the input: the workbook must be an ``.xlsx`` file (so it
can never be one of them) in a folder that can be written, and an existing
workbook is overwritten only with ``--force`` (as ``sourcing template``); a
folder without CSV files is an input error. Each refusal is one line, exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.files import problem
from model.read.from_csv import csv_folder_to_workbook


def from_csv_command(args) -> int:
    folder, out = Path(args.folder), Path(args.workbook)
    refusals = []
    if not folder.is_dir() or not any(folder.glob("*.csv")):
        refusals.append(f"no .csv files in {folder}" if folder.is_dir()
                        else f"no such folder: {folder}")
    if out.suffix.lower() != ".xlsx":
        refusals.append(f"the workbook must be an .xlsx file, got {out}")
    if out.exists() and not args.force:
        refusals.append(f"{out} exists; choose another name (or --force to overwrite)")
    why = problem(out)
    if why:
        refusals.append(f"cannot write {out}: {why}")
    if refusals:
        print("\n".join(refusals), file=sys.stderr)
        return 2
    sheets = csv_folder_to_workbook(folder, out)
    print(f"wrote {out} ({', '.join(sheets)})")
    return 0
