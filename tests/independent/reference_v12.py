"""A second, independent statement of contract v1.2 sections 1, 2, 3 and 5
(Profiles, take-or-pay, price floors and caps, Sales, period_years), on top of
the v1 reference (`reference_model.py`), without Pyomo and without the
`model` package.

Read from docs/contract-v1.2.md, not from the product:

- A Profiles row (sheet, id, column, period, value) overrides the named cell
  of the named row in that period; a capacity is the Profiles value, else the
  CapacityProfile value, else the cell. A blank value means "none" for
  capacity, max_stock, price_floor and price_cap, 0 otherwise. Sheet and
  column names match case-insensitively; Inventory ids are site|material.
- The price paid for an offer in period p is min(max(unit_cost_p, floor_p),
  cap_p). In every period the offer is active (enabled, in its window) the
  buyer pays that price on max(0, take_or_pay_p - bought): here a column
  short >= 0 with bought + short >= take_or_pay (short fixed at the quantity
  where the period has no capacity).
- Tariffs (lane tariff_rate and export-control tariffs) are charged on the
  material's reference_price of the period of shipment.
- A Sales row is an optional outflow at its site, 0 <= sold <= capacity_p
  (blank: unlimited), earning price_p per t (a negative cost).
- delta_p = 1 / (1 + rate)^((p - first) * period_years).
- ScenarioChanges: a scale of a row's column scales that row's Profiles values
  of the column; sheet Profiles, id SHEET|ID|COLUMN[|PERIOD], column value
  addresses Profiles rows.
"""

from __future__ import annotations

from pathlib import Path

from independent.reference_model import (
    INF, Problem, ReferenceInputError, _blank, _bool, _int, _num, _text, _window,
    add_offer_use, add_share_policies, apply_scenario, check_plan, read_plan, read_raw_sheets,
    solve_problem)

NONE_WHEN_BLANK = {"capacity", "max_stock", "price_floor", "price_cap"}
ID_OF = {"supply": "offer_id", "processes": "process_id", "lanes": "lane_id",
         "materials": "material_id", "sales": "sale_id"}


def _row_id(sheet, r):
    if sheet == "inventory":
        return f"{_text(r['site_id'])}|{_text(r['material_id'])}"
    return _text(r.get(ID_OF[sheet]))


def apply_scenario_v12(sheets, scenario) -> None:
    if scenario is None or scenario == "base":
        return
    changes = [r for r in sheets.get("scenariochanges", [])
               if _text(r.get("scenario_id")) == scenario]
    profiles = sheets.setdefault("profiles", [])
    rest = []
    for ch in changes:
        sheet = _text(ch.get("sheet")).lower()
        op = (_text(ch.get("op")) or "set").lower()
        if sheet == "profiles":
            parts = _text(ch.get("id")).split("|")
            period = None
            if len(parts) >= 4 and parts[-1].isdigit():
                period, parts = int(parts[-1]), parts[:-1]
            target = (parts[0].lower(), "|".join(parts[1:-1]), parts[-1].lower())
            hit = [r for r in profiles if (_text(r["sheet"]).lower(), _text(r["id"]),
                                           _text(r["column"]).lower()) == target
                   and (period is None or _int(r["period"]) == period)]
            if not hit:
                raise ReferenceInputError(f"no Profiles row {ch.get('id')!r}")
            for r in hit:
                if op == "set":
                    r["value"] = ch.get("value")
                elif r.get("value") is not None:
                    r["value"] = _num(r["value"]) * _num(ch.get("value"))
            continue
        rest.append(ch)
        if op == "scale" and sheet in ID_OF:
            column = _text(ch.get("column")).lower()
            ident = _text(ch.get("id"))
            ids = {_row_id(sheet, r) for r in sheets.get(sheet, [])
                   if ident == "*" or _row_id(sheet, r) == ident}
            for r in profiles:
                if _text(r["sheet"]).lower() == sheet and _text(r["id"]) in ids \
                        and _text(r["column"]).lower() == column and r.get("value") is not None:
                    r["value"] = _num(r["value"]) * _num(ch.get("value"))
    only_rest = dict(sheets)
    only_rest["scenariochanges"] = [dict(r, scenario_id="__rest__") for r in rest]
    only_rest["scenarios"] = [{"scenario_id": "__rest__"}]
    apply_scenario(only_rest, "__rest__")


class Cells:
    """The value of a cell of a row in a period, as the contract defines it."""

    def __init__(self, sheets):
        self.over = {}
        for r in sheets.get("profiles", []):
            key = (_text(r["sheet"]).lower(), _text(r["id"]), _text(r["column"]).lower(),
                   _int(r["period"]))
            self.over[key] = r.get("value")
        self.cp = {(_text(r["id"]), _int(r["period"])): _num(r.get("capacity"), 0.0)
                   for r in sheets.get("capacityprofile", [])}

    def get(self, sheet, ident, column, p, base):
        key = (sheet, ident, column, p)
        if key in self.over:
            v = self.over[key]
            if _blank(v):
                return None if column in NONE_WHEN_BLANK else 0.0
            return _num(v)
        if column == "capacity" and sheet in ("supply", "processes", "lanes") \
                and (ident, p) in self.cp:
            return self.cp[ident, p]
        return base


def build_v12(sheets) -> tuple[Problem, dict, float]:
    """(problem, delta, mip_gap) of a v1.2 workbook's raw sheets (scenario applied)."""
    settings = {_text(r.get("key")): r.get("value") for r in sheets.get("settings", [])}
    first, last = _int(settings["first_period"]), _int(settings["last_period"])
    P = list(range(first, last + 1))
    rate = _num(settings.get("discount_rate"), 0.0)
    years = _num(settings.get("period_years"), 1.0)
    delta = {p: 1.0 / (1.0 + rate) ** ((p - first) * years) for p in P}
    penalty0 = _num(settings.get("unmet_penalty"), 1_000_000.0)
    cell = Cells(sheets)
    on = lambda name: [r for r in sheets.get(name, []) if _bool(r.get("enabled"), True)]  # noqa: E731

    mats = sorted(_text(r["material_id"]) for r in sheets["materials"])
    ref = {(_text(r["material_id"]), p): cell.get("materials", _text(r["material_id"]),
                                                   "reference_price", p,
                                                   _num(r.get("reference_price"), 0.0)) or 0.0
           for r in sheets["materials"] for p in P}
    disposal = {(_text(r["material_id"]), p): cell.get("materials", _text(r["material_id"]),
                                                        "disposal_cost", p,
                                                        _num(r.get("disposal_cost"), 0.0)) or 0.0
                for r in sheets["materials"] for p in P}
    country = {_text(r["site_id"]): _text(r.get("country")) for r in sheets["sites"]}
    company = {_text(r["site_id"]): _text(r.get("company")) for r in sheets["sites"]}
    sites = sorted(country)
    pb = Problem()
    balance = {(s, k, p): [] for s in sites for k in mats for p in P}
    rhs = {key: 0.0 for key in balance}
    arrivals = {}
    demand_sites = {}
    for r in sheets.get("demand", []):
        demand_sites.setdefault(_text(r["material_id"]), set()).add(_text(r["site_id"]))

    def arrival(k, p, at, col, coef, origin):
        if at in demand_sites.get(k, ()):
            arrivals.setdefault((k, p), []).append((col, coef, country[origin], company[origin]))

    for r in on("supply"):
        o = _text(r["offer_id"])
        site, k = _text(r["site_id"]), _text(r["material_id"])
        for p in _window(r, P):
            c = {col: cell.get("supply", o, col, p, _num(r.get(col), None))
                 for col in ("capacity", "unit_cost", "fixed_cost", "min_quantity",
                             "take_or_pay", "price_floor", "price_cap")}
            price = c["unit_cost"] or 0.0
            if c["price_floor"] is not None:
                price = max(price, c["price_floor"])
            if c["price_cap"] is not None:
                price = min(price, c["price_cap"])
            cap = INF if c["capacity"] is None else c["capacity"]
            top = c["take_or_pay"] or 0.0
            buy = None
            if cap > 0:
                buy = pb.column(delta[p] * price, 0.0, cap, tag="purchase",
                                key=("purchase", o, p))
                balance[(site, k, p)].append((buy, 1.0))
                arrival(k, p, site, buy, 1.0, site)
                fixed, minq = c["fixed_cost"] or 0.0, c["min_quantity"] or 0.0
                if fixed > 0 or minq > 0:
                    add_offer_use(pb, _Delta(delta), dict(id=o, fixed=fixed, minq=minq), p, buy, cap)
            if top > 0:
                short = pb.column(delta[p] * price, top if buy is None else 0.0, top,
                                  tag="take_or_pay")
                if buy is not None:
                    pb.row([(buy, 1.0), (short, 1.0)], lo=top, name=f"take-or-pay {o} {p}")

    recipe_in, recipe_out = {}, {}
    for r in sheets.get("recipes", []):
        q = _text(r["process_id"])
        k = _text(r["material_id"])
        a, b = _num(r.get("input"), 0.0), _num(r.get("output"), 0.0)
        if a:
            recipe_in.setdefault(q, {})[k] = recipe_in.get(q, {}).get(k, 0.0) + a
        if b:
            recipe_out.setdefault(q, {})[k] = recipe_out.get(q, {}).get(k, 0.0) + b
    for r in on("processes"):
        q, site = _text(r["process_id"]), _text(r["site_id"])
        for p in _window(r, P):
            capv = cell.get("processes", q, "capacity", p, _num(r.get("capacity"), None))
            cap = INF if capv is None else capv
            if cap <= 0:
                continue
            cost = cell.get("processes", q, "unit_cost", p, _num(r.get("unit_cost"), 0.0)) or 0.0
            fixed = cell.get("processes", q, "fixed_cost", p, _num(r.get("fixed_cost"), 0.0)) or 0.0
            run = pb.column(delta[p] * cost, 0.0, cap, tag="process", key=("run", q, p))
            for k, a in recipe_in.get(q, {}).items():
                balance[(site, k, p)].append((run, -a))
            for k, b in recipe_out.get(q, {}).items():
                balance[(site, k, p)].append((run, b))
                arrival(k, p, site, run, b, site)
            if fixed > 0:
                use = pb.column(delta[p] * fixed, 0.0, 1.0, integer=True, tag="fixed")
                pb.row([(run, 1.0), (use, -cap)], hi=0.0, name=f"process {q} {p}: on")

    controls = [dict(id=_text(r.get("rule_id")), exporter=_text(r["exporter"]),
                     importer=_text(r.get("importer")), mat=_text(r.get("material_id")),
                     periods=_window(r, P), measure=_text(r["measure"]).lower(),
                     value=_num(r.get("value"), 0.0))
                for r in on("exportcontrols") if (_text(r.get("scope")) or "shipment") == "shipment"]

    def covers(rule, frm, to, k, p):
        ce, ci = country[frm], country[to]
        return (ce == rule["exporter"] and ce != ci
                and (rule["importer"] is None or ci == rule["importer"])
                and (rule["mat"] is None or rule["mat"] == k) and p in rule["periods"])

    limited = {}
    for r in on("lanes"):
        lane, frm, to = _text(r["lane_id"]), _text(r["from_site"]), _text(r["to_site"])
        carried = [_text(r["material_id"])] if _text(r.get("material_id")) else mats
        for p in P:
            freight = cell.get("lanes", lane, "unit_cost", p, _num(r.get("unit_cost"), 0.0)) or 0.0
            rate_p = cell.get("lanes", lane, "tariff_rate", p, _num(r.get("tariff_rate"), 0.0)) or 0.0
            capv = cell.get("lanes", lane, "capacity", p, _num(r.get("capacity"), None))
            cols = []
            for k in carried:
                rules = [i for i, rule in enumerate(controls) if covers(rule, frm, to, k, p)]
                tariff = rate_p + sum(controls[i]["value"] for i in rules
                                      if controls[i]["measure"] == "tariff")
                ship = pb.column(delta[p] * (freight + tariff * ref[k, p]), tag="ship",
                                 key=("ship", lane, k, p))
                for i in rules:
                    if controls[i]["measure"] in ("ban", "quota"):
                        limited.setdefault((i, p), []).append(ship)
                balance[(frm, k, p)].append((ship, -1.0))
                balance[(to, k, p)].append((ship, 1.0))
                arrival(k, p, to, ship, 1.0, frm)
                cols.append(ship)
            if capv is not None:
                pb.row([(j, 1.0) for j in cols], hi=capv, name=f"lane {lane} {p}")
    for (i, p), cols in limited.items():
        bound = 0.0 if controls[i]["measure"] == "ban" else controls[i]["value"]
        pb.row([(j, 1.0) for j in cols], hi=bound, name=f"rule {controls[i]['id']} {p}")

    for r in sheets.get("inventory", []):
        s, k = _text(r["site_id"]), _text(r["material_id"])
        ident = f"{s}|{k}"
        rhs[(s, k, P[0])] -= _num(r.get("initial_stock"), 0.0)
        for i, p in enumerate(P):
            hold = cell.get("inventory", ident, "holding_cost", p,
                            _num(r.get("holding_cost"), 0.0)) or 0.0
            lo = cell.get("inventory", ident, "min_stock", p, _num(r.get("min_stock"), 0.0)) or 0.0
            hi = cell.get("inventory", ident, "max_stock", p, _num(r.get("max_stock"), None))
            st = pb.column(delta[p] * hold, lo, INF if hi is None else hi, tag="holding",
                           key=("stock", s, k, p))
            balance[(s, k, p)].append((st, -1.0))
            if i + 1 < len(P):
                balance[(s, k, P[i + 1])].append((st, 1.0))

    for r in on("sales"):
        sale, s, k = _text(r["sale_id"]), _text(r["site_id"]), _text(r["material_id"])
        for p in _window(r, P):
            capv = cell.get("sales", sale, "capacity", p, _num(r.get("capacity"), None))
            price = cell.get("sales", sale, "price", p, _num(r.get("price"), 0.0)) or 0.0
            sell = pb.column(-delta[p] * price, 0.0, INF if capv is None else capv, tag="sales",
                             key=("sell", sale, p))
            balance[(s, k, p)].append((sell, -1.0))

    for (s, k, p) in balance:
        dis = pb.column(delta[p] * disposal[k, p], tag="disposal", key=("discard", s, k, p))
        balance[(s, k, p)].append((dis, -1.0))

    for r in sheets.get("demand", []):
        p, qty = _int(r["period"]), _num(r.get("quantity"), 0.0)
        if qty <= 0 or p not in delta:
            continue
        w = delta[p] * _num(r.get("unmet_penalty"), penalty0)
        pb.constant += w * qty
        pb.demand_t += qty
        met = pb.column(-w, 0.0, qty, tag="unmet", key=("met", r["_row"]))
        balance[(_text(r["site_id"]), _text(r["material_id"]), p)].append((met, -1.0))

    for key, terms in balance.items():
        pb.row(terms, lo=rhs[key], hi=rhs[key], name="balance %s/%s/%s" % key)
    policies = [dict(id=_text(r.get("rule_id")), kind=_text(r["kind"]).lower(),
                     mat=_text(r.get("material_id")), country=_text(r.get("country")),
                     company=_text(r.get("company")), value=_num(r["value"]),
                     periods=_window(r, P)) for r in on("policies")]
    add_share_policies(pb, _Sites(country, company, policies), arrivals, demand_sites)
    return pb, delta, _num(settings.get("mip_gap"), 1e-4)


class _Delta:
    """What reference_model.add_offer_use reads of its data: the discount factors."""

    def __init__(self, delta):
        self.delta = delta


class _Sites:
    """What reference_model.add_share_policies reads of its data."""

    def __init__(self, country, company, policies):
        self.country, self.company, self.policies = country, company, policies


def solve_workbook_v12(path, scenario=None) -> dict:
    sheets = read_raw_sheets(Path(path))
    apply_scenario_v12(sheets, scenario)
    pb, _, gap = build_v12(sheets)
    return solve_problem(pb, gap)


def check_report_v12(path, report, scenario=None) -> dict:
    """The product's plan (its report's decisions, sales included) inside this formulation."""
    sheets = read_raw_sheets(Path(path))
    apply_scenario_v12(sheets, scenario)
    pb, _, _ = build_v12(sheets)
    plan = read_plan(report)
    sold = read_raw_sheets(Path(report), only={"sales"}).get("sales", [])
    for r in sold:
        key = ("sell", _text(r["sale_id"]), _int(r["period"]))
        plan["decisions"][key] = plan["decisions"].get(key, 0.0) + _num(r.get("quantity_t"), 0.0)
    return check_plan(pb, plan)
