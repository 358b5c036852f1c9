"""Elastic mode: solve with chosen hard constraints made soft, and report how
far each had to bend.

``elastic(path, ..., relax=DEFAULT_RELAX, penalty=None) -> (Run, DataFrame)``
and ``elastic_for(run, ...)`` for a run already built.

The relaxation is made on the compiled highspy arrays, so the Pyomo build is
untouched. Each relaxed constraint gets a slack column s >= 0 with cost
``penalty`` per t (not discounted, so bending is never cheaper later):

- stock_floor: the bound stock[s,k,p] >= min_stock drops to 0; new row
  stock + s >= min_stock.
- stock_ceiling: the bound stock <= max_stock is dropped; new row stock - s <= max_stock.
- policy: policy_share rows (min and max shares) and chain_rule rows
  (clean_chain, qualified_only): max rows body - s <= 0, min rows body + s >= 0.
- export_limit: export_limit and content_limit rows (bans, quotas): body - s <= limit.
- lane_capacity: lane_capacity rows: body - s <= cap.
- offer_capacity: the bound buy[o,p] <= cap is dropped; new row buy - s <= cap,
  or, for an offer with a binary, s joins its offer_use row (buy - cap use - s <= 0).
- process_capacity: as offer_capacity, with run[q,p] and process_on.
- min_quantity: offer_min rows: buy - minq use + s >= 0.

Default: stock floors, policies and export limits. Default penalty: 10 x the
largest unmet-demand penalty (Demand rows and Settings), so meeting demand is
always preferred to bending a rule, and bending is the last resort.

The result is a ``Run`` whose tables are the usual report tables of the bent
plan. When anything bent, its status is ``elastic`` (not ``optimal``: the plan
breaks the workbook's rules; ``sourcing solve`` exits 6) and RuleMarginals
marks each bent rule ``change_from`` "bent", not binding, with the t that
really go through it; when nothing had to bend it keeps the solver's status.
Its ``solution.objective`` is the plan's total cost as the contract
defines it, without the slack penalties (``solution.extra["elastic_penalty"]``
holds those). The second value is the table of constraints that bent:
workbook sheet and row, constraint, limit, what was achieved, the bend in t,
the penalty paid, and a sentence.
"""

from __future__ import annotations

import time
from dataclasses import replace

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from model.analysis.describe import Describer
from model.formulation import registry
from model.text import money, percent, tonnes
from model.run import options_of, prepare_run, results
from model.solve.handover import INF, Compiled
from model.solve.highs import solve, solve_kept

FAMILIES = ("stock_floor", "stock_ceiling", "policy", "export_limit", "lane_capacity",
            "offer_capacity", "process_capacity", "min_quantity")
DEFAULT_RELAX = ("stock_floor", "policy", "export_limit")
PENALTY_FACTOR = 10.0
SLACK = "elastic_slack"
STATUS = "elastic"        # the status of a plan that bent at least one constraint
TOL = 1e-7
PHASE1_MIP_GAP = 1e-6     # the penalties inflate the objective; keep the gap from hiding bends
COLUMNS = ["family", "sheet", "excel_row", "id", "constraint", "period", "site", "material",
           "limit", "achieved", "unit", "bend_t", "penalty_per_t", "penalty_paid", "model_item",
           "meaning"]
# Families made soft through column bounds: (variable, bound side). The rest are
# rows: each row family says which elastic family may bend it (``RowSpec.relax``).
BOUND_FAMILIES = {"stock_floor": ("stock", "lower"), "stock_ceiling": ("stock", "upper"),
                  "offer_capacity": ("buy", "upper"), "process_capacity": ("run", "upper")}


def default_penalty(data) -> float:
    pens = [float(p) for p in data.demand["penalty"] if p is not None] if len(data.demand) else []
    pens.append(float(data.settings["unmet_penalty"]))
    return PENALTY_FACTOR * max(max(pens), 1.0)


def elastic(path, scenario=None, enable=(), disable=(), relax=DEFAULT_RELAX, penalty=None,
            options=None, skip_families=()):
    """Read, build and solve a workbook with the ``relax`` families made soft."""
    return elastic_for(prepare_run(path, scenario, enable, disable, skip_families),
                       relax=relax, penalty=penalty, options=options)


def _check(relax) -> tuple[str, ...]:
    relax = tuple(relax)
    unknown = [f for f in relax if f not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown elastic families {unknown}; choose from {list(FAMILIES)}")
    return relax


def relax_compiled(compiled: Compiled, relax, penalty: float):
    """(augmented Compiled, slack records). Slack j of record i is column n + i."""
    relax = _check(relax)
    lp = compiled.lp
    n, m = lp.num_col_, lp.num_row_
    A = sparse.csc_matrix((np.asarray(lp.a_matrix_.value_, dtype=float),
                           np.asarray(lp.a_matrix_.index_), np.asarray(lp.a_matrix_.start_)),
                          shape=(m, n)).tocoo()
    rows_i, cols_j, vals = list(A.row), list(A.col), list(A.data)
    col_lo = np.array(lp.col_lower_, dtype=float)
    col_hi = np.array(lp.col_upper_, dtype=float)
    row_lo = list(np.asarray(lp.row_lower_, dtype=float))
    row_hi = list(np.asarray(lp.row_upper_, dtype=float))
    row_con, row_key = list(compiled.row_con), list(compiled.row_key)
    records = []   # (family, kind, index, coef, limit)

    def slack(family, kind, index, row, coef, limit, target):
        j = n + len(records)
        rows_i.append(row)
        cols_j.append(j)
        vals.append(coef)
        records.append({"family": family, "kind": kind, "index": index, "row": row,
                        "coef": coef, "limit": limit, "col": j, "target": target})

    def new_row(name, key, col, lo, hi):
        r = len(row_lo)
        rows_i.append(r)
        cols_j.append(col)
        vals.append(1.0)
        row_lo.append(lo)
        row_hi.append(hi)
        row_con.append(name)
        row_key.append(key)
        return r

    specs = registry.specs()
    relaxable = registry.relaxable()
    carriers = {sp.capacity_of: n for n, sp in specs.items() if sp.capacity_of}
    link_row: dict = {}    # (variable, key) -> the row that carries its capacity (on/off)
    bends_as: dict = {}    # elastic family -> the rows it may bend, in row order
    for i, (nm, k) in enumerate(zip(compiled.row_con, compiled.row_key)):
        if nm in carriers.values():
            link_row[specs[nm].capacity_of, k] = i
        if nm in relaxable:
            bends_as.setdefault(relaxable[nm].relax(k), []).append(i)
    for family in relax:
        for i in bends_as.get(family, ()):
            nm, k = compiled.row_con[i], compiled.row_key[i]
            if row_lo[i] <= -INF and row_hi[i] >= INF:
                continue
            lower_side = row_lo[i] > -INF and row_hi[i] >= INF
            slack(family, "row", int(i), int(i), 1.0 if lower_side else -1.0,
                  row_lo[i] if lower_side else row_hi[i], (nm, k))
        if family not in BOUND_FAMILIES:
            continue
        var, side = BOUND_FAMILIES[family]
        for j, (v, k) in enumerate(zip(compiled.col_var, compiled.col_key)):
            if v != var:
                continue
            if side == "lower":
                if col_lo[j] <= 0:
                    continue
                floor = col_lo[j]
                col_lo[j] = 0.0
                r = new_row("elastic_stock_floor", k, j, floor, INF)
                slack(family, "bound", j, r, 1.0, floor, (v, k))
                continue
            if col_hi[j] >= INF:
                continue
            cap = col_hi[j]
            col_hi[j] = INF
            if (v, k) in link_row:
                slack(family, "link", j, link_row[v, k], -1.0, cap, (v, k))
            else:
                r = new_row(f"elastic_{family}", k, j, -INF, cap)
                slack(family, "bound", j, r, -1.0, cap, (v, k))
    n2, m2 = n + len(records), len(row_lo)
    A2 = sparse.csc_matrix((vals, (rows_i, cols_j)), shape=(m2, n2))
    A2.sort_indices()
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = n2, m2
    out.col_cost_ = np.concatenate([np.asarray(lp.col_cost_, dtype=float),
                                    np.full(len(records), float(penalty))])
    out.col_lower_ = np.concatenate([col_lo, np.zeros(len(records))])
    out.col_upper_ = np.concatenate([col_hi, np.full(len(records), INF)])
    out.row_lower_ = np.array(row_lo, dtype=float)
    out.row_upper_ = np.array(row_hi, dtype=float)
    out.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    out.a_matrix_.start_ = A2.indptr.astype(np.int32)
    out.a_matrix_.index_ = A2.indices.astype(np.int32)
    out.a_matrix_.value_ = A2.data.astype(float)
    out.offset_ = lp.offset_
    integer = np.concatenate([compiled.integer, np.zeros(len(records), dtype=bool)])
    if integer.any():
        out.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                            for i in integer]
    sense = np.array([0 if lo == hi else (1 if lo <= -INF else -1)
                      for lo, hi in zip(row_lo, row_hi)], dtype=int)
    col_var = list(compiled.col_var) + [SLACK] * len(records)
    col_key = list(compiled.col_key) + [(r["family"], *r["target"]) for r in records]
    aug = Compiled(out, col_var, col_key, row_con, row_key, sense, integer, compiled.offset,
                   None if compiled.columns is None else list(compiled.columns) + [None] * len(records))
    return aug, records


def elastic_for(run, relax=DEFAULT_RELAX, penalty=None, options=None):
    """Elastic solve of a built run: (Run of the bent plan, table of bends)."""
    relax = _check(relax)
    data = run.data
    pen = float(penalty) if penalty is not None else default_penalty(data)
    t0 = time.perf_counter()
    aug, records = relax_compiled(run.compiled, relax, pen)
    timings = dict(run.timings)
    timings["elastic_relax"] = time.perf_counter() - t0
    opts = options_of(run, options)
    # Phase 1: least penalty + cost. Phase 2: the bends held at their phase-1
    # values (penalty cost dropped), solved with the run's full options
    # (canonical tie-break, marginals), so the plan and its objective are on
    # the contract's terms and the bends are exact vertex values.
    n = run.compiled.lp.num_col_
    first = solve(aug, replace(opts, canonical=False, want_duals=False,
                               mip_gap=min(float(opts.mip_gap), PHASE1_MIP_GAP)))
    timings["solve_elastic"] = first.seconds
    families = ", ".join(relax) or "nothing"
    if not first.has_solution:
        first = replace(first, message=(
            f"elastic mode ({families} relaxed, penalty {pen:g}/t): still {first.status}; relax "
            f"more families ({', '.join(f for f in FAMILIES if f not in relax)}) or see the "
            f"infeasibility explanation. {first.message}"))
        unsolved = replace(run, compiled=aug, solution=first, lp=None, tables={},
                           timings=timings, options=opts)
        return unsolved, pd.DataFrame(columns=COLUMNS)
    bent = np.where(first.x[n:] > 1e-9, first.x[n:], 0.0)
    fixed = _fix_slacks(aug, n, bent)
    sol, lp = solve_kept(fixed, opts)
    timings["solve"] = sol.seconds
    if not sol.has_solution:      # cannot happen in exact arithmetic; keep phase 1
        sol, fixed, lp = first, aug, None
    t0 = time.perf_counter()
    tables = results(data, run.built, fixed, sol, lp=lp, bent=bent_rows(records, sol))
    timings["extract"] = time.perf_counter() - t0
    table = bends(run, records, sol, pen)
    paid = float(pen * bent.sum())
    extra = {**sol.extra, "elastic_penalty": paid, "elastic_penalty_per_t": pen,
             "elastic_objective_with_penalty": first.objective, "elastic_relaxed": list(relax)}
    cur = data.settings["currency"]
    if len(table):
        # a bent plan is not the workbook's optimum: say so
        sol = replace(sol, status=STATUS, extra=extra, message=(
            f"elastic mode ({families} relaxed): {len(table)} constraint(s) bent by "
            f"{tonnes(table['bend_t'].sum())} t in all; penalty {money(paid, cur)} "
            f"is not in the objective. {sol.message}"))
    else:
        sol = replace(sol, extra=extra, message=(
            f"elastic mode ({families} relaxed): nothing had to bend. {sol.message}"))
    return replace(run, compiled=fixed, solution=sol, lp=lp, tables=tables, timings=timings,
                   options=opts), table


def bent_rows(records, sol) -> dict[int, tuple[float, float]]:
    """{row index: (bend, slack term in the row)} of every row whose slack is
    positive: the row's activity less the term is what really goes through it."""
    out = {}
    for rec in records:
        s = float(sol.x[rec["col"]])
        if s > TOL:
            out[int(rec["row"])] = (round(s, 7), rec["coef"] * s)
    return out


def _fix_slacks(aug: Compiled, n: int, values: np.ndarray) -> Compiled:
    """A copy of the relaxed model with every slack fixed at ``values`` and no penalty."""
    lp = aug.lp
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = lp.num_col_, lp.num_row_
    cost = np.array(lp.col_cost_, dtype=float)
    lower = np.array(lp.col_lower_, dtype=float)
    upper = np.array(lp.col_upper_, dtype=float)
    cost[n:] = 0.0
    lower[n:] = values
    upper[n:] = values
    out.col_cost_, out.col_lower_, out.col_upper_ = cost, lower, upper
    out.row_lower_, out.row_upper_ = lp.row_lower_, lp.row_upper_
    out.a_matrix_ = lp.a_matrix_
    out.offset_ = lp.offset_
    if len(lp.integrality_):
        out.integrality_ = lp.integrality_
    return replace(aug, lp=out)


def bends(run, records, sol, penalty) -> pd.DataFrame:
    """One row per slack that is positive in the solution."""
    desc = Describer(run.data, run.workbook)
    c = run.compiled
    cur = run.data.settings["currency"]
    x = sol.x
    act = sol.row_activity
    value_of = {(v, k): float(xv) for v, k, xv in zip(c.col_var, c.col_key, x[:len(c.col_var)])}
    rows = []
    for rec in records:
        s = float(x[rec["col"]])
        if s <= TOL:
            continue
        fam, limit = rec["family"], float(rec["limit"])
        unit = "t"
        if rec["kind"] in ("bound", "link"):
            j = rec["index"]
            var, key = c.col_var[j], c.col_key[j]
            side = "lower" if fam == "stock_floor" else "upper"
            item = desc.bound(var, key, side, limit)
            achieved = float(x[j])
            unit = "runs" if var == "run" else "t"
        else:
            i = rec["index"]
            name, key = c.row_con[i], c.row_key[i]
            item = desc.row(name, key, float(c.lp.row_lower_[i]), float(c.lp.row_upper_[i]))
            achieved = float(act[i]) - rec["coef"] * s if act is not None else float("nan")
            share = registry.spec(name).share
            if share is not None:
                unit = "share"
                achieved, limit = share(desc, key, value_of)
        bend = round(s, 7)
        if unit == "share":
            got = ("no arrivals" if np.isnan(achieved)
                   else f"an actual share of {percent(round(achieved, 4))}")
            what = f"{got}, {tonnes(bend)} t of arrivals beyond the rule"
        elif item.role == "requirement":
            what = f"the plan reaches {tonnes(achieved)} {unit}"
        else:
            what = f"the plan needs {tonnes(achieved)} {unit}"
        bend_unit = "t" if unit == "share" else unit
        meaning = (f"{item.meaning}; {what}: it bends by {tonnes(bend)} {bend_unit}, penalty "
                   f"{money(bend * penalty, cur)}")
        rows.append((fam, item.sheet, item.excel_row, item.id, item.constraint, item.period,
                     item.site, item.material, limit, round(achieved, 7), unit, bend, penalty,
                     bend * penalty, item.model_item, meaning))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["excel_row"] = table["excel_row"].astype("Int64")
    table["period"] = table["period"].astype("Int64")
    return table.sort_values(["sheet", "excel_row", "period"], kind="stable").reset_index(drop=True)
