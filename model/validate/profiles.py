"""Checks of contract v1.2 sections 1, 2 and 3 (Profiles, take-or-pay,
floors and caps, Sales; section 5's period_years is checked by its range in the
schema), called by ``validate`` on the workbook
as it stands and on each scenario's changed copy.

Structural checks (clarification 7.3) run on the rows as written: a Profiles
row names a sheet and column that can be profiled and an existing row
(disabled rows included), and does not contradict a CapacityProfile row of
the same id and period; a period outside the horizon is a warning. Value
checks run per period after scenario and profiles: a floor above the cap
(7.6), an unlimited capacity with a fixed cost or minimum quantity (7.1), a
min_stock above max_stock.
"""

from __future__ import annotations

from model.data.profiles import SUPPLY_COLUMNS, Profiles, canonical, row_id
from model.problems import did_you_mean
from model.read.workbook import ROW
from model.schema import PROFILED
from model.validate.rules import active, active_periods


def check(wb, err, warn) -> None:
    t = wb.tables
    first, last = wb.settings.get("first_period"), wb.settings.get("last_period")
    if first is None or last is None or first > last:
        return
    periods = list(range(first, last + 1))
    _structure(t, periods, err, warn)
    prof = Profiles.of(t)
    _supply(active(t["Supply"]), prof, periods, err)
    for rec in active(t["Processes"]).to_dict("records"):
        bad = [p for p in active_periods(rec, periods)
               if _blank_capacity_with(prof, "Processes", rec, p, ("fixed_cost",))]
        if bad:
            err("Processes", rec[ROW], "capacity", rec["capacity"],
                f"is blank (unlimited) in {_list(bad)} while fixed_cost is set: an on/off "
                "decision needs a capacity bound; give a capacity or remove the fixed cost")
    for rec in t["Inventory"].to_dict("records"):
        bad = []
        for p in periods:
            v = prof.row("Inventory", rec, p, ("min_stock", "max_stock"))
            if v["max_stock"] is not None and v["min_stock"] > v["max_stock"]:
                bad.append(p)
        if bad and (rec["max_stock"] is None or rec["min_stock"] <= rec["max_stock"]):
            err("Inventory", rec[ROW], "min_stock", rec["min_stock"],
                f"is above max_stock in {_list(bad)} (after Profiles)")


def _list(periods) -> str:
    return ", ".join(map(str, periods))


def _blank_capacity_with(prof, sheet, rec, p, columns) -> bool:
    v = prof.row(sheet, rec, p, ("capacity", *columns))
    return v["capacity"] is None and any(v[c] > 0 for c in columns)


def _supply(supply, prof, periods, err) -> None:
    for rec in supply.to_dict("records"):
        by_period = {p: prof.row("Supply", rec, p, SUPPLY_COLUMNS) for p in active_periods(rec, periods)}
        inverted = [p for p, v in by_period.items() if v["price_floor"] is not None
                    and v["price_cap"] is not None and v["price_floor"] > v["price_cap"]]
        if inverted:
            v = by_period[inverted[0]]
            err("Supply", rec[ROW], "price_floor", v["price_floor"],
                f"is above price_cap {v['price_cap']:g} in {_list(inverted)} (after scenario "
                "changes and Profiles): the price paid is undefined")
        unbounded = [p for p, v in by_period.items() if v["capacity"] is None
                     and (v["fixed_cost"] > 0 or v["min_quantity"] > 0)]
        if unbounded:
            err("Supply", rec[ROW], "capacity", rec["capacity"],
                f"is blank (unlimited) in {_list(unbounded)} while fixed_cost or min_quantity "
                "is set: an on/off decision needs a capacity bound; give a capacity or remove "
                "them")


def _structure(t, periods, err, warn) -> None:
    """Every Profiles row: a profiled sheet and column, an existing row, no
    contradiction with CapacityProfile; a period outside the horizon is ignored."""
    ids = {sheet: {row_id(sheet, rec) for rec in t[sheet].to_dict("records")}
           for sheet in PROFILED}
    cp = {(rec["id"], rec["period"]): (rec["capacity"], rec[ROW])
          for rec in t["CapacityProfile"].to_dict("records")}
    for rec in t["Profiles"].to_dict("records"):
        row = rec[ROW]
        if rec["sheet"] is None or rec["column"] is None:
            continue                  # the reader reported it (required, or not in the list)
        sheet, column = canonical(rec["sheet"], rec["column"])
        if sheet is None:
            err("Profiles", row, "sheet", rec["sheet"], "no profiled sheet of this name; one of "
                + ", ".join(PROFILED))
            continue
        if column is None:
            err("Profiles", row, "column", rec["column"], f"cannot be profiled on {sheet}; "
                f"the columns that can: {', '.join(PROFILED[sheet])}")
            continue
        ident = rec["id"]
        if ident is not None and str(ident) not in ids[sheet]:
            what = "site_id|material_id of an Inventory row" if sheet == "Inventory" else \
                f"id of a {sheet} row"
            err("Profiles", row, "id", ident, f"no such {what}" + did_you_mean(str(ident),
                                                                                 ids[sheet]))
            continue
        p = rec["period"]
        if p is not None and not periods[0] <= p <= periods[-1]:
            warn("Profiles", row, "period", p,
                 f"outside the horizon {periods[0]}-{periods[-1]}: the row is ignored")
        if column == "capacity" and sheet in ("Supply", "Processes", "Lanes") and \
                (ident, p) in cp and cp[ident, p][0] != rec["value"]:
            other, other_row = cp[ident, p]
            err("Profiles", row, "value", rec["value"],
                f"contradicts CapacityProfile row {other_row} (capacity {other:g} for {ident} "
                f"in {p}): give one value, or delete one of the rows")
