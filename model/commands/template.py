"""``sourcing template OUT.xlsx``: a blank input workbook, generated from the schema.

Every sheet and column of ``model/schema.py`` in order, with

- a header comment on every column: meaning, type, unit, default, whether it
  is required, what it must refer to, the allowed values;
- drop-down lists (data validation from named ranges): ids that refer to
  another sheet (``site_id``, ``material_id``, ``process_id``,
  ``scenario_id`` ...) list that sheet's id column, so a new site typed on
  Sites appears in every site drop-down; countries list ISO 3166-1 alpha-2
  codes; measures, policy kinds, ops, booleans, Settings keys, sheet and
  column names of ScenarioChanges list their values;
- number checks from each column's and setting's range in the schema (non-negative
  numbers, shares between 0 and 1, whole numbers, cvar_alpha below 1 ...), years;
- the Settings keys filled in (values blank = defaults);
- a ``Guide`` sheet (how to fill it, every sheet and column) and a ``Lists``
  sheet holding the lists (countries with their names).

Drop-downs warn on an unknown id or country (you may type a site before
adding it to Sites) and refuse an unknown measure, kind, op or setting.
The reader ignores the ``Guide`` and ``Lists`` sheets.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from model.report import styles as st
from model.guide import show_default as _default, show_range
from model.countries import countries
from model.schema import (ANY, BOOL, CHANGE_OPS, CHOICE, COUNTRY, ID, MEASURES, NUMBER, PERIOD,
                          PERIOD_RANGE, POLICY_KINDS, PROFILED, SETTINGS, SHEETS, TEXT, Column, Range,
                          Sheet)

ROWS = 5000                 # rows prepared with drop-downs and checks on each sheet
HELPER_SHEETS = ("Guide", "Lists")
REQUIRED_FILL = st.HEADER_FILL
OPTIONAL_FILL = st.PatternFill("solid", fgColor=st.BLUE)

def _unit(unit: str) -> str:
    return unit.replace("currency", "money (Settings currency)")


def column_note(sheet: Sheet, c: Column) -> str:
    """The header comment of a column: everything the schema says about it."""
    lines = [f"{c.name}: {c.help}"]
    kind = {ID: "id (text)", TEXT: "text", NUMBER: "number", PERIOD: "year, e.g. 2026",
            BOOL: "TRUE or FALSE", COUNTRY: "ISO 3166-1 alpha-2 country code (US, CN, AU ...)",
            CHOICE: "one of: " + ", ".join(c.choices), ANY: "any value"}.get(c.type, c.type)
    lines.append(f"type: {kind}")
    if c.unit:
        lines.append(f"unit: {_unit(c.unit)}")
    if c.required:
        lines.append("required")
    elif c.default is not None:
        lines.append(f"blank means {_default(c.default)}")
    if c.ref:
        lines.append(f"must be a {c.ref[0]}.{c.ref[1]}")
    if c.range is not None:
        lines.append(show_range(c.range))
    if c.name in sheet.key and len(sheet.key) == 1:
        lines.append("unique in this sheet")
    return "\n".join(lines)


def _named(wb, name: str, sheet: str, col: int, first: int, last: int) -> str:
    letter = get_column_letter(col)
    ref = f"{quote_sheetname(sheet)}!${letter}${first}:${letter}${last}"
    dn = DefinedName(name, attr_text=ref)
    try:
        wb.defined_names[name] = dn          # openpyxl >= 3.1
    except TypeError:                        # pragma: no cover - older openpyxl
        wb.defined_names.append(dn)
    return name


def _lists(wb) -> dict[str, str]:
    """Fill the Lists sheet; return list key -> defined name."""
    ws = wb.create_sheet("Lists")
    names: dict[str, str] = {}
    all_columns = sorted({c.name for s in SHEETS for c in s.columns})
    blocks = [
        ("countries", "country", [code for code, _ in countries()]),
        ("country_names", "country name", [name for _, name in countries()]),
        ("booleans", "boolean", ["TRUE", "FALSE"]),
        ("measures", "measure", list(MEASURES)),
        ("policy_kinds", "policy kind", list(POLICY_KINDS)),
        ("ops", "op", list(CHANGE_OPS)),
        ("settings_keys", "setting", [s.key for s in SETTINGS]),
        ("sheet_names", "sheet", [s.name for s in SHEETS]),
        ("column_names", "column", all_columns),
        ("profiled_sheets", "profiled sheet", list(PROFILED)),
        ("profiled_columns", "profiled column",
         sorted({c for cols in PROFILED.values() for c in cols})),
    ]
    for j, (key, title, values) in enumerate(blocks, start=1):
        head = ws.cell(row=1, column=j, value=title)
        head.fill, head.font = st.HEADER_FILL, st.HEADER_FONT
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=j, value=v)
        ws.column_dimensions[get_column_letter(j)].width = 34 if key == "country_names" else 20
        names[key] = _named(wb, f"list_{key}", "Lists", j, 2, len(values) + 1)
    ws.freeze_panes = "A2"
    _print_setup(ws)
    ws.sheet_properties.tabColor = "A6A6A6"
    return names


def _validation(ws, col: int, dv: DataValidation) -> None:
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(dv)


def _list(formula: str, strict: bool, what: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                        errorStyle="stop" if strict else "warning")
    dv.error = f"{what}" + ("" if strict else " (press Yes to keep it anyway)")
    dv.errorTitle = "Not in the list"
    dv.showErrorMessage = True
    return dv


def _number_check(c: Column, first_cell: str) -> DataValidation | None:
    if c.type == PERIOD:
        return range_check(c.name, PERIOD_RANGE, first_cell, "a year such as 2026, or a period "
                           f"number from {PERIOD_RANGE.lo:g} to {PERIOD_RANGE.hi:g}")
    if c.range is None:
        return None
    what = "a share between 0 and 1 (0.5 = 50%)" if c.fraction else None
    return range_check(c.name, c.range, first_cell, what)


def range_check(name: str, rng: Range, first_cell: str, what: str | None = None) -> DataValidation:
    """Excel's check of a number against a schema range; ``first_cell`` (e.g. "B2") is the
    top-left cell checked, which a formula for an open end refers to."""
    kind = "whole" if rng.whole else "decimal"
    if rng.lo_open or rng.hi_open:          # Excel's operators have closed ends only
        terms = [f"ISNUMBER({first_cell})"]
        if rng.whole:
            terms.append(f"{first_cell}=INT({first_cell})")
        if rng.lo is not None:
            terms.append(f"{first_cell}{'>' if rng.lo_open else '>='}{rng.lo:g}")
        if rng.hi is not None:
            terms.append(f"{first_cell}{'<' if rng.hi_open else '<='}{rng.hi:g}")
        dv = DataValidation(type="custom", formula1=f"AND({','.join(terms)})", allow_blank=True)
    elif rng.lo is not None and rng.hi is not None:
        dv = DataValidation(type=kind, operator="between", formula1=f"{rng.lo:g}",
                            formula2=f"{rng.hi:g}", allow_blank=True)
    elif rng.hi is not None:
        dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{rng.hi:g}",
                            allow_blank=True)
    else:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual",
                            formula1=f"{rng.lo if rng.lo is not None else -1e15:g}",
                            allow_blank=True)
    bounds = rng.bounds_text()
    dv.error = f"{name}: " + (what or ("a whole number" if rng.whole else "a number")
                              + (f" {bounds}" if bounds else ""))
    dv.errorTitle = "Check the value"
    dv.showErrorMessage = True
    return dv


def build_template() -> Workbook:
    """The blank workbook (not saved)."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Guide"
    id_ranges: dict[tuple[str, str], str] = {}
    sheets = {}
    targets = {c.ref for s in SHEETS for c in s.columns if c.ref}
    for sheet in SHEETS:                       # create in order, id ranges first
        ws = wb.create_sheet(sheet.name)
        sheets[sheet.name] = ws
        if sheet.id_column and sheet.name != "Settings" and len(sheet.key) <= 1:
            targets.add((sheet.name, sheet.id_column))
    by_name = {s.name: s for s in SHEETS}
    for name, column in sorted(targets, key=lambda t: ([s.name for s in SHEETS].index(t[0]), t[1])):
        if name in by_name and column in by_name[name].column_names:
            col = by_name[name].column_names.index(column) + 1
            id_ranges[(name, column)] = _named(wb, f"ids_{name}_{column}", name, col, 2, ROWS + 1)
    lists = _lists(wb)
    for sheet in SHEETS:
        _input_sheet(sheets[sheet.name], sheet, id_ranges, lists)
    _guide(guide, id_ranges)
    return wb


def _input_sheet(ws, sheet: Sheet, id_ranges: dict, lists: dict) -> None:
    for j, c in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=j, value=c.name)
        cell.fill = REQUIRED_FILL if c.required else OPTIONAL_FILL
        cell.font = st.HEADER_FONT
        cell.alignment = Alignment(vertical="center")
        note = Comment(column_note(sheet, c), "secure-sourcing")
        note.width, note.height = 340, 130
        cell.comment = note
        ws.column_dimensions[get_column_letter(j)].width = max(14, len(c.name) + 4)
        if c.ref and c.ref in id_ranges:
            _validation(ws, j, _list(id_ranges[c.ref], False,
                                     f"{c.name} should be an id of sheet {c.ref[0]} "
                                     f"(column {c.ref[1]})"))
        elif c.type == COUNTRY:
            _validation(ws, j, _list(lists["countries"], False,
                                     f"{c.name}: an ISO 3166-1 alpha-2 code (see sheet Lists)"))
        elif c.type == BOOL:
            _validation(ws, j, _list(lists["booleans"], True, f"{c.name}: TRUE or FALSE"))
        elif sheet.name == "Profiles" and c.name in ("sheet", "column"):
            _validation(ws, j, _list(lists[f"profiled_{c.name}s"], True,
                                     f"{c.name}: one of the list (see the Guide)"))
        elif c.type == CHOICE:
            key = {MEASURES: "measures", POLICY_KINDS: "policy_kinds",
                   CHANGE_OPS: "ops"}.get(tuple(c.choices))
            if key:
                _validation(ws, j, _list(lists[key], True,
                                         f"{c.name}: one of {', '.join(c.choices)}"))
        elif sheet.name == "Settings" and c.name == "key":
            _validation(ws, j, _list(lists["settings_keys"], True, "a setting of the list"))
        elif sheet.name == "ScenarioChanges" and c.name == "sheet":
            _validation(ws, j, _list(lists["sheet_names"], False, "an input sheet name"))
        elif sheet.name == "ScenarioChanges" and c.name == "column":
            _validation(ws, j, _list(lists["column_names"], False, "a column name"))
        else:
            dv = _number_check(c, f"{get_column_letter(j)}2")
            if dv is not None:
                _validation(ws, j, dv)
        if c.type == ID:
            ws.column_dimensions[get_column_letter(j)].width = max(18, len(c.name) + 4)
    if sheet.name == "Settings":
        for i, s in enumerate(SETTINGS, start=2):
            cell = ws.cell(row=i, column=1, value=s.key)
            text = [f"{s.key}: {s.help}"]
            if s.unit:
                text.append(f"unit: {_unit(s.unit)}")
            text.append("required" if s.required else f"blank means {_default(s.default) or 'none'}")
            if s.range is not None:
                text.append(f"valid: {show_range(s.range)}")
                dv = range_check(s.key, s.range, f"B{i}")
                dv.add(f"B{i}")
                ws.add_data_validation(dv)
            note = Comment("\n".join(text), "secure-sourcing")
            note.width, note.height = 320, 100
            cell.comment = note
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 18
    ws.freeze_panes = "A2"
    _print_setup(ws)
    if not sheet.required:
        ws.sheet_properties.tabColor = "BDD7EE"


def _print_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _guide(ws, id_ranges: dict) -> None:
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 26
    ws.column_dimensions["D"].width = 16
    ws.column_dimensions["E"].width = 22
    ws.column_dimensions["F"].width = 10
    ws.column_dimensions["G"].width = 90
    ws["A1"] = "secure-sourcing input workbook"
    ws["A1"].font = st.TITLE_FONT
    lines = [
        "Fill one sheet per table: row 1 is the header (keep it), each later row is one record.",
        "Dark blue headers are required columns, light blue ones optional; a blank cell means its default.",
        "Hover over a header for its meaning, unit and default. Drop-downs list ids of other sheets, "
        "countries and allowed values.",
        "Quantities are tonnes (t) per period; money is in the Settings currency; a period is a year.",
        "Required sheets: " + ", ".join(s.name for s in SHEETS if s.required)
        + ". Leave the optional sheets empty if you do not need them (or delete them).",
        "Then run:  sourcing validate WORKBOOK.xlsx   and   sourcing solve WORKBOOK.xlsx -o REPORT.xlsx",
        "The sheets Guide and Lists are ignored by the model.",
    ]
    for i, text in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=text)
    r = len(lines) + 4
    for sheet in SHEETS:
        ws.cell(row=r, column=1, value=sheet.name).font = st.SECTION_FONT
        ws.cell(row=r, column=2, value=("required" if sheet.required else "optional")
                + (": " + sheet.help)).font = st.SUBTITLE_FONT
        link = ws.cell(row=r, column=7, value=f"go to {sheet.name}")
        link.hyperlink = f"#'{sheet.name}'!A1"
        link.style = "Hyperlink"
        r += 1
        for j, h in enumerate(["column", "type", "unit", "default", "valid", "required", "meaning"],
                              start=1):
            c = ws.cell(row=r, column=j, value=h)
            c.font, c.fill = st.SMALL_HEADER_FONT, st.SMALL_HEADER_FILL
        r += 1
        items = ([(s.key, s.type, s.unit, "required" if s.required else _default(s.default),
                   show_range(s.range), "yes" if s.required else "", s.help) for s in SETTINGS]
                 if sheet.name == "Settings" else
                 [(c.name, c.type, _unit(c.unit), "" if c.required else _default(c.default),
                   show_range(c.range), "yes" if c.required else "",
                   c.help + (f" (a {c.ref[0]}.{c.ref[1]})" if c.ref else "")
                   + (f"; one of {', '.join(c.choices)}" if c.choices and sheet.name != "Settings"
                      else "")) for c in sheet.columns])
        if sheet.name == "Settings":
            ws.cell(row=r, column=1, value="(Settings has columns key and value; one row per key)"
                    ).font = st.LABEL_FONT
            r += 1
        for values in items:
            for j, v in enumerate(values, start=1):
                ws.cell(row=r, column=j, value=v)
            r += 1
        r += 1
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def template_command(args) -> int:
    """Write the template to ``args.output`` (refuses to overwrite unless ``args.force``)."""
    from model.files import OutputError, problem
    from model.report.workbook import save_atomic
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        print(f"the template must be an .xlsx file, got {out}", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        print(f"{out} exists; choose another name (or --force to overwrite)", file=sys.stderr)
        return 2
    why = problem(out)
    if why:
        print(f"cannot write {out}: {why}", file=sys.stderr)
        return 2
    try:
        save_atomic(build_template(), out)
    except OutputError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"wrote {out}: sheets {', '.join(s.name for s in SHEETS)} (+ Guide, Lists)")
    return 0
