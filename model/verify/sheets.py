"""Report consistency: ArrivalsByCountry and ProcessFlows against the
arrivals and flows recomputed from the decisions.
"""

from __future__ import annotations

from collections import defaultdict

from model.verify.text import q
from model.verify.decisions import REPORT_ROW


def arrivals_sheet(ck, arr) -> None:
    recs = ck.dec.sheets.get("ArrivalsByCountry")
    if recs is None:
        return
    mine: dict[tuple, float] = defaultdict(float)
    for (k, p), items in arr.items():
        for country, _, x in items:
            mine[(k, p, country)] += x
    seen = set()
    for rec in recs.rows:
        key = (rec["material_id"], rec["period"], rec["country"])
        seen.add(key)
        ck.checks += 1
        want = mine.get(key, 0.0)
        if abs(rec["arrivals_t"] - want) > ck.tol.t(want, rec["arrivals_t"]):
            ck.consistency.append(
                f"ArrivalsByCountry row {rec[REPORT_ROW]} ({key[0]} {key[1]} from {key[2]}): "
                f"arrivals_t {q(rec['arrivals_t'])} t in the report, {q(want)} t recomputed")
    for key, want in mine.items():
        if key not in seen and want > ck.tol.t(want):
            ck.checks += 1
            ck.consistency.append(f"ArrivalsByCountry: no row for {key[0]} {key[1]} from {key[2]}, "
                                  f"but {q(want)} t arrive")


def flows_sheet(ck) -> None:
    recs = ck.dec.sheets.get("ProcessFlows")
    if recs is None:
        return
    for rec in recs.rows:
        pr, k, p = rec["process_id"], rec["material_id"], rec["period"]
        runs = ck.dec.runs.get((pr, p), 0.0)
        lines = [(i, o) for m, i, o, _ in ck.inp.recipes.get(pr, []) if m == k]
        i = sum(a for a, _ in lines)
        o = sum(b for _, b in lines)
        for col, want in (("consumed_t", runs * i), ("produced_t", runs * o)):
            ck.checks += 1
            if abs(rec[col] - want) > ck.tol.t(want, rec[col]):
                ck.consistency.append(f"ProcessFlows row {rec[REPORT_ROW]} ({pr} {k} {p}): {col} "
                                      f"{q(rec[col])} t in the report, {q(want)} t from "
                                      f"{q(runs)} runs x Recipes")
