"""A model kept in HiGHS between solves: change bounds, add a row, solve again
warm (a what-if ``Session`` owns one; ``model.whatif.session``).

``WarmModel.solve`` takes the steps of every solve (``model.solve.highs.finish``):
the answer read, a claim of no solution confirmed along other paths, for a
MIP the LP with the integers fixed (duals), the canonical pass, the objective
settled, each as ``options`` asks. Only what the first run starts from
differs: an LP restarts from its last basis, a MIP from the last plan as its
incumbent (``start``). The LP with the integers fixed is solved on a copy, so
the kept MIP is never changed by it; the canonical pass on an LP puts the
model back as it found it.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from model.solve.handover import Compiled
from model.solve.highs import (Background, Solution, SolveOptions, canonical_weights, finish,
                               highs_version, new_highs)


class WarmModel:
    def __init__(self, compiled: Compiled, options: SolveOptions):
        self.compiled, self.options = compiled, options
        self._h = new_highs(options)
        self._h.passModel(compiled.lp)
        self.is_mip = bool(compiled.integer.any())
        # the canonical weights depend on the columns' names only: once a session
        self._weights = Background(canonical_weights, compiled) if options.canonical else None

    # -- changes (in place; HiGHS keeps its basis) ----------------------------------
    def set_cols_bounds(self, cols, lower, upper) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        self._h.changeColsBounds(len(cols), cols, np.asarray(lower, dtype=float),
                                 np.asarray(upper, dtype=float))

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self._h.changeRowBounds(int(row), float(lower), float(upper))

    def set_rows_bounds(self, rows, lower, upper) -> None:
        rows = np.asarray(rows, dtype=np.int32)
        if len(rows):
            self._h.changeRowsBounds(len(rows), rows, np.asarray(lower, dtype=float),
                                     np.asarray(upper, dtype=float))

    def add_row(self, lower: float, upper: float, cols, values) -> int:
        """A row lower <= sum values[k] x[cols[k]] <= upper; returns its index."""
        cols = np.asarray(cols, dtype=np.int32)
        self._h.addRow(float(lower), float(upper), len(cols), cols, np.asarray(values, dtype=float))
        return self._h.getNumRow() - 1

    def delete_row(self, row: int) -> None:
        self._h.deleteRows(1, np.array([row], dtype=np.int32))

    # -- solving ---------------------------------------------------------------------
    def solve(self, start: np.ndarray | None = None) -> Solution:
        """Solve the model as it stands now. ``start``: a plan handed to a MIP as
        its first incumbent (HiGHS checks it against the changed model and, where
        it is still feasible, prunes with it from the first node)."""
        t0 = time.perf_counter()
        limit = self.options.time_limit_s
        try:
            if self.is_mip and start is not None:
                incumbent = highspy.HighsSolution()
                incumbent.col_value = np.asarray(start, dtype=float).tolist()
                incumbent.value_valid = True
                self._h.setSolution(incumbent)
            self._h.run()
            sol, _ = finish(self._h, self.compiled, self.options, t0 + limit if limit else None,
                            own_copy=True, restore=False, weights=self._weights)
        except Exception as exc:  # a status, never a traceback
            sol = Solution("error", f"HiGHS failed: {type(exc).__name__}: {exc}")
        sol.seconds = time.perf_counter() - t0
        sol.solver_version = highs_version()
        sol.is_mip = self.is_mip
        return sol
