"""Export controls of shipment scope (bans and quotas per rule and period) and
the share policies on arrivals at demand sites (docs/model.md).
"""

from __future__ import annotations

from collections import defaultdict

from model.verify.text import pct, q
from model.verify.sheets import arrivals_sheet


def check(ck) -> None:
    export_controls(ck)
    policies(ck)


def export_controls(ck) -> None:
    inp, d = ck.inp, ck.dec
    for r in inp.export_rules:
        if r["measure"] not in ("ban", "quota"):
            continue
        through: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for (ln_id, k, p), x in d.ship.items():
            if ln_id in inp.lanes and ck.covers(r, ln_id, k, p):
                through[p][f"{ln_id} {k}"] += x
        limit = 0.0 if r["measure"] == "ban" else (r["value"] or 0.0)
        for p in inp.periods:
            if p not in r["periods"]:
                continue
            ck.checks += 1
            lanes = through.get(p, {})
            x = sum(lanes.values())
            excess = ck.over(x, limit)
            if excess is None:
                continue
            detail = ", ".join(f"{n}: {q(v)} t" for n, v in lanes.items() if v)
            head = f"ExportControls row {r['row']} ({r['rule']}) {p}"
            if r["measure"] == "ban":
                ck.fail(f"{head}: {q(x)} t shipped through a ban ({detail}) "
                        f"[{ck.tol_note(x)}]")
            else:
                ck.fail(f"{head}: {q(x)} t shipped > quota {q(limit)} t ({detail}) "
                        f"[{ck.tol_note(limit, x)}]")


def arrivals(ck) -> dict[tuple[str, int], list[tuple[str, str, float]]]:
    """(material, period) -> [(country, company, t)] as docs/model.md defines them."""
    inp, d = ck.inp, ck.dec
    out: dict[tuple[str, int], list] = defaultdict(list)

    def add(site, k, p, origin, x):
        if (site, k) in inp.demand_sites and origin in inp.sites and x:
            o = inp.sites[origin]
            out[(k, p)].append((o["country"], o["company"], x))
    for (o, p), x in d.buy.items():
        off = inp.offers.get(o)
        if off is not None:
            add(off["site"], off["material"], p, off["site"], x)
    for (pr, p), x in d.runs.items():
        proc = inp.processes.get(pr)
        if proc is not None:
            for k, _, out_t, _ in inp.recipes.get(pr, []):
                if out_t:
                    add(proc["site"], k, p, proc["site"], out_t * x)
    for (ln_id, k, p), x in d.ship.items():
        ln = inp.lanes.get(ln_id)
        if ln is not None:
            add(ln["to"], k, p + ln.get("lead", 0), ln["from"], x)     # counted at arrival
    return out


def policies(ck) -> None:
    inp, tol = ck.inp, ck.tol
    arr = arrivals(ck)
    arrivals_sheet(ck, arr)
    for r in inp.policies:
        by = 1 if r["kind"] == "max_company_share" else 0
        who = r["company"] if by else r["country"]
        if r["kind"] == "min_country_share" and who is None:
            continue                       # invalid input: min_country_share needs a country
        for k in ([r["material"]] if r["material"] else inp.demanded):
            for p in r["periods"]:
                here = arr.get((k, p), [])
                total = sum(a[2] for a in here)
                group: dict[str, float] = defaultdict(float)
                for a in here:
                    group[a[by]] += a[2]
                names = [who] if who is not None else sorted(group, key=str)
                for w in names:
                    ck.checks += 1
                    x, bound = group.get(w, 0.0), r["value"] * total
                    head = (f"Policies row {r['row']} ({r['rule']}, {r['kind']}) {k} {p}: "
                            f"arrivals from {w} {q(x)} t = "
                            f"{pct(x / total) if total else 'n/a'} of {q(total)} t")
                    if r["kind"] == "min_country_share":
                        if x < bound - tol.t(total):
                            ck.fail(f"{head} < {pct(r['value'])} "
                                    f"[{ck.tol_note(total)}]")
                    elif x > bound + tol.t(total):
                        ck.fail(f"{head} > {pct(r['value'])} [{ck.tol_note(total)}]")
