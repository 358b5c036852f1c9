"""Key figures of a solution: pure functions of the result tables and ModelData.

Every function takes ``tables`` (the dict of DataFrames from
``model.results.extract``) and, where it needs the input, ``data``
(``ModelData``), and returns a DataFrame. Rows keyed by ``period`` also come
with a horizon row whose period is ``"all"`` (``ALL``).

Definitions (docs/report.md gives them with examples):

- *arrivals*: material reaching a demand site of it (a site with a Demand row
  for the material, in any period, of any quantity, 0 included), bought or
  made there (origin: that site) or shipped in by lane (origin: the shipping
  site) - the quantity the contract's share policies speak of, evaluated by
  ``model.results.arrivals`` from the very terms the policies constrain. A
  material with arrivals but no demand in a period still gets its KPI row
  (0 t demand).
- *share* of a country or company: its arrivals / all arrivals of the
  material in the period (or over the horizon).
- *HHI* (Herfindahl-Hirschman index): sum over origins of (100 x share)^2,
  0..10,000; 10,000 is a single origin, above 2,500 counts as highly
  concentrated (US merger guidelines), 5,000 is a 50/50 split.
- *controlled share*: arrivals from countries that have an active export ban
  or quota (an ExportControls row in force in that period and covering at
  least one lane) on that material, as a share of arrivals. Tariffs are not
  counted as controls.
- *domestic share*: arrivals whose origin is in the demand site's country.
- *foreign HHI* (``hhi_foreign``): the HHI by country counting only foreign
  origins, sum over countries other than the demand site's of (100 x share of
  all arrivals)^2; material made or bought in the buyer's own country is no
  supply risk, so 100 % domestic is 0, one foreign country for everything is
  10,000, half domestic and half from one foreign country 2,500. It is the
  concentration the Dashboard flags (above 2,500).
- *cost per t delivered*: the cost of each period follows the material
  (``model.results.cost_flow``): every (site, material, period) is a pool
  with an average cost per t; purchases, freight, tariffs, holding and
  process costs enter the pool where they are paid, shipments, process runs
  (outputs split by value, t x reference_price) and stock carry it onward,
  and a delivered tonne is charged its pool's average cost. Opening stock is
  free (paid before the horizon); discarded tonnes leave their cost to what
  the pool keeps. Cost that reaches no delivered tonne (stock left at the
  end, thrown-away material) is ``(unallocated)``, so the allocation always
  sums to the period's cost (undiscounted, unmet-demand penalties excluded:
  they are shown separately). cost_per_t = allocated cost / t delivered.
- *stock against floors*: end-of-period stock minus ``min_stock``; a stock
  point is *at floor* when it is within 1e-6 t of a positive floor, *below
  floor* (or *above ceiling*) when a bent plan (elastic mode) breaks it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.results import arrivals as arr

ALL = "all"
UNALLOCATED = "(unallocated)"
HHI_HIGH = 2500.0          # highly concentrated above this
CONTROLLED_HIGH = 0.5      # more than half from controlled countries
TOL = 1e-6


def empty_frame(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def by_period(frame: pd.DataFrame, first=(), then=(), ascending=()) -> pd.DataFrame:
    """frame sorted by the columns ``first``, then period (the horizon row ``all`` after the
    periods), then ``then`` (``ascending``: one flag for each of ``then``)."""
    h = frame["period"].eq(ALL)
    keyed = frame.assign(_h=h, _p=pd.to_numeric(frame["period"].where(~h, None), errors="coerce"))
    out = keyed.sort_values([*first, "_h", "_p", *then],
                            ascending=[True] * (len(first) + 2) + list(ascending or [True] * len(then)),
                            kind="stable")
    return out.drop(columns=["_h", "_p"])


def demanded_materials(data) -> list[str]:
    """Materials with a demand site (model.data.model_data.demand_sites)."""
    return sorted(set(data.demand_sites["material"]))


def arrivals(tables: dict, data) -> pd.DataFrame:
    """Every arrival at a demand site: where it goes, where it comes from, t
    (``model.results.arrivals``: the terms the policies constrain, read from the tables)."""
    out = arr.detail(data, arr.values_from_tables(tables, data))
    return out.sort_values(["material_id", "period", "site_id", "origin_site", "via"],
                           kind="stable").reset_index(drop=True)


def shares(detail: pd.DataFrame, by: str) -> pd.DataFrame:
    """Arrivals by ``by`` (country or company) and material, per period and over
    the horizon: material_id, period, <by>, arrivals_t, share."""
    cols = ["material_id", "period", by, "arrivals_t", "share"]
    if detail.empty:
        return empty_frame(cols)
    per = detail.groupby(["material_id", "period", by], as_index=False, sort=True)["arrivals_t"].sum()
    hor = detail.groupby(["material_id", by], as_index=False, sort=True)["arrivals_t"].sum()
    hor["period"] = ALL
    out = pd.concat([per.astype({"period": object}), hor[per.columns]], ignore_index=True)
    out["share"] = out["arrivals_t"] / out.groupby(["material_id", "period"])["arrivals_t"].transform("sum")
    out = by_period(out, ["material_id"], ["arrivals_t", by], [False, True])
    return out[cols].reset_index(drop=True)


def hhi(share) -> float:
    """Herfindahl-Hirschman index on the 0..10,000 scale of shares (fractions)."""
    s = np.asarray(list(share), dtype=float)
    return float(np.sum((100.0 * s) ** 2))


def controlled_origins(data) -> pd.DataFrame:
    """(country, material_id, period) with an active export ban or quota, and the rules."""
    cols = ["country", "material_id", "period", "rules"]
    lim, cover = data.export_limits, data.export_cover
    if lim is None or lim.empty or cover is None or cover.empty:
        return empty_frame(cols)
    lanes = data.ship[["lane", "from_site"]].drop_duplicates("lane")
    c = cover.merge(lanes, on="lane", how="left")
    c["country"] = c["from_site"].map(data.sites["country"])
    c = c.merge(lim[["rule", "period"]], on=["rule", "period"])
    out = (c.groupby(["country", "material", "period"], sort=True)["rule"]
           .apply(lambda r: ", ".join(sorted(set(r)))).reset_index())
    return out.rename(columns={"material": "material_id", "rule": "rules"})[cols]


def is_controlled(detail: pd.DataFrame, data) -> pd.Series:
    ctrl = controlled_origins(data)
    keys = pd.MultiIndex.from_arrays([ctrl["country"], ctrl["material_id"],
                                      ctrl["period"].astype("int64")])
    mine = pd.MultiIndex.from_arrays([detail["country"], detail["material_id"],
                                      detail["period"].astype("int64")])
    return pd.Series(mine.isin(keys), index=detail.index, dtype=bool)


def is_domestic(detail: pd.DataFrame, data) -> pd.Series:
    home = detail["site_id"].map(data.sites["country"])
    return pd.Series(detail["country"].to_numpy() == home.to_numpy(), index=detail.index, dtype=bool)


def stock_check(tables: dict) -> pd.DataFrame:
    """End-of-period stock against its floor and ceiling, per stock point."""
    cols = ["site_id", "material_id", "period", "stock_t", "min_stock_t", "max_stock_t",
            "above_floor_t", "floor_cover", "status"]
    st = tables.get("Stock")
    if st is None or st.empty:
        return empty_frame(cols)
    out = st[["site_id", "material_id", "period", "stock_t", "min_stock_t", "max_stock_t"]].copy()
    lo = out["min_stock_t"].fillna(0.0).astype(float)
    hi = out["max_stock_t"].astype(float)
    out["above_floor_t"] = out["stock_t"] - lo
    out["floor_cover"] = (out["stock_t"] / lo).where(lo > 0)
    stock = out["stock_t"].astype(float)
    out["status"] = np.select(     # below / above: a bent plan (elastic mode) breaks them
        [(lo > 0) & (stock < lo - TOL), hi.notna() & (stock > hi + TOL),
         (lo > 0) & (stock <= lo + TOL), hi.notna() & (stock >= hi - TOL), lo > 0],
        ["below floor", "above ceiling", "at floor", "at ceiling", "above floor"], "no floor")
    return out[cols].reset_index(drop=True)


def unmet(tables: dict) -> pd.DataFrame:
    """Demand, delivered and unmet t and the penalty, per material and period (+ horizon)."""
    cols = ["material_id", "period", "demand_t", "delivered_t", "unmet_t", "unmet_penalty"]
    d = tables.get("Demand")
    if d is None or d.empty:
        return empty_frame(cols)
    per = d.groupby(["material_id", "period"], as_index=False, sort=True).agg(
        demand_t=("quantity_t", "sum"), delivered_t=("met_t", "sum"), unmet_t=("unmet_t", "sum"),
        unmet_penalty=("penalty_cost", "sum"))
    hor = per.groupby("material_id", as_index=False, sort=True)[cols[2:]].sum()
    hor["period"] = ALL
    return pd.concat([per.astype({"period": object}), hor[cols]], ignore_index=True)[cols]


# ----------------------------------------------------------------------------------------------
# cost allocation


def feeds(data) -> tuple[dict[str, frozenset], dict[str, frozenset]]:
    """Demanded materials each material and each process can feed (through Recipes)."""
    demanded = set(demanded_materials(data))
    rec = data.recipe
    ins = rec[rec["input"] > 0].groupby("process")["material"].apply(set).to_dict()
    outs = rec[rec["output"] > 0].groupby("process")["material"].apply(set).to_dict()
    nxt: dict[str, set] = {}
    for q, i in ins.items():
        for k in i:
            nxt.setdefault(k, set()).update(outs.get(q, set()))
    materials = set(data.materials.index) | set(rec["material"])
    down: dict[str, frozenset] = {}
    for k in materials:
        seen, todo = {k}, [k]
        while todo:
            for n in nxt.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        down[k] = frozenset(seen & demanded)
    mat = dict(down)
    for k in materials:          # a co-product feeding nothing charges its siblings
        if not mat[k]:
            sib = set()
            for o in outs.values():
                if k in o:
                    for s in o - {k}:
                        sib |= down[s]
            mat[k] = frozenset(sib)
    proc = {q: frozenset(set().union(*(down[o] for o in o_))) if o_ else frozenset()
            for q, o_ in outs.items()}
    return mat, proc


def cost_allocation(tables: dict, data) -> pd.DataFrame:
    """Cost of each period charged to demanded materials: material_id (or
    ``(unallocated)``), period, category, cost. Sums to CostByCategory.cost
    for every category but unmet_penalty."""
    cols = ["material_id", "period", "category", "cost"]
    from model.formulation.costs import CATEGORIES
    from model.results.cost_flow import delivered_cost
    out: dict[tuple, float] = {}
    for k, p, c, v in delivered_cost(tables, data, CATEGORIES).itertuples(index=False):
        out[(k, p, c)] = out.get((k, p, c), 0.0) + v
    # reconcile with the cost table of the objective (e.g. a fixed cost paid with nothing bought)
    cbc = tables.get("CostByCategory")
    if cbc is not None and len(cbc):
        done: dict[tuple, float] = {}
        for (_k, p, c), v in out.items():
            done[(p, c)] = done.get((p, c), 0.0) + v
        for c, p, v in zip(cbc["category"], cbc["period"], cbc["cost"]):
            if c == "unmet_penalty":
                continue
            rest = float(v) - done.get((p, c), 0.0)
            if abs(rest) > TOL * max(1.0, abs(float(v))):
                key = (UNALLOCATED, p, c)
                out[key] = out.get(key, 0.0) + rest
    if not out:
        return empty_frame(cols)
    frame = pd.DataFrame([(*k, v) for k, v in out.items()], columns=cols)
    frame["_u"] = frame["material_id"] == UNALLOCATED
    frame["_c"] = frame["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    frame = frame.sort_values(["_u", "material_id", "period", "_c"], kind="stable")
    return frame[cols].reset_index(drop=True)


def cost_per_tonne(tables: dict, data, alloc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Allocated cost, t delivered and cost per t, per demanded material and
    period (+ horizon); unmet penalties alongside."""
    cols = ["material_id", "period", "delivered_t", "allocated_cost", "cost_per_t", "unmet_penalty"]
    u = unmet(tables)
    if u.empty:
        return empty_frame(cols)
    if alloc is None:
        alloc = cost_allocation(tables, data)
    per = (alloc.groupby(["material_id", "period"])["cost"].sum().to_dict() if len(alloc) else {})
    hor = (alloc.groupby("material_id")["cost"].sum().to_dict() if len(alloc) else {})
    rows = []
    for k, p, dlv, pen in zip(u["material_id"], u["period"], u["delivered_t"], u["unmet_penalty"]):
        cost = hor.get(k, 0.0) if p == ALL else per.get((k, p), 0.0)
        rows.append((k, p, dlv, cost, cost / dlv if dlv > TOL else None, pen))
    return pd.DataFrame(rows, columns=cols)
