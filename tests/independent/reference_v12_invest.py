"""A second, independent statement of contract v1.2 part 2: investments with
lead times (sheet Investments) and lanes whose shipments arrive later (Lanes
lead_time), on top of the v1 model.

`solve_workbook_v12(path, scenario=None)` reuses the v1 reference's reader,
scenario changes, interpretation of the v1 sheets, `Problem` and solver call
(`independent.reference_model`) and writes the whole v1 model a second time
with the two features, as docs/contract-v1.2.md states them. Like the other
references it shares nothing with the product (no `model` import, no Pyomo).

Deliberately dense and literal:

- units[i,p], integer in [0, max_units], for every p of the window (clipped);
  sum_p units[i,p] <= max_units;
- a target with any investment gets a decision column in *every* period of the
  horizon; its own capacity counts 0 outside its own periods, and
  use <= own + sum_i capacity_i sum_{p + lead_i <= t} units[i,p];
  its on/off binary (fixed cost, minimum quantity) has the big-M
  own + sum_i capacity_i max_units_i;
- capex_i units[i,p] discounted in p; fixed_i units[i,p] discounted in every
  t >= p + lead_i of the horizon;
- a shipment on a lane with lead L exists for p + L <= last period; it leaves
  the origin's balance in p, enters the destination's in p + L; freight,
  tariffs, export controls and lane capacity at p; policies count it at p + L.

`check_report_v12(path, report)` fixes the report's decisions (its
Investments sheet included) in this formulation.
"""

from __future__ import annotations

from pathlib import Path

from independent.reference_model import (
    INF,
    Problem,
    _capacity,
    _enabled,
    _int,
    _num,
    _text,
    _window,
    add_share_policies,
    apply_scenario,
    check_plan,
    interpret,
    read_plan,
    read_raw_sheets,
    solve_problem,
)


def investments(sheets, d) -> list[dict]:
    """Enabled Investments rows on an enabled target (a disabled target: ignored)."""
    offers = {o["id"] for o in d.offers}
    lanes = {lane["id"] for lane in d.lanes}
    out = []
    for r in _enabled(sheets.get("investments", [])):
        target = _text(r["target_id"])
        kind = ("offer" if target in offers else "process" if target in d.processes
                else "lane" if target in lanes else None)
        if kind is None:
            continue
        out.append(dict(id=_text(r["investment_id"]), target=target, kind=kind,
                        cap=_num(r.get("capacity"), 0.0), capex=_num(r.get("capex"), 0.0),
                        lead=_int(r.get("lead_time"), 0), fixed=_num(r.get("fixed_cost"), 0.0),
                        most=_int(r.get("max_units"), 1), window=_window(r, d.periods)))
    return out


def lead_times(sheets) -> dict:
    return {_text(r["lane_id"]): _int(r.get("lead_time"), 0)
            for r in _enabled(sheets.get("lanes", []))}


def build_v12(d, invs: list[dict], lead: dict) -> Problem:
    P, last = d.periods, d.periods[-1]
    pb = Problem()
    sites, mats = sorted(d.country), sorted(d.ref_price)
    balance = {(s, k, p): [] for s in sites for k in mats for p in P}
    rhs = dict.fromkeys(balance, 0.0)
    arrivals = {}
    demand_sites = {}
    for dm in d.demand:
        demand_sites.setdefault(dm["mat"], set()).add(dm["site"])

    def arrival(k, p, at, col, coef, origin):
        if at in demand_sites.get(k, ()):
            arrivals.setdefault((k, p), []).append((col, coef, d.country[origin],
                                                    d.company[origin]))

    units = {}                       # (investment, p) -> column
    for i in invs:
        cols = []
        for p in i["window"]:
            fixed = sum(d.delta[t] for t in P if t >= p + i["lead"]) * i["fixed"]
            j = pb.column(d.delta[p] * i["capex"] + fixed, 0.0, i["most"], integer=True,
                          tag="investment", key=("units", i["id"], p))
            units[i["id"], p] = j
            cols.append((j, 1.0))
        if cols:
            pb.row(cols, hi=i["most"], name=f"investment {i['id']}: at most max_units")

    def built(target, t):
        """(terms -capacity x units online in t, most that can be added in t)."""
        terms, most = [], 0.0
        for i in invs:
            if i["target"] != target:
                continue
            most += i["cap"] * i["most"]
            terms += [(units[i["id"], p], -i["cap"]) for p in i["window"] if p + i["lead"] <= t]
        return terms, most

    invested = {i["target"] for i in invs}

    def capacity_rows(ident, own_periods, base, t, use_terms, label):
        """Own capacity (0 outside own periods) + what is built; None if no decision in t."""
        own = _capacity(d, ident, base, t) if t in own_periods else 0.0
        if ident not in invested:
            return own
        terms, most = built(ident, t)
        pb.row(list(use_terms) + terms, hi=own, name=f"{label} {ident} {t}: own + built")
        return own + most

    for o in d.offers:
        for p in (P if o["id"] in invested else o["periods"]):
            own = _capacity(d, o["id"], o["cap"], p) if p in o["periods"] else 0.0
            most = own + (built(o["id"], p)[1] if o["id"] in invested else 0.0)
            if most <= 0:
                continue
            buy = pb.column(d.delta[p] * o["cost"], 0.0, INF, tag="purchase",
                            key=("purchase", o["id"], p))
            capacity_rows(o["id"], o["periods"], o["cap"], p, [(buy, 1.0)], "offer")
            pb.row([(buy, 1.0)], hi=most, name=f"offer {o['id']} {p}: capacity")
            balance[(o["site"], o["mat"], p)].append((buy, 1.0))
            arrival(o["mat"], p, o["site"], buy, 1.0, o["site"])
            if o["fixed"] > 0 or o["minq"] > 0:
                use = pb.column(d.delta[p] * o["fixed"], 0.0, 1.0, integer=True, tag="fixed")
                pb.row([(buy, 1.0), (use, -most)], hi=0.0, name=f"offer {o['id']} {p}: used")
                pb.row([(buy, 1.0), (use, -o["minq"])], lo=0.0, name=f"offer {o['id']} {p}: min")

    for q, pr in d.processes.items():
        for p in (P if q in invested else pr["periods"]):
            own = _capacity(d, q, pr["cap"], p) if p in pr["periods"] else 0.0
            most = own + (built(q, p)[1] if q in invested else 0.0)
            if most <= 0:
                continue
            run = pb.column(d.delta[p] * pr["cost"], 0.0, most, tag="process", key=("run", q, p))
            capacity_rows(q, pr["periods"], pr["cap"], p, [(run, 1.0)], "process")
            for k, a in d.recipe_in[q].items():
                balance[(pr["site"], k, p)].append((run, -a))
            for k, b in d.recipe_out[q].items():
                balance[(pr["site"], k, p)].append((run, b))
                arrival(k, p, pr["site"], run, b, pr["site"])
            if pr["fixed"] > 0:
                on = pb.column(d.delta[p] * pr["fixed"], 0.0, 1.0, integer=True, tag="fixed")
                pb.row([(run, 1.0), (on, -most)], hi=0.0, name=f"process {q} {p}: on")

    def covers(rule, lane, k, p):
        ce, ci = d.country[lane["frm"]], d.country[lane["to"]]
        return (ce == rule["exporter"] and ce != ci
                and (rule["importer"] is None or ci == rule["importer"])
                and (rule["mat"] is None or rule["mat"] == k) and p in rule["periods"])

    limited = {}
    for lane in d.lanes:
        L = lead.get(lane["id"], 0)
        carried = [lane["mat"]] if lane["mat"] is not None else mats
        for p in P:
            if p + L > last:
                continue                  # it would arrive after the horizon
            on_lane = []
            for k in carried:
                rules = [i for i, rule in enumerate(d.controls) if covers(rule, lane, k, p)]
                tariff = lane["tariff"] + sum(d.controls[i]["value"] for i in rules
                                              if d.controls[i]["measure"] == "tariff")
                ship = pb.column(d.delta[p] * (lane["cost"] + tariff * d.ref_price[k]),
                                 tag="ship", key=("ship", lane["id"], k, p))
                for i in rules:
                    if d.controls[i]["measure"] in ("ban", "quota"):
                        limited.setdefault((i, p), []).append(ship)
                balance[(lane["frm"], k, p)].append((ship, -1.0))
                balance[(lane["to"], k, p + L)].append((ship, 1.0))
                arrival(k, p + L, lane["to"], ship, 1.0, lane["frm"])
                on_lane.append((ship, 1.0))
            if lane["id"] in invested:
                capacity_rows(lane["id"], P, lane["cap"], p, on_lane, "lane")
            else:
                cap = _capacity(d, lane["id"], lane["cap"], p)
                if cap < INF:
                    pb.row(on_lane, hi=cap, name=f"lane {lane['id']} {p}: capacity")
    for (i, p), cols in limited.items():
        rule = d.controls[i]
        pb.row([(c, 1.0) for c in cols], hi=0.0 if rule["measure"] == "ban" else rule["value"],
               name=f"{rule['measure']} {rule['id']} {p}")

    for (s, k), inv in d.inventory.items():
        rhs[(s, k, P[0])] -= inv["init"]
        for n, p in enumerate(P):
            st = pb.column(d.delta[p] * inv["hold"], inv["lo"], inv["hi"], tag="holding",
                           key=("stock", s, k, p))
            balance[(s, k, p)].append((st, -1.0))
            if n + 1 < len(P):
                balance[(s, k, P[n + 1])].append((st, 1.0))
    for (s, k, p) in balance:
        dis = pb.column(d.delta[p] * d.disposal[k], tag="disposal", key=("discard", s, k, p))
        balance[(s, k, p)].append((dis, -1.0))
    for dm in d.demand:
        p = dm["period"]
        if dm["qty"] <= 0 or p not in d.delta:
            continue
        w = d.delta[p] * dm["penalty"]
        pb.constant += w * dm["qty"]
        pb.demand_t += dm["qty"]
        met = pb.column(-w, 0.0, dm["qty"], tag="unmet", key=("met", dm["row"]))
        balance[(dm["site"], dm["mat"], p)].append((met, -1.0))
    for key, terms in balance.items():
        pb.row(terms, lo=rhs[key], hi=rhs[key], name="balance %s/%s/%s" % key)
    add_share_policies(pb, d, arrivals, demand_sites)
    return pb


def _problem(path, scenario):
    sheets = read_raw_sheets(Path(path))
    apply_scenario(sheets, scenario)
    d = interpret(sheets)
    return build_v12(d, investments(sheets, d), lead_times(sheets)), d


def solve_workbook_v12(path, scenario=None) -> dict:
    pb, d = _problem(path, scenario)
    return solve_problem(pb, d.mip_gap, d.time_limit)


def check_report_v12(path, report, scenario=None) -> dict:
    pb, _ = _problem(path, scenario)
    plan = read_plan(report)
    extra = read_raw_sheets(Path(report), only={"investments"}).get("investments", [])
    for rec in extra:
        key = ("units", _text(rec["investment_id"]), _int(rec["period"]))
        plan["decisions"][key] = plan["decisions"].get(key, 0.0) + _num(rec.get("units"), 0.0)
    return check_plan(pb, plan)
