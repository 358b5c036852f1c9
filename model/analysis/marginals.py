"""What one more tonne of each rule is worth: RuleMarginals.

Every row that is a rule with a marginal (``RowSpec.rule``: export controls
of lane and content scope, sourcing-policy shares, clean-chain and qualified-
source rules) gets its activity, whether it binds, its dual and the cost
change of one more tonne. The rows are found through the registry
(``model.formulation.registry``); how each reads comes from its family
(``RowSpec.head``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.formulation import modelled, registry
from model.formulation.rowspec import Lookup
from model.solve.highs import loosening_rate, relaxation_values

MARGINALS = ("exact", "dual")
COLUMNS = ["sheet", "rule_id", "excel_row", "kind", "material_id", "period", "who", "limit",
           "activity", "binding", "dual", "change_per_t", "change_from", "meaning"]
SOURCES = ("ranging", "re-solve", "dual")
UNKNOWN = "not computed"     # at its limit, but the solve kept neither duals nor an LP


def with_marginals(tables: dict, data, built, compiled, solution, marginals: str = "exact",
                   bent: dict | None = None, lp=None) -> dict:
    """The results ``tables`` and their RuleMarginals (a new dict)."""
    data, _ = modelled(data, built.skipped)      # as the model saw it (--skip-family)
    return {**tables,
            "RuleMarginals": rule_marginals(data, compiled, solution, marginals, bent, lp)}


def exact_rule_marginals(run) -> pd.DataFrame:
    """RuleMarginals with marginals="exact", in place of a table made with "dual"
    (``sourcing solve`` writes the plan first and the exact marginals after)."""
    data, _ = modelled(run.data, run.built.skipped)
    return rule_marginals(data, run.compiled, run.solution, "exact", lp=run.lp)


def sources(table: pd.DataFrame | None) -> dict:
    """{"ranging": n, "re-solve": n, "dual": n}: where a RuleMarginals table's
    nonzero one-tonne changes came from ({} without a table)."""
    return {} if table is None else dict(table.attrs.get("change_from") or {})


def rule_marginals(data, compiled, solution, marginals: str = "exact",
                   bent: dict | None = None, lp=None) -> pd.DataFrame:
    """Every rule row: its activity, whether it binds, its dual, and the cost
    change of one more tonne, ``change_per_t``, with where it came from,
    ``change_from``: "ranging" (one tonne stays within the range over which
    the dual holds: exact), "re-solve" (solved again with the limit one tonne
    looser: exact), "dual" (the slope at the limit, not re-solved), "slack"
    (not at its limit: 0) or "zero dual" (at its limit, dual 0: 0).

    change_per_t < 0 means one more tonne of quota / share would save money.
    The cost as a function of a row's limit is convex and piecewise linear: the
    dual is its slope at the limit. HiGHS's ranging says how far that slope
    holds; where it holds for a whole tonne, change_per_t = dual exactly.
    Elsewhere marginals="exact" re-solves with the limit one tonne looser, and
    marginals="dual" reports the slope (the one-tonne change is no larger in
    size, since the slope flattens as the limit loosens).

    bent: {row index: (bend in t, slack term of the row)} of the rows an
    elastic solve bent (``model.analysis.elastic``). Such a rule is broken,
    not binding: its activity is what really goes through it (the row's
    activity less the slack term), binding is FALSE, change_from "bent" and
    change_per_t blank (no marginal: the limit was not kept).

    lp: the ``FixedLp`` of the solve (``model.solve.highs.solve_kept``) for the
    re-solves; without it the rows ranging cannot tell get the dual rate
    ("dual"), or, in a solve that kept no duals, "not computed" (blank change,
    binding as at its limit).

    The table's ``attrs["change_from"]`` counts the rows by source (``sources``).
    """
    if marginals not in MARGINALS:
        raise ValueError(f"marginals must be one of {MARGINALS}, not {marginals!r}")
    if solution.row_activity is None:
        return pd.DataFrame(columns=COLUMNS)
    names = np.array(compiled.row_con)
    idx = np.flatnonzero(np.isin(names, registry.rules()))
    lower, upper = compiled.lp.row_lower_, compiled.lp.row_upper_
    bent = bent or {}
    act = solution.row_activity
    at_limit = {int(i): int(i) not in bent and
                min(abs(act[i] - lower[i]), abs(act[i] - upper[i])) <= 1e-6 for i in idx}
    # The cost as a function of a row's limit is convex, and the duals are its
    # subgradients: where 0 is one of them the one-tonne change is exactly 0,
    # so only rows at their limit with a nonzero dual need a re-solve.
    duals = solution.row_dual
    sense = compiled.row_sense
    ask = [int(i) for i in idx if at_limit[int(i)] and (duals is None or abs(duals[i]) > 1e-9)]
    change = relaxation_values(solution, compiled, ask)       # ranging first (no re-solve)
    source = {i: "ranging" for i in change}
    rest = [i for i in ask if i not in change]
    if marginals == "exact" and lp is not None:
        change.update(relaxation_values(solution, compiled, rest, lp, use_ranging=False))
        source.update({i: "re-solve" for i in rest})
    elif duals is not None:      # "dual", or no LP kept to re-solve on: the slope at the limit
        change.update({i: loosening_rate(duals[i], sense[i]) for i in rest})
        source.update({i: "dual" for i in rest})
    else:                        # a solve without duals (a what-if session): unknown
        change.update({i: float("nan") for i in rest})
        source.update({i: UNKNOWN for i in rest})
    # binding: at its limit and one more tonne through it would change the cost (unknown:
    # at its limit)
    binding = {i: at_limit[i] and not abs(change.get(i, 0.0)) <= 1e-6 for i in at_limit}
    look = Lookup(data)
    cur = look.currency
    rows = []
    for i in (int(i) for i in idx):
        head = registry.spec(names[i]).head(look, compiled.row_key[i])
        dual = float(duals[i]) if duals is not None else float("nan")
        delta = change.get(i, 0.0)
        how = source.get(i) or ("zero dual" if at_limit[i] else "slack")
        bend, term = bent.get(i, (0.0, 0.0))
        if i in bent:
            delta, how, dual = float("nan"), "bent", float("nan")   # the dual of a bent row says nothing
            meaning = (f"{head.what} is bent by {bend:,.7g} t in {head.period}: the plan breaks "
                       "it (elastic mode; sheet Elastic)")
        else:
            meaning = _words(head.what, head.period, head.through, delta, cur, how)
        rows.append((head.sheet, head.rule_id, head.excel_row, head.kind, head.material,
                     head.period, head.who, head.limit, float(act[i] - term), binding[i], dual,
                     delta, how, meaning))
    table = pd.DataFrame(rows, columns=COLUMNS)
    counts = {k: sum(1 for v in source.values() if v == k) for k in (*SOURCES, UNKNOWN)}
    if not counts[UNKNOWN]:
        del counts[UNKNOWN]
    table.attrs["change_from"] = counts
    return table


def _words(what: str, period, through: str, delta: float, cur: str, how: str = "") -> str:
    if how == UNKNOWN:
        return (f"{what} is at its limit in {period}; what one more tonne {through} is worth "
                "was not computed (this solve kept no duals)")
    if abs(delta) < 1e-6:
        return f"{what} does not bind in {period}"
    verb = "save" if delta < 0 else "cost"
    size = f"up to {abs(delta):,.0f} {cur} (the dual; not re-solved)" if how == "dual" else \
        f"{abs(delta):,.0f} {cur}"
    return f"{what} binds in {period}: one more tonne {through} would {verb} {size}"
