"""Which choices of the plan are findings and which are ties.

For every offer and process of the model, what it costs to decide otherwise:

- a decision the plan uses (bought from, or run, in some period) is **forced
  out**: its columns get upper bound 0 and the model is re-solved;
- a decision the plan leaves unused is **forced in**: one row
  ``sum_p activity[d, p] >= max(1, min_quantity)`` (t bought, or runs) is added
  and the model is re-solved, the solver choosing the period.

``cost_change`` is the re-solved objective minus the plan's (exact: a re-solve,
not a dual estimate; a MIP is re-solved within its gap). A used decision whose
removal costs less than ``threshold`` x the objective is **interchangeable**:
the plan could do without it at (almost) no cost, and ``alternatives`` names
the decisions that take over (those whose activity grows most in the re-solve).
An unused decision that can be forced in at no cost (within ``TIE_RTOL`` of
the objective) is interchangeable too: an alternative optimum. Such a choice
is a tie, not a recommendation; the Dashboard says so.

Re-solves run in one warm ``Session`` (bounds changed in place, the last plan
as a starting point), about 0.4 s each on the example.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.run import options_of
from model.solve.highs import SolveOptions
from model.whatif.session import Session

ACTIVITY = {"offer": ("buy",), "process": ("run",)}   # the columns that measure use (runc: run split by class)
UNITS = {"offer": "t", "process": "runs"}
THRESHOLD = 0.001        # relative to the objective: under 0.1 % to force out is a tie
TIE_RTOL = 1e-9          # forced in at no more than this x the objective: an alternative optimum
USED_EPS = 1e-6
COLUMNS = ["kind", "id", "used", "activity", "unit", "test", "cost_change", "change_share",
           "interchangeable", "alternatives", "status"]


@dataclass
class Robustness:
    table: pd.DataFrame          # one row per decision, COLUMNS
    objective: float
    threshold: float

    @property
    def ties(self) -> pd.DataFrame:
        return self.table[self.table["interchangeable"]]


def _activity_columns(session: Session, kind: str, ident: str) -> np.ndarray:
    var = session.compiled.col_var
    return np.array([j for j in session.cols.get((kind, ident), []) if var[j] in ACTIVITY[kind]],
                    dtype=np.int32)


def _activities(session: Session, x: np.ndarray, decisions) -> dict[tuple[str, str], float]:
    return {d: float(x[cols].sum()) for d, cols in decisions.items()}


def _min_quantity(session: Session, kind: str, ident: str) -> float:
    if kind != "offer":
        return 0.0
    offers = session.data.offers
    return float(offers.loc[offers["offer"] == ident, "minq"].max() or 0.0)


def _materials(session: Session, decisions) -> dict[tuple[str, str], set]:
    """What each decision makes: an offer's material, a process's outputs."""
    offers, recipe = session.data.offers, session.data.recipe
    sold = offers.groupby("offer")["material"].agg(set).to_dict()
    made = recipe[recipe["output"] > 0].groupby("process")["material"].agg(set).to_dict()
    return {(k, i): (sold if k == "offer" else made).get(i, set()) for k, i in decisions}


def robustness(session: Session, threshold: float = THRESHOLD, ids=None, top: int = 3) -> Robustness:
    """Force each decision (or only ``ids``) out or in; ``session`` must be unchanged."""
    base = session.solve()
    if not base.has_solution:
        raise ValueError(f"no plan to test: the model is {base.status}")
    decisions = {(kind, ident): _activity_columns(session, kind, ident)
                 for kind, ident in sorted(session.cols) if kind in ACTIVITY
                 and (ids is None or ident in ids)}
    decisions = {d: cols for d, cols in decisions.items() if len(cols)}
    before = _activities(session, base.x, decisions)
    makes = _materials(session, decisions)
    scale = max(abs(base.objective), 1.0)
    rows = []
    for (kind, ident), cols in decisions.items():
        used = before[kind, ident] > USED_EPS
        if used:
            session.disable(ident)
            test, added = "forced out", None
        else:
            amount = max(1.0, _min_quantity(session, kind, ident))
            added = session.model.add_row(amount, np.inf, cols, np.ones(len(cols)))
            test = f"forced in ({amount:g} {UNITS[kind]})"
        sol = session.solve()
        if added is not None:
            session.model.delete_row(added)
        session.reset()
        change = sol.objective - base.objective if sol.has_solution else np.inf
        alternatives = ""
        if used and sol.has_solution:
            after = _activities(session, sol.x, decisions)
            grew = sorted(((after[d] - before[d], d) for d in decisions if d != (kind, ident)),
                          reverse=True)
            # what makes the same material first; else whatever grew by 1 % of what was dropped
            mine = makes[kind, ident]
            alike = [d for g, d in grew if g > USED_EPS and makes[d] & mine]
            other = [d for g, d in grew if g > 0.01 * before[kind, ident] and d not in alike]
            alternatives = ", ".join(d[1] for d in (alike + other)[:top])
        rows.append({"kind": kind, "id": ident, "used": used, "activity": before[kind, ident],
                     "unit": UNITS[kind], "test": test, "cost_change": change,
                     "change_share": change / scale if np.isfinite(change) else np.inf,
                     "interchangeable": bool(np.isfinite(change) and change < (
                                             threshold if used else TIE_RTOL) * scale),
                     "alternatives": alternatives, "status": sol.status})
    session.solution = None
    table = pd.DataFrame(rows, columns=COLUMNS)
    return Robustness(table, float(base.objective), threshold)


def robustness_for(run, options: SolveOptions | None = None, threshold: float = THRESHOLD
                   ) -> pd.DataFrame:
    """The Robustness sheet for a solved run (its scenario and toggles), ties first."""
    base = options_of(run, options)
    session = Session.from_run(run, replace(base, want_duals=False, canonical=False, log_file=None))
    table = robustness(session, threshold).table
    table.attrs["threshold"] = threshold
    order = (~table["interchangeable"]).astype(int) * 2 + (~table["used"]).astype(int)
    return table.assign(_o=order).sort_values(["_o", "cost_change"], kind="stable").drop(
        columns="_o").reset_index(drop=True)
