"""Build an .xlsx workbook from a folder of CSV files, one per sheet.

Test fixtures and the example are kept as text (``inputs/example/*.csv``);
this turns them into the workbook analysts open. The file name (without
``.csv``) is the sheet name; sheets are written in schema order. Cells
that spell a plain finite number ("42", "-1.5", "2e3") or TRUE/FALSE are
written as such, the rest as text: "NaN", "inf" or "6,6" stay text, so that
the reader names them (openpyxl would write NaN as an empty number cell).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from model.files import write_file
from model.read.cells import plain_number
from model.report import bulk
from model.schema import SHEETS


def _typed(text: str):
    if text == "":
        return None
    up = text.strip().upper()
    if up in ("TRUE", "FALSE"):
        return up == "TRUE"
    number = plain_number(text)
    if number is None:        # NaN, inf, "6,6": kept as text, for the reader to name
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def csv_folder_to_workbook(folder: str | Path, out: str | Path) -> list[str]:
    folder, out = Path(folder), Path(out)
    files = {p.stem: p for p in sorted(folder.glob("*.csv"))}
    if not files:
        raise FileNotFoundError(f"no .csv files in {folder}")
    order = [s.name for s in SHEETS if s.name in files] + sorted(set(files) - {s.name for s in SHEETS})
    wb = Workbook()
    wb.remove(wb.active)
    for name in order:
        ws = wb.create_sheet(name)
        with open(files[name], newline="", encoding="utf-8-sig") as handle:
            for i, row in enumerate(csv.reader(handle)):
                ws.append(row if i == 0 else [_typed(c) for c in row])
    write_file(out, lambda handle: bulk.save(wb, handle))
    return order
