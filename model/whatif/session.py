"""Build once, then toggle and re-solve warm.

A ``Session`` keeps the compiled model in one HiGHS object. Switching a row
off, changing a capacity or knocking out an entity is a change of column or
row bounds in place; HiGHS restarts from its previous basis, so a re-solve
costs a fraction of a build. Rows disabled in the workbook were never built:
enabling one needs a fresh session (``NeedsRebuild``).

    s = Session("inputs/example.xlsx")
    base = s.solve().objective
    s.disable("CN_SB_BAN"); s.solve()          # the ban lifted
    s.reset()

``solve`` takes the steps of every solve (``model.solve.warm.WarmModel``): a
claim of no solution is confirmed along other paths, the objective is the
cost of the plan. By default a session skips the canonical pass (and the
duals): its re-solves are for objectives and what changes, and the pass
would cost each of them its speed (medium network made an LP, issue 19: a
re-solve 0.14 s without, 1.0 s with it, which would bring the what-if from
~50x to under 5x faster than a cold solve; on the MIP ~40 % more). The
objective is the same either way; where several plans cost it, a session's
plan may be another one than ``sourcing solve`` reports. Pass
``SolveOptions(canonical=True)`` for that plan (tests/test_solve_handles.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np

from model.formulation import registry
from model.formulation.variables import OWNERS
from model.run import prepare_run, results, solve_options
from model.solve.highs import INF, Solution, SolveOptions
from model.solve.warm import WarmModel


class NeedsRebuild(Exception):
    """The change touches something that is not in the built model."""


class Session:
    def __init__(self, workbook, scenario: str | None = None, options: SolveOptions | None = None):
        run = prepare_run(workbook, scenario)     # the stages of model.run before the solve
        self._start(run.workbook, run.changes, run.warnings, run.data, run.built, run.compiled,
                    options)

    @classmethod
    def from_run(cls, run, options: SolveOptions | None = None) -> "Session":
        """A session on the model a ``model.run.run`` built (its scenario, toggles and
        skipped families included), without building it again."""
        session = cls.__new__(cls)
        session._start(run.workbook, run.changes, run.warnings, run.data, run.built, run.compiled,
                       options)
        return session

    def _start(self, wb, changes, warnings, data, built, compiled, options) -> None:
        self.wb, self.changes, self.warnings = wb, changes, warnings
        self.data, self.built, self.compiled = data, built, compiled
        c = compiled
        self.options = options or replace(solve_options(self.wb.settings), want_duals=False,
                                          canonical=False)
        self.model = WarmModel(c, self.options)      # the session's own HiGHS, kept warm
        self.col_upper = np.array(c.lp.col_upper_, dtype=float)
        self.row_lower = np.array(c.lp.row_lower_, dtype=float)
        self.row_upper = np.array(c.lp.row_upper_, dtype=float)
        self.cols: dict[tuple[str, str], list[int]] = defaultdict(list)   # (kind, id) -> columns
        self.col_period = np.zeros(len(c.col_var), dtype=int)
        for j, (var, key) in enumerate(zip(c.col_var, c.col_key)):
            key = key if isinstance(key, tuple) else (key,)
            self.col_period[j] = key[-1] if isinstance(key[-1], int) else 0
            for kind, owners in OWNERS.items():
                if var in owners:
                    self.cols[kind, key[owners[var]]].append(j)
        self.rule_rows: dict[str, list[int]] = defaultdict(list)    # rule id -> rows
        self.row_period: dict[int, int] = {}
        owned = registry.owned()    # rules, and rows an offer owes (take-or-pay)
        for i, (con, key) in enumerate(zip(c.row_con, c.row_key)):
            spec = owned.get(con)
            if spec is not None:
                self.rule_rows[spec.owner(key)].append(i)
                self.row_period[i] = spec.period(key)
        self.applied: list[str] = []
        self.solution: Solution | None = None

    # -- changes -----------------------------------------------------------------
    def _set_upper(self, cols, value: float | np.ndarray) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        if len(cols) == 0:
            return
        lower = np.asarray(self.compiled.lp.col_lower_)[cols]
        upper = np.broadcast_to(np.asarray(value, dtype=float), cols.shape).copy()
        upper = np.maximum(upper, lower * 0)   # never below zero
        self.model.set_cols_bounds(cols, np.minimum(lower, upper), upper)

    def disable(self, ident: str, periods=None) -> None:
        """Switch off an offer, process, lane, investment (nothing built) or rule
        (optionally only in some periods)."""
        hit = False
        for kind in OWNERS:
            cols = self._in_periods(self.cols.get((kind, ident), []), periods)
            if cols:
                self._set_upper(cols, 0.0)
                hit = True
        for i in self.rule_rows.get(ident, []):
            if periods is None or self.row_period[i] in set(periods):
                self.model.set_row_bounds(i, -INF, INF)
                hit = True
        if not hit:
            raise NeedsRebuild(f"{ident} is not in the built model (disabled in the workbook, "
                               "or no such id): solve the workbook afresh")
        self.applied.append(f"disable {ident}" + (f" in {list(periods)}" if periods else ""))

    def enable(self, ident: str) -> None:
        """Undo ``disable`` for one id (bounds back to the built model's)."""
        found = False
        for kind in OWNERS:
            cols = np.asarray(self.cols.get((kind, ident), []), dtype=np.int32)
            if len(cols):
                lp = self.compiled.lp
                self.model.set_cols_bounds(cols, np.asarray(lp.col_lower_)[cols],
                                           self.col_upper[cols])
                found = True
        for i in self.rule_rows.get(ident, []):
            self.model.set_row_bounds(i, self.row_lower[i], self.row_upper[i])
            found = True
        if not found:
            raise NeedsRebuild(f"{ident} is not in the built model: solve the workbook afresh")
        self.applied.append(f"enable {ident}")

    def scale_capacity(self, ident: str, factor: float, periods=None) -> None:
        """Multiply an offer's or process's capacity (its column bounds) by factor."""
        cols = [j for kind in ("offer", "process") for j in self.cols.get((kind, ident), [])
                if self.compiled.col_var[j] in ("buy", "run", "runc")]
        cols = self._in_periods(cols, periods)
        if not cols:
            raise NeedsRebuild(f"{ident} has no capacity in the built model")
        if self._has_binary(ident):
            raise NeedsRebuild(f"{ident} has a fixed cost or minimum quantity: its capacity sits in "
                               "a row with a binary; solve the workbook afresh")
        inv = self.data.investments
        if inv is not None and ident in set(inv.caps["target"]):
            raise NeedsRebuild(f"{ident} is the target of an investment: its capacity sits in a "
                               "row with the units built; solve the workbook afresh")
        self._set_upper(cols, self.col_upper[cols] * factor)
        self.applied.append(f"scale capacity of {ident} by {factor:g}")

    def _has_binary(self, ident: str) -> bool:
        return any(self.compiled.col_var[j] in ("use_offer", "run_on")
                   for kind in ("offer", "process") for j in self.cols.get((kind, ident), []))

    def knock_out(self, offers=(), processes=(), lanes=(), periods=None) -> None:
        """Stress test: nothing bought, run or shipped by these ids in the periods."""
        for kind, ids in (("offer", offers), ("process", processes), ("lane", lanes)):
            for ident in ids:
                self._set_upper(self._in_periods(self.cols.get((kind, ident), []), periods), 0.0)

    def _in_periods(self, cols, periods):
        if periods is None:
            return list(cols)
        keep = set(periods)
        return [j for j in cols if self.col_period[j] in keep]

    def reset(self) -> None:
        """Back to the model as built."""
        lp = self.compiled.lp
        n, m = lp.num_col_, lp.num_row_
        self.model.set_cols_bounds(np.arange(n), np.asarray(lp.col_lower_), self.col_upper)
        self.model.set_rows_bounds(np.arange(m), self.row_lower, self.row_upper)
        self.applied.clear()

    # -- solving -----------------------------------------------------------------
    def solve(self) -> Solution:
        """Solve the model as changed, warm (``model.solve.warm.WarmModel.solve``:
        the steps of every solve; a MIP starts from the last plan)."""
        last = self.solution
        self.solution = self.model.solve(last.x if last is not None and last.has_solution else None)
        return self.solution

    def tables(self) -> dict:
        """Result tables of the last solve (as in the report)."""
        if self.solution is None or not self.solution.has_solution:
            return {}
        return results(self.data, self.built, self.compiled, self.solution)
