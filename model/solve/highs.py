"""Solve a compiled model with HiGHS and report in the contract's terms.

``solve(compiled, options) -> Solution`` never raises a solver exception: any
failure becomes status ``error`` with a message. Statuses: ``optimal``
(within mip_gap for a MIP), ``feasible`` (stopped early with a solution),
``time_limit`` (stopped by the time limit; a solution may exist),
``infeasible``, ``unbounded``, ``error``.

Determinism: one thread and a fixed random seed on every run; options are set
on a fresh ``Highs`` object each time, so nothing sticks between solves.
For a MIP, marginal values come from the LP with the integer decisions fixed
at their optimal values (a second solve). ``Solution`` is a plain value;
``solve_kept`` also hands that LP, kept at its optimum, to a caller that
re-solves it (rule marginals): a ``FixedLp`` the caller owns.

What HiGHS claims is checked before it is reported (``model/solve/confirm.py``):
``infeasible`` and ``unbounded`` are solved again along other paths first, the
objective is the cost of the plan reported, and a bound that plan beats is
not trusted.
"""

from __future__ import annotations

import logging
import threading
import time

import highspy
import numpy as np

from model.solve import confirm
from model.solve.handover import INF, Compiled
from model.solve.instance import (MS, SEED, THREADS, Highs, RowRanging, Solution,  # noqa: F401
                                  SolveOptions, highs_version, new_highs, read_solution)
from model.solve.limits import beyond_limits
from model.solve.plan_check import departure

log = logging.getLogger(__name__)
# From this many columns the LP with the integers fixed is solved afresh, with
# HiGHS's presolve, instead of from the basis the MIP left (issue 19, measured
# with benchmarks/run.py: 1,012,354 columns 41 -> 23 s; 109,750 columns the
# same either way). The two paths give the same plan and one-tonne changes; on
# a degenerate LP they may pick different (equally valid) duals, so models
# below this size keep the path they always had.
PRESOLVE_FIXED_FROM = 250_000


def solve(compiled: Compiled, options: SolveOptions) -> Solution:
    """The model solved; no solver object outlives the call."""
    sol, lp = solve_kept(compiled, options, keep=False)
    return sol


def solve_kept(compiled: Compiled, options: SolveOptions,
               keep: bool = True) -> tuple[Solution, FixedLp | None]:
    """``solve``, and (``keep``, with duals asked for) the LP with the integer
    decisions fixed, kept at its optimum: a handle the caller owns, for
    one-tonne re-solves (``relaxation_values``); None without one. The
    Solution then also carries HiGHS's row ranging of that LP (plain arrays)."""
    version = highs_version()
    start = time.perf_counter()
    deadline = start + options.time_limit_s if options.time_limit_s else None
    lp = None
    try:
        h = new_highs(options)
        beyond = beyond_limits(compiled)
        if beyond:
            raise ValueError(beyond)
        if h.passModel(compiled.lp) == highspy.HighsStatus.kError:
            raise ValueError("HiGHS refused the model")
        weights = Background(canonical_weights, compiled) if options.canonical else None
        h.run()
        sol, fixed = finish(h, compiled, options, deadline, ranging=keep, restore=keep,
                            weights=weights)       # nobody re-solves an LP not kept
        if keep and fixed is not None:
            lp = FixedLp(fixed, compiled)
    except Exception as exc:  # the wrapper's promise: a status, never a traceback
        sol, lp = Solution("error", f"HiGHS failed: {type(exc).__name__}: {exc}"), None
    sol.seconds = time.perf_counter() - start
    sol.solver_version = version
    sol.is_mip = bool(compiled.integer.any())
    return sol, lp


def finish(h, compiled: Compiled, options: SolveOptions, deadline: float | None,
           ranging: bool = False, own_copy: bool = False, restore: bool = True,
           weights: Background | None = None):
    """The steps of every solve after HiGHS's first run on ``h``: its answer read
    and a claim of no solution confirmed along other paths (``confirm``); for a
    MIP the LP with the integers fixed (duals); the canonical pass; the
    objective settled. Returns (Solution, the Highs holding the LP with the
    integers fixed at its optimum, or None when no duals or canonical pass
    were asked for or there is no solution).

    own_copy: the LP with the integers fixed is solved on a copy of ``h``'s
    model, so ``h`` keeps its MIP as it is (a what-if session's model); for an
    LP ``h`` is changed by the canonical pass and put back. restore: the LP is
    re-solved after the canonical pass (its optimal basis again, for ranging
    and re-solves); a session that only re-solves after its next change does
    not need it. ranging: HiGHS's row ranging of that LP, kept in the
    Solution (``Solution.ranging``). weights: the canonical weights, being
    computed while HiGHS ran (``Background``)."""
    h, sol = confirm.read_checked(h, compiled, options, deadline)   # "no solution" re-solved
    fixed = None
    if sol.has_solution and (options.want_duals or options.canonical):
        fixed = _fix_integers(h, compiled, sol, options, own_copy)
        if options.canonical:
            _canonical(fixed, compiled, sol, restore, weights)
        if ranging and options.want_duals:
            sol.ranging = _ranging(fixed)
    if sol.has_solution:
        confirm.settle_objective(compiled, options, sol)
    return sol, fixed


def _fix_integers(h, compiled: Compiled, sol: Solution, options: SolveOptions,
                  own_copy: bool = False):
    """For a MIP: fix the integers, re-solve the LP, keep its duals. Returns
    the Highs holding that LP (``h`` itself unless ``own_copy``)."""
    if not compiled.integer.any():
        return h
    if own_copy:
        copy = new_highs(options)
        copy.passModel(h.getLp())
        h = copy
    idx = np.flatnonzero(compiled.integer).astype(np.int32)
    vals = np.round(sol.x[idx])
    h.changeColsIntegrality(len(idx), idx, np.array([highspy.HighsVarType.kContinuous] * len(idx)))
    h.changeColsBounds(len(idx), idx, vals, vals)
    if compiled.lp.num_col_ >= PRESOLVE_FIXED_FROM:
        h.clearSolver()           # no basis: HiGHS presolves the fixed LP (most of it goes)
    h.run()
    if h.getModelStatus() == MS.kOptimal:
        s = h.getSolution()
        if s.dual_valid:
            sol.row_dual = np.asarray(s.row_dual, dtype=float)
            sol.col_dual = np.asarray(s.col_dual, dtype=float)
            sol.extra["dual_objective_check"] = float(h.getInfo().objective_function_value)
    return h


def _ranging(h) -> RowRanging | None:
    """HiGHS's row ranging of the LP ``h`` holds, at its optimal basis."""
    if h.getModelStatus() != MS.kOptimal:
        return None
    s = h.getSolution()
    if not s.dual_valid:
        return None
    status, rg = h.getRanging()
    if status != highspy.HighsStatus.kOk:
        return None
    return RowRanging(np.asarray(s.row_dual, dtype=float),
                      np.asarray(rg.row_bound_up.value_, dtype=float),
                      np.asarray(rg.row_bound_dn.value_, dtype=float))


class FixedLp:
    """The LP with the integer decisions fixed at the plan's values, kept in
    HiGHS at its optimal basis after a solve (``solve_kept``), so that a row
    loosened by a tonne re-solves warm in a few iterations. Owned by whoever
    asked for it (a ``model.run.Run``); ``close`` lets HiGHS's memory go."""

    def __init__(self, h, compiled: Compiled):
        self._h, self.compiled = h, compiled

    @property
    def open(self) -> bool:
        return self._h is not None

    def close(self) -> None:
        self._h = None

    def loosened(self, rows, base: float, step: float = 1.0) -> dict[int, float]:
        """{row: objective change from ``base``} with each row in turn loosened by
        ``step`` (NaN where the re-solve is not optimal); the LP is put back."""
        h, c = self._h, self.compiled
        out: dict[int, float] = {}
        if h is None:
            return out
        lower, upper = c.lp.row_lower_, c.lp.row_upper_
        for i in rows:
            lo, hi = float(lower[i]), float(upper[i])
            if c.row_sense[i] == -1:
                h.changeRowBounds(i, lo - step, hi)
            else:
                h.changeRowBounds(i, lo, hi + step)
            h.run()
            ok = h.getModelStatus() == MS.kOptimal
            out[i] = float(h.getInfo().objective_function_value) - base if ok else float("nan")
            h.changeRowBounds(i, lo, hi)
        if out:
            h.run()
        return out


class Background:
    """``fn(*args)`` computed in a thread while HiGHS runs (highspy lets go of
    Python's lock during ``run``), for the pure Python work a later step needs
    (the canonical weights: a sort of every column's name, ~3 s at 1 M
    columns). ``result()`` waits for it and raises what it raised."""

    def __init__(self, fn, *args):
        self._value, self._error = None, None
        self._thread = threading.Thread(target=self._work, args=(fn, args), daemon=True)
        self._thread.start()

    def _work(self, fn, args) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:   # handed to the caller by result()
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def canonical_weights(compiled: Compiled) -> np.ndarray:
    """1 + rank/n of each column's (variable, index) name: a fixed order that
    does not depend on the order of rows in the workbook."""
    names = [f"{v}[{k}]" for v, k in zip(compiled.col_var, compiled.col_key)]
    order = sorted(range(len(names)), key=names.__getitem__)   # stable; 4x numpy's object sort
    rank = np.empty(len(names), dtype=float)
    rank[order] = np.arange(len(names), dtype=float)
    return 1.0 + rank / max(1, len(names))


def _canonical(h, compiled: Compiled, sol: Solution, restore: bool = True,
               weights: Background | None = None) -> None:
    """Among the optimal solutions, take the one minimising a fixed weighting
    of the decisions: alternative optima then give one reported answer.

    The search is confined to the optimal face: by complementary slackness
    every optimal solution keeps a column with a nonzero reduced cost at its
    bound and a row with a nonzero dual at its limit, so those are fixed
    (HiGHS's presolve then removes most of the model). A row c.x <= optimum
    (+ 1e-12 relative) over the columns left free guards the cost; the
    objective becomes sum_j w_j x_j. The canonical plan is kept only if it
    still costs the optimum and holds the model (``plan_check.departure``);
    otherwise the first plan stays, and the reason is logged and kept in
    ``sol.extra["canonical_discarded"]``. Afterwards the model is put back
    and (``restore``) re-solved to its optimal basis, or else given back the
    basis it had (a what-if's next re-solve starts from it).
    """
    n = compiled.lp.num_col_
    if n == 0 or h.getModelStatus() != MS.kOptimal:
        return
    s = h.getSolution()
    cost = np.asarray(compiled.lp.col_cost_, dtype=float)
    x = np.asarray(s.col_value, dtype=float)
    optimum = float(cost @ x)
    current = h.getLp()       # the model as it stands (integers fixed; a what-if's bounds and rows)
    m = current.num_row_
    basis = None if restore else h.getBasis()
    col_lo, col_hi = np.array(current.col_lower_), np.array(current.col_upper_)
    row_lo, row_hi = np.array(current.row_lower_), np.array(current.row_upper_)
    cols = np.arange(n, dtype=np.int32)
    if s.dual_valid:
        tau = 1e-7 * max(1.0, float(np.abs(cost).max()))
        fix = np.flatnonzero(np.abs(np.asarray(s.col_dual)) > tau).astype(np.int32)
        if len(fix):
            h.changeColsBounds(len(fix), fix, x[fix], x[fix])
        act = np.asarray(s.row_value, dtype=float)
        tight = np.flatnonzero(np.abs(np.asarray(s.row_dual)) > tau).astype(np.int32)
        if len(tight):
            h.changeRowsBounds(len(tight), tight, act[tight], act[tight])
    else:
        fix = np.zeros(0, dtype=np.int32)
    constant = np.union1d(fix, np.flatnonzero(col_lo == col_hi))   # with the integers fixed
    nz, rhs = _guard_row(cost, x, constant, optimum)
    h.addRow(-INF, rhs, len(nz), nz, cost[nz])
    w = weights.result() if weights is not None else canonical_weights(compiled)
    h.changeColsCost(n, cols, w)
    h.run()
    sol.extra["canonical"] = False
    if h.getModelStatus() == MS.kOptimal:
        s = h.getSolution()
        canon = np.asarray(s.col_value, dtype=float)
        why = departure(current, canon, optimum, x)
        if why:
            log.warning("canonical pass discarded, the first optimal plan is kept: %s", why)
            sol.extra["canonical_discarded"] = why
        else:
            sol.x = canon
            sol.row_activity = np.asarray(s.row_value, dtype=float)[:m]
            # the objective stays the optimum found; the canonical decisions cost at
            # most 1e-12 (relative) more
            sol.extra["canonical"] = True
    h.deleteRows(1, np.array([m], dtype=np.int32))
    h.changeColsCost(n, cols, cost)
    h.changeColsBounds(n, cols, col_lo, col_hi)
    if m:
        h.changeRowsBounds(m, np.arange(m, dtype=np.int32), row_lo, row_hi)
    if restore:
        h.run()
    elif basis is not None and basis.valid:
        h.setBasis(basis)      # the next run starts from the optimum found, not the pass's


def _guard_row(cost: np.ndarray, x: np.ndarray, fixed: np.ndarray, optimum: float):
    """The row that holds cost at the optimum: sum_j c_j x_j <= rhs over the
    columns with a cost that are not fixed (at their bound by a nonzero reduced
    cost, or integers fixed); the fixed ones are constants and go to the
    right-hand side. A cost far larger than the others (1e17 per t on an
    offer never used) then stays out of the row, whose scaling would otherwise
    let HiGHS treat an excess of billions as within its tolerance."""
    free = np.ones(len(cost), dtype=bool)
    free[fixed] = False
    nz = np.flatnonzero((cost != 0) & free).astype(np.int32)
    slack = 1e-12 * max(1.0, abs(optimum)) + 1e-9
    return nz, optimum - float(cost[~free] @ x[~free]) + slack


def relaxation_values(sol: Solution, compiled: Compiled, rows, lp: FixedLp | None = None,
                      step: float = 1.0, use_ranging: bool = True) -> dict:
    """Objective change when each given row is loosened by ``step`` (one tonne).

    Unlike a dual, which a degenerate LP leaves ambiguous, this is the actual
    change for one more tonne. HiGHS's ranging answers first
    (``sol.ranging``): where the loosened bound stays inside the interval over
    which the row's dual holds (same basis), the change is exactly dual x step.
    The other rows are re-solved warm on ``lp``, the LP with the integer
    decisions fixed that ``solve_kept`` handed out (without it they are left
    out of the answer). Returns {row index: change} (NaN if not solved).
    """
    out: dict[int, float] = {}
    rows = [int(i) for i in rows]
    if use_ranging and rows and sol.ranging is not None:
        out.update(_by_ranging(sol.ranging, compiled, rows, step))
    rest = [i for i in rows if i not in out] if lp is not None else []
    if rest:
        base = sol.extra.get("dual_objective_check", sol.objective)
        out.update(lp.loosened(rest, base, step))
    return out


def _by_ranging(rg: RowRanging, compiled: Compiled, rows: list[int], step: float) -> dict[int, float]:
    """The rows whose one-step change the LP's optimal basis answers: the
    loosened bound stays within HiGHS's ranging interval, so the change is
    dual x step."""
    lower, upper = compiled.lp.row_lower_, compiled.lp.row_upper_
    out = {}
    for i in rows:
        sense = compiled.row_sense[i]
        inside = (rg.dn[i] <= lower[i] - step + 1e-9 if sense == -1    # a >= row: lower bound down
                  else rg.up[i] >= upper[i] + step - 1e-9)
        if inside:
            out[i] = loosening_rate(rg.dual[i], sense) * step
    return out


def loosening_rate(dual: float, sense: int) -> float:
    """Cost change per unit of loosening a row: its upper bound up, or for a >=
    row (sense -1) its lower bound down, given its dual (d cost / d bound)."""
    return float(-dual if sense == -1 else dual)
