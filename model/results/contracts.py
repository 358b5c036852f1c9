"""Result tables of contract v1.2 (sections 1 to 3), written only when the
workbook uses the feature:

- ``Sales``: per sale and period, t sold, price, revenue, capacity.
- ``TakeOrPay``: per offer and active period with a take-or-pay quantity, t
  bought, the shortfall paid for and its cost.
- ``PricesPaid``: per offer and period in which the price paid (after
  Profiles, floor and cap) differs from the Supply ``unit_cost`` cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.columns import keys


def dashboard_lines(tables: dict, currency: str) -> list[str]:
    """One sentence each for the Dashboard's cost section: sales and take-or-pay."""
    out = []
    sales = tables.get("Sales")
    if sales is not None and len(sales):
        out.append(f"Sales: {sales['quantity_t'].sum():,.1f} t sold for "
                   f"{sales['revenue'].sum():,.0f} {currency} (undiscounted; sheet Sales)")
    top = tables.get("TakeOrPay")
    if top is not None and len(top):
        out.append(f"Take-or-pay: {top['shortfall_t'].sum():,.1f} t paid for and not taken, "
                   f"{top['shortfall_cost'].sum():,.0f} {currency} (undiscounted; sheet TakeOrPay)")
    return out


def contract_tables(data, val) -> dict[str, pd.DataFrame]:
    out = {}
    sa = data.sales
    if len(sa):
        sold = val.take("sell", keys(sa, ("sale", "period")))
        out["Sales"] = pd.DataFrame({
            "sale_id": sa["sale"], "site_id": sa["site"], "material_id": sa["material"],
            "period": sa["period"], "quantity_t": sold, "price": sa["price"].astype(float),
            "revenue": sold * sa["price"].to_numpy(float), "capacity_t": sa["cap"]}
        ).reset_index(drop=True)
    top = data.take_or_pay
    if len(top):
        idx = keys(top, ("offer", "period"))
        short = val.take("short", idx)
        bought = val.take("buy", idx)
        out["TakeOrPay"] = pd.DataFrame({
            "offer_id": top["offer"], "period": top["period"], "take_or_pay_t": top["qty"],
            "bought_t": bought, "shortfall_t": short, "price": top["price"].astype(float),
            "shortfall_cost": short * top["price"].to_numpy(float)}).reset_index(drop=True)
    o = data.offers
    if "base_cost" in o.columns and len(o):
        moved = ~np.isclose(o["unit_cost"].to_numpy(float), o["base_cost"].to_numpy(float),
                            rtol=0.0, atol=0.0)
        if moved.any():
            m = o[moved]
            out["PricesPaid"] = pd.DataFrame({
                "offer_id": m["offer"], "period": m["period"], "base_unit_cost": m["base_cost"],
                "market_price": m["market"], "price_paid": m["unit_cost"]}).reset_index(drop=True)
    return out
