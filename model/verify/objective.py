"""The objective: the cost terms the families collected, discounted, against
the Summary objective and every CostByCategory row.
"""

from __future__ import annotations

from model.verify.text import CATEGORIES, q
from model.verify.decisions import REPORT_ROW, as_number


def check(ck, summary: dict) -> None:
    costs(ck)
    objective_against(ck, summary)


def costs(ck) -> None:
    inp = ck.inp
    ck.objective = sum(inp.delta[p] * v for (_, p), v in ck.cost.items() if p in inp.delta)


def objective_against(ck, summary: dict) -> None:
    inp = ck.inp
    ck.reported = as_number(summary.get("objective"))
    tol = ck.money_tol()
    ck.checks += 1
    if ck.reported is None:
        ck.fail(f"Summary objective {summary.get('objective')!r} is not a number")
    elif abs(ck.reported - ck.objective) > tol:
        rel = abs(ck.reported - ck.objective) / max(1.0, abs(ck.reported))
        ck.fail(f"Summary objective {q(ck.reported)} differs from the objective "
                f"recomputed from the decisions, {q(ck.objective)} {inp.currency} "
                f"(relative difference {rel:.2g} > tolerance {ck.tol.objective_rel:g})")
    recs = ck.dec.sheets.get("CostByCategory")
    if recs is None:
        return
    seen = set()
    total_disc = 0.0
    for rec in recs.rows:
        cat, p = rec["category"], rec["period"]
        key = (cat, p)
        where = f"CostByCategory row {rec[REPORT_ROW]} ({cat} {p})"
        if cat not in CATEGORIES:
            ck.fail(f"{where}: unknown category {cat}")
            continue
        if p not in inp.delta:
            ck.fail(f"{where}: period {p} is outside the horizon")
            continue
        if key in seen:
            ck.fail(f"{where}: recorded twice")
        seen.add(key)
        total_disc += rec["discounted_cost"]
        want = ck.cost.get(key, 0.0)
        for col, w in (("cost", want), ("discounted_cost", want * inp.delta[p])):
            ck.checks += 1
            if abs(rec[col] - w) > tol:
                ck.fail(f"{where}: {col} {q(rec[col])} in the report, {q(w)} recomputed "
                        f"(tolerance {tol:.3g} {inp.currency})")
    for (cat, p), v in sorted(ck.cost.items(), key=lambda kv: (CATEGORIES.index(kv[0][0]),
                                                               kv[0][1])):
        if (cat, p) not in seen and p in inp.delta:
            ck.checks += 1
            if abs(v) > tol:
                ck.fail(f"CostByCategory: no row for {cat} {p}, recomputed {q(v)} "
                        f"{inp.currency}")
    if ck.reported is not None:
        ck.checks += 1
        if abs(total_disc - ck.reported) > tol:
            ck.fail(f"CostByCategory: discounted_cost sums to {q(total_disc)}, not the "
                    f"Summary objective {q(ck.reported)}")
