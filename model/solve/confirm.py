"""Check what HiGHS claims before the product reports it (issue 12, case 2).

HiGHS works to absolute tolerances (primal feasibility 1e-7, MIP feasibility
1e-6). On badly scaled data (Demand rows of a few 1e-7 t next to thousands of
tonnes) its MIP was measured to call a solvable workbook infeasible, and a MIP
bound can be wrong the same way. So:

- ``confirm_no_solution``: an ``infeasible`` or ``unbounded`` claim is solved
  again along other paths (``ATTEMPTS``: presolve off; for a MIP also a ten
  times tighter MIP feasibility tolerance) before it is believed. The first
  attempt that finds a plan is used (the independent verifier checks it like
  any other); when every attempt agrees, the message says the claim was
  confirmed.
- ``settle_objective``: the objective reported is the cost of the plan
  reported (for a MIP that plan comes from the LP with the on/off decisions
  fixed, which can be cheaper than HiGHS's incumbent), and a bound that this
  plan beats is not trusted (``bound_verdict``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import highspy
import numpy as np

from model.solve.instance import new_highs, read_solution

log = logging.getLogger(__name__)

NO_SOLUTION = ("infeasible", "unbounded", "unbounded_or_infeasible")
# (label, HiGHS options, MIP only)
ATTEMPTS = (("presolve off", {"presolve": "off"}, False),
            ("MIP feasibility tolerance 1e-7", {"mip_feasibility_tolerance": 1e-7}, True))
BOUND_TOL = 1e-6      # relative, as the verifier's money tolerance
# Each re-solve may take at most CONFIRM_FACTOR times the first solve, and at
# least CONFIRM_MIN_S (a MIP without presolve can take far longer to prove
# infeasibility than with it); one stopped by this says "not confirmed".
CONFIRM_FACTOR, CONFIRM_MIN_S = 10.0, 10.0


def read_checked(h, compiled, options, deadline: float | None = None):
    """(Highs, Solution) of a ``Highs`` that has just run: its status read, and
    a claim of no solution confirmed first by solving the model it holds now
    (bounds changed by a what-if included) afresh (``confirm_no_solution``).
    The Highs returned is the one whose solution it is."""
    sol = read_solution(h, compiled, options)
    if sol.status not in NO_SOLUTION:
        return h, sol
    lp = h.getLp()
    cap = max(CONFIRM_MIN_S, CONFIRM_FACTOR * h.getRunTime())

    def attempt(extra):
        left = cap if deadline is None else max(1e-3, min(cap, deadline - time.perf_counter()))
        opts = replace(options, highs_options={**options.highs_options, **extra},
                       time_limit_s=left)
        fresh = new_highs(opts)
        fresh.passModel(lp)
        fresh.run()
        return fresh, read_solution(fresh, compiled, opts)

    again, sol = confirm_no_solution(sol, attempt, bool(compiled.integer.any()), deadline)
    if again is None:
        return h, sol
    # the later LP re-solves (duals, canonical pass) get the run's own limit, not the cap
    again.setOptionValue("time_limit", float(options.time_limit_s or highspy.kHighsInf))
    return again, sol


def confirm_no_solution(sol, attempt, is_mip: bool, deadline: float | None = None):
    """``sol`` claims no solution; ``attempt(options) -> (highs, Solution)``
    solves the same model afresh with these HiGHS options added. Returns
    (highs or None, Solution): the plan an attempt found, or the claim, its
    message saying whether every attempt agreed (``confirmed``) or not."""
    first = sol.status
    said = []                                   # (label, status) of each attempt
    for label, extra, mip_only in ATTEMPTS:
        if mip_only and not is_mip:
            continue
        if deadline is not None and time.perf_counter() >= deadline:
            said.append((label, "not tried (time limit)"))
            continue
        h, again = attempt(extra)
        if again.has_solution:
            log.warning("HiGHS reported %s; re-solved with %s: %s", _words(first), label,
                        again.status)
            again.message = (f"{again.message} (HiGHS first reported {_words(first)}; "
                             f"re-solved with {label}: {again.status})")
            again.extra["confirmation"] = {"first": first, "by": label, "confirmed": False}
            return h, again
        said.append((label, again.status))
    if first == "unbounded_or_infeasible":
        definite = [s for _, s in said if s in ("infeasible", "unbounded")]
        sol.status = definite[0] if definite else "infeasible"
        if not definite:
            sol.message = "HiGHS: infeasible or unbounded"
    confirmed = bool(said) and all(s in NO_SOLUTION for _, s in said)
    verb = "confirmed" if confirmed else "not confirmed"
    tried = "; ".join(f"{label}: {_words(s)}" for label, s in said) or "no other path"
    sol.message = f"{sol.message} ({verb}: re-solved with {tried})"
    sol.extra["confirmation"] = {"first": first, "by": [label for label, _ in said],
                                 "confirmed": confirmed}
    return None, sol


def _words(status: str) -> str:
    return status.replace("_", " ")


def relaxed_highs(compiled, options):
    """A fresh ``Highs`` holding the LP relaxation (integers made continuous)."""
    h = new_highs(options)
    h.passModel(compiled.lp)
    if compiled.integer.any():
        idx = np.flatnonzero(compiled.integer).astype(np.int32)
        h.changeColsIntegrality(len(idx), idx,
                                np.array([highspy.HighsVarType.kContinuous] * len(idx)))
    return h


def relaxation_bound(compiled, options) -> float | None:
    """Optimal objective of the LP relaxation (a valid lower bound), or None."""
    h = relaxed_highs(compiled, options)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)


def plan_cost(compiled, x) -> float:
    return float(np.asarray(compiled.lp.col_cost_, dtype=float) @ x) + float(compiled.lp.offset_)


def settle_objective(compiled, options, sol) -> None:
    """Objective := cost of the reported plan; a bound above it is replaced
    (``bound_verdict``) by the LP relaxation's."""
    cost = plan_cost(compiled, sol.x)
    if abs(cost - sol.objective) > 1e-9 * max(1.0, abs(sol.objective)):
        log.info("objective %.6f is the cost of the reported plan (HiGHS's incumbent: %.6f)",
                 cost, sol.objective)
        sol.extra["incumbent_objective"] = sol.objective
        sol.objective = cost
        if sol.bound is not None and compiled.integer.any():
            sol.gap = gap(cost, sol.bound)
    if not compiled.integer.any() or sol.bound is None:
        if not compiled.integer.any():
            sol.bound, sol.gap = sol.objective, 0.0
        return
    if sol.bound <= sol.objective + BOUND_TOL * max(1.0, abs(sol.objective)):
        return
    relaxed = relaxation_bound(compiled, options)
    sol.status, sol.bound, sol.gap, note = bound_verdict(sol.objective, sol.bound, relaxed,
                                                         options.mip_gap, sol.status)
    log.warning(note)
    sol.message = f"{sol.message} ({note})"


def gap(objective: float, bound: float) -> float:
    return (objective - bound) / max(1.0, abs(objective))


def bound_verdict(objective: float, claimed: float, relaxed: float | None, mip_gap: float,
                  status: str) -> tuple[str, float | None, float | None, str]:
    """(status, bound, gap, note) for a plan of cost ``objective`` given the
    bound HiGHS ``claimed`` and the LP relaxation's bound ``relaxed``.

    A bound is a proof that no plan costs less; a plan that costs less than it
    disproves it, so it is the solver's error, not the plan's. The LP
    relaxation's optimum is then reported as the bound (a proof by simplex, on
    a model without the on/off decisions); the plan stays ``optimal`` only if
    it is within ``mip_gap`` of that bound, else it is ``feasible``. Without a
    usable relaxation the bound and gap are unknown (None)."""
    tol = BOUND_TOL * max(1.0, abs(objective))
    if claimed <= objective + tol:
        return status, claimed, max(0.0, gap(objective, claimed)), ""
    note = (f"HiGHS's bound {claimed:,.2f} is above the cost of the plan it returned, "
            f"{objective:,.2f}, so it is not a valid bound")
    if relaxed is not None and relaxed <= objective + tol:
        g = max(0.0, gap(objective, relaxed))
        ok = status == "optimal" and g <= mip_gap + 1e-12
        return ("optimal" if ok else "feasible", relaxed, g,
                f"{note}; the LP relaxation's bound {relaxed:,.2f} is reported instead")
    return ("feasible" if status == "optimal" else status, None, None,
            f"{note}; no valid bound is known, so optimality is not proven")
