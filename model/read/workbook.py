"""Read an input workbook into typed tables, driven by ``model.schema``.

``read_workbook(path) -> Workbook`` returns one DataFrame per schema sheet
(absent optional sheets are empty), with the schema's columns in order plus
``_row``, the Excel row number of each record. Every problem is collected;
errors raise :class:`InputError` once, after the whole file has been read.

Defaults are applied here and only here: a blank cell, or one that cannot be
typed, holds its column's schema default, and ``Workbook.settings`` holds every
setting (its default where the sheet gives none or a value out of its range).
So a column or setting with a default is never None later on; code downstream
does not re-apply defaults. None means "none" only where the schema's default
is None (a blank capacity: unlimited).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from model.problems import Problems, did_you_mean, input_error
from model.read import safety
from model.read.scan import scan
from model.read.cells import convert, is_blank
from model.schema import SETTING_BY_KEY, SETTING_DEFAULTS, SETTINGS, SHEETS, Sheet

ROW = "_row"
HELPER_SHEETS = {"guide", "lists"}   # written by `sourcing template`, never read
MAX_ROWS = 1_000_000


@dataclass
class Workbook:
    path: Path
    sha256: str
    tables: dict[str, pd.DataFrame]
    settings: dict[str, object]
    setting_rows: dict[str, int]
    problems: Problems = field(default_factory=Problems)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_workbook(path: str | Path, raise_errors: bool = True) -> Workbook:
    """``raise_errors=False``: keep the errors in ``Workbook.problems`` (a cell
    that could not be typed reads as its column's default, as a blank cell does;
    a setting keeps its default), so that later checks
    can add theirs and every problem is reported at once. A file that cannot
    be opened at all raises all the same."""
    path = Path(path)
    safety.check_file(path)
    known = {fold(s.name) for s in SHEETS}
    try:   # before any spreadsheet parser: defusedxml refuses entities and external references
        findings, states = scan(path, lambda name: fold(name) in known)
    except Exception as exc:
        raise input_error(path.name, f"unsafe or damaged workbook XML ({type(exc).__name__}: {exc})"
                          ) from None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise input_error(path.name, f"cannot read the workbook: {exc}") from None
    problems = Problems()
    present, clashes = by_folded_name(book.sheet_names)
    for name in book.sheet_names:
        folded = fold(name)
        if folded not in known and folded not in HELPER_SHEETS:
            problems.warn(name, None, None, None, "unknown sheet, ignored")
        elif folded in known and states.get(name, "visible") != "visible":
            problems.warn(name, None, None, None, "sheet is hidden in Excel; it is read all the same")
    flagged = {}
    for f in findings:
        flagged.setdefault(f.sheet, []).append(f)
    tables: dict[str, pd.DataFrame] = {}
    for sheet in SHEETS:
        if fold(sheet.name) in clashes:
            problems.error(sheet.name, None, None, None, same_name(clashes[fold(sheet.name)]))
            tables[sheet.name] = _empty(sheet)
            continue
        actual = present.get(fold(sheet.name))
        if actual is None:
            if sheet.required:
                problems.error(sheet.name, None, None, None, "required sheet is missing"
                               + did_you_mean(sheet.name, book.sheet_names))
            tables[sheet.name] = _empty(sheet)
            continue
        try:
            rows = book.get_sheet_by_name(actual).to_python(skip_empty_area=False)
        except Exception as exc:
            problems.error(sheet.name, None, None, None, f"cannot read the sheet: {exc}")
            tables[sheet.name] = _empty(sheet)
            continue
        tables[sheet.name] = _read_table(sheet, rows, problems, flagged.get(actual, []))
    settings, setting_rows = _settings(tables.pop("Settings"), problems)
    tables["Settings"] = _empty(next(s for s in SHEETS if s.name == "Settings"))
    if raise_errors:
        problems.raise_if_errors()
    return Workbook(path, sha256_of(path), tables, settings, setting_rows, problems)


def fold(name) -> str:
    """A sheet name as the contract matches it: trimmed, case ignored."""
    return str(name).strip().casefold()


def by_folded_name(names) -> tuple[dict[str, str], dict[str, list[str]]]:
    """({folded name: name} for the names no other name folds to,
    {folded name: [names in tab order]} for the names that clash)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(fold(name), []).append(name)
    unique = {k: v[0] for k, v in groups.items() if len(v) == 1}
    return unique, {k: v for k, v in groups.items() if len(v) > 1}


def same_name(names: list[str]) -> str:
    """The message for sheets that are one sheet once trimmed and case-folded."""
    shown = " and ".join(f'"{n}"' for n in names)
    return (f"sheets {shown} have the same name once spaces are trimmed and case is ignored: "
            "it is not clear which one to read; rename or delete all but one")


def _empty(sheet: Sheet) -> pd.DataFrame:
    return frame_of([], [*sheet.column_names, ROW])


FINDING_TEXT = {
    "error": "is an Excel error value; fix the formula or type the value",
    "formula_no_value": ("is a formula with no saved value (the file was written by a program "
                         "and never recalculated): open and save it in Excel, or type the value"),
    "number_no_value": ("is a number cell with no value (a program wrote NaN or an infinity "
                        "here): type the value, or clear the cell for the default"),
}


def _read_table(sheet: Sheet, rows: list[list], problems: Problems,
                findings: list) -> pd.DataFrame:
    if not rows or all(is_blank(v) for v in rows[0]):
        if sheet.required:
            problems.error(sheet.name, 1, None, None, "no header row (row 1 must name the columns)")
        return _empty(sheet)
    if len(rows) > MAX_ROWS:
        problems.error(sheet.name, None, None, None,
                       f"{len(rows)} rows; the limit is {MAX_ROWS}")
        return _empty(sheet)
    positions: dict[str, int] = {}
    names = sheet.column_names
    for j, raw in enumerate(rows[0]):
        if is_blank(raw):
            continue
        header = str(raw).strip().lower()
        match = next((n for n in names if n.lower() == header), None)
        if match is None:
            problems.warn(sheet.name, 1, str(raw), None, "unknown column, ignored"
                          + did_you_mean(str(raw), names))
        elif match in positions:
            problems.error(sheet.name, 1, match, None, "duplicate column header")
        else:
            positions[match] = j
    for column in sheet.columns:
        if (column.required or column.header) and column.name not in positions:
            problems.error(sheet.name, 1, column.name, None, "required column is missing")
    header_of = {j: n for n, j in positions.items()}
    for f in findings:
        label = header_of.get(f.col, _letters(f.col))
        if f.kind == "merged":
            problems.error(sheet.name, f.row, label, f.text, "merged cells in a table: unmerge them "
                           "(only the first cell of a merged range holds a value)")
        elif f.col in header_of or f.row == 1:
            problems.error(sheet.name, f.row, label, f.text if f.kind == "error" else None,
                           FINDING_TEXT[f.kind])
    records = []
    for i, raw_row in enumerate(rows[1:], start=2):
        if all(is_blank(v) for v in raw_row):
            continue
        record = {ROW: i}
        for column in sheet.columns:
            j = positions.get(column.name)
            value = raw_row[j] if j is not None and j < len(raw_row) else None
            if is_blank(value):
                if column.required and j is not None:
                    problems.error(sheet.name, i, column.name, None, "is blank; a value is required")
                record[column.name] = column.default
                continue
            typed, error, warn = convert(value, column.type, column.choices)
            if error:
                problems.error(sheet.name, i, column.name, value, error)
                typed = column.default     # later checks see the blank meaning, never None
            elif warn:
                problems.warn(sheet.name, i, column.name, value, warn)
            record[column.name] = typed
        records.append(record)
    if not records:
        return _empty(sheet)
    return frame_of(records, [*names, ROW])


def frame_of(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """Object columns, so blanks stay None (pandas would infer NaN-filled dtypes)."""
    return pd.DataFrame({c: pd.Series([r[c] for r in records], dtype=object) for c in columns})


def _settings(frame: pd.DataFrame, problems: Problems):
    settings: dict[str, object] = dict(SETTING_DEFAULTS)
    rows: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        key, row = rec["key"], rec[ROW]
        if key is None:
            continue
        spec = SETTING_BY_KEY.get(key.strip().lower())
        if spec is None:
            problems.warn("Settings", row, "key", key, "unknown setting, ignored"
                          + did_you_mean(key, SETTING_BY_KEY))
            continue
        if spec.key in rows:
            problems.error("Settings", row, "key", key,
                           f"duplicate setting (also in row {rows[spec.key]})")
            continue
        rows[spec.key] = row
        value = rec["value"]
        if is_blank(value):
            continue
        typed, error, warn = convert(value, spec.type)
        if error:
            problems.error("Settings", row, "value", value, f"{spec.key}: {error}")
            continue
        if warn:
            problems.warn("Settings", row, "value", value, f"{spec.key}: {warn}")
        why = spec.problem(typed)
        if why:
            problems.error("Settings", row, "value", value, why)
            continue
        settings[spec.key] = typed
    for spec in SETTINGS:
        if spec.required and settings.get(spec.key) is None:
            problems.error("Settings", rows.get(spec.key), "value", None,
                           f"{spec.key} is required")
    return settings, rows


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return f"column {out}"
