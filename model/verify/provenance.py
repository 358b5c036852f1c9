"""Rules that follow the material (contract v1.1): ``clean_chain`` and
``qualified_only`` policies and export controls of ``content`` scope.

Which class (touched country groups, qualified segments) each tonne belongs
to is a decision of the model that the aggregate decisions do not record, so
these rules are checked against the class split the report gives:

- ``TouchedFlows``: shipments and process runs by class. Per lane, material
  and period (process and period) the classes must add up to the Shipments
  (ProcessRuns) figure; a run's class must have touched every tracked group
  of its site's country and be qualified exactly for the process's
  ``qualified_for`` (tracked segments only). Content-scope bans, quotas and
  tariffs apply to the cross-border shipments of classes that touched the
  exporter (group ``country:XX``) into ``importer`` (blank: any country).
- ``ChainOfCustody``: demand met by class per segment, material and period.
  The classes must add up to the Demand sheet's met t; the clean/touched and
  qualified/unqualified columns must follow the class; a ``clean_chain`` rule
  allows no covered demand met by a class that touched its group, a
  ``qualified_only`` rule none met by a class not qualified for its segment.
"""

from __future__ import annotations

from collections import defaultdict

from model.verify.text import q
from model.verify.decisions import REPORT_ROW


def parse_label(text) -> tuple[frozenset, frozenset]:
    """'touched FEOC, qualified munitions' -> ({'FEOC'}, {'munitions'}); 'clean' -> ((), ())."""
    touched, qualified = set(), set()
    for part in str(text or "").split(", "):
        part = part.strip()
        if part.startswith("touched "):
            touched.add(part[len("touched "):])
        elif part.startswith("qualified "):
            qualified.add(part[len("qualified "):])
    return frozenset(touched), frozenset(qualified)


def check(ck) -> None:
    inp = ck.inp
    if not inp.chain_rules and not inp.content_rules:
        return
    flows = ck.dec.sheets.get("TouchedFlows")
    if flows is None:
        ck.checks += 1
        ck.fail("the report has no TouchedFlows sheet: the rules that follow the material "
                f"({_names(inp)}) cannot be checked")
    else:
        _flows(ck, flows)
    if inp.chain_rules:
        chain = ck.dec.sheets.get("ChainOfCustody")
        if chain is None:
            ck.checks += 1
            ck.fail("the report has no ChainOfCustody sheet: the clean_chain / qualified_only "
                    f"rules ({_names(inp)}) cannot be checked")
        else:
            _chain(ck, chain)


def _names(inp) -> str:
    return ", ".join(f"{r['rule']}" for r in [*inp.chain_rules, *inp.content_rules])


def _flows(ck, recs) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    ship: dict[tuple, float] = defaultdict(float)
    runs: dict[tuple, float] = defaultdict(float)
    by_class: list[tuple] = []
    for rec in recs.rows:
        where = f"TouchedFlows row {rec[REPORT_ROW]}"
        touched, qualified = parse_label(rec["class"])
        x, p = rec["quantity"], rec["period"]
        ck.checks += 1
        if rec["step"] == "ship":
            lane, k = rec["id"], rec["material_id"]
            if lane not in inp.lanes:
                ck.fail(f"{where}: lane {lane} is not in Lanes")
                continue
            ship[(lane, k, p)] += x
            by_class.append((lane, k, p, touched, x, rec[REPORT_ROW]))
        elif rec["step"] == "process":
            pr = rec["id"]
            proc = inp.processes.get(pr)
            if proc is None:
                ck.fail(f"{where}: process {pr} is not in Processes")
                continue
            runs[(pr, p)] += x
            country = inp.sites.get(proc["site"], {}).get("country")
            need = {g for g, members in inp.groups.items() if country in members}
            want_q = proc["qualified_for"] & inp.segments
            if x > tol.t(x) and not need <= touched:
                ck.fail(f"{where} ({pr} {p}): {q(x)} runs of class \"{rec['class']}\", but runs at "
                        f"{proc['site']} ({country}) touch {', '.join(sorted(need))}")
            if x > tol.t(x) and qualified != want_q:
                ck.fail(f"{where} ({pr} {p}): {q(x)} runs of class \"{rec['class']}\", but "
                        f"Processes row {proc['row']} qualifies its outputs for "
                        f"{', '.join(sorted(want_q)) or 'no tracked segment'}")
        else:
            ck.fail(f"{where}: step {rec['step']!r} is neither ship nor process")
    for key in sorted(set(ship) | set(d.ship), key=str):
        ck.checks += 1
        a, b = ship.get(key, 0.0), d.ship.get(key, 0.0)
        if abs(a - b) > tol.t(a, b):
            ck.fail(f"TouchedFlows: lane {key[0]} / {key[1]} / {key[2]} carries {q(a)} t over its "
                    f"classes, Shipments {q(b)} t")
    for key in sorted(set(runs) | set(d.runs), key=str):
        ck.checks += 1
        a, b = runs.get(key, 0.0), d.runs.get(key, 0.0)
        if abs(a - b) > tol.t(a, b):
            ck.fail(f"TouchedFlows: process {key[0]} / {key[1]} has {q(a)} runs over its classes, "
                    f"ProcessRuns {q(b)}")
    _content(ck, by_class)


def _content(ck, by_class) -> None:
    inp = ck.inp
    for r in inp.content_rules:
        group = f"country:{r['exporter']}"
        through: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for lane, k, p, touched, x, _ in by_class:
            ln = inp.lanes[lane]
            a = inp.sites.get(ln["from"], {}).get("country")
            b = inp.sites.get(ln["to"], {}).get("country")
            if (group in touched and a is not None and a != b and p in r["periods"]
                and (r["importer"] is None or r["importer"] == b)
                and (r["material"] is None or r["material"] == k)):
                through[p][f"{lane} {k}"] += x
                if r["measure"] == "tariff":
                    ref = inp.materials.get(k, {}).get("ref", 0.0)
                    ck.add_cost("tariff", p, (r["value"] or 0.0) * ref, x)
                    ck.content_paid[(lane, k, p)] += (r["value"] or 0.0) * ref * x
        if r["measure"] not in ("ban", "quota"):
            continue
        limit = 0.0 if r["measure"] == "ban" else (r["value"] or 0.0)
        for p in sorted(r["periods"]):
            ck.checks += 1
            lanes = through.get(p, {})
            x = sum(lanes.values())
            if ck.over(x, limit) is None:
                continue
            detail = ", ".join(f"{n}: {q(v)} t" for n, v in lanes.items() if v)
            head = (f"ExportControls row {r['row']} ({r['rule']}, content scope) {p}: {q(x)} t "
                    f"that touched {r['exporter']} shipped")
            if r["measure"] == "ban":
                ck.fail(f"{head} through a ban ({detail}) [{ck.tol_note(x)}]")
            else:
                ck.fail(f"{head} > quota {q(limit)} t ({detail}) [{ck.tol_note(limit, x)}]")


def _chain(ck, recs) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    met: dict[tuple, float] = defaultdict(float)          # (segment, material, period) -> t
    for row, (m, _) in d.demand.items():
        dem = inp.demand[row]
        met[(dem["segment"], dem["material"], dem["period"])] += m
    listed: dict[tuple, float] = defaultdict(float)
    rows = []
    for rec in recs.rows:
        key = (rec["segment"], rec["material_id"], rec["period"])
        x = rec["met_t"]
        listed[key] += x
        touched, qualified = parse_label(rec["class"])
        rows.append((key, touched, qualified, x, rec[REPORT_ROW]))
        for g in inp.groups:
            hit = g in touched
            for col, want in ((f"touched_{g}_t", x if hit else 0.0),
                              (f"clean_of_{g}_t", 0.0 if hit else x)):
                ck.same(rec, "ChainOfCustody", col, want, f"class \"{rec['class']}\" and met_t")
        for s in inp.segments:
            ok = s in qualified
            for col, want in ((f"qualified_{s}_t", x if ok else 0.0),
                              (f"unqualified_{s}_t", 0.0 if ok else x)):
                ck.same(rec, "ChainOfCustody", col, want, f"class \"{rec['class']}\" and met_t")
    for key in sorted(set(listed) | {k for k, v in met.items() if v}, key=str):
        ck.checks += 1
        a, b = listed.get(key, 0.0), met.get(key, 0.0)
        if abs(a - b) > tol.t(a, b):
            ck.fail(f"ChainOfCustody: {key[0]} / {key[1]} / {key[2]} accounts for {q(a)} t met "
                    f"over its classes, the Demand sheet for {q(b)} t")
    for r in inp.chain_rules:
        for p in r["periods"]:
            ck.checks += 1
            bad, where = 0.0, []
            for (seg, k, period), touched, qualified, x, rrow in rows:
                if seg != r["segment"] or period != p or (r["material"] and k != r["material"]):
                    continue
                broken = (r["group"] in touched if r["kind"] == "clean_chain"
                          else r["segment"] not in qualified)
                if broken and x:
                    bad += x
                    where.append(str(rrow))
            if bad > tol.t(bad):
                what = (f"material that touched {r['group']}" if r["kind"] == "clean_chain"
                        else f"material not qualified for {r['segment']}")
                ck.fail(f"Policies row {r['row']} ({r['rule']}, {r['kind']}) {r['segment']} "
                        f"{r['material'] or ''} {p}: {q(bad)} t of demand met with {what} "
                        f"(ChainOfCustody row{'s' if len(where) > 1 else ''} {', '.join(where)}) "
                        f"[{ck.tol_note(bad)}]".replace("  ", " "))
