"""Cost per tonne along the flows: what each delivered tonne really cost.

Every (site, material, period) of the plan is a pool of material with an
average cost per t. Cost enters a pool where it is paid and travels with the
tonnes that leave it:

- a purchase adds its price, reservation and fixed cost to the pool of its
  offer's site; opening stock enters at no cost (it was paid before the horizon);
- a shipment carries the average cost of its origin's pool, plus its freight
  and tariff, to its destination's pool;
- a process run takes the average cost of each input it consumes, adds its run
  and fixed cost, and splits the sum over its outputs in proportion to their
  value (t produced x ``reference_price``; t where no output has a price);
- stock at the end of a period carries its pool's average cost, plus its
  holding cost, into the next period's pool;
- discarded tonnes carry no cost away: the pool's cost is borne by what it
  keeps (t shipped, consumed, delivered or stocked). A pool that keeps nothing
  (a co-product thrown away whole) charges its disposal cost to the processes
  that made it.

A pool's average cost u solves  kept_t x u = its own costs + what flows in,
one linear system for all pools at once (one right-hand side per cost
category). Demand met at a pool is charged met_t x u. What reaches no
delivered tonne (stock left at the end of the horizon, thrown-away material,
a fixed cost with nothing bought) is ``(unallocated)`` in
``model.results.kpis.cost_allocation``, which reconciles the total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.linalg import spsolve

TOL = 1e-9
LEAK = 1e-12       # see _solve


class _Pools:
    def __init__(self, categories):
        self.index: dict[tuple, int] = {}
        self.cat = {c: i for i, c in enumerate(categories)}
        self.direct: list[tuple[int, int, float]] = []     # (pool, category, cost)
        self.flow: list[tuple[int, int, float]] = []       # (to, from, t): cost of `from` flows to `to`
        self.inflow: dict[int, float] = {}

    def pool(self, site, material, period) -> int:
        return self.index.setdefault((site, material, period), len(self.index))

    def add_in(self, n: int, t: float) -> None:
        self.inflow[n] = self.inflow.get(n, 0.0) + t


def _records(frame, *cols):
    if frame is None or len(frame) == 0:
        return []
    return zip(*(frame[c].tolist() for c in cols))


def delivered_cost(tables: dict, data, categories) -> pd.DataFrame:
    """material_id, period, category, cost: the cost of the tonnes delivered to demand."""
    cols = ["material_id", "period", "category", "cost"]
    P = _Pools(categories)
    def price(column):
        """reference_price or disposal_cost of a (material, period): its Profiles path
        where one is given (contract v1.2), else the Materials cell."""
        cache: dict[tuple, float] = {}

        def of(k, p):
            if (k, p) not in cache:
                cache[(k, p)] = data.material_price(column, [k], [p])[0]
            return cache[(k, p)]
        return of

    ref, disposal = price("reference_price"), price("disposal_cost")
    periods = list(data.periods)
    following = dict(zip(periods, periods[1:]))

    def direct(n, category, cost):
        if cost and category in P.cat:
            P.direct.append((n, P.cat[category], float(cost)))

    pur = tables.get("Purchases")
    if pur is not None and len(pur):
        o = data.offers.set_index(["offer", "period"])
        rate = o["reservation"].reindex(list(zip(pur["offer_id"], pur["period"]))).fillna(0.0).to_numpy()
        fixed = o["fixed"].reindex(list(zip(pur["offer_id"], pur["period"]))).fillna(0.0).to_numpy()
        for (s, k, p, qty, cost), r, f in zip(_records(pur, "site_id", "material_id", "period",
                                                       "quantity_t", "cost"), rate, fixed):
            n = P.pool(s, k, p)
            P.add_in(n, qty)
            direct(n, "purchase", cost)
            direct(n, "reservation", qty * r)
            direct(n, "offer_fixed", f)
    st = data.stock
    if periods:
        for s, k, p, init in _records(st[st["period"] == periods[0]], "site", "material", "period",
                                      "initial"):
            if init and init > 0:
                P.add_in(P.pool(s, k, p), float(init))
    ship = tables.get("Shipments")
    for a, b, k, p, qty, fr, tr in _records(ship, "from_site", "to_site", "material_id", "period",
                                            "quantity_t", "freight_per_t", "tariff_per_t"):
        n = P.pool(b, k, p)
        P.flow.append((n, P.pool(a, k, p), qty))
        P.add_in(n, qty)
        direct(n, "freight", qty * fr)
        direct(n, "tariff", qty * tr)
    stock = tables.get("Stock")
    for s, k, p, qty, hold in _records(stock, "site_id", "material_id", "period", "stock_t",
                                       "holding_cost_per_t"):
        if qty > TOL and p in following:
            n = P.pool(s, k, following[p])
            P.flow.append((n, P.pool(s, k, p), qty))
            P.add_in(n, qty)
            direct(n, "holding", qty * (hold if hold == hold else 0.0))
    discarded: dict[int, float] = {}
    for s, k, p, qty in _records(tables.get("Discards"), "site_id", "material_id", "period",
                                 "discarded_t"):
        discarded[P.pool(s, k, p)] = qty
    # processes: (process, period) -> inputs, outputs, own cost
    runs = tables.get("ProcessRuns")
    flows = tables.get("ProcessFlows")
    own: dict[tuple, list] = {}
    for q, p, r, uc in _records(runs, "process_id", "period", "runs", "unit_cost"):
        own.setdefault((q, p), []).append(("processing", r * uc))
    fixed = data.processes[data.processes["fixed"] > 0]
    for q, p, f in _records(fixed, "process", "period", "fixed"):
        if (q, p) in own:
            own[(q, p)].append(("process_fixed", f))
    ins: dict[tuple, list] = {}
    outs: dict[tuple, list] = {}
    for q, s, p, k, used, made in _records(flows, "process_id", "site_id", "period", "material_id",
                                           "consumed_t", "produced_t"):
        if used > 0:
            ins.setdefault((q, p), []).append((P.pool(s, k, p), used))
        if made > 0:
            n = P.pool(s, k, p)
            outs.setdefault((q, p), []).append((n, made, k))
            P.add_in(n, made)
    kept = {n: t - discarded.get(n, 0.0) for n, t in P.inflow.items()}
    # a pool that keeps nothing charges its disposal to the processes that made it
    material = {i: key[1] for key, i in P.index.items()}
    period = {i: key[2] for key, i in P.index.items()}
    makers: dict[int, list] = {}
    for qp, o in outs.items():
        for m, made, _ in o:
            makers.setdefault(m, []).append((qp, made))
    for n, t in discarded.items():
        cost = t * disposal(material[n], period[n])
        if kept.get(n, 0.0) <= TOL and makers.get(n):
            total = sum(made for _, made in makers[n])
            for qp, made in makers[n]:
                own.setdefault(qp, []).append(("disposal", cost * made / total))
        else:
            direct(n, "disposal", cost)
    for qp, o in outs.items():
        value = [made * ref(k, qp[1]) for _, made, k in o]
        if sum(value) <= 0:
            value = [made for _, made, _ in o]
        total = sum(value)
        for (n, _, _), v in zip(o, value):
            a = v / total
            if kept.get(n, 0.0) <= TOL:
                continue
            for m, used in ins.get(qp, []):
                P.flow.append((n, m, a * used))
            for category, cost in own.get(qp, []):
                direct(n, category, a * cost)
    u = _solve(P, kept)
    dem = tables.get("Demand")
    rows: dict[tuple, float] = {}
    for s, k, p, met in _records(dem, "site_id", "material_id", "period", "met_t"):
        n = P.index.get((s, k, p))
        if met > TOL and n is not None:
            for c, j in P.cat.items():
                if u[n, j]:
                    rows[(k, p, c)] = rows.get((k, p, c), 0.0) + met * u[n, j]
    return pd.DataFrame([(*key, v) for key, v in rows.items()], columns=cols)


def _solve(P: _Pools, kept: dict[int, float]) -> np.ndarray:
    """Average cost per t of every pool, by category: (diag(kept) - W) u = direct.

    A pool sends at most what it keeps to other pools, so every column of the
    matrix has a diagonal at least the sum of its off-diagonals; it is singular
    only where a set of pools sends everything it keeps round to itself (a loop
    that delivers nothing). The diagonal is raised by LEAK (relative) so that
    such a loop has a finite cost and leaves the others alone; every other cost
    per t moves by at most that relative amount."""
    n, m = len(P.index), len(P.cat)
    if n == 0:
        return np.zeros((0, m))
    live = np.array([kept.get(i, 0.0) > TOL for i in range(n)])
    diag = np.array([kept.get(i, 0.0) * (1.0 + LEAK) if live[i] else 1.0 for i in range(n)])
    r = [i for i in range(n)] + [to for to, _, _ in P.flow if live[to]]
    c = [i for i in range(n)] + [fr for to, fr, _ in P.flow if live[to]]
    v = list(diag) + [-t for to, _, t in P.flow if live[to]]
    A = coo_matrix((v, (r, c)), shape=(n, n)).tocsc()
    b = np.zeros((n, m))
    for i, j, cost in P.direct:
        if live[i]:
            b[i, j] += cost
    u = spsolve(A, b)
    return np.asarray(u).reshape(n, m)
