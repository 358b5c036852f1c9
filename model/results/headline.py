"""The headline of a solution: money spent apart from penalties, and what is unmet.

    objective (discounted total)  =  spent  +  penalty

    penalty   CostByCategory.discounted_cost of category unmet_penalty (the
              discounted penalties of unmet demand)
    spent     objective - penalty: every other cost of the plan, discounted
              (purchases, processing, freight, tariffs, holding, disposal, ...)

What is unmet: Demand rows with unmet t, grouped by material, segment and
site, with the periods concerned, largest first ("100 t SB2S3 munitions at
US_BUYER, 2026-2027, 2029-2030"; the default segment ``all`` is not named;
beyond three groups, "and N more (sheet Demand)"). The terminal line, the Summary (keys
``spent``, ``penalty``, ``unmet``), the Dashboard and the web page all read
these figures from here.
"""

from __future__ import annotations

import pandas as pd

from model.text import periods_text, tonnes_rounded as tonnes

TOL = 1e-6
MAX_UNMET_NAMED = 3


def cost_split(tables: dict, objective: float | None) -> tuple[float | None, float | None]:
    """(spent, penalty), both discounted, spent + penalty = objective; (None, None) without one."""
    if objective is None or objective != objective:
        return None, None
    cost = tables.get("CostByCategory") if tables else None
    penalty = 0.0
    if cost is not None and len(cost):
        penalty = float(cost.loc[cost["category"] == "unmet_penalty", "discounted_cost"].sum())
    return float(objective) - penalty, penalty


def unmet_groups(tables: dict) -> pd.DataFrame:
    """material_id, segment, site_id, unmet_t, periods (text): one row per group with unmet t."""
    cols = ["material_id", "segment", "site_id", "unmet_t", "periods"]
    dem = tables.get("Demand") if tables else None
    if dem is None or dem.empty:
        return pd.DataFrame(columns=cols)
    u = dem[dem["unmet_t"] > TOL].copy()
    if u.empty:
        return pd.DataFrame(columns=cols)
    seg = u["segment"] if "segment" in u else pd.Series("", index=u.index)
    seg = seg.where(seg.notna(), "").astype(str).str.strip()
    u["segment"] = seg.where(seg != "all", "")          # the default segment is not named
    rows = [(m, s, site, float(g["unmet_t"].sum()), periods_text(g["period"]))
            for (m, s, site), g in u.groupby(["material_id", "segment", "site_id"], sort=True)]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("unmet_t", ascending=False, kind="stable").reset_index(drop=True)


def amounts(*values: float) -> list[str]:
    """The figures of one line in one format: whole units when the largest is 10,000 or
    more (cents mean nothing there), cents below."""
    fmt = "{:,.0f}" if max(abs(v) for v in values) >= 10_000 else "{:,.2f}"
    return [fmt.format(v) for v in values]


def unmet_text(tables: dict) -> str:
    """'100 t SB2S3 munitions at US_BUYER, 2026-2027, 2029-2030; ...' or '' when all is met."""
    g = unmet_groups(tables)
    parts = [f"{tonnes(r['unmet_t'])} t {r['material_id']}"
             + (f" {r['segment']}" if r["segment"] else "")
             + f" at {r['site_id']}, {r['periods']}"
             for r in g.head(MAX_UNMET_NAMED).to_dict("records")]
    if len(g) > MAX_UNMET_NAMED:
        parts.append(f"and {len(g) - MAX_UNMET_NAMED} more (sheet Demand)")
    return "; ".join(parts)


def lines(info: dict, currency: str) -> list[str]:
    """The terminal headline: one line, a second naming what is unmet, and the
    constraint families left out (``--skip-family``): their rules do not hold."""
    out = _head(info, currency)
    if info.get("skipped_families"):
        out.append(f"switched off (--skip-family): {info['skipped_families']}; this plan does "
                   "not keep their rules")
    return out


def _head(info: dict, currency: str) -> list[str]:
    obj, spent, penalty = info.get("objective"), info.get("spent"), info.get("penalty")
    if obj is None:
        return [f"{info.get('status')}: {info.get('message')}"]
    if spent is None or penalty is None or abs(penalty) <= TOL * max(1.0, abs(obj)):
        met = ", all demand met" if not info.get("unmet_demand_t") else ""
        return [f"{info['status']}: total {amounts(obj)[0]} {currency} (discounted){met}"]
    total, spent, penalty = amounts(obj, spent, penalty)
    out = [f"{info['status']}: total {total} {currency} (discounted) = {spent} spent + {penalty} "
           "penalties for unmet demand"]
    if info.get("unmet"):
        out.append(f"unmet: {info['unmet']}")
    if info.get("unclosable"):           # model.analysis.shortfall: can it be closed at all?
        out.append(info["unclosable"])
    return out
