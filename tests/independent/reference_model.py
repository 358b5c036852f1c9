"""A second, independent statement of the sourcing model (contract v1).

`solve_workbook(path, scenario=None)` reads a contract-v1 workbook with
openpyxl, applies the scenario's ScenarioChanges, writes the LP/MIP of
docs/model.md as a list of columns and a sparse row matrix, hands it to
highspy and returns ``{"status": ..., "objective": ...}``.

`check_report(path, report, scenario=None)` reads a product report's
decisions (Purchases, ProcessRuns, Shipments, Stock, Discards, Demand) and
its Summary objective, fixes this formulation's columns to them and says
which rows and bounds the plan breaks, and whether its cost here equals the
report's objective (`check_plan`).

It deliberately shares nothing with the product: no `model` import, no Pyomo,
no pandas. Where the product builds sparse index sets from reachability, this
file builds dense ones (every site x material x period has a balance row,
every blank-material lane carries every material, every site may discard
every material); the extra columns are either forced to zero by the balance
rows or harmless, so both formulations have the same optimum.

Unmet demand is not a column here: `met[d]` lies in [0, quantity[d]] and the
penalty is written as  penalty * quantity  (a constant)  -  penalty * met[d].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np
import openpyxl
import scipy.sparse as sp

INF = math.inf

# The id column by which ScenarioChanges address the rows of each sheet.
ID_COLUMN = {
    "supply": "offer_id",
    "processes": "process_id",
    "lanes": "lane_id",
    "exportcontrols": "rule_id",
    "policies": "rule_id",
    "demand": "demand_id",
    "materials": "material_id",
    "sites": "site_id",
    "settings": "key",
}


class ReferenceInputError(ValueError):
    """The workbook is not something this minimal reader understands."""


# --------------------------------------------------------------------------
# Reading: raw rows, one dict per record, keys = trimmed lower-case headers
# --------------------------------------------------------------------------

def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def _records(ws) -> list[dict]:
    """A sheet's records keyed by normalised header name, with `_row` (Excel row)."""
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return []
    header = [None if _blank(h) else str(h).strip().lower() for h in rows[0]]
    records = []
    for excel_row, values in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in values):
            continue
        rec = {"_row": excel_row}
        for name, v in zip(header, values):
            if name is not None:
                rec[name] = None if _blank(v) else v
        records.append(rec)
    return records


def read_raw_sheets(path, only=None) -> dict[str, list[dict]]:
    """Every sheet (or those named in `only`, lower case) as a list of records."""
    wb = openpyxl.load_workbook(path, data_only=True, read_only=only is not None)
    sheets = {ws.title.strip().lower(): _records(ws) for ws in wb.worksheets
              if only is None or ws.title.strip().lower() in only}
    wb.close()
    return sheets


def _text(v):
    if _blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _num(v, default=None):
    if _blank(v):
        return default
    if isinstance(v, bool):
        return float(v)
    return float(str(v).strip()) if isinstance(v, str) else float(v)


def _int(v, default=None):
    x = _num(v, None)
    if x is None:
        return default
    if not float(x).is_integer():
        raise ReferenceInputError(f"not an integer period: {v!r}")
    return int(x)


def _bool(v, default=True):
    if _blank(v):
        return default
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        if v in (0, 1):
            return bool(v)
        raise ReferenceInputError(f"not a boolean: {v!r}")
    word = str(v).strip().lower()
    if word in ("true", "yes", "1"):
        return True
    if word in ("false", "no", "0"):
        return False
    raise ReferenceInputError(f"not a boolean: {v!r}")


# --------------------------------------------------------------------------
# Scenario changes, applied to raw rows before anything is interpreted
# --------------------------------------------------------------------------

def apply_scenario(sheets: dict[str, list[dict]], scenario) -> None:
    if scenario is None or scenario == "base":
        return
    known = {_text(r.get("scenario_id")) for r in sheets.get("scenarios", [])}
    changes = [r for r in sheets.get("scenariochanges", [])
               if _text(r.get("scenario_id")) == scenario]
    if scenario not in known and not changes:
        raise ReferenceInputError(f"unknown scenario {scenario!r}")
    for ch in changes:
        sheet = _text(ch.get("sheet")).lower()
        target = _text(ch.get("id"))
        column = (_text(ch.get("column")) or "value").lower()
        op = (_text(ch.get("op")) or "set").lower()
        value = ch.get("value")
        rows = sheets.setdefault(sheet, [])
        if target == "*":
            hit = rows
        else:
            idcol = ID_COLUMN.get(sheet)
            if idcol is None:
                raise ReferenceInputError(f"sheet {sheet} has no id column")
            hit = [r for r in rows if _text(r.get(idcol)) == target]
            if not hit and sheet == "settings":
                rows.append({"key": target, "value": None})
                hit = rows[-1:]
            if not hit:
                raise ReferenceInputError(f"{sheet}: no row {target!r}")
        if sheet == "settings":
            column = "value"
        for r in hit:
            if op == "set":
                r[column] = value
            elif op == "scale":
                old = _num(r.get(column))
                if old is not None:
                    r[column] = old * _num(value)
            else:
                raise ReferenceInputError(f"unknown op {op!r}")


# --------------------------------------------------------------------------
# Interpreted data
# --------------------------------------------------------------------------

@dataclass
class Data:
    periods: list
    delta: dict
    default_penalty: float
    mip_gap: float
    time_limit: float | None
    ref_price: dict
    disposal: dict
    country: dict
    company: dict
    offers: list = field(default_factory=list)
    processes: dict = field(default_factory=dict)
    recipe_in: dict = field(default_factory=dict)    # q -> {k: t per run}
    recipe_out: dict = field(default_factory=dict)   # q -> {k: t per run}
    profile: dict = field(default_factory=dict)      # (id, period) -> capacity
    lanes: list = field(default_factory=list)
    demand: list = field(default_factory=list)
    inventory: dict = field(default_factory=dict)
    controls: list = field(default_factory=list)
    policies: list = field(default_factory=list)


def _enabled(rows):
    return [r for r in rows if _bool(r.get("enabled"), True)]


def _window(r, periods):
    first = _int(r.get("first_period"), periods[0])
    last = _int(r.get("last_period"), periods[-1])
    if _int(r.get("first_period")) is not None and _int(r.get("last_period")) is not None \
            and first > last:
        raise ReferenceInputError(f"first_period {first} after last_period {last}")
    return [p for p in periods if first <= p <= last]


def interpret(sheets) -> Data:
    settings = {_text(r.get("key")): r.get("value") for r in sheets.get("settings", [])}
    first, last = _int(settings["first_period"]), _int(settings["last_period"])
    periods = list(range(first, last + 1))
    rate = _num(settings.get("discount_rate"), 0.0)
    delta = {p: 1.0 / (1.0 + rate) ** (p - first) for p in periods}
    tl = _num(settings.get("time_limit_s"), None)

    mats = _enabled(sheets["materials"])
    sites = _enabled(sheets["sites"])
    d = Data(
        periods=periods,
        delta=delta,
        default_penalty=_num(settings.get("unmet_penalty"), 1_000_000.0),
        mip_gap=_num(settings.get("mip_gap"), 1e-4),
        time_limit=tl,
        ref_price={_text(r["material_id"]): _num(r.get("reference_price"), 0.0) for r in mats},
        disposal={_text(r["material_id"]): _num(r.get("disposal_cost"), 0.0) for r in mats},
        country={_text(r["site_id"]): _text(r.get("country")) for r in sites},
        company={_text(r["site_id"]): _text(r.get("company")) for r in sites},
    )

    for r in _enabled(sheets.get("supply", [])):
        d.offers.append(dict(
            id=_text(r.get("offer_id")), site=_text(r["site_id"]), mat=_text(r["material_id"]),
            cap=_num(r.get("capacity"), 0.0), cost=_num(r.get("unit_cost"), 0.0),
            periods=_window(r, periods), fixed=_num(r.get("fixed_cost"), 0.0),
            minq=_num(r.get("min_quantity"), 0.0)))

    for r in _enabled(sheets.get("processes", [])):
        q = _text(r["process_id"])
        d.processes[q] = dict(
            site=_text(r["site_id"]), cap=_num(r.get("capacity"), 0.0),
            cost=_num(r.get("unit_cost"), 0.0), periods=_window(r, periods),
            fixed=_num(r.get("fixed_cost"), 0.0))
        d.recipe_in[q], d.recipe_out[q] = {}, {}
    for r in _enabled(sheets.get("recipes", [])):
        q = _text(r["process_id"])
        if q not in d.processes:
            continue
        k = _text(r["material_id"])
        a, b = _num(r.get("input"), 0.0), _num(r.get("output"), 0.0)
        if a:
            d.recipe_in[q][k] = d.recipe_in[q].get(k, 0.0) + a
        if b:
            d.recipe_out[q][k] = d.recipe_out[q].get(k, 0.0) + b

    for r in _enabled(sheets.get("capacityprofile", [])):
        d.profile[(_text(r["id"]), _int(r["period"]))] = _num(r.get("capacity"), 0.0)

    for r in _enabled(sheets.get("lanes", [])):
        d.lanes.append(dict(
            id=_text(r.get("lane_id")), frm=_text(r["from_site"]), to=_text(r["to_site"]),
            mat=_text(r.get("material_id")), cost=_num(r.get("unit_cost"), 0.0),
            tariff=_num(r.get("tariff_rate"), 0.0), cap=_num(r.get("capacity"), INF)))

    for r in _enabled(sheets.get("demand", [])):
        d.demand.append(dict(
            row=r.get("_row"), site=_text(r["site_id"]), mat=_text(r["material_id"]), period=_int(r["period"]),
            qty=_num(r.get("quantity"), 0.0),
            penalty=_num(r.get("unmet_penalty"), d.default_penalty)))

    for r in _enabled(sheets.get("inventory", [])):
        d.inventory[(_text(r["site_id"]), _text(r["material_id"]))] = dict(
            init=_num(r.get("initial_stock"), 0.0), hold=_num(r.get("holding_cost"), 0.0),
            lo=_num(r.get("min_stock"), 0.0), hi=_num(r.get("max_stock"), INF))

    for r in _enabled(sheets.get("exportcontrols", [])):
        d.controls.append(dict(
            id=_text(r.get("rule_id")), exporter=_text(r["exporter"]),
            importer=_text(r.get("importer")), mat=_text(r.get("material_id")),
            periods=_window(r, periods), measure=_text(r["measure"]).lower(),
            value=_num(r.get("value"), 0.0)))

    for r in _enabled(sheets.get("policies", [])):
        d.policies.append(dict(
            id=_text(r.get("rule_id")), kind=_text(r["kind"]).lower(),
            mat=_text(r.get("material_id")), country=_text(r.get("country")),
            company=_text(r.get("company")), value=_num(r["value"]),
            periods=_window(r, periods)))
    return d


# --------------------------------------------------------------------------
# The optimisation problem as arrays
# --------------------------------------------------------------------------

class Problem:
    """Columns appended one by one; rows kept as (col, coef) lists.

    A column's `key` names the decision of a report it stands for, e.g.
    ("ship", lane, material, period); several columns may share a key (the
    classes of v1.1), whose sum is then that decision. A row has a name for
    messages.
    """

    def __init__(self):
        self.cost, self.lo, self.hi, self.integer, self.tag, self.key = [], [], [], [], [], []
        self.row_terms, self.row_lo, self.row_hi, self.row_name = [], [], [], []
        self.constant = 0.0
        self.demand_t = 0.0      # t of demand the met columns stand for

    def column(self, cost, lo=0.0, hi=INF, integer=False, tag="", key=None) -> int:
        self.tag.append(tag)
        self.key.append(key)
        self.cost.append(cost)
        self.lo.append(lo)
        self.hi.append(hi)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms, lo=-INF, hi=INF, name="") -> int:
        self.row_terms.append(list(terms))
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        self.row_name.append(name)
        return len(self.row_terms) - 1

    def matrix(self) -> sp.csr_matrix:
        r, c, v = [], [], []
        for i, terms in enumerate(self.row_terms):
            for j, a in terms:
                r.append(i)
                c.append(j)
                v.append(a)
        m = sp.coo_matrix((v, (r, c)), shape=(len(self.row_terms), len(self.cost))).tocsr()
        m.sum_duplicates()
        m.eliminate_zeros()
        return m


def _capacity(d: Data, ident, base, p):
    return d.profile.get((ident, p), base)


def add_offer_use(pb: Problem, d: Data, o: dict, p, buy: int, cap: float) -> None:
    """The binary `used` of an offer in a period: buy <= cap x used (and the
    fixed cost), buy >= min_quantity x used."""
    use = pb.column(d.delta[p] * o["fixed"], 0.0, 1.0, integer=True, tag="fixed")
    pb.row([(buy, 1.0), (use, -cap)], hi=0.0, name=f"offer {o['id']} {p}: bought <= capacity x used")
    pb.row([(buy, 1.0), (use, -o["minq"])], lo=0.0, name=f"offer {o['id']} {p}: minimum quantity")


def build(d: Data) -> Problem:
    P = d.periods
    pb = Problem()
    sites = sorted(d.country)
    mats = sorted(d.ref_price)
    # balance[(s, k, p)] -> list of (col, +1 for what arrives / -1 for what leaves)
    balance = {(s, k, p): [] for s in sites for k in mats for p in P}
    balance_rhs = {key: 0.0 for key in balance}
    arrivals = {}   # (k, p) -> list of (col, coef, country, company) at demand sites of k

    demand_sites = {}
    for dm in d.demand:
        demand_sites.setdefault(dm["mat"], set()).add(dm["site"])

    def arrival(k, p, site_at, col, coef, origin):
        if site_at in demand_sites.get(k, ()):
            arrivals.setdefault((k, p), []).append((col, coef, d.country[origin], d.company[origin]))

    # purchases
    for o in d.offers:
        for p in o["periods"]:
            cap = _capacity(d, o["id"], o["cap"], p)
            if cap <= 0:
                continue
            buy = pb.column(d.delta[p] * o["cost"], 0.0, cap, tag="purchase",
                            key=("purchase", o["id"], p))
            balance[(o["site"], o["mat"], p)].append((buy, 1.0))
            arrival(o["mat"], p, o["site"], buy, 1.0, o["site"])
            if o["fixed"] > 0 or o["minq"] > 0:
                add_offer_use(pb, d, o, p, buy, cap)

    # processes
    for q, pr in d.processes.items():
        for p in pr["periods"]:
            cap = _capacity(d, q, pr["cap"], p)
            if cap <= 0:
                continue
            run = pb.column(d.delta[p] * pr["cost"], 0.0, cap, tag="process", key=("run", q, p))
            for k, a in d.recipe_in[q].items():
                balance[(pr["site"], k, p)].append((run, -a))
            for k, b in d.recipe_out[q].items():
                balance[(pr["site"], k, p)].append((run, b))
                arrival(k, p, pr["site"], run, b, pr["site"])
            if pr["fixed"] > 0:
                on = pb.column(d.delta[p] * pr["fixed"], 0.0, 1.0, integer=True, tag="fixed")
                pb.row([(run, 1.0), (on, -cap)], hi=0.0, name=f"process {q} {p}: runs <= capacity x on")

    # lanes, with export controls folded in
    def covers(rule, lane, k, p):
        ce, ci = d.country[lane["frm"]], d.country[lane["to"]]
        if ce != rule["exporter"] or ce == ci:
            return False
        if rule["importer"] is not None and ci != rule["importer"]:
            return False
        if rule["mat"] is not None and rule["mat"] != k:
            return False
        return p in rule["periods"]

    limited = {}    # (rule index, p) -> list of ship columns
    for lane in d.lanes:
        carried = [lane["mat"]] if lane["mat"] is not None else mats
        for p in P:
            on_lane = []
            for k in carried:
                rules = [i for i, rule in enumerate(d.controls) if covers(rule, lane, k, p)]
                tariff = lane["tariff"] + sum(d.controls[i]["value"] for i in rules
                                              if d.controls[i]["measure"] == "tariff")
                ship = pb.column(d.delta[p] * (lane["cost"] + tariff * d.ref_price[k]), tag="ship",
                                 key=("ship", lane["id"], k, p))
                for i in rules:
                    if d.controls[i]["measure"] in ("ban", "quota"):
                        limited.setdefault((i, p), []).append(ship)
                balance[(lane["frm"], k, p)].append((ship, -1.0))
                balance[(lane["to"], k, p)].append((ship, 1.0))
                arrival(k, p, lane["to"], ship, 1.0, lane["frm"])
                on_lane.append(ship)
            cap = _capacity(d, lane["id"], lane["cap"], p)
            if cap < INF:
                pb.row([(c, 1.0) for c in on_lane], hi=cap, name=f"lane {lane['id']} {p}: capacity")
    for (i, p), cols in limited.items():
        rule = d.controls[i]
        bound = 0.0 if rule["measure"] == "ban" else rule["value"]
        pb.row([(c, 1.0) for c in cols], hi=bound, name=f"{rule['measure']} {rule['id']} {p}")

    # stock, only where an Inventory row exists
    for (s, k), inv in d.inventory.items():
        if (s, k, P[0]) not in balance:
            continue
        balance_rhs[(s, k, P[0])] -= inv["init"]
        for i, p in enumerate(P):
            st = pb.column(d.delta[p] * inv["hold"], inv["lo"], inv["hi"], tag="holding",
                           key=("stock", s, k, p))
            balance[(s, k, p)].append((st, -1.0))
            if i + 1 < len(P):
                balance[(s, k, P[i + 1])].append((st, 1.0))

    # discard anywhere
    for (s, k, p) in balance:
        dis = pb.column(d.delta[p] * d.disposal[k], tag="disposal", key=("discard", s, k, p))
        balance[(s, k, p)].append((dis, -1.0))

    # demand: met in [0, qty]; penalty * (qty - met)
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
        pb.row(terms, lo=balance_rhs[key], hi=balance_rhs[key], name="balance %s/%s/%s" % key)

    add_share_policies(pb, d, arrivals, demand_sites)
    return pb


def add_share_policies(pb, d, arrivals, demand_sites) -> None:
    """The buyer's share policies: one row per rule, covered material, period and
    country or company, over the arrival terms (column, coefficient, country, company)."""
    all_countries = sorted({c for c in d.country.values() if c is not None})
    all_companies = sorted({c for c in d.company.values() if c is not None})
    for rule in d.policies:
        kind, v = rule["kind"], rule["value"]
        covered = [rule["mat"]] if rule["mat"] is not None else sorted(demand_sites)
        if kind == "max_country_share":
            groups, attr, sense = ([rule["country"]] if rule["country"] else all_countries), 2, "le"
        elif kind == "min_country_share":
            groups, attr, sense = [rule["country"]], 2, "ge"
        elif kind == "max_company_share":
            groups, attr, sense = ([rule["company"]] if rule["company"] else all_companies), 3, "le"
        else:
            raise ReferenceInputError(f"unknown policy kind {kind!r}")
        for k in covered:
            for p in rule["periods"]:
                terms = arrivals.get((k, p), [])
                if not terms:
                    continue
                for g in groups:
                    row = [(t[0], (1.0 if t[attr] == g else 0.0) * t[1] - v * t[1]) for t in terms]
                    name = f"{kind} {rule['id']} {k} {p} {g}"
                    if sense == "le":
                        pb.row(row, hi=0.0, name=name)
                    else:
                        pb.row(row, lo=0.0, name=name)


# --------------------------------------------------------------------------
# Solving with highspy
# --------------------------------------------------------------------------

def _status(ms) -> str:
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        return "optimal"
    if ms in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return "infeasible"   # every cost is >= 0 and every column >= 0: never unbounded
    if ms == S.kUnbounded:
        return "unbounded"
    if ms == S.kTimeLimit:
        return "time_limit"
    return "error"


def solve_problem(pb: Problem, mip_gap: float, time_limit=None) -> dict:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    n = len(pb.cost)
    inf = highspy.kHighsInf
    clip = lambda xs: np.array([inf if x == INF else (-inf if x == -INF else x) for x in xs],
                               dtype=np.float64)
    h.addVars(n, clip(pb.lo), clip(pb.hi))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(pb.cost, dtype=np.float64))
    ints = np.flatnonzero(pb.integer).astype(np.int32)
    if len(ints):
        h.changeColsIntegrality(len(ints), ints,
                                np.full(len(ints), highspy.HighsVarType.kInteger.value,
                                        dtype=np.uint8))
    a = pb.matrix()
    if a.shape[0]:
        h.addRows(a.shape[0], clip(pb.row_lo), clip(pb.row_hi), a.nnz,
                  a.indptr.astype(np.int32), a.indices.astype(np.int32),
                  a.data.astype(np.float64))
    h.run()
    status = _status(h.getModelStatus())
    objective, by_category, x, met = None, {}, None, None
    if status == "optimal":
        objective = h.getInfo().objective_function_value + pb.constant
        x = np.asarray(h.getSolution().col_value)
        by_category = {"unmet": pb.constant}
        for j, tag in enumerate(pb.tag):
            by_category[tag] = by_category.get(tag, 0.0) + pb.cost[j] * x[j]
        met = float(sum(x[j] for j, key in enumerate(pb.key) if key and key[0] == "met"))
    return {"status": status, "objective": objective, "cost_by_category": by_category,
            "demand_t": pb.demand_t, "met_t": met, "x": x,
            "columns": n, "rows": a.shape[0], "integers": int(len(ints))}


def solve_workbook(path, scenario=None) -> dict:
    """Solve a contract-v1 workbook independently of the product.

    Returns a dict with `status` ("optimal" / "infeasible" / ...) and
    `objective` (total discounted cost including unmet-demand penalties, or
    None), plus, for diagnostics, the discounted cost by category (purchase,
    fixed, process, ship, holding, disposal, unmet) and the problem size.
    """
    sheets = read_raw_sheets(Path(path))
    apply_scenario(sheets, scenario)
    data = interpret(sheets)
    return solve_problem(build(data), data.mip_gap, data.time_limit)


# --------------------------------------------------------------------------
# A product report's plan, checked inside this formulation
# --------------------------------------------------------------------------

# report sheet -> (key: decision name and the columns that identify it, value column)
PLAN_SHEETS = {
    "purchases": (("purchase", "offer_id", "period"), "quantity_t"),
    "processruns": (("run", "process_id", "period"), "runs"),
    "shipments": (("ship", "lane_id", "material_id", "period"), "quantity_t"),
    "stock": (("stock", "site_id", "material_id", "period"), "stock_t"),
    "discards": (("discard", "site_id", "material_id", "period"), "discarded_t"),
    "demand": (("met", "excel_row"), "met_t"),
}
PLAN_TOL = 1e-6         # relative, on every decision and every row, like docs/verification.md


def _plan_key(name, columns, rec):
    return (name,) + tuple(_int(rec[c]) if c in ("period", "excel_row") else _text(rec[c])
                           for c in columns)


def read_plan(report) -> dict:
    """A product report's decisions, {key: value} as `Problem.key` names them,
    and its Summary `status` and `objective`. Reads the sheets itself."""
    sheets = read_raw_sheets(Path(report), only=set(PLAN_SHEETS) | {"summary"})
    missing = sorted((set(PLAN_SHEETS) | {"summary"}) - set(sheets))
    if missing:
        raise ReferenceInputError(f"{report}: no sheet {', '.join(missing)}")
    decisions = {}
    for sheet, ((name, *columns), value) in PLAN_SHEETS.items():
        for rec in sheets[sheet]:
            key = _plan_key(name, columns, rec)
            decisions[key] = decisions.get(key, 0.0) + _num(rec.get(value), 0.0)
    summary = {_text(r.get("key")): r.get("value") for r in sheets["summary"]}
    return {"decisions": decisions, "status": _text(summary.get("status")),
            "objective": _num(summary.get("objective"))}


def _label(key) -> str:
    return " ".join(str(part) for part in key)


def check_plan(pb: Problem, plan: dict) -> dict:
    """Fix this formulation's decisions to a report's plan and check it.

    Every column with a key is pinned: the columns sharing a key sum to the
    report's value for it (0 when the report has none), within
    PLAN_TOL x max(1, |value|). Columns without a key (binaries, the class
    split of v1.1) stay free. Then:

    - the plan holds if the pinned problem is feasible; if not, a second
      solve with every row and column bound made elastic names the ones the
      plan breaks, and by how much;
    - its cost here is the pinned problem's optimum (the cheapest binaries
      and split for those decisions), which must equal the report's
      objective within PLAN_TOL relative plus what the pins' width allows.

    Returns {"violations": [text], "cost": float or None}.
    """
    groups = {}
    for j, key in enumerate(pb.key):
        if key is not None:
            groups.setdefault(key, []).append(j)
    decisions = plan["decisions"]
    violations = [f"{_label(key)}: {v:g} in the report, but no such decision exists here"
                  for key, v in sorted(decisions.items(), key=str)
                  if key not in groups and abs(v) > PLAN_TOL]
    pins, slack_money = [], 0.0
    for key, cols in groups.items():
        v = decisions.get(key, 0.0)
        width = PLAN_TOL * max(1.0, abs(v))
        pins.append(([(j, 1.0) for j in cols], v - width, v + width, f"report {_label(key)}"))
        slack_money += width * max(abs(pb.cost[j]) for j in cols)
    pinned = _extended(pb, pins)
    out = solve_problem(pinned, 0.0)
    if out["status"] != "optimal":
        return {"violations": violations + _broken(pb, pins), "cost": None}
    cost, objective = out["objective"], plan["objective"]
    allowed = PLAN_TOL * max(1.0, abs(objective)) + slack_money
    if objective is None or abs(cost - objective) > allowed:
        violations.append(f"the plan costs {cost:,.6f} here, the report's objective is "
                          f"{objective if objective is None else format(objective, ',.6f')} "
                          f"(allowed difference {allowed:.3g})")
    return {"violations": violations, "cost": cost}


def _extended(pb: Problem, rows) -> Problem:
    """A copy of pb with extra rows (terms, lo, hi, name)."""
    out = Problem()
    for name in ("cost", "lo", "hi", "integer", "tag", "key", "row_terms", "row_lo", "row_hi",
                 "row_name"):
        setattr(out, name, list(getattr(pb, name)))
    out.constant, out.demand_t = pb.constant, pb.demand_t
    for terms, lo, hi, name in rows:
        out.row(terms, lo, hi, name)
    return out


def _broken(pb: Problem, pins) -> list[str]:
    """The rows and bounds a pinned plan breaks: every row and every bound of
    a continuous column gets an elastic slack of cost 1; the pins stay hard."""
    el = Problem()
    for j in range(len(pb.cost)):
        integer = pb.integer[j]
        el.column(0.0, pb.lo[j] if integer else -INF, pb.hi[j] if integer else INF, integer)
    limits = [(terms, lo, hi, name) for terms, lo, hi, name
              in zip(pb.row_terms, pb.row_lo, pb.row_hi, pb.row_name)]
    limits += [([(j, 1.0)], pb.lo[j], pb.hi[j], f"bounds of {_label(pb.key[j] or (pb.tag[j], j))}")
               for j in range(len(pb.cost)) if not pb.integer[j]
               and (pb.lo[j] > -INF or pb.hi[j] < INF)]
    slacks = []
    for terms, lo, hi, name in limits:
        over = el.column(1.0) if hi < INF else None
        under = el.column(1.0) if lo > -INF else None
        extra = ([(over, -1.0)] if over is not None else []) + \
                ([(under, 1.0)] if under is not None else [])
        el.row(list(terms) + extra, lo, hi, name)
        slacks.append((name, lo, hi, over, under))
    for terms, lo, hi, name in pins:
        middle = (lo + hi) / 2           # exactly the report's value: the slacks say by how much
        el.row(terms, middle, middle, name)
    out = solve_problem(el, 0.0)
    if out["status"] != "optimal":
        return [f"the report's plan cannot be checked: the elastic problem is {out['status']}"]
    x = out["x"]
    found = []
    for name, lo, hi, over, under in slacks:
        by = max(x[over] if over is not None else 0.0, x[under] if under is not None else 0.0)
        if by > PLAN_TOL * max(1.0, abs(lo) if lo > -INF else 0.0, abs(hi) if hi < INF else 0.0):
            side = "above its upper limit" if over is not None and x[over] >= by else \
                "below its lower limit"
            found.append(f"{name}: {by:.6g} {side} [{lo:g}, {hi:g}]")
    return found or ["the report's plan is infeasible here, within a tolerance no single row shows"]


def check_report(path, report, scenario=None) -> dict:
    """`check_plan` of a product report against the workbook it was solved from."""
    sheets = read_raw_sheets(Path(path))
    apply_scenario(sheets, scenario)
    return check_plan(build(interpret(sheets)), read_plan(report))
