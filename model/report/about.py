"""The About sheet: what was solved, how, and what to know before reading.

Input file and hash, scenario (with its description), every change applied,
rules switched off (``enabled`` FALSE in the workbook, by the scenario or by
``--disable``), solver and versions, status, gap and time, skipped constraint
families, warnings, notes of the writer, and an index of the report's sheets
with links.
"""

from __future__ import annotations

from openpyxl.styles import Alignment

from model.report import styles as st
from model.schema import SETTING_DEFAULTS

MAX_LINES = 300      # per list; the full lists are on Changes and Warnings


def _fmt_money(v, cur: str) -> str:
    return "" if v is None else f"{v:,.0f} {cur}"


def _value(v) -> str:
    if v is None:
        return "(blank)"
    if isinstance(v, float) and v.is_integer():
        return f"{v:g}"
    return str(v)


def switched_off(run) -> list[tuple[str, str, int | None, str]]:
    """(sheet, id, Excel row, by whom) of every row with ``enabled`` FALSE."""
    from model.schema import SHEETS
    wb = getattr(run, "workbook", None) if run else None
    if wb is None:
        return []
    by = {(c.sheet, c.row): c.source for c in run.changes if c.column == "enabled"}
    out = []
    for sheet in SHEETS:
        if not sheet.has_enabled:
            continue
        frame = wb.tables.get(sheet.name)
        if frame is None or frame.empty or "enabled" not in frame:
            continue
        off = frame[frame["enabled"] == False]  # noqa: E712 - booleans from the reader
        for rec in off.to_dict("records"):
            row = rec.get("_row")
            who = by.get((sheet.name, row), "workbook (enabled FALSE)")
            out.append((sheet.name, str(rec.get(sheet.id_column, "")), row, who))
    return out


def _scenario_text(run, scenario: str | None) -> str:
    wb = getattr(run, "workbook", None) if run else None
    if not scenario or scenario == "base":
        return "base (the workbook as it stands)"
    if wb is not None and "Scenarios" in wb.tables:
        sc = wb.tables["Scenarios"]
        hit = sc[sc["scenario_id"] == scenario]
        if len(hit) and hit["description"].iloc[0]:
            return f"{scenario}: {hit['description'].iloc[0]}"
    return scenario


def write(ws, summary: dict, run, problems, sheets: list[str], notes: list[str]) -> None:
    from model.report.layout import DESCRIPTIONS
    data = run.data if run else None
    cur = (data.settings if data else SETTING_DEFAULTS)["currency"]
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 120
    ws.sheet_view.showGridLines = False
    r = 1
    ws.cell(row=r, column=1, value="About this report").font = st.TITLE_FONT
    r += 2

    def section(title: str):
        nonlocal r
        r += 1
        c = ws.cell(row=r, column=1, value=title)
        c.font = st.SECTION_FONT
        ws.cell(row=r, column=2).border = st.UNDER
        c.border = st.UNDER
        r += 1

    def line(label, text, font=None):
        nonlocal r
        a = ws.cell(row=r, column=1, value=label)
        a.font = st.BOLD
        a.alignment = Alignment(vertical="top")
        b = ws.cell(row=r, column=2, value=text)
        long = isinstance(text, str) and len(text) > 110
        b.alignment = Alignment(vertical="top", wrap_text=long)
        if long:   # Excel keeps the height it is given: one line per 110 characters
            ws.row_dimensions[r].height = 15 * (1 + len(text) // 110)
        if font:
            b.font = font
        r += 1

    def items(label, texts, more_on: str):
        if not texts:
            line(label, "none")
            return
        line(label, f"{len(texts)}" + (f" (all on sheet {more_on})" if more_on else ""))
        for t in texts[:MAX_LINES]:
            line("", t)
        if len(texts) > MAX_LINES:
            line("", f"... and {len(texts) - MAX_LINES} more: see sheet {more_on}")

    section("Input")
    line("input workbook", summary.get("input_file"))
    line("input SHA-256", summary.get("input_sha256") or "(not read)")
    line("scenario", _scenario_text(run, summary.get("scenario")))
    if data is not None:
        line("horizon", f"{data.periods[0]}-{data.periods[-1]}" if data.periods else "")
        line("currency", cur)
        rate = data.settings["discount_rate"]
        line("discount rate", f"{rate:.2%} a year" if rate else "none")

    section("Solve")
    status = summary.get("status")
    line("status", status, st.Font(bold=True, color="006100" if status == "optimal" else "9C0006"))
    if summary.get("message"):
        line("message", str(summary.get("message")).splitlines()[0][:300])
    if summary.get("reason"):
        line("reason", summary["reason"])
    line("objective (total discounted cost)", _fmt_money(summary.get("objective"), cur) or "none")
    if summary.get("bound") is not None:
        line("best bound", _fmt_money(summary.get("bound"), cur))
    gap = summary.get("mip_gap")
    line("gap", "" if gap is None else f"{gap:.4%}" + (" (MIP)" if summary.get("is_mip") else " (LP)"))
    line("solver", f"{summary.get('solver')} {summary.get('solver_version') or ''}".strip())
    line("software", f"{summary.get('software')} {summary.get('software_version')}")
    secs = summary.get("solve_seconds")
    line("solve time", "" if secs is None else f"{secs:.2f} s in the solver")
    if run is not None and run.timings:
        total = sum(run.timings.values())
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in run.timings.items())
        line("run time", f"{total:.2f} s ({parts})")
    if summary.get("verification"):
        ok = summary.get("verification_ok")
        line("independent check", summary["verification"],
             None if ok is None else st.Font(bold=True, color="006100" if ok else "9C0006"))
    skipped = summary.get("skipped_families")
    line("constraint families left out", skipped or "none")

    section("What was changed")
    changes = []
    for c in (run.changes if run else []):
        where = f"{c.sheet} row {c.row}" if c.row is not None else c.sheet
        changes.append(f"{c.source}: {where} ({c.id}), {c.column}: {_value(c.old)} -> "
                       f"{_value(c.new)}" + (" (scale)" if c.op == "scale" else ""))
    items("changes applied", changes, "Changes")
    off = [f"{sheet} {ident} (row {row}): {who}" for sheet, ident, row, who in switched_off(run)]
    items("rules and rows switched off", off, "")

    section("Warnings and problems")
    probs = list(problems) or (list(run.warnings) if run else [])
    errors = [str(p) for p in probs if getattr(p, "severity", "") == "error"]
    warns = [str(p) for p in probs if getattr(p, "severity", "") != "error"]
    if errors:
        items("errors", errors, "Warnings")
    items("warnings", warns, "Warnings")
    if notes:
        items("notes on this report", notes, "")

    section("Sheets in this report")
    for name in sheets:
        c = ws.cell(row=r, column=1, value=name)
        c.hyperlink = f"#'{name}'!A1"
        c.style = "Hyperlink"
        ws.cell(row=r, column=2, value=DESCRIPTIONS.get(name, "result table"))
        r += 1
    from model.report.layout import page_setup
    page_setup(ws, landscape=False, title_rows=None)
    ws.print_area = f"A1:B{r}"
