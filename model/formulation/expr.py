"""Small helpers shared by the constraint families: linear expressions from
(coefficient, variable) lists, and indexed constraints from prepared rows."""

from __future__ import annotations

from collections import defaultdict

from model.formulation.arrays import ArrayModel


def linear(terms):
    """A Pyomo LinearExpression (the Pyomo backend and the risk model)."""
    from pyomo.core.expr.numeric_expr import LinearExpression
    terms = list(terms)
    return LinearExpression(constant=0, linear_coefs=[c for c, _ in terms],
                            linear_vars=[v for _, v in terms])


def grouped(items):
    """[(key, coef, var)] -> {key: [(coef, var)]} preserving first-seen key order."""
    out: dict = defaultdict(list)
    for key, coef, var in items:
        out[key].append((coef, var))
    return out


def add_constraint(m, name: str, rows: dict, doc: str = "") -> int:
    """rows: {index: (lower, [(coef, var)], upper)}; None bounds mean open.

    The Pyomo backend empties ``rows`` once the constraint is built: Pyomo keeps the
    rule, and the rule would keep a second copy of every row (1.7 of 6.8 MB of a
    scenario model of the example, for as long as the model lives)."""
    if not rows:
        return 0
    if isinstance(m, ArrayModel):
        return m.add_rows(name, rows)
    import pyomo.environ as pyo
    keys = list(rows)

    def rule(_m, *k):
        lo, terms, hi = rows[k if len(k) > 1 else k[0]]
        if not terms:
            return pyo.Constraint.Skip
        body = linear(terms)
        if lo is not None and hi is not None and lo == hi:
            return body == lo
        return (lo, body, hi)

    m.add_component(name, pyo.Constraint(keys, rule=rule, doc=doc))
    rows.clear()
    return len(getattr(m, name))
