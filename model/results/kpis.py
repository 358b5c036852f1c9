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
- *cost per t delivered*: each cost of a period is charged to the demanded
  materials it can feed - the material of the flow (purchase, freight,
  tariff, holding, disposal) or the outputs of the process (run and fixed
  costs) and everything made from them downstream through Recipes; a
  co-product that feeds no demanded material charges its siblings' demanded
  materials. Where a cost feeds several demanded materials it is split in
  proportion to the value delivered in the period (t met x reference_price;
  t met where prices are zero). Cost that feeds nothing delivered in the
  period is ``(unallocated)``, so the allocation always sums to the period's
  cost (undiscounted, unmet-demand penalties excluded: they are shown
  separately). cost_per_t = allocated cost / t delivered.
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


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _by_period(frame: pd.DataFrame, first=(), then=(), ascending=()) -> pd.DataFrame:
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
        return _empty(cols)
    per = detail.groupby(["material_id", "period", by], as_index=False, sort=True)["arrivals_t"].sum()
    hor = detail.groupby(["material_id", by], as_index=False, sort=True)["arrivals_t"].sum()
    hor["period"] = ALL
    out = pd.concat([per.astype({"period": object}), hor[per.columns]], ignore_index=True)
    out["share"] = out["arrivals_t"] / out.groupby(["material_id", "period"])["arrivals_t"].transform("sum")
    out = _by_period(out, ["material_id"], ["arrivals_t", by], [False, True])
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
        return _empty(cols)
    lanes = data.ship[["lane", "from_site"]].drop_duplicates("lane")
    c = cover.merge(lanes, on="lane", how="left")
    c["country"] = c["from_site"].map(data.sites["country"])
    c = c.merge(lim[["rule", "period"]], on=["rule", "period"])
    out = (c.groupby(["country", "material", "period"], sort=True)["rule"]
           .apply(lambda r: ", ".join(sorted(set(r)))).reset_index())
    return out.rename(columns={"material": "material_id", "rule": "rules"})[cols]


def _is_controlled(detail: pd.DataFrame, data) -> pd.Series:
    ctrl = controlled_origins(data)
    keys = pd.MultiIndex.from_arrays([ctrl["country"], ctrl["material_id"],
                                      ctrl["period"].astype("int64")])
    mine = pd.MultiIndex.from_arrays([detail["country"], detail["material_id"],
                                      detail["period"].astype("int64")])
    return pd.Series(mine.isin(keys), index=detail.index, dtype=bool)


def _is_domestic(detail: pd.DataFrame, data) -> pd.Series:
    home = detail["site_id"].map(data.sites["country"])
    return pd.Series(detail["country"].to_numpy() == home.to_numpy(), index=detail.index, dtype=bool)


def stock_check(tables: dict) -> pd.DataFrame:
    """End-of-period stock against its floor and ceiling, per stock point."""
    cols = ["site_id", "material_id", "period", "stock_t", "min_stock_t", "max_stock_t",
            "above_floor_t", "floor_cover", "status"]
    st = tables.get("Stock")
    if st is None or st.empty:
        return _empty(cols)
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
        return _empty(cols)
    per = d.groupby(["material_id", "period"], as_index=False, sort=True).agg(
        demand_t=("quantity_t", "sum"), delivered_t=("met_t", "sum"), unmet_t=("unmet_t", "sum"),
        unmet_penalty=("penalty_cost", "sum"))
    hor = per.groupby("material_id", as_index=False, sort=True)[cols[2:]].sum()
    hor["period"] = ALL
    return pd.concat([per.astype({"period": object}), hor[cols]], ignore_index=True)[cols]


# ----------------------------------------------------------------------------------------------
# cost allocation


def _feeds(data) -> tuple[dict[str, frozenset], dict[str, frozenset]]:
    """Demanded materials each material and each process can feed."""
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


def _with_fixed_cost(used: pd.DataFrame, id_col: str, frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The (id, period) pairs of a result table whose offer or process has a fixed
    cost (paid once in a period it is used), with that cost in column ``fixed``."""
    fixed = frame[frame["fixed"] > 0]
    if fixed.empty:
        return fixed
    return used.drop_duplicates([id_col, "period"]).merge(
        fixed, left_on=[id_col, "period"], right_on=[key, "period"])


def _cost_items(tables: dict, data) -> pd.DataFrame:
    """Every cost of the solution as (feeds, period, category, cost), summed by
    the material or process it belongs to before the feeds are looked up."""
    mat, proc = _feeds(data)
    parts: list[pd.DataFrame] = []

    def add(kind, owner, period, category, cost):
        parts.append(pd.DataFrame({"kind": kind, "owner": np.asarray(owner, dtype=object),
                                   "period": np.asarray(period), "category": category,
                                   "cost": np.asarray(cost, dtype=float)}))

    pur = tables.get("Purchases")
    if pur is not None and len(pur):
        add("m", pur["material_id"], pur["period"], "purchase", pur["cost"])
        used = _with_fixed_cost(pur, "offer_id", data.offers, "offer")
        if len(used):
            add("m", used["material_id"], used["period"], "offer_fixed", used["fixed"])
    runs = tables.get("ProcessRuns")
    if runs is not None and len(runs):
        add("p", runs["process_id"], runs["period"], "processing", runs["runs"] * runs["unit_cost"])
        on = _with_fixed_cost(runs, "process_id", data.processes, "process")
        if len(on):
            add("p", on["process_id"], on["period"], "process_fixed", on["fixed"])
    ship = tables.get("Shipments")
    if ship is not None and len(ship):
        add("m", ship["material_id"], ship["period"], "freight", ship["quantity_t"] * ship["freight_per_t"])
        add("m", ship["material_id"], ship["period"], "tariff", ship["quantity_t"] * ship["tariff_per_t"])
    st = tables.get("Stock")
    if st is not None and len(st):
        add("m", st["material_id"], st["period"], "holding",
            st["stock_t"] * st["holding_cost_per_t"].fillna(0.0))
    dis = tables.get("Discards")
    if dis is not None and len(dis):
        price = dis["material_id"].map(data.materials["disposal_cost"]).fillna(0.0).astype(float)
        add("m", dis["material_id"], dis["period"], "disposal", dis["discarded_t"] * price)
    from model.results.investments import cost_items       # contract v1.2: capex and O&M
    for kind, owner, period, category, cost in cost_items(tables, data):
        add(kind, [owner], [period], category, [cost])
    if not parts:
        return pd.DataFrame(columns=["feeds", "period", "category", "cost"])
    items = pd.concat(parts, ignore_index=True)
    items = items[items["cost"] != 0]
    items = items.groupby(["kind", "owner", "period", "category"], as_index=False, sort=True)["cost"].sum()
    empty = frozenset()
    items["feeds"] = [(mat if k == "m" else proc).get(o, empty)
                      for k, o in zip(items["kind"], items["owner"])]
    return items[["feeds", "period", "category", "cost"]]


def cost_allocation(tables: dict, data) -> pd.DataFrame:
    """Cost of each period charged to demanded materials: material_id (or
    ``(unallocated)``), period, category, cost. Sums to CostByCategory.cost
    for every category but unmet_penalty."""
    cols = ["material_id", "period", "category", "cost"]
    items = _cost_items(tables, data)
    dem = tables.get("Demand")
    met = (dem.groupby(["material_id", "period"])["met_t"].sum().to_dict()
           if dem is not None and len(dem) else {})
    ref = data.materials["reference_price"].astype(float).to_dict()
    out: dict[tuple, float] = {}
    if len(items):
        grouped = items.groupby(["feeds", "period", "category"], sort=False)["cost"].sum()
        for (feeds, period, category), cost in grouped.items():
            ks = sorted(feeds)
            w = [met.get((k, period), 0.0) * ref.get(k, 0.0) for k in ks]
            if sum(w) <= 0:
                w = [met.get((k, period), 0.0) for k in ks]
            total = sum(w)
            if total <= 0:
                key = (UNALLOCATED, period, category)
                out[key] = out.get(key, 0.0) + cost
                continue
            for k, wk in zip(ks, w):
                if wk > 0:
                    key = (k, period, category)
                    out[key] = out.get(key, 0.0) + cost * wk / total
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
        return _empty(cols)
    frame = pd.DataFrame([(*k, v) for k, v in out.items()], columns=cols)
    frame["_u"] = frame["material_id"] == UNALLOCATED
    from model.formulation.costs import CATEGORIES
    frame["_c"] = frame["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    frame = frame.sort_values(["_u", "material_id", "period", "_c"], kind="stable")
    return frame[cols].reset_index(drop=True)


def cost_per_tonne(tables: dict, data, alloc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Allocated cost, t delivered and cost per t, per demanded material and
    period (+ horizon); unmet penalties alongside."""
    cols = ["material_id", "period", "delivered_t", "allocated_cost", "cost_per_t", "unmet_penalty"]
    u = unmet(tables)
    if u.empty:
        return _empty(cols)
    if alloc is None:
        alloc = cost_allocation(tables, data)
    per = (alloc.groupby(["material_id", "period"])["cost"].sum().to_dict() if len(alloc) else {})
    hor = (alloc.groupby("material_id")["cost"].sum().to_dict() if len(alloc) else {})
    rows = []
    for k, p, dlv, pen in zip(u["material_id"], u["period"], u["delivered_t"], u["unmet_penalty"]):
        cost = hor.get(k, 0.0) if p == ALL else per.get((k, p), 0.0)
        rows.append((k, p, dlv, cost, cost / dlv if dlv > TOL else None, pen))
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------------------------
# the KPI table


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
    return pd.concat([_by_period(out[~h], ["material_id"]), _by_period(out[h], ["material_id"])],
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
        return _empty(KPI_COLUMNS)
    by_country = _concentration(shares(detail, "country"), "country")
    by_company = _concentration(shares(detail, "company"), "company")
    if len(detail):
        d = detail.assign(_ctrl=_is_controlled(detail, data), _home=_is_domestic(detail, data))
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


def top_suppliers(tables: dict, data, n: int = 3) -> pd.DataFrame:
    """The n largest origin companies of each demanded material over the horizon."""
    cols = ["material_id", "company", "country", "arrivals_t", "share"]
    detail = arrivals(tables, data)
    if detail.empty:
        return _empty(cols)
    g = detail.groupby(["material_id", "company"], as_index=False, sort=True).agg(
        arrivals_t=("arrivals_t", "sum"),
        country=("country", lambda c: ", ".join(sorted(set(c)))))
    g["share"] = g["arrivals_t"] / g.groupby("material_id")["arrivals_t"].transform("sum")
    g = g.sort_values(["material_id", "arrivals_t", "company"], ascending=[True, False, True],
                      kind="stable")
    return g.groupby("material_id", sort=False).head(n)[cols].reset_index(drop=True)


def all_kpis(tables: dict, data) -> dict[str, pd.DataFrame]:
    """The KPI sheets of the report, by sheet name."""
    detail = arrivals(tables, data)
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
