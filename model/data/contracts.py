"""Supply rows per period (with Profiles, floors, caps and take-or-pay) and Sales
rows per period: contract v1.2, sections 1 to 3, as data.

``supply_rows`` gives the offers frame the families are built from (one row per
offer and period in which it can be bought), the take-or-pay frame (one row per
offer and active period with a take-or-pay quantity) and the idle rows (a fixed
cost in a period without capacity). ``prepare_sales`` gives one row per sale and
period in which it can sell.
"""

from __future__ import annotations

import pandas as pd

from model.data.profiles import Profiles, supply_reader
from model.read.workbook import ROW

OFFER_COLUMNS = ["offer", "period", "site", "material", "cap", "unit_cost", "fixed", "minq",
                 "binary", "reservation", "row", "market", "base_cost"]
TOP_COLUMNS = ["offer", "period", "qty", "price", "has_buy", "row"]
SALE_COLUMNS = ["sale", "period", "site", "material", "cap", "price", "row"]


def supply_rows(supply: pd.DataFrame, prof: Profiles, periods, periods_of, problems,
                capacities=None):
    """(offers, take_or_pay, idle) of the active Supply rows.

    ``capacities(offer_id, own_periods, own_cap) -> [(period, capacity)]`` adds the
    periods and capacity investments bring (contract v1.2, section 4; default: the
    row's own periods at their own capacity). Take-or-pay is owed in the row's own
    periods only (clarification 7.5).

    ``unit_cost`` of an offer row is the price paid, min(max(market, floor), cap)
    (section 2); ``market`` the period's (profiled) unit_cost, ``base_cost`` the cell. Take-or-pay is owed in every active period, also where the
    period's capacity is below it or 0 (clarification 7.5: no force majeure);
    ``has_buy`` says whether the period has a buy variable."""
    offer_rows, top_rows, idle = [], [], []
    reach = capacities or (lambda ident, own_periods, own_cap: [(p, own_cap(p)) for p in own_periods])
    for rec in supply.to_dict("records"):
        mine = periods_of(rec, periods)
        row = supply_reader(prof, rec)
        for p, cap in reach(rec["offer_id"], mine, lambda p, row=row: row(p)["capacity"]):
            v = row(p)
            fixed, minq = v["fixed_cost"], v["min_quantity"]
            has_buy = cap is None or cap > 0
            top = v["take_or_pay"] if p in mine else 0.0
            if top > 0:
                top_rows.append((rec["offer_id"], p, top, v["price"], has_buy, rec[ROW]))
            if not has_buy:
                if fixed > 0:
                    idle.append(("offer", rec["offer_id"], p, fixed, rec[ROW]))
                continue
            if cap is not None and minq > cap:
                problems.warn("Supply", rec[ROW], "min_quantity", minq,
                              f"exceeds the capacity {cap:g} in {p}: the offer cannot be used then")
            offer_rows.append((rec["offer_id"], p, rec["site_id"], rec["material_id"], cap,
                               v["price"], fixed, minq, fixed > 0 or minq > 0,
                               v["reservation_cost"] or 0.0, rec[ROW], v["unit_cost"],
                               rec["unit_cost"]))
    offers = pd.DataFrame(offer_rows, columns=OFFER_COLUMNS).astype({"binary": bool})
    take_or_pay = pd.DataFrame(top_rows, columns=TOP_COLUMNS).astype({"has_buy": bool})
    return offers, take_or_pay, idle


def prepare_sales(sales: pd.DataFrame, prof: Profiles, periods, periods_of, reach, problems):
    """One row per active sale and period with capacity (blank: unlimited). A sale at a
    (site, material) that no material can ever reach is left out with a warning."""
    rows = []
    for rec in sales.to_dict("records"):
        if (rec["site_id"], rec["material_id"]) not in reach:
            problems.warn("Sales", rec[ROW], "material_id", rec["material_id"],
                          f"no supply, process, lane or stock can ever bring it to "
                          f"{rec['site_id']}: nothing to sell")
            continue
        for p in periods_of(rec, periods):
            v = prof.row("Sales", rec, p, ("capacity", "price"))
            if v["capacity"] is not None and v["capacity"] <= 0:
                continue
            rows.append((rec["sale_id"], p, rec["site_id"], rec["material_id"], v["capacity"],
                         v["price"], rec[ROW]))
    return pd.DataFrame(rows, columns=SALE_COLUMNS)
