"""Compare scenarios side by side, with deltas against ``base``.

``compare_results(results) -> dict[str, DataFrame]``: Overview (status,
objective, unmet demand, deltas), CostByCategory (per category, undiscounted
and discounted, with totals),
Arrivals (t by material and country), Concentration (HHI of arrivals by
country, per material), Unmet (by material), Stock (end of horizon), the
DecisionChanges that moved most (purchases by offer, shipments by lane),
Investments (units decided per investment and period, when the workbook has
investments: the portfolios side by side) and InputChanges (every cell each
scenario changed).
"""

from __future__ import annotations

import pandas as pd

BASE = "base"


def _pivot(frames: dict[str, pd.DataFrame], index: list[str], value: str,
           keep_empty: bool = False) -> pd.DataFrame:
    """keep_empty: a scenario whose table is there but empty gets a column of zeros."""
    parts = []
    for name, frame in frames.items():
        if frame is None or frame.empty:
            continue
        g = frame.groupby(index, as_index=False)[value].sum()
        g["scenario"] = name
        parts.append(g)
    if not parts:
        return pd.DataFrame(columns=index)
    wide = pd.concat(parts).pivot_table(index=index, columns="scenario", values=value,
                                        aggfunc="sum", fill_value=0.0)
    if keep_empty:
        for s, frame in frames.items():
            if frame is not None and s not in wide.columns:
                wide[s] = 0.0
    order = [s for s in frames if s in wide.columns]
    wide = wide[order]
    if BASE in wide.columns:
        for s in order:
            if s != BASE:
                wide[f"{s} - base"] = wide[s] - wide[BASE]
    wide.columns.name = None
    return wide.reset_index()


def compare_results(results: dict[str, dict], top: int = 25) -> dict[str, pd.DataFrame]:
    tables = {s: r.get("tables") or {} for s, r in results.items()}
    base = results.get(BASE, {}).get("summary", {})
    rows = []
    for s, r in results.items():
        sm = r["summary"]
        obj, unmet = sm.get("objective"), sm.get("unmet_demand_t")
        rows.append({
            "scenario": s, "status": sm.get("status"), "objective": obj,
            "delta_vs_base": (obj - base["objective"]) if obj is not None and base.get("objective") is not None else None,
            "delta_pct": ((obj / base["objective"] - 1) if obj is not None and base.get("objective") else None),
            "unmet_demand_t": unmet,
            "delta_unmet_t": (unmet - base.get("unmet_demand_t", 0)) if unmet is not None and base.get("unmet_demand_t") is not None else None,
            "changes_applied": len(r.get("changes", [])), "error": r.get("error", ""),
        })
    out = {"Overview": pd.DataFrame(rows)}
    get = lambda name: {s: t.get(name) for s, t in tables.items()}  # noqa: E731
    out["CostByCategory"] = _costs(get("CostByCategory"))
    out["Arrivals"] = _pivot(get("ArrivalsByCountry"), ["material_id", "country"], "arrivals_t")
    hhi = {}
    for s, frame in get("ArrivalsByCountry").items():
        if frame is not None and not frame.empty:
            tot = frame.groupby(["material_id", "country"])["arrivals_t"].sum()
            share = tot / tot.groupby(level=0).transform("sum")
            h = (share.pow(2) * 10000).groupby(level=0).sum().rename("hhi").reset_index()
            hhi[s] = h
    out["Concentration"] = _pivot(hhi, ["material_id"], "hhi")
    out["Unmet"] = _pivot(get("Demand"), ["material_id", "segment"], "unmet_t")
    stock = {s: (f[f["period"] == f["period"].max()] if f is not None and not f.empty else f)
             for s, f in get("Stock").items()}
    out["Stock"] = _pivot(stock, ["site_id", "material_id"], "stock_t")
    buys = _pivot(get("Purchases"), ["offer_id", "material_id"], "quantity_t")
    ships = _pivot(get("Shipments"), ["lane_id", "material_id"], "quantity_t")
    out["DecisionChanges"] = _largest(buys, ships, top)
    built = get("Investments")
    if any(f is not None for f in built.values()):      # contract v1.2: portfolios side by side
        out["Investments"] = _pivot(built, ["investment_id", "target_id", "period"], "units",
                                    keep_empty=True)
    changes = [dict(c, scenario=s) for s, r in results.items() for c in r.get("changes", [])]
    cols = ["scenario", "source", "sheet", "row", "id", "column", "op", "old", "new"]
    out["InputChanges"] = pd.DataFrame(changes, columns=cols)
    return out


def _costs(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Cost per category over the horizon, undiscounted and discounted (the
    discounted total is the objective), each with a total row."""
    parts = []
    for basis, column in (("undiscounted", "cost"), ("discounted", "discounted_cost")):
        wide = _pivot(frames, ["category"], column)
        if wide.empty:
            continue
        total = wide.drop(columns="category").sum().to_frame().T
        total.insert(0, "category", "total")
        wide = pd.concat([wide, total], ignore_index=True)
        wide.insert(0, "basis", basis)
        parts.append(wide)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["basis", "category"])


def _largest(buys: pd.DataFrame, ships: pd.DataFrame, top: int) -> pd.DataFrame:
    parts = []
    for kind, frame, key in (("purchase", buys, "offer_id"), ("shipment", ships, "lane_id")):
        deltas = [c for c in frame.columns if c.endswith(" - base")]
        if frame.empty or not deltas:
            continue
        long = frame.melt(id_vars=[key, "material_id"], value_vars=deltas, var_name="scenario",
                          value_name="delta_t")
        long["scenario"] = long["scenario"].str.replace(" - base", "", regex=False)
        long = long.rename(columns={key: "id"})
        long.insert(0, "decision", kind)
        parts.append(long)
    if not parts:
        return pd.DataFrame(columns=["decision", "id", "material_id", "scenario", "delta_t"])
    allc = pd.concat(parts, ignore_index=True)
    allc = allc[allc["delta_t"].abs() > 1e-6]
    allc["abs"] = allc["delta_t"].abs()
    allc = allc.sort_values(["scenario", "abs", "decision", "id"], ascending=[True, False, True, True])
    return allc.groupby("scenario").head(top).drop(columns="abs").reset_index(drop=True)
