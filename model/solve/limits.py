"""The last check before HiGHS sees a model: numbers it cannot take as given.

HiGHS reads a cost or a bound of ``infinite_cost`` / ``infinite_bound``
(1e20) or more as infinite, silently changing the model, and refuses a matrix
coefficient of ``large_matrix_value`` (1e15) or more. The workbook's cells
are screened before the model is built (``model.validate.magnitudes``, which
names the cell); this catches what only a sum of cells makes, such as a
price plus a reservation cost, or freight plus tariffs, and names the
decision: ``beyond_limits(compiled) -> str`` (empty when all is well).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.solve.handover import Compiled

# HiGHS's defaults (the home of these numbers; model.validate.magnitudes uses them)
INFINITE = 1e20              # infinite_cost and infinite_bound
LARGEST_COEFFICIENT = 1e15   # large_matrix_value
SHOWN = 3


def beyond_limits(compiled: Compiled) -> str:
    lp = compiled.lp
    found: list[str] = []
    cost = np.asarray(lp.col_cost_, dtype=float)
    for j in np.flatnonzero(np.abs(cost) >= INFINITE)[:SHOWN]:
        found.append(f"cost {cost[j]:.3g} of {_column(compiled, j)}")
    for bounds, label in (((lp.col_lower_, lp.col_upper_), _column),
                          ((lp.row_lower_, lp.row_upper_), _row)):
        for v in bounds:
            v = np.asarray(v, dtype=float)
            for i in np.flatnonzero(np.isfinite(v) & (np.abs(v) >= INFINITE))[:SHOWN]:
                found.append(f"bound {v[i]:.3g} of {label(compiled, i)}")
    a = lp.a_matrix_
    value = np.asarray(a.value_, dtype=float)
    big = np.flatnonzero(np.abs(value) >= LARGEST_COEFFICIENT)[:SHOWN]
    if len(big):
        start = np.asarray(a.start_)
        cols = np.searchsorted(start, big, side="right") - 1
        rows = np.asarray(a.index_)[big]
        found += [f"coefficient {value[k]:.3g} of {_column(compiled, j)} in {_row(compiled, i)}"
                  for k, j, i in zip(big, cols, rows)]
    if not found:
        return ""
    return ("the model has numbers HiGHS cannot take as given (a cost or bound of 1e20 or more "
            "reads as infinite, a coefficient of 1e15 or more is refused); they come from "
            "several cells together, such as unit_cost + reservation_cost or freight + "
            "tariffs: " + "; ".join(found))


def _column(compiled: Compiled, j: int) -> str:
    return f"{compiled.col_var[j]}{_key(compiled.col_key[j])}"


def _row(compiled: Compiled, i: int) -> str:
    return f"{compiled.row_con[i]}{_key(compiled.row_key[i])}"


def _key(key) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return "[" + ", ".join(str(p) for p in parts) + "]"
