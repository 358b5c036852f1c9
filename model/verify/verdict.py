"""What a verification returns: the tolerances used and the verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

QUANTITY_ABS = 1e-6     # t (or runs), scaled by max(1, magnitude of the constraint)
OBJECTIVE_REL = 1e-6    # relative to max(1, |objective|)
REPORT_ROUNDING = 1e-7  # t: the step to which the report rounds quantities


class CannotVerify(Exception):
    """The input or the report cannot be read or used (exit code 2)."""


@dataclass(frozen=True)
class Tolerance:
    """``quantity_abs``: a constraint in t (or runs) holds when it is broken by
    at most ``quantity_abs * max(1, M)``, M being the magnitude of the
    constraint (its right-hand side or largest side). ``objective_rel``: money
    agrees when it differs by at most ``objective_rel * max(1, |objective|)``,
    plus half of ``report_rounding`` times every (discounted) cost coefficient
    of the recomputation, since the report rounds quantities to that step; that
    allowance is capped at ``objective_rel * max(1, |objective|)``, so no cost
    coefficient can widen the money tolerance beyond twice the relative one."""
    quantity_abs: float = QUANTITY_ABS
    objective_rel: float = OBJECTIVE_REL
    report_rounding: float = REPORT_ROUNDING

    def t(self, *magnitudes: float) -> float:
        """Tolerance in t for a constraint whose terms have these magnitudes."""
        return self.quantity_abs * max([1.0, *(abs(m) for m in magnitudes)])

    def describe(self) -> str:
        return (f"quantities: {self.quantity_abs:g} t x max(1, magnitude); "
                f"money: {self.objective_rel:g} x max(1, |objective|)")


@dataclass
class Verdict:
    ok: bool
    violations: list[str]
    checks: int
    tolerance: Tolerance
    has_solution: bool = True
    objective_reported: float | None = None
    objective_recomputed: float | None = None
    notes: list[str] = field(default_factory=list)
    message: str = ""

    def headline(self) -> str:
        if not self.has_solution:
            return self.message or "no solution to check"
        if self.ok:
            return (f"verified: {self.checks:,} constraints hold and the objective "
                    f"{_money(self.objective_recomputed)} agrees ({self.tolerance.describe()})")
        n = len(self.violations)
        return (f"NOT verified: {n} violation{'s' if n != 1 else ''} in {self.checks:,} checks "
                f"({self.tolerance.describe()})")

    def as_dict(self) -> dict:
        out = asdict(self)
        out["tolerance"] = asdict(self.tolerance)
        return out


def _money(v: float | None) -> str:
    return "-" if v is None else f"{v:,.2f}"
