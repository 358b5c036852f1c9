"""The KPI sheets: one row per demanded material and period (and the horizon), assembled
from the key figures of ``model.results.kpis`` (whose docstring defines each of them).

    all_kpis(tables, data)  ->  {"KPIs", "ArrivalsByCompany", "CostPerTonne", "CostAllocation",
                                 "StockCheck"}
"""

from __future__ import annotations

import pandas as pd

from model.results.kpis import (ALL, TOL, by_period, empty_frame, is_controlled, is_domestic,
                                 arrivals, cost_allocation, cost_per_tonne, hhi, shares,
                                 stock_check, unmet)

KPI_COLUMNS = ["material_id", "period", "demand_t", "delivered_t", "unmet_t", "unmet_penalty",
               "allocated_cost", "cost_per_t", "arrivals_t", "top_country", "top_country_share",
               "hhi_country", "top_company", "top_company_share", "hhi_company", "controlled_t",
               "controlled_share", "controlled_countries", "domestic_t", "domestic_share",
               "hhi_foreign", "stock_t", "min_stock_t", "sites_at_floor"]


def _concentration(sh: pd.DataFrame, by: str) -> dict[tuple, tuple]:
    """(material, period) -> (top, top share, HHI); sh is sorted with the top first."""
    out = {}
    for (k, p), g in sh.groupby(["material_id", "period"], sort=False):
        out[(k, p)] = (g[by].iloc[0], float(g["share"].iloc[0]), hhi(g["share"]))
    return out


def _with_arrival_rows(u: pd.DataFrame, detail: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``unmet`` and a row of 0 t demand for each (material, period) and material
    that has arrivals but no demand: a demand site of 0 t (say, a site that only keeps a
    stock floor) is a demand site, and its arrivals count like any other."""
    if detail.empty:
        return u
    have = set(zip(u["material_id"], u["period"]))
    keys = list(dict.fromkeys(zip(detail["material_id"], detail["period"])))
    keys += [(k, ALL) for k in dict.fromkeys(detail["material_id"])]
    extra = [(k, p) for k, p in keys if (k, p) not in have]
    if not extra:
        return u
    zero = pd.DataFrame([(k, p, 0.0, 0.0, 0.0, 0.0) for k, p in extra], columns=u.columns)
    out = pd.concat([u, zero], ignore_index=True) if len(u) else zero
    # the order of unmet(): every period row (by material, period), then the horizon rows
    h = out["period"].eq(ALL)
    return pd.concat([by_period(out[~h], ["material_id"]), by_period(out[h], ["material_id"])],
                     ignore_index=True)


def _foreign_hhi(d: pd.DataFrame) -> dict[tuple, float]:
    """(material, period or ALL) -> HHI of foreign origins over all arrivals (``_home``: domestic)."""
    out = {}
    for frame in (d, d.assign(period=ALL)):
        total = frame.groupby(["material_id", "period"])["arrivals_t"].sum()
        out.update({key: 0.0 for key in total.index})
        abroad = frame[~frame["_home"]].groupby(["material_id", "period", "country"])["arrivals_t"].sum()
        for key, g in abroad.groupby(level=["material_id", "period"]):
            if total[key] > TOL:
                out[key] = hhi(g / total[key])
    return out


def kpi_table(tables: dict, data, detail: pd.DataFrame | None = None,
              cpt: pd.DataFrame | None = None, stock: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per demanded material and period, plus a horizon row (period ``all``)."""
    detail = arrivals(tables, data) if detail is None else detail
    u = _with_arrival_rows(unmet(tables), detail)
    if u.empty:
        return empty_frame(KPI_COLUMNS)
    by_country = _concentration(shares(detail, "country"), "country")
    by_company = _concentration(shares(detail, "company"), "company")
    if len(detail):
        d = detail.assign(_ctrl=is_controlled(detail, data), _home=is_domestic(detail, data))
        d["controlled_t"] = d["arrivals_t"].where(d["_ctrl"], 0.0)
        d["domestic_t"] = d["arrivals_t"].where(d["_home"], 0.0)
        sums = d.groupby(["material_id", "period"])[["arrivals_t", "controlled_t", "domestic_t"]].sum()
        hsum = d.groupby("material_id")[["arrivals_t", "controlled_t", "domestic_t"]].sum()
        ctrl_c = d[d["_ctrl"]].groupby(["material_id", "period"])["country"].apply(
            lambda c: ", ".join(sorted(set(c)))).to_dict()
        ctrl_h = d[d["_ctrl"]].groupby("material_id")["country"].apply(
            lambda c: ", ".join(sorted(set(c)))).to_dict()
        foreign = _foreign_hhi(d)
    else:
        sums = hsum = pd.DataFrame(columns=["arrivals_t", "controlled_t", "domestic_t"])
        ctrl_c, ctrl_h, foreign = {}, {}, {}
    # dicts of rows, looked up per KPI row (a .loc per cell costs more than the table)
    cpt = (cost_per_tonne(tables, data) if cpt is None else cpt).set_index(
        ["material_id", "period"]).to_dict("index")
    sums, hsum = sums.to_dict("index"), hsum.to_dict("index")
    st = stock_check(tables) if stock is None else stock
    stock = (st.groupby(["material_id", "period"]).agg(
        stock_t=("stock_t", "sum"), min_stock_t=("min_stock_t", "sum"),
        sites_at_floor=("status", lambda s: int(s.isin(["at floor", "below floor"]).sum()))
    ).to_dict("index")
        if len(st) else {})
    last = max(data.periods) if data.periods else None
    rows = []
    for rec in u.to_dict("records"):
        k, p = rec["material_id"], rec["period"]
        row = dict(rec)
        c = cpt.get((k, p))
        row["allocated_cost"] = c["allocated_cost"] if c else 0.0
        row["cost_per_t"] = c["cost_per_t"] if c else None
        frame, key = (hsum, k) if p == ALL else (sums, (k, p))
        a = frame.get(key)
        arr = float(a["arrivals_t"]) if a is not None else 0.0
        row["arrivals_t"] = arr
        tc = by_country.get((k, p), (None, None, None))
        tk = by_company.get((k, p), (None, None, None))
        row.update(top_country=tc[0], top_country_share=tc[1], hhi_country=tc[2],
                   top_company=tk[0], top_company_share=tk[1], hhi_company=tk[2])
        row["controlled_t"] = float(a["controlled_t"]) if a is not None else 0.0
        row["controlled_share"] = row["controlled_t"] / arr if arr > TOL else None
        row["controlled_countries"] = (ctrl_h if p == ALL else ctrl_c).get(key, "")
        row["domestic_t"] = float(a["domestic_t"]) if a is not None else 0.0
        row["domestic_share"] = row["domestic_t"] / arr if arr > TOL else None
        row["hhi_foreign"] = foreign.get((k, p)) if arr > TOL else None
        skey = (k, last if p == ALL else p)          # horizon: stock at the end of the horizon
        if skey in stock:
            row.update(stock_t=float(stock[skey]["stock_t"]),
                       min_stock_t=float(stock[skey]["min_stock_t"]),
                       sites_at_floor=int(stock[skey]["sites_at_floor"]))
        else:
            row.update(stock_t=None, min_stock_t=None, sites_at_floor=None)
        rows.append(row)
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def top_suppliers(tables: dict, data, n: int = 3, detail: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """The n largest origin companies of each demanded material over the horizon
    (``detail``: the arrivals, ``kpis.arrivals``, when already at hand)."""
    cols = ["material_id", "company", "country", "arrivals_t", "share"]
    detail = arrivals(tables, data) if detail is None else detail
    if detail.empty:
        return empty_frame(cols)
    g = detail.groupby(["material_id", "company"], as_index=False, sort=True).agg(
        arrivals_t=("arrivals_t", "sum"),
        country=("country", lambda c: ", ".join(sorted(set(c)))))
    g["share"] = g["arrivals_t"] / g.groupby("material_id")["arrivals_t"].transform("sum")
    g = g.sort_values(["material_id", "arrivals_t", "company"], ascending=[True, False, True],
                      kind="stable")
    return g.groupby("material_id", sort=False).head(n)[cols].reset_index(drop=True)


def all_kpis(tables: dict, data, detail: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The KPI sheets of the report, by sheet name (``detail``: as ``top_suppliers``)."""
    detail = arrivals(tables, data) if detail is None else detail
    alloc = cost_allocation(tables, data)
    cpt = cost_per_tonne(tables, data, alloc)
    stock = stock_check(tables)
    return {
        "KPIs": kpi_table(tables, data, detail, cpt, stock),
        "ArrivalsByCompany": shares(detail, "company"),
        "CostPerTonne": cpt,
        "CostAllocation": alloc,
        "StockCheck": stock,
    }
