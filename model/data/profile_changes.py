"""ScenarioChanges and Profiles (contract v1.2, section 1 and clarification 7.4).

A ``scale`` change of a row's column also scales that row's Profiles values of
the column (``scale_paths``: "antimony +50 %" moves the whole path); a ``set``
change leaves them in place. A change may address Profiles rows directly
(``change``): sheet ``Profiles``, id ``SHEET|ID|COLUMN`` (every period) or
``SHEET|ID|COLUMN|PERIOD`` (the last part is a period when it is a whole
number), column ``value``. It never creates a Profiles row; one that matches
none is an error.
"""

from __future__ import annotations

import pandas as pd

from model.data.profiles import canonical, row_id
from model.problems import Problems
from model.read.cells import convert, is_blank
from model.read.workbook import ROW
from model.schema import NUMBER, PROFILED


def _paths(frame: pd.DataFrame) -> list[tuple]:
    """(sheet, id, column) of each Profiles row, canonical names (None where unknown)."""
    out = []
    for sheet, ident, column in zip(frame["sheet"], frame["id"], frame["column"]):
        s, c = canonical(sheet, column)
        out.append((s, None if ident is None else str(ident), c))
    return out


def parse(ident: str):
    """'Supply|O1|unit_cost|2026' -> ('Supply', 'O1', 'unit_cost', 2026); the id may itself
    contain '|' (Inventory: site|material); None when it cannot be read."""
    parts = [x.strip() for x in ident.split("|")]
    period = None
    if len(parts) >= 4 and parts[-1].lstrip("-").isdigit():
        period = int(parts[-1])
        parts = parts[:-1]
    if len(parts) < 3:
        return None
    sheet, column = canonical(parts[0], parts[-1])
    if column is None:
        return None
    return sheet, "|".join(parts[1:-1]), column, period


def change(wb, rec: dict, ident: str, column_name: str, op: str, source: str,
           problems: Problems, make_change) -> list:
    where = ("ScenarioChanges", rec[ROW])
    if column_name.lower() != "value":
        problems.error(*where, "column", column_name, 'Profiles changes use column "value"')
        return []
    target = parse(ident)
    frame = wb.tables["Profiles"]
    if target is None:
        problems.error(*where, "id", ident, "a Profiles change is addressed as SHEET|ID|COLUMN or "
                       "SHEET|ID|COLUMN|PERIOD, with a sheet and column that can be profiled")
        return []
    sheet, row, column, period = target
    paths = _paths(frame)
    mask = pd.Series([pth == (sheet, row, column) for pth in paths], index=frame.index, dtype=bool)
    if period is not None:
        mask &= frame["period"] == period
    if not mask.any():
        problems.error(*where, "id", ident, "addresses no Profiles row (a change never creates "
                       "one: add the row to Profiles)")
        return []
    value = rec["value"]
    if op == "scale" and is_blank(value):
        problems.error(*where, "value", value, "scale factor is blank")
        return []
    if is_blank(value):
        typed = None
    else:
        typed, error, warn = convert(value, NUMBER)
        if error:
            problems.error(*where, "value", value, ("scale factor " if op == "scale" else
                                                    "for Profiles.value: ") + error)
            return []
        if warn:
            problems.warn(*where, "value", value, warn)
    new_of = (lambda old: None if old is None else old * typed) if op == "scale" else \
        (lambda old: typed)
    return _write(frame, mask, new_of, op, source, make_change)


def scale_paths(wb, sheet: str, records: list[dict], column: str, factor: float, source: str,
                make_change) -> list:
    """Scale the Profiles values of ``column`` of the changed ``records`` of ``sheet``."""
    frame = wb.tables["Profiles"]
    if column not in PROFILED.get(sheet, ()) or frame.empty:
        return []
    wanted = {(sheet, row_id(sheet, r), column) for r in records}
    mask = pd.Series([pth in wanted for pth in _paths(frame)], index=frame.index, dtype=bool)
    if not mask.any():
        return []
    return _write(frame, mask, lambda old: None if old is None else old * factor, "scale", source,
                  make_change)


def _write(frame, mask, new_of, op, source, make_change) -> list:
    idx = frame.index[mask]
    olds = frame.loc[idx, "value"].tolist()
    news = [new_of(old) for old in olds]
    frame.loc[idx, "value"] = pd.Series(news, index=idx, dtype=frame["value"].dtype)
    out = []
    for i, old, new in zip(idx, olds, news):
        r = frame.loc[i]
        s, c = canonical(r["sheet"], r["column"])
        out.append(make_change(source, "Profiles", int(r[ROW]), f"{s}|{r['id']}|{c}|{r['period']}",
                               "value", op, old, new))
    return out
