"""Does a second plan keep the first one's optimum? The canonical pass
(``highs._canonical``) re-solves on the optimal face to break ties; its plan is
kept only if it costs the optimum it was given and holds every row and bound
of the model as well as the first plan did. A badly scaled guard row (a cost
of 1e17 per t next to costs of 1) once let HiGHS return a plan nine billion
over the optimum, "optimal" within its tolerances on the scaled row.

``departure(lp, x, optimum, reference) -> str``: empty when ``x`` keeps the
optimum, else a sentence saying how it does not. Tolerances:

- cost: ``|c.x - optimum| <= COST_REL * max(1, |optimum|)`` (the guard row
  allows 1e-12 relative; HiGHS's own tolerances add far less than 1e-9);
- rows and bounds: no violation larger than ``FEAS_REL * max(1, |bound|)``
  beyond what the reference (the first plan) already had.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

COST_REL = 1e-9
FEAS_REL = 1e-7


def violation(lp, x: np.ndarray) -> float:
    """The largest violation of a row or column bound of ``lp`` by ``x``,
    each relative to max(1, |bound|)."""
    n, m = lp.num_col_, lp.num_row_
    worst = _beyond(x, np.asarray(lp.col_lower_, dtype=float),
                    np.asarray(lp.col_upper_, dtype=float))
    if m:
        a = lp.a_matrix_
        matrix = sp.csc_matrix((np.asarray(a.value_, dtype=float), np.asarray(a.index_),
                                np.asarray(a.start_)), shape=(m, n))
        worst = max(worst, _beyond(matrix @ x, np.asarray(lp.row_lower_, dtype=float),
                                   np.asarray(lp.row_upper_, dtype=float)))
    return worst


def _beyond(value: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    if not len(value):
        return 0.0
    with np.errstate(invalid="ignore"):       # infinite bounds: inf - inf never arises
        below = np.where(np.isfinite(lower), (lower - value) / np.maximum(1.0, np.abs(lower)), 0.0)
        above = np.where(np.isfinite(upper), (value - upper) / np.maximum(1.0, np.abs(upper)), 0.0)
    return float(max(0.0, below.max(), above.max()))


def departure(lp, x: np.ndarray, optimum: float, reference: np.ndarray) -> str:
    cost = float(np.asarray(lp.col_cost_, dtype=float) @ x)
    allowed = COST_REL * max(1.0, abs(optimum))
    if not abs(cost - optimum) <= allowed:       # also catches NaN
        return (f"its plan costs {cost:,.2f}, not the optimum {optimum:,.2f} "
                f"(difference {cost - optimum:,.3g} > {allowed:.3g})")
    worst = violation(lp, x)
    if worst <= FEAS_REL:           # the usual case: the reference need not be measured
        return ""
    before = violation(lp, reference)
    if worst > before:
        return (f"its plan breaks a row or bound by {worst:.3g} (relative), "
                f"the first plan by {before:.3g}")
    return ""
