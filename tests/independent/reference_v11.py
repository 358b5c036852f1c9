"""A second, independent statement of contract v1.1 (rules that follow the material).

`solve_workbook_v11(path, scenario=None)` reads a contract-v1.1 workbook with
openpyxl and writes the model of docs/model.md plus docs/provenance.md as
arrays for highspy. It reuses the v1 reference's reader, scenario changes,
interpretation of the v1 sheets, `Problem` and solver call
(`independent.reference_model`), and states the class-indexed flows itself.
Like the v1 reference it shares nothing with the product (no `model`
import, no Pyomo).

Deliberately dense: a class is a pair (tracked groups touched, tracked
segments qualified for) and *every* such pair is a class (all subsets), every
(site, material, class, period) has a balance row, every lane carries every
class. Classes nothing can reach are forced to zero by their balance rows.

- tracked groups: the `group` of every clean_chain policy, and `country:X`
  (members {X}) for every content-scope export rule on exporter X;
- tracked segments: the `segment` of every qualified_only policy;
- a purchase at an offer at a site in country c has class
  (groups containing c, offer.qualified_for);
- a run of process q labelled with class c exists when touched(c) contains
  every group of the site's country and qualified(c) = q.qualified_for; per
  input k it consumes `in[q,k] * runc` split over input classes whose touched
  set is a subset of touched(c); all outputs get class c;
- shipping, storage and discarding keep the class;
- initial stock: every tracked group unless initial_clean, qualified for
  initial_qualified_for;
- clean_chain: covered Demand rows are met only by classes not touching the
  group; qualified_only: only by classes qualified for the segment;
- content scope: lane shipments whose two countries differ, into `importer`
  (blank: any country), of classes touching country:exporter, matching
  material and period: ban / quota per rule and period over all covered
  (lane, material, class); tariff `value * reference_price` per covered t;
- v1 (shipment-scope) rules and share policies act on class sums.

`check_report_v11(path, report)` checks a product report's plan here: the
report's decisions are class sums, so the class split is left free.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from independent.reference_model import (
    INF,
    Problem,
    ReferenceInputError,
    _bool,
    add_offer_use,
    add_share_policies,
    _capacity,
    check_plan,
    read_plan,
    _enabled,
    _text,
    _window,
    _num,
    apply_scenario,
    interpret,
    read_raw_sheets,
    solve_problem,
)

NEW_KINDS = ("clean_chain", "qualified_only")


def _segments(v) -> frozenset:
    text = _text(v)
    if text is None:
        return frozenset()
    return frozenset(s.strip() for s in text.split(",") if s.strip())


def _scope(r) -> str:
    return (_text(r.get("scope")) or "shipment").lower()


def prepare(sheets):
    """Split v1.1 rows off the raw sheets, interpret v1, return (data, extra)."""
    periods_probe = interpret_settings_periods(sheets)
    policies = sheets.get("policies", [])
    chain_rows = [r for r in _enabled(policies) if (_text(r.get("kind")) or "").lower() in NEW_KINDS]
    sheets["policies"] = [r for r in policies
                          if (_text(r.get("kind")) or "").lower() not in NEW_KINDS]
    controls = sheets.get("exportcontrols", [])
    content_rows = [r for r in _enabled(controls) if _scope(r) == "content"]
    sheets["exportcontrols"] = [r for r in controls if _scope(r) != "content"]

    d = interpret(sheets)
    P = d.periods
    assert P == periods_probe

    members = {}
    for r in sheets.get("countrygroups", []):
        members.setdefault(_text(r["group_id"]), set()).add(_text(r["country"]))

    chain = []
    for r in chain_rows:
        chain.append(dict(kind=_text(r["kind"]).lower(), segment=_text(r.get("segment")),
                          group=_text(r.get("group")), mat=_text(r.get("material_id")),
                          periods=_window(r, P)))
    content = []
    for r in content_rows:
        content.append(dict(exporter=_text(r["exporter"]), importer=_text(r.get("importer")),
                            mat=_text(r.get("material_id")), periods=_window(r, P),
                            measure=_text(r["measure"]).lower(), value=_num(r.get("value"), 0.0)))

    groups = {}
    for rule in chain:
        if rule["kind"] == "clean_chain":
            if rule["group"] not in members:
                raise ReferenceInputError(f"unknown group {rule['group']!r}")
            groups[rule["group"]] = frozenset(members[rule["group"]])
    for rule in content:
        groups["country:" + rule["exporter"]] = frozenset([rule["exporter"]])
    segs = sorted({rule["segment"] for rule in chain if rule["kind"] == "qualified_only"})

    # qualified_for of offers (same order as d.offers) and processes
    offer_q = [_segments(r.get("qualified_for")) for r in _enabled(sheets.get("supply", []))]
    assert len(offer_q) == len(d.offers)
    proc_q = {_text(r["process_id"]): _segments(r.get("qualified_for"))
              for r in _enabled(sheets.get("processes", []))}
    init_class = {}
    for r in _enabled(sheets.get("inventory", [])):
        init_class[(_text(r["site_id"]), _text(r["material_id"]))] = (
            _bool(r.get("initial_clean"), False), _segments(r.get("initial_qualified_for")))
    # segment of each enabled Demand row, same order as d.demand
    dem_seg = [_text(r.get("segment")) for r in _enabled(sheets.get("demand", []))]
    assert len(dem_seg) == len(d.demand)
    return d, dict(chain=chain, content=content, groups=groups, segs=segs, offer_q=offer_q,
                   proc_q=proc_q, init_class=init_class, dem_seg=dem_seg)


def interpret_settings_periods(sheets):
    settings = {_text(r.get("key")): r.get("value") for r in sheets.get("settings", [])}
    return list(range(int(_num(settings["first_period"])), int(_num(settings["last_period"])) + 1))


def _class_label(c) -> str:
    touched, qualified = c
    return "touched{%s} qualified{%s}" % (",".join(sorted(touched)), ",".join(sorted(qualified)))


def _subsets(items):
    items = sorted(items)
    return [frozenset(c) for n in range(len(items) + 1) for c in itertools.combinations(items, n)]


def build_v11(d, x) -> Problem:
    P = d.periods
    pb = Problem()
    sites = sorted(d.country)
    mats = sorted(d.ref_price)
    groups, segs = x["groups"], x["segs"]
    classes = [(t, q) for t in _subsets(groups) for q in _subsets(segs)]
    tracked_segs = frozenset(segs)

    def groups_of(country):
        return frozenset(g for g, m in groups.items() if country in m)

    balance = {(s, k, c, p): [] for s in sites for k in mats for c in classes for p in P}
    rhs = {key: 0.0 for key in balance}
    arrivals = {}
    demand_sites = {}
    for dm in d.demand:
        demand_sites.setdefault(dm["mat"], set()).add(dm["site"])

    def arrival(k, p, site_at, col, coef, origin):
        if site_at in demand_sites.get(k, ()):
            arrivals.setdefault((k, p), []).append((col, coef, d.country[origin],
                                                    d.company[origin]))

    # purchases: one class per offer
    for o, qual in zip(d.offers, x["offer_q"]):
        c = (groups_of(d.country[o["site"]]), qual & tracked_segs)
        for p in o["periods"]:
            cap = _capacity(d, o["id"], o["cap"], p)
            if cap <= 0:
                continue
            buy = pb.column(d.delta[p] * o["cost"], 0.0, cap, tag="purchase",
                            key=("purchase", o["id"], p))
            balance[(o["site"], o["mat"], c, p)].append((buy, 1.0))
            arrival(o["mat"], p, o["site"], buy, 1.0, o["site"])
            if o["fixed"] > 0 or o["minq"] > 0:
                add_offer_use(pb, d, o, p, buy, cap)

    # processes: runs per output class, consumption split by input class
    for q, pr in d.processes.items():
        s = pr["site"]
        need = groups_of(d.country[s])
        qual = x["proc_q"].get(q, frozenset()) & tracked_segs
        run_classes = [c for c in classes if c[1] == qual and need <= c[0]]
        for p in pr["periods"]:
            cap = _capacity(d, q, pr["cap"], p)
            if cap <= 0:
                continue
            runs = []
            for c in run_classes:
                run = pb.column(d.delta[p] * pr["cost"], 0.0, cap, tag="process", key=("run", q, p))
                runs.append(run)
                for k, a in d.recipe_in[q].items():
                    cons = []
                    for c_in in classes:
                        if c_in[0] <= c[0]:
                            j = pb.column(0.0, tag="consumption")
                            balance[(s, k, c_in, p)].append((j, -1.0))
                            cons.append((j, 1.0))
                    pb.row(cons + [(run, -a)], lo=0.0, hi=0.0,
                           name=f"process {q} {p}: consumption of {k} by class")
                for k, b in d.recipe_out[q].items():
                    balance[(s, k, c, p)].append((run, b))
                    arrival(k, p, s, run, b, s)
            total = [(r, 1.0) for r in runs]
            pb.row(total, hi=cap, name=f"process {q} {p}: capacity")
            if pr["fixed"] > 0:
                on = pb.column(d.delta[p] * pr["fixed"], 0.0, 1.0, integer=True, tag="fixed")
                pb.row(total + [(on, -cap)], hi=0.0, name=f"process {q} {p}: runs <= capacity x on")

    # lanes: v1 shipment-scope rules on every class, content rules on touching classes
    def covers_v1(rule, lane, k, p):
        ce, ci = d.country[lane["frm"]], d.country[lane["to"]]
        if ce != rule["exporter"] or ce == ci:
            return False
        if rule["importer"] is not None and ci != rule["importer"]:
            return False
        if rule["mat"] is not None and rule["mat"] != k:
            return False
        return p in rule["periods"]

    def covers_content(rule, lane, k, c, p):
        ce, ci = d.country[lane["frm"]], d.country[lane["to"]]
        if ce == ci:
            return False
        if rule["importer"] is not None and ci != rule["importer"]:
            return False
        if rule["mat"] is not None and rule["mat"] != k:
            return False
        if "country:" + rule["exporter"] not in c[0]:
            return False
        return p in rule["periods"]

    limited = {}
    content_limited = {}
    for lane in d.lanes:
        carried = [lane["mat"]] if lane["mat"] is not None else mats
        for p in P:
            on_lane = []
            for k in carried:
                rules = [i for i, rule in enumerate(d.controls) if covers_v1(rule, lane, k, p)]
                tariff_v1 = lane["tariff"] + sum(d.controls[i]["value"] for i in rules
                                                 if d.controls[i]["measure"] == "tariff")
                for c in classes:
                    crules = [i for i, rule in enumerate(x["content"])
                              if covers_content(rule, lane, k, c, p)]
                    tariff = tariff_v1 + sum(x["content"][i]["value"] for i in crules
                                             if x["content"][i]["measure"] == "tariff")
                    ship = pb.column(d.delta[p] * (lane["cost"] + tariff * d.ref_price[k]),
                                     tag="ship", key=("ship", lane["id"], k, p))
                    for i in rules:
                        if d.controls[i]["measure"] in ("ban", "quota"):
                            limited.setdefault((i, p), []).append(ship)
                    for i in crules:
                        if x["content"][i]["measure"] in ("ban", "quota"):
                            content_limited.setdefault((i, p), []).append(ship)
                    balance[(lane["frm"], k, c, p)].append((ship, -1.0))
                    balance[(lane["to"], k, c, p)].append((ship, 1.0))
                    arrival(k, p, lane["to"], ship, 1.0, lane["frm"])
                    on_lane.append(ship)
            cap = _capacity(d, lane["id"], lane["cap"], p)
            if cap < INF:
                pb.row([(j, 1.0) for j in on_lane], hi=cap, name=f"lane {lane['id']} {p}: capacity")
    for (i, p), cols in limited.items():
        rule = d.controls[i]
        bound = 0.0 if rule["measure"] == "ban" else rule["value"]
        pb.row([(j, 1.0) for j in cols], hi=bound, name=f"{rule['measure']} {rule['id']} {p}")
    for (i, p), cols in content_limited.items():
        rule = x["content"][i]
        bound = 0.0 if rule["measure"] == "ban" else rule["value"]
        pb.row([(j, 1.0) for j in cols], hi=bound,
               name=f"content {rule['measure']} on {rule['exporter']} {p}")

    # stock by class; bounds on the class sum
    all_groups = frozenset(groups)
    for (s, k), inv in d.inventory.items():
        if (s, k, classes[0], P[0]) not in balance:
            continue
        clean, qual = x["init_class"].get((s, k), (False, frozenset()))
        c0 = (frozenset() if clean else all_groups, qual & tracked_segs)
        rhs[(s, k, c0, P[0])] -= inv["init"]
        for i, p in enumerate(P):
            cols = []
            for c in classes:
                st = pb.column(d.delta[p] * inv["hold"], tag="holding", key=("stock", s, k, p))
                cols.append((st, 1.0))
                balance[(s, k, c, p)].append((st, -1.0))
                if i + 1 < len(P):
                    balance[(s, k, c, P[i + 1])].append((st, 1.0))
            pb.row(cols, lo=inv["lo"], hi=inv["hi"], name=f"stock bounds {s}/{k}/{p}")

    for key in balance:
        dis = pb.column(d.delta[key[3]] * d.disposal[key[1]], tag="disposal",
                        key=("discard", key[0], key[1], key[3]))
        balance[key].append((dis, -1.0))

    # demand met by class; clean_chain / qualified_only remove classes
    for dm, seg in zip(d.demand, x["dem_seg"]):
        p = dm["period"]
        if dm["qty"] <= 0 or p not in d.delta:
            continue
        allowed = list(classes)
        for rule in x["chain"]:
            if rule["segment"] != seg or p not in rule["periods"]:
                continue
            if rule["mat"] is not None and rule["mat"] != dm["mat"]:
                continue
            if rule["kind"] == "clean_chain":
                allowed = [c for c in allowed if rule["group"] not in c[0]]
            else:
                allowed = [c for c in allowed if rule["segment"] in c[1]]
        w = d.delta[p] * dm["penalty"]
        pb.constant += w * dm["qty"]
        pb.demand_t += dm["qty"]
        mets = []
        for c in allowed:
            met = pb.column(-w, 0.0, dm["qty"], tag="unmet", key=("met", dm["row"]))
            balance[(dm["site"], dm["mat"], c, p)].append((met, -1.0))
            mets.append((met, 1.0))
        if mets:
            pb.row(mets, hi=dm["qty"], name=f"Demand row {dm['row']}: met <= quantity")

    for key, terms in balance.items():
        pb.row(terms, lo=rhs[key], hi=rhs[key], name="balance %s/%s/%s/%s" % (
            key[0], key[1], _class_label(key[2]), key[3]))

    add_share_policies(pb, d, arrivals, demand_sites)   # arrivals summed over classes
    return pb


def solve_workbook_v11(path, scenario=None) -> dict:
    """Solve a contract-v1.1 workbook independently of the product.

    Returns `status`, `objective` (as the v1 reference), plus diagnostics:
    cost by category, problem size and the number of classes.
    """
    sheets = read_raw_sheets(Path(path))
    apply_scenario(sheets, scenario)
    d, x = prepare(sheets)
    out = solve_problem(build_v11(d, x), d.mip_gap, d.time_limit)
    out["classes"] = 2 ** (len(x["groups"]) + len(x["segs"]))
    return out


def check_report_v11(path, report, scenario=None) -> dict:
    """The product report's plan inside this formulation (`check_plan`): the
    report gives each decision summed over classes; the class split is free."""
    sheets = read_raw_sheets(Path(path))
    apply_scenario(sheets, scenario)
    d, x = prepare(sheets)
    return check_plan(build_v11(d, x), read_plan(report))
