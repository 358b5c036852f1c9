"""Stage 4: turn validated tables into the sparse index sets and parameters
the model is built from.

Everything is plain data (DataFrames keyed like the decisions), so a worker
process can rebuild the model from it and a new index (provenance class,
scenario) is added by widening these frames, not by touching every family.
Only rows that exist produce index entries; reachability prunes shipments,
balances and discards to the (site, material) pairs material can ever reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from model.problems import Problems
from model.read.workbook import ROW, Workbook
from model.data import investments as inv_data
from model.data.provenance import prepare_provenance
from model.data.columns import keys, lists
from model.data.contracts import SALE_COLUMNS, TOP_COLUMNS, prepare_sales, supply_rows
from model.data.profiles import Profiles
from model.schema import CHAIN_KINDS, RESOLUTION_T
from model.validate.rules import active, active_periods, below_resolution

# An offer or process row that exists in a period (enabled, active) but has no decision
# variable there: no capacity in the period, or (a process) one of its inputs can never reach
# its site. A plain solve has nothing to decide for it; a risk solve still charges the fixed
# cost of a first-stage commitment to it (docs/risk.md, model/risk/extensive.py).
IDLE_COLUMNS = ["kind", "id", "period", "fixed", "row"]

@dataclass
class ModelData:
    periods: list[int]
    delta: dict[int, float]
    settings: dict
    sites: pd.DataFrame          # site -> name, company, country
    materials: pd.DataFrame      # material -> reference_price, disposal_cost
    offers: pd.DataFrame         # offer, period, site, material, cap, unit_cost, fixed, minq, binary,
                                 # reservation (cost per t reserved), row
    processes: pd.DataFrame      # process, period, site, cap, unit_cost, fixed, binary, row
    recipe: pd.DataFrame         # process, material, input, output
    ship: pd.DataFrame           # lane, material, period, from_site, to_site, unit_cost, tariff, row
    lane_caps: pd.DataFrame      # lane, period, cap (finite capacities only), row
    stock: pd.DataFrame          # site, material, period, holding, lo, hi, initial, row
    balance: pd.DataFrame        # site, material, period
    demand: pd.DataFrame         # d, demand_id, site, material, period, quantity, penalty, segment,
                                 # reachable (has a met variable), row
    export_limits: pd.DataFrame  # rule, period, measure, limit, row
    export_cover: pd.DataFrame   # rule, period, lane, material (the covered shipments)
    policy_rows: pd.DataFrame    # key, rule, kind, material, period, who, value, row
    arrivals: pd.DataFrame       # var, key, coef, material, period, country, company, site, origin, via
    problems: Problems = field(default_factory=Problems)
    provenance: object = None    # model.data.provenance.Provenance, when rules follow the material
    demand_sites: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["site", "material"]))
                                 # site, material: the demand sites (``demand_sites``)
    idle: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=IDLE_COLUMNS))
                                 # kind, id, period, fixed, row: rows with a fixed cost that exist
                                 # (enabled, active in the period) but have no decision there
    sales: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SALE_COLUMNS))
                                 # sale, period, site, material, cap (None: unlimited), price, row
    take_or_pay: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TOP_COLUMNS))
                                 # offer, period, qty, price, has_buy, row (model/data/contracts.py)
    prices: dict = field(default_factory=dict)
                                 # {(material, period): (reference_price, disposal_cost)} when
                                 # Profiles move them; empty: the Materials cells
    investments: object = None   # model.data.investments.Investments (sheet Investments)
    lead: dict = field(default_factory=dict)   # lane -> lead_time, lanes with one > 0
    demand_rows: object = None   # model.solve.demand_groups.Groups: the Demand rows one by one,
                                 # where alike rows were merged into one model row
    _keys: dict = field(default_factory=dict, repr=False, compare=False)

    def material_price(self, column: str, materials, periods) -> list[float]:
        """reference_price or disposal_cost of each (material, period): the Profiles path
        where one is given (contract v1.2), else the Materials cell."""
        j = ("reference_price", "disposal_cost").index(column)
        cell = self.materials[column].to_dict()
        if not self.prices:
            return [float(cell[k]) for k in materials]
        return [float(self.prices[k, p][j]) for k, p in zip(materials, periods)]

    def keys(self, frame: str, cols: tuple[str, ...]) -> list:
        """The index tuples of a frame's rows, made once and shared by the variables,
        the cost table and the result tables (at 1 M columns each copy is ~80 MB).
        Rebuilt if the frame was replaced (a copy of this ModelData with a new frame)."""
        table = getattr(self, frame)
        hit = self._keys.get((frame, cols))
        if hit is None or hit[0] is not table:
            hit = self._keys[frame, cols] = (table, keys(table, cols))
        return hit[1]

    @property
    def discard(self) -> pd.DataFrame:
        out = self.balance.copy()
        out["cost"] = self.material_price("disposal_cost", out["material"].tolist(),
                                          out["period"].tolist())
        return out


def demand_sites(demand: pd.DataFrame) -> pd.DataFrame:
    """The one definition of a demand site (contract, Policies): a (site, material) with a
    Demand row, in any period, of any quantity, 0 included. Policies, arrivals, their shares,
    the KPIs and the risk report all count arrivals at these sites, and nowhere else."""
    pairs = sorted(set(zip(demand["site_id"], demand["material_id"])))
    return pd.DataFrame(pairs, columns=["site", "material"])


def discount(settings: dict) -> dict[int, float]:
    """delta[p] = 1 / (1 + discount_rate)^((p - first_period) x period_years), the
    discount factor of every period (contract v1.2, section 5): the one definition,
    for the deterministic model and the risk model's first stage alike."""
    first, last = settings["first_period"], settings["last_period"]
    rate, years = settings["discount_rate"], settings["period_years"]
    return {p: 1.0 / (1.0 + rate) ** ((p - first) * years) for p in range(first, last + 1)}


def prepare(wb: Workbook) -> ModelData:
    s = wb.settings
    t = {name: active(frame) for name, frame in wb.tables.items()}
    problems = Problems()
    periods = list(range(s["first_period"], s["last_period"] + 1))
    delta = discount(s)
    prof = Profiles.of(t)

    sites = t["Sites"].set_index("site_id")[["name", "company", "country"]].copy()
    sites["company"] = [c if c else f"({sid})" for sid, c in zip(sites.index, sites["company"])]
    materials = t["Materials"].set_index("material_id")[["name", "reference_price", "disposal_cost"]]
    if prof:
        prices = prof.material_prices(materials, periods)
        ref_of = lambda k, p: prices[k, p][0]  # noqa: E731
    else:
        prices, cell = {}, materials["reference_price"].to_dict()
        ref_of = lambda k, p: cell[k]  # noqa: E731

    # [(period, capacity)] of a row: its own periods, and those an investment reaches
    options, own = inv_data.Options.of(wb.tables, periods), {}
    offers, take_or_pay, idle = supply_rows(t["Supply"], prof, periods, active_periods, problems,
                                            partial(inv_data.capacities, options, own, "offer"))

    recipe = t["Recipes"][["process_id", "material_id", "input", "output"]].rename(
        columns={"process_id": "process", "material_id": "material"})
    recipe = recipe[(recipe["input"] > 0) | (recipe["output"] > 0)]
    proc_site = dict(zip(t["Processes"]["process_id"], t["Processes"]["site_id"]))
    recipe = recipe[recipe["process"].isin(proc_site)]

    # Forward reachability of (site, material): sources, then processes and lanes.
    reach = set(zip(offers["site"], offers["material"]))
    for rec in t["Inventory"].to_dict("records"):
        if rec["initial_stock"] > 0:
            reach.add((rec["site_id"], rec["material_id"]))
    lanes = t["Lanes"]
    ins = recipe[recipe["input"] > 0].groupby("process")["material"].apply(list).to_dict()
    outs = recipe[recipe["output"] > 0].groupby("process")["material"].apply(list).to_dict()
    all_materials = list(materials.index)
    runnable: set[str] = set()
    changed = True
    while changed:
        changed = False
        for q, site in proc_site.items():
            if q not in runnable and all((site, k) in reach for k in ins.get(q, [])):
                runnable.add(q)
                for k in outs.get(q, []):
                    if (site, k) not in reach:
                        reach.add((site, k))
                changed = True
        for rec in lanes.to_dict("records"):
            ks = [rec["material_id"]] if rec["material_id"] else all_materials
            for k in ks:
                if (rec["from_site"], k) in reach and (rec["to_site"], k) not in reach:
                    reach.add((rec["to_site"], k))
                    changed = True

    proc_rows = []
    for rec in t["Processes"].to_dict("records"):
        runs = rec["process_id"] in runnable
        if not runs:
            problems.warn("Processes", rec[ROW], "process_id", rec["process_id"],
                          "can never run: one of its inputs can never reach its site")
        row = prof.reader("Processes", rec, ("capacity", "unit_cost", "fixed_cost"))
        for p, cap in inv_data.capacities(options, own, "process", rec["process_id"],
                                          active_periods(rec, periods),
                                          lambda p, row=row: row(p)["capacity"]):
            v = row(p)
            fixed = v["fixed_cost"]
            if runs and (cap is None or cap > 0):
                proc_rows.append((rec["process_id"], p, rec["site_id"], cap, v["unit_cost"],
                                  fixed, fixed > 0, rec[ROW]))
            elif fixed > 0:
                idle.append(("process", rec["process_id"], p, fixed, rec[ROW]))
    processes = pd.DataFrame(proc_rows, columns=["process", "period", "site", "cap", "unit_cost",
                                                 "fixed", "binary", "row"]).astype({"binary": bool})
    recipe = recipe[recipe["process"].isin(set(processes["process"]))].reset_index(drop=True)

    ship_rows, cap_rows, lead = [], [], {}
    for rec in lanes.to_dict("records"):
        ks = [rec["material_id"]] if rec["material_id"] else all_materials
        ks = [k for k in ks if (rec["from_site"], k) in reach]
        ahead = int(round(rec["lead_time"]))
        if ahead:
            lead[rec["lane_id"]] = ahead      # nothing may arrive after the last period
        row = prof.reader("Lanes", rec, ("capacity", "unit_cost", "tariff_rate"))
        for p, cap in inv_data.capacities(options, own, "lane", rec["lane_id"],
                                          periods[:max(0, len(periods) - ahead)],
                                          lambda p, row=row: row(p)["capacity"]):
            if p + ahead > periods[-1]:
                continue
            v = row(p)
            if cap is not None:
                cap_rows.append((rec["lane_id"], p, cap, rec[ROW]))
            if cap is not None and cap <= 0:
                continue
            for k in ks:     # a tariff is charged on the reference price of the period of shipment
                ship_rows.append((rec["lane_id"], k, p, rec["from_site"], rec["to_site"],
                                  v["unit_cost"], v["tariff_rate"] * ref_of(k, p),
                                  rec[ROW]))
    ship = pd.DataFrame(ship_rows, columns=["lane", "material", "period", "from_site", "to_site",
                                            "unit_cost", "tariff", "row"])
    lane_caps = pd.DataFrame(cap_rows, columns=["lane", "period", "cap", "row"])
    lane_caps = lane_caps[lane_caps["cap"] > 0].reset_index(drop=True)

    inv = t["Inventory"]
    stock_rows = []
    for rec in inv.to_dict("records"):
        for p in periods:
            v = prof.row("Inventory", rec, p, ("holding_cost", "min_stock", "max_stock"))
            stock_rows.append((rec["site_id"], rec["material_id"], p, v["holding_cost"],
                               v["min_stock"], v["max_stock"], rec["initial_stock"],
                               rec[ROW]))
    stock = pd.DataFrame(stock_rows, columns=["site", "material", "period", "holding", "lo", "hi",
                                              "initial", "row"])
    pairs = sorted(reach | set(zip(inv["site_id"], inv["material_id"])))
    balance = pd.DataFrame([(s_, k, p) for s_, k in pairs for p in periods],
                           columns=["site", "material", "period"])

    dem = t["Demand"]
    default_penalty = s["unmet_penalty"]
    demand = pd.DataFrame({
        "demand_id": dem["demand_id"].tolist(), "site": dem["site_id"].tolist(),
        "material": dem["material_id"].tolist(), "period": dem["period"].tolist(),
        "quantity": dem["quantity"].astype(float).tolist(),
        "penalty": [default_penalty if v is None else v for v in dem["unmet_penalty"]],
        "segment": dem["segment"].tolist(), "row": dem[ROW].tolist()})
    demand = demand[(demand["quantity"] > 0) & demand["period"].isin(periods)].reset_index(drop=True)
    can_reach = pd.Series([(a, b) in reach for a, b in zip(demand["site"], demand["material"])],
                          index=demand.index, dtype=bool)
    tiny = demand["quantity"] < RESOLUTION_T
    # reachable: the row has a met variable (material can reach the site and the
    # quantity is one the solve can resolve); otherwise it is unmet, at its penalty
    demand["reachable"] = can_reach & ~tiny
    demand.insert(0, "d", range(len(demand)))
    for rec in demand[~can_reach].to_dict("records"):
        problems.warn("Demand", rec["row"], "material_id", rec["material"],
                      f"no supply, process or lane can ever bring it to {rec['site']}")
    for rec in demand[can_reach & tiny].to_dict("records"):
        problems.warn("Demand", rec["row"], "quantity", rec["quantity"],
                      f"{below_resolution()}: left unmet at its penalty")

    export_limits, export_cover, ship = _export_controls(t["ExportControls"], ship, sites, periods,
                                                         ref_of, problems)
    dsites = demand_sites(dem)
    policy_rows, arrivals = _policies(t["Policies"], set(zip(dsites["site"], dsites["material"])),
                                      offers, processes, recipe, ship, sites, periods, problems,
                                      lead)
    data = ModelData(periods, delta, dict(s), sites, materials, offers, processes, recipe, ship,
                     lane_caps, stock, balance, demand, export_limits, export_cover, policy_rows,
                     arrivals, problems, demand_sites=dsites,
                     sales=prepare_sales(t["Sales"], prof, periods, active_periods, reach, problems),
                     take_or_pay=take_or_pay, prices=prices, lead=lead)
    data.provenance = prepare_provenance(wb, data, problems)
    data.idle = pd.DataFrame(idle, columns=IDLE_COLUMNS)
    data.investments = inv_data.frames(options, own)
    return data


def _export_controls(rules, ship, sites, periods, ref_of, problems):
    # plain numpy object arrays: comparing pandas string columns is many times slower
    country = sites["country"].to_dict()
    c_from = np.array([country[x] for x in ship["from_site"].tolist()], dtype=object)
    c_to = np.array([country[x] for x in ship["to_site"].tolist()], dtype=object)
    material = np.array(ship["material"].tolist(), dtype=object)
    period = ship["period"].to_numpy()
    abroad = c_to != c_from
    limits, cover = [], []
    for rec in rules.to_dict("records"):
        if rec.get("scope") == "content":
            continue          # follows the material: model/data/provenance.py
        rule_periods = active_periods(rec, periods)
        mask = (c_from == rec["exporter"]) & abroad & np.isin(period, rule_periods)
        if rec["importer"]:
            mask &= c_to == rec["importer"]
        if rec["material_id"]:
            mask &= material == rec["material_id"]
        if not mask.any():
            problems.warn("ExportControls", rec[ROW], "rule_id", rec["rule_id"],
                          "covers no lane shipment in any period")
            continue
        if rec["measure"] == "tariff":
            hit = ship.loc[mask]
            ship.loc[mask, "tariff"] += rec["value"] * np.array(
                [ref_of(k, p) for k, p in zip(hit["material"].tolist(), hit["period"].tolist())])
            continue
        limit = 0.0 if rec["measure"] == "ban" else rec["value"]
        covered = ship.loc[mask, ["lane", "material", "period"]]
        for p in sorted(covered["period"].unique()):
            limits.append((rec["rule_id"], p, rec["measure"], limit, rec[ROW]))
        part = covered.copy()
        part.insert(0, "rule", rec["rule_id"])
        cover.append(part)
    limits = pd.DataFrame(limits, columns=["rule", "period", "measure", "limit", "row"])
    cover = (pd.concat(cover, ignore_index=True) if cover
             else pd.DataFrame(columns=["rule", "lane", "material", "period"]))
    return limits, cover, ship


ARRIVAL_COLUMNS = ["var", "key", "coef", "material", "period", "country", "company", "site",
                   "origin", "via"]


def _policies(rules, dsites, offers, processes, recipe, ship, sites, periods, problems, lead):
    """Arrival terms at demand sites (``demand_sites``: every Demand row, even of quantity 0)
    and one row per rule, material, period, who. A term is x[var, key] * coef t of material
    arriving at ``site`` from ``origin`` (whose country and company it counts for) ``via`` a
    purchase or a process output at the site, or a lane into it."""
    country, company = sites["country"].to_dict(), sites["company"].to_dict()
    terms = []
    for o, p, s_, k in zip(*lists(offers, "offer", "period", "site", "material")):
        if (s_, k) in dsites:
            terms.append(("buy", (o, p), 1.0, k, p, country[s_], company[s_], s_, s_, "purchase"))
    outs = recipe[recipe["output"] > 0]
    made = processes.merge(outs, on="process")
    for q, p, s_, k, out in zip(*lists(made, "process", "period", "site", "material", "output")):
        if (s_, k) in dsites:
            terms.append(("run", (q, p), float(out), k, p, country[s_], company[s_], s_, s_,
                          "process"))
    for lane, k, p, a, b in zip(*lists(ship, "lane", "material", "period", "from_site", "to_site")):
        if (b, k) in dsites:    # counted in the period of arrival (lane lead_time)
            terms.append(("ship", (lane, k, p), 1.0, k, p + lead.get(lane, 0), country[a],
                          company[a], b, a, "lane"))
    arrivals = pd.DataFrame(terms, columns=ARRIVAL_COLUMNS)
    demanded = sorted({k for _, k in dsites})
    # who arrives, per (material, period): grouped once, looked up per rule
    groups = arrivals.groupby(["material", "period"])
    present = {by: {kp: sorted(set(g.tolist())) for kp, g in groups[by]} if len(arrivals) else {}
               for by in ("country", "company")}
    rows = []
    for rec in rules.to_dict("records"):
        if rec["kind"] in CHAIN_KINDS:
            continue          # follows the material: model/data/provenance.py
        by = "company" if rec["kind"] == "max_company_share" else "country"
        who = rec[by]
        materials = [rec["material_id"]] if rec["material_id"] else demanded
        n = 0
        for k in materials:
            for p in active_periods(rec, periods):
                here = present[by].get((k, p))
                if not here:
                    continue
                for w in ([who] if who else here):
                    rows.append(((rec["rule_id"], k, p, w), rec["rule_id"], rec["kind"], k, p, by,
                                 w, rec["value"], rec[ROW]))
                    n += 1
        if n == 0:
            problems.warn("Policies", rec[ROW], "rule_id", rec["rule_id"],
                          "covers no arrival of any material in any period")
    policy_rows = pd.DataFrame(rows, columns=["key", "rule", "kind", "material", "period", "by",
                                              "who", "value", "row"])
    return policy_rows, arrivals
