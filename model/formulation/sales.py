"""Sales (contract v1.2, section 3): optional outflows that earn revenue.

sell[sale,p] (0 .. capacity; blank capacity: unlimited) leaves the material
balance at the sale's site (``balance.py``) and enters the objective with
coefficient -price[sale,p], category ``sales`` (``costs.py``). There is no
constraint of its own: this module holds the cost terms and the diagnosis of an
unbounded model (``unbounded_sources``).

| math | code | sheet.column |
|---|---|---|
| sell[sale,p] | m.sell | Sales |
| price[sale,p] | sales.price | Sales.price, Profiles |
"""

from __future__ import annotations

import pandas as pd

from model.data.columns import keys
from model.formulation.variables import SALE


def class_split(data, pv) -> pd.DataFrame:
    """sale, cls, period, site, material: a sale takes material of any provenance class
    present at its site (clarification 7.7), so with classes (contract v1.1) its sell is
    split over them like discard (``provenance.py``: sell = sum_c sellc)."""
    cols = ["sale", "cls", "period", "site", "material"]
    sa = data.sales
    if sa.empty:
        return pd.DataFrame(columns=cols)
    out = sa[["sale", "period", "site", "material"]].merge(
        pv.balc, on=["site", "material", "period"])
    return out[cols].reset_index(drop=True)


def cost_parts(data, part) -> list[pd.DataFrame]:
    """The v1.2 cost terms: revenue of sales (negative) and take-or-pay shortfalls."""
    sa, top = data.sales, data.take_or_pay
    out = []
    if len(sa):
        revenue = sa.assign(revenue=-sa["price"].astype(float))
        out.append(part("sell", revenue, keys(sa, SALE), "sales", "revenue"))
    if len(top):
        out.append(part("short", top, keys(top, ("offer", "period")), "take_or_pay_shortfall",
                        "price"))
    return out
