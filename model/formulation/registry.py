"""The registry of row kinds: every family's ``ROWS`` (``model.formulation.rowspec``),
by row name. The analyses ask it what a row is instead of knowing families by
name; adding a family to ``FAMILIES`` adds its rows here."""

from __future__ import annotations

from model.formulation import FAMILIES
from model.formulation.rowspec import RowSpec, unknown


def specs() -> dict[str, RowSpec]:
    """{row name: spec} over the families in ``FAMILIES`` (read at each call, so a
    family added to ``FAMILIES`` is seen at once)."""
    return {spec.name: spec for family in FAMILIES.values() for spec in getattr(family, "ROWS", ())}


def spec(name: str) -> RowSpec:
    """The spec of row ``name``; rows no family declares (elastic's added rows, the
    risk model's CVaR cap) read as plain model rows."""
    return specs().get(name) or unknown(name)


def rules(sheet: str | None = None) -> tuple[str, ...]:
    """Row names that are rules with a marginal (of ``sheet``, when given)."""
    return tuple(n for n, s in specs().items() if s.rule and (sheet is None or s.sheet == sheet))


def rule_sheets() -> tuple[str, ...]:
    """The input sheets whose rows are rules (in the order of ``FAMILIES``)."""
    return tuple(dict.fromkeys(s.sheet for s in specs().values() if s.rule))


def owned() -> dict[str, RowSpec]:
    """Rows that an id switches off (a rule, or the offer a take-or-pay row belongs to)."""
    return {n: s for n, s in specs().items() if s.owner is not None}


def relaxable() -> dict[str, RowSpec]:
    """Rows an ``--elastic`` family may bend."""
    return {n: s for n, s in specs().items() if s.relax is not None}
