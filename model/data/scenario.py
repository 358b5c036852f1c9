"""What-ifs: apply a scenario's ScenarioChanges and --enable/--disable toggles.

A change addresses rows of ``sheet`` by the sheet's id column
(``Sheet.id_column`` in the schema: offer_id, process_id, lane_id, rule_id,
demand_id, material_id, site_id, ``key`` in Settings; extension: Inventory by
site_id, Recipes by process_id, CapacityProfile by id, and ``A|B`` for the
full composite key of those three sheets). ``*`` addresses every row.
``set`` replaces the cell (typed like the column), ``scale`` multiplies it
(a blank cell stays blank: blank means default or unlimited).

The workbook passed in is never modified: a changed copy is returned, with a
log of every cell changed (``Change``), which the report lists.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd

from model.data import profile_changes
from model.problems import Problems, did_you_mean
from model.read.cells import convert, is_blank
from model.read.workbook import ROW, Workbook
from model.schema import NUMBER, SETTING_BY_KEY, SHEET_BY_LOWER, SHEETS

BASE = "base"
TOGGLE_SHEETS = [s for s in SHEETS if s.has_enabled]


@dataclass(frozen=True)
class Change:
    source: str        # scenario id, "--enable" or "--disable"
    sheet: str
    row: int | None    # Excel row of the changed record
    id: str
    column: str
    op: str
    old: object
    new: object

    def as_dict(self) -> dict:
        return {"source": self.source, "sheet": self.sheet, "row": self.row, "id": self.id,
                "column": self.column, "op": self.op, "old": self.old, "new": self.new}


def scenario_ids(wb: Workbook) -> list[str]:
    return [s for s in wb.tables["Scenarios"]["scenario_id"].tolist() if s]


def apply(wb: Workbook, scenario: str | None = None, enable=(), disable=()):
    """Return (changed copy of wb, [Change], Problems)."""
    problems = Problems()
    out = copy.copy(wb)
    out.tables = {name: frame.copy() for name, frame in wb.tables.items()}
    out.settings = dict(wb.settings)
    changes: list[Change] = []
    if scenario and scenario != BASE:
        known = scenario_ids(wb)
        if scenario not in known:
            problems.error("Scenarios", None, "scenario_id", scenario,
                           "no such scenario" + did_you_mean(scenario, known)
                           + (f"; known: {', '.join(known)}" if known else "; the workbook has none"))
        else:
            sc = wb.tables["ScenarioChanges"]
            for rec in sc[sc["scenario_id"] == scenario].to_dict("records"):
                changes += _apply_change(out, rec, scenario, problems)
    for flag, ids, state in (("--enable", enable, True), ("--disable", disable, False)):
        for ident in ids:
            changes += _toggle(out, ident, state, flag, problems)
    return out, changes, problems


def check_all_scenarios(wb: Workbook) -> Problems:
    """Every ScenarioChanges row must name a scenario and address something."""
    problems = Problems()
    known = scenario_ids(wb)
    for rec in wb.tables["ScenarioChanges"].to_dict("records"):
        if rec["scenario_id"] not in known:
            problems.error("ScenarioChanges", rec[ROW], "scenario_id", rec["scenario_id"],
                           "no such scenario in Scenarios" + did_you_mean(rec["scenario_id"], known))
    for sid in known:
        problems.extend(apply(wb, sid)[2])
    return problems


def _apply_change(wb: Workbook, rec: dict, source: str, problems: Problems) -> list[Change]:
    row = rec[ROW]
    where = ("ScenarioChanges", row)
    sheet = SHEET_BY_LOWER.get(str(rec["sheet"]).strip().lower())
    if sheet is None:
        problems.error(*where, "sheet", rec["sheet"], "no such input sheet"
                       + did_you_mean(rec["sheet"], [s.name for s in SHEETS]))
        return []
    op = rec["op"]
    ident, column_name = str(rec["id"]).strip(), str(rec["column"]).strip()
    if sheet.name == "Settings":
        return _change_setting(wb, rec, ident, column_name, op, source, problems)
    if sheet.name == "Profiles":
        return profile_changes.change(wb, rec, ident, column_name, op, source, problems, Change)
    col = next((c for c in sheet.columns if c.name.lower() == column_name.lower()), None)
    if col is None:
        problems.error(*where, "column", column_name, f"no such column in {sheet.name}"
                       + did_you_mean(column_name, sheet.column_names))
        return []
    if col.name in sheet.key or col.name == sheet.id_column:
        problems.error(*where, "column", column_name,
                       "an id column cannot be changed by a scenario")
        return []
    frame = wb.tables[sheet.name]
    mask = _address(frame, sheet, ident)
    if mask is None or not mask.any():
        shown = frame[sheet.id_column].dropna().astype(str).tolist() if sheet.id_column else []
        problems.error(*where, "id", ident, f"addresses no row of {sheet.name}"
                       + did_you_mean(ident, shown))
        return []
    value = rec["value"]
    if op == "scale":
        if col.type != NUMBER:
            problems.error(*where, "column", column_name, "scale needs a numeric column")
            return []
        if is_blank(value):
            problems.error(*where, "value", value, "scale factor is blank")
            return []
        factor, ok = _convert(value, NUMBER, (), where, "scale factor ", problems)
        if not ok:
            return []
        new_of = lambda old: None if old is None else old * factor  # noqa: E731
    else:
        if is_blank(value):
            typed = col.default
        else:
            typed, ok = _convert(value, col.type, col.choices, where,
                                 f"for {sheet.name}.{col.name}: ", problems)
            if not ok:
                return []
        new_of = lambda old: typed  # noqa: E731
    idx = frame.index[mask]
    olds = frame.loc[idx, col.name].tolist()
    news = [new_of(old) for old in olds]
    frame.loc[idx, col.name] = pd.Series(news, index=idx, dtype=frame[col.name].dtype)
    out = [Change(source, sheet.name, int(row), ident_, col.name, op, old, new)
           for row, ident_, old, new in zip(frame.loc[idx, ROW].tolist(), _row_ids(frame, sheet, idx),
                                            olds, news)]
    if op == "scale":        # contract v1.2: a scale also moves the row's Profiles path
        out += profile_changes.scale_paths(wb, sheet.name, frame.loc[idx].to_dict("records"),
                                           col.name, factor, source, Change)
    return out


def _change_setting(wb, rec, ident, column_name, op, source, problems):
    where = ("ScenarioChanges", rec[ROW])
    spec = SETTING_BY_KEY.get(ident.lower())
    if spec is None:
        problems.error(*where, "id", ident, "no such setting" + did_you_mean(ident, SETTING_BY_KEY))
        return []
    if column_name.lower() != "value":
        problems.error(*where, "column", column_name, 'Settings changes use column "value"')
        return []
    old, value = wb.settings.get(spec.key), rec["value"]
    if op == "scale":
        if spec.type != NUMBER or is_blank(value):
            problems.error(*where, "value", value, "scale needs a numeric setting and factor")
            return []
        factor, ok = _convert(value, NUMBER, (), where, "scale factor ", problems)
        if not ok:
            return []
        new = None if old is None else old * factor
    elif is_blank(value):
        new = spec.default
    else:
        new, ok = _convert(value, spec.type, (), where, f"{spec.key}: ", problems)
        if not ok:
            return []
    why = spec.problem(new)
    if why:
        problems.error(*where, "value", value,
                       (f"scales {spec.key} to {new:g}: " if op == "scale" else "") + why)
        return []
    wb.settings[spec.key] = new
    return [Change(source, "Settings", wb.setting_rows.get(spec.key), spec.key, "value", op, old, new)]


def _convert(value, ctype, choices, where, label: str, problems: Problems):
    """A ScenarioChanges value typed like the cell it changes: (typed, ok); the
    reader's errors and warnings (e.g. the number read from text) go to problems."""
    typed, error, warn = convert(value, ctype, choices)
    if error:
        problems.error(*where, "value", value, label + error)
        return None, False
    if warn:
        problems.warn(*where, "value", value, label + warn)
    return typed, True


def _address(frame: pd.DataFrame, sheet, ident: str):
    if frame.empty or sheet.id_column is None:
        return None
    if ident == "*":
        return pd.Series(True, index=frame.index)
    if "|" in ident and len(sheet.key) > 1:
        parts = ident.split("|")
        if len(parts) != len(sheet.key):
            return None
        mask = pd.Series(True, index=frame.index)
        for key, part in zip(sheet.key, parts):
            mask &= frame[key].astype(str) == part.strip()
        return mask
    return frame[sheet.id_column].astype(str) == ident


def _row_ids(frame, sheet, idx) -> list[str]:
    if len(sheet.key) > 1:
        return ["|".join(map(str, parts)) for parts in zip(*(frame.loc[idx, k].tolist()
                                                             for k in sheet.key))]
    return ["" if v is None else str(v) for v in frame.loc[idx, sheet.id_column].tolist()]


def _toggle(wb: Workbook, ident: str, state: bool, flag: str, problems: Problems) -> list[Change]:
    changes = []
    for sheet in TOGGLE_SHEETS:
        frame = wb.tables[sheet.name]
        if frame.empty:
            continue
        for i in frame.index[frame[sheet.id_column] == ident]:
            old = frame.at[i, "enabled"]
            frame.at[i, "enabled"] = state
            changes.append(Change(flag, sheet.name, int(frame.at[i, ROW]), ident, "enabled",
                                  "set", old, state))
    if not changes:
        ids = [x for s in TOGGLE_SHEETS for x in wb.tables[s.name][s.id_column].dropna()]
        problems.error("command line", None, flag, ident, "no row with an enabled column has this id"
                       " (offer_id, process_id, lane_id or rule_id)" + did_you_mean(ident, ids))
    return changes
