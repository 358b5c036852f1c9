"""Compare a fresh solve with its baseline: which figure, baseline, now, difference.

Rules (docs/regression.md):

- status must be the same;
- objective: |now - baseline| <= tol * max(1, |baseline|), with tol =
  ``objective_rel`` (1e-6) for an LP and max(objective_rel, mip_gap of the
  Settings and of both solutions) for a MIP, whose answers may differ within
  the gap;
- every figure: |now - baseline| <= ``t_abs`` (1e-4 t) for tonnages,
  ``currency_abs`` (1.0) for costs; a figure absent on one side is 0 there;
- a different solver version is a note, never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.regress.baseline import Baseline
from model.regress.figures import SECTIONS

SLACK = 1e-9    # float round-off on top of a tolerance


@dataclass
class Diff:
    figure: str               # "objective", "status", "cost[purchase]", ...
    baseline: object
    now: object
    tolerance: str = ""

    @property
    def difference(self) -> str:
        if isinstance(self.baseline, (int, float)) and isinstance(self.now, (int, float)) \
                and not isinstance(self.baseline, bool):
            d = self.now - self.baseline
            text = ("+" if d >= 0 else "-") + fmt(abs(d))
            if self.baseline:
                text += f" ({d / abs(self.baseline):+.4%})"
            return text
        return "changed"


def fmt(v) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if v == 0:
        return "0"
    if abs(v) >= 1e15 or abs(v) < 1e-4:
        return f"{v:.6g}"
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    return text


def objective_tolerance(base: Baseline, now: Baseline) -> float:
    tol = base.tolerances.objective_rel
    if base.is_mip or now.is_mip:
        gaps = [base.mip_gap, now.mip_gap, base.solution_gap or 0.0, now.solution_gap or 0.0]
        tol = max([tol, *gaps])
    return tol


def compare(base: Baseline, now: Baseline) -> tuple[list[Diff], list[str]]:
    """(differences beyond tolerance, notes)."""
    diffs: list[Diff] = []
    notes: list[str] = []
    if (base.solver, base.solver_version) != (now.solver, now.solver_version):
        notes.append(f"solver {now.solver} {now.solver_version} differs from the baseline's "
                     f"{base.solver} {base.solver_version}: compared all the same")
    if base.status != now.status:
        diffs.append(Diff("status", base.status, now.status))
    if base.is_mip != now.is_mip:
        notes.append(f"the model is now {'a MIP' if now.is_mip else 'an LP'}, "
                     f"the baseline's was {'a MIP' if base.is_mip else 'an LP'}")
    tol = objective_tolerance(base, now)
    if base.objective is None or now.objective is None:
        if (base.objective is None) != (now.objective is None):
            diffs.append(Diff("objective", base.objective, now.objective))
    elif abs(now.objective - base.objective) > tol * max(1.0, abs(base.objective)) * (1 + SLACK):
        diffs.append(Diff("objective", base.objective, now.objective, f"rel {tol:g}"))
    for s in SECTIONS:
        atol = base.tolerances.for_unit(s.unit)
        b, n = base.figures.get(s.name, {}), now.figures.get(s.name, {})
        for key in list(b) + [k for k in n if k not in b]:
            bv, nv = b.get(key, 0.0), n.get(key, 0.0)
            if abs(nv - bv) > atol * (1 + SLACK) + SLACK:
                unit = "t" if s.unit == "t" else (base.currency or "currency")
                diffs.append(Diff(f"{s.name}[{key}]", bv, nv, f"{atol:g} {unit}"))
    return diffs, notes


def render_diffs(diffs: list[Diff], limit: int = 60) -> list[str]:
    """A fixed-width table: figure, baseline, now, difference, tolerance."""
    if not diffs:
        return []
    rows = [("figure", "baseline", "now", "difference", "tolerance")]
    rows += [(d.figure, fmt(d.baseline), fmt(d.now), d.difference, d.tolerance) for d in diffs[:limit]]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [r[i].rjust(widths[i]) for i in (1, 2)] \
            + [r[3].rjust(widths[3]), r[4].ljust(widths[4])]
        out.append("  ".join(cells).rstrip())
    if len(diffs) > limit:
        out.append(f"... and {len(diffs) - limit} more")
    return out
