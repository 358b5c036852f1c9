"""The report side of a verification: result tables (in memory, or read back
from the report workbook) turned into the decisions they record.

Every table is one of the report's sheets under its sheet name with the
sheet's columns. A decision missing from a table is 0. Each record keeps the
Excel row it has (or would have) on its report sheet, so that a violation can
name it: tables read from a file carry it in ``_report_row``; in-memory tables
are written one record per row under a header, so it is position + 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from model.read.cells import plain_number
from model.verify.verdict import CannotVerify

REPORT_ROW = "_report_row"

# sheet -> (id columns, period columns, number columns) the verifier needs.
DECISION_SHEETS = {
    "Purchases": (("offer_id",), ("period",), ("quantity_t",)),
    "ProcessRuns": (("process_id",), ("period",), ("runs",)),
    "Shipments": (("lane_id", "material_id"), ("period",), ("quantity_t",)),
    "Stock": (("site_id", "material_id"), ("period",), ("stock_t",)),
    "Demand": ((), (), ("met_t", "unmet_t")),
    "Discards": (("site_id", "material_id"), ("period",), ("discarded_t",)),
}
OPTIONAL_SHEETS = {
    "ProcessFlows": (("process_id", "material_id"), ("period",), ("consumed_t", "produced_t")),
    "ArrivalsByCountry": (("material_id", "country"), ("period",), ("arrivals_t",)),
    "CostByCategory": (("category",), ("period",), ("cost", "discounted_cost")),
    # contract v1.1, present when rules follow the material
    "ChainOfCustody": (("segment", "material_id", "class"), ("period",), ("met_t",)),
    "TouchedFlows": (("step", "id", "material_id", "class"), ("period",), ("quantity",)),
    # contract v1.2, present when the workbook has Sales rows
    "Sales": (("sale_id",), ("period",), ("quantity_t",)),
    "TakeOrPay": (("offer_id",), ("period",), ("shortfall_t",)),
    "PricesPaid": (("offer_id",), ("period",), ("price_paid",)),
    # contract v1.2, present when the workbook has investments
    "Investments": (("investment_id",), ("period",), ("units",)),
}


def is_blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        if v is pd.NA or v is pd.NaT:
            return True
    except TypeError:
        pass
    return isinstance(v, str) and v.strip() == ""


def as_id(v) -> str | None:
    if is_blank(v):
        return None
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, (int, float)) or hasattr(v, "item"):
        try:
            f = float(v)
            return str(int(f)) if f.is_integer() else repr(f)
        except (TypeError, ValueError):
            pass
    return str(v).strip()


def as_number(v) -> float | None:
    """A finite float, or None when the cell is not a number (text only in
    plain notation: '1,5' or '1_000' is not read as 15 or 1000)."""
    if is_blank(v) or isinstance(v, bool):
        return None
    if isinstance(v, str):
        return plain_number(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def as_period(v) -> int | None:
    f = as_number(v)
    return int(f) if f is not None and f.is_integer() else None


@dataclass
class Records:
    """One report sheet as plain records (dicts with ``_report_row``)."""
    sheet: str
    rows: list[dict]
    columns: set[str]


def records(tables: dict, sheet: str, ids, periods, numbers, problems: list[str],
            required: bool = True) -> Records | None:
    frame = tables.get(sheet)
    if frame is None:
        if required:
            raise CannotVerify(f"the report has no {sheet} sheet (it records decisions the "
                               "verifier needs)")
        return None
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(frame)
    cols = {str(c) for c in frame.columns}
    need = [*ids, *periods, *numbers]
    if sheet == "Demand" and not ({"excel_row", "demand_id"} & cols):
        need.append("excel_row")
    missing = [c for c in need if c not in cols]
    if missing:
        what = ", ".join(missing)
        raise CannotVerify(f"the report's {sheet} sheet has no column {what}")
    out = []
    positions = frame[REPORT_ROW].tolist() if REPORT_ROW in cols else range(2, len(frame) + 2)
    for rrow, rec in zip(positions, frame.to_dict("records")):
        r = {REPORT_ROW: int(rrow)}
        for c, v in rec.items():
            c = str(c)
            if c == REPORT_ROW:
                continue
            r[c] = v
        bad = False
        for c in ids:
            r[c] = as_id(rec.get(c))
        for c in periods:
            p = as_period(rec.get(c))
            if p is None:
                problems.append(f"{sheet} row {rrow}: {c} {_show(rec.get(c))} is not a year")
                bad = True
            r[c] = p
        for c in numbers:
            x = as_number(rec.get(c))
            if x is None:
                problems.append(f"{sheet} row {rrow}: {c} {_show(rec.get(c))} is not a number")
                bad = True
            r[c] = x
        if not bad:
            out.append(r)
    return Records(sheet, out, cols)


def _show(v) -> str:
    if is_blank(v):
        return "(blank)"
    return f'"{v}"' if isinstance(v, str) else str(v)


@dataclass
class Decisions:
    """Decision values keyed like the input, with the report row of each."""
    buy: dict = field(default_factory=dict)       # (offer, period) -> t
    runs: dict = field(default_factory=dict)      # (process, period) -> runs
    ship: dict = field(default_factory=dict)      # (lane, material, period) -> t
    stock: dict = field(default_factory=dict)     # (site, material, period) -> t
    discard: dict = field(default_factory=dict)   # (site, material, period) -> t
    sell: dict = field(default_factory=dict)      # (sale, period) -> t (contract v1.2)
    demand: dict = field(default_factory=dict)    # Demand Excel row -> (met, unmet)
    where: dict = field(default_factory=dict)     # (sheet, key) -> report record
    sheets: dict = field(default_factory=dict)    # sheet -> Records


def decisions_of(tables: dict, problems: list[str]) -> Decisions:
    """Read the decision sheets; duplicates and unreadable cells go to problems."""
    d = Decisions()
    for sheet, (ids, periods, numbers) in DECISION_SHEETS.items():
        d.sheets[sheet] = records(tables, sheet, ids, periods, numbers, problems)
    for sheet, (ids, periods, numbers) in OPTIONAL_SHEETS.items():
        recs = records(tables, sheet, ids, periods, numbers, problems, required=False)
        if recs is not None:
            d.sheets[sheet] = recs

    def put(target, sheet, key, value, rec, what):
        if key in target:
            first = d.where[(sheet, key)][REPORT_ROW]
            problems.append(f"{sheet} row {rec[REPORT_ROW]}: {what} is recorded twice "
                            f"(also row {first}); the two are added")
            target[key] += value
        else:
            target[key] = value
            d.where[(sheet, key)] = rec

    for r in d.sheets["Purchases"].rows:
        put(d.buy, "Purchases", (r["offer_id"], r["period"]), r["quantity_t"], r,
            f"offer {r['offer_id']} in {r['period']}")
    for r in d.sheets["ProcessRuns"].rows:
        put(d.runs, "ProcessRuns", (r["process_id"], r["period"]), r["runs"], r,
            f"process {r['process_id']} in {r['period']}")
    for r in d.sheets["Shipments"].rows:
        put(d.ship, "Shipments", (r["lane_id"], r["material_id"], r["period"]), r["quantity_t"], r,
            f"lane {r['lane_id']} / {r['material_id']} in {r['period']}")
    for r in d.sheets["Stock"].rows:
        put(d.stock, "Stock", (r["site_id"], r["material_id"], r["period"]), r["stock_t"], r,
            f"stock of {r['material_id']} at {r['site_id']} in {r['period']}")
    if "Sales" in d.sheets:
        for r in d.sheets["Sales"].rows:
            put(d.sell, "Sales", (r["sale_id"], r["period"]), r["quantity_t"], r,
                f"sale {r['sale_id']} in {r['period']}")
    for r in d.sheets["Discards"].rows:
        put(d.discard, "Discards", (r["site_id"], r["material_id"], r["period"]), r["discarded_t"],
            r, f"discard of {r['material_id']} at {r['site_id']} in {r['period']}")
    return d
