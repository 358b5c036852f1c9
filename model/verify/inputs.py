"""The input side of a verification: the (scenario-applied) workbook as plain
dicts, straight from the typed tables. Nothing here comes from the model-data
stage; every record keeps its Excel row so that a violation can name it.

Disabled rows are kept (flagged ``enabled=False``) so that a decision made for
one can be named precisely; the rules (export controls, policies) keep only
enabled rows, as ``model.validate.rules.active`` defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.read.workbook import ROW, Workbook
from model.schema import SHEET_BY_NAME
from model.validate.rules import active


CHAIN_KINDS = ("clean_chain", "qualified_only")
_MISSING = object()
# sheets whose Profiles rows the verifier reads, and their id columns (contract v1.2)
_PROFILED_IDS = {"supply": "Supply", "processes": "Processes", "lanes": "Lanes",
                 "materials": "Materials", "sales": "Sales", "inventory": "Inventory"}


def _num(v, default=0.0) -> float:
    return default if v is None else float(v)


def _split(text) -> set[str]:
    """'a, b,c' -> {'a', 'b', 'c'}"""
    return {part.strip() for part in str(text or "").split(",") if part.strip()}


@dataclass
class Inputs:
    periods: list[int]
    delta: dict[int, float]
    currency: str
    default_penalty: float
    sites: dict[str, dict]          # site_id -> country, company (blank: "(site_id)"), row
    materials: dict[str, dict]      # material_id -> ref, disposal, row
    offers: dict[str, dict]         # offer_id -> site, material, capacity, unit_cost, fixed,
                                    #   minq, periods, enabled, qualified_for, row
    processes: dict[str, dict]      # process_id -> site, capacity, unit_cost, fixed, periods,
                                    #   enabled, qualified_for, row
    recipes: dict[str, list]        # process_id -> [(material, input, output, row)]
    lanes: dict[str, dict]          # lane_id -> from, to, material, unit_cost, tariff_rate,
                                    #   capacity, enabled, row
    profile: dict[str, dict]        # id -> {period: (capacity, CapacityProfile row)}
    demand: dict[int, dict]         # Excel row -> demand_id, site, material, period, quantity,
                                    #   penalty, segment
    inventory: dict[tuple, dict]    # (site, material) -> initial, holding, lo, hi, row
    export_rules: list[dict]        # enabled ExportControls rows of scope shipment
    policies: list[dict]            # enabled Policies rows of the share kinds
    demand_sites: set               # (site, material) with a Demand row
    demanded: list[str]             # materials with a Demand row
    # contract v1.1: rules that follow the material (provenance classes)
    content_rules: list = field(default_factory=list)   # enabled ExportControls of scope content
    chain_rules: list = field(default_factory=list)     # enabled clean_chain / qualified_only
    groups: dict = field(default_factory=dict)          # tracked group -> member countries
    segments: set = field(default_factory=set)          # tracked segments
    # contract v1.2: Profiles {(sheet, id, column): {period: (value, row)}} and Sales
    paths: dict = field(default_factory=dict)
    sales: dict = field(default_factory=dict)           # sale_id -> site, material, price,
                                                        #   capacity, periods, enabled, row
    # contract v1.2: investments (model/verify/investments.py)
    investments: dict = field(default_factory=dict)     # investment_id -> raw row
    added: dict = field(default_factory=dict)           # (target, period) -> capacity built

    @property
    def first(self) -> int:
        return self.periods[0]

    def active_periods(self, rec: dict) -> list[int]:
        a = self.periods[0] if rec.get("first_period") is None else rec["first_period"]
        b = self.periods[-1] if rec.get("last_period") is None else rec["last_period"]
        return [p for p in self.periods if a <= p <= b]

    def cell(self, sheet: str, ident: str, column: str, period: int, base):
        """(value, where): a Profiles row of the cell in that period (a blank value: the
        column's blank meaning, its schema default), or the cell ``base``."""
        hit = self.paths.get((sheet, ident, column), {}).get(period)
        if hit is None:
            return base, ""
        value = hit[0]
        if value is None:
            value = SHEET_BY_NAME[sheet].column(column).default
        return value, f"Profiles row {hit[1]}"

    def price(self, o: str, p: int) -> float:
        """The price paid for offer o in p: min(max(unit_cost, price_floor), price_cap)."""
        off = self.offers[o]
        price = self.cell("Supply", o, "unit_cost", p, off["unit_cost"])[0]
        floor = self.cell("Supply", o, "price_floor", p, off["floor"])[0]
        cap = self.cell("Supply", o, "price_cap", p, off["cap"])[0]
        if floor is not None and price < floor:
            price = floor
        if cap is not None and price > cap:
            price = cap
        return price

    def ref(self, k: str, p: int) -> float:
        """reference_price of material k in period p (Profiles, else the cell)."""
        m = self.materials.get(k)
        if m is None:
            return 0.0
        return self.cell("Materials", k, "reference_price", p, m["ref"])[0]

    def capacity(self, ident: str, period: int, base, sheet: str | None = None):
        """(capacity, where): a Profiles row, else the CapacityProfile override, else the
        row's capacity; plus the capacity investments added (contract v1.2). ``sheet``
        None: no override applies (outside the row's own periods its capacity is 0)."""
        cap, src = base, ""
        found = False
        if sheet is not None and (sheet, ident, "capacity") in self.paths:
            value, where = self.cell(sheet, ident, "capacity", period, _MISSING)
            if value is not _MISSING:
                cap, src, found = value, where, True
        if sheet is not None and not found:
            over = self.profile.get(ident, {}).get(period)
            if over is not None:
                cap, src = over[0], f"CapacityProfile row {over[1]}"
        extra = self.added.get((ident, period), 0.0)
        if extra and cap is not None:
            return cap + extra, (src + " + " if src else "") + f"{extra:g} built (Investments)"
        return cap, src


def inputs_of(wb: Workbook) -> Inputs:
    s = wb.settings
    t = wb.tables
    first, last = s.get("first_period"), s.get("last_period")
    if first is None or last is None or first > last:
        from model.verify.verdict import CannotVerify
        raise CannotVerify(f"the input's horizon first_period {first} .. last_period {last} "
                           "is not usable")
    periods = list(range(int(first), int(last) + 1))
    rate = s["discount_rate"]
    years = float(s["period_years"])      # contract v1.2: length of a period
    delta = {p: 1.0 / (1.0 + rate) ** ((p - periods[0]) * years) for p in periods}

    sites = {}
    for r in t["Sites"].to_dict("records"):
        if r["site_id"] is not None and r["site_id"] not in sites:
            sites[r["site_id"]] = {"country": r["country"],
                                   "company": r["company"] or f"({r['site_id']})", "row": r[ROW]}
    materials = {}
    for r in t["Materials"].to_dict("records"):
        if r["material_id"] is not None and r["material_id"] not in materials:
            materials[r["material_id"]] = {"ref": float(r["reference_price"]),
                                           "disposal": float(r["disposal_cost"]), "row": r[ROW]}
    inp = Inputs(periods, delta, s["currency"], float(s["unmet_penalty"]),
                 sites, materials, {}, {}, {}, {}, {}, {}, {}, [], [], set(), [])
    for r in t["CapacityProfile"].to_dict("records"):
        if r["id"] is not None and r["period"] is not None and r["capacity"] is not None:
            inp.profile.setdefault(r["id"], {}).setdefault(
                int(r["period"]), (float(r["capacity"]), r[ROW]))
    for r in t["Supply"].to_dict("records"):
        if r["offer_id"] is None or r["offer_id"] in inp.offers:
            continue
        inp.offers[r["offer_id"]] = {
            "site": r["site_id"], "material": r["material_id"],
            "capacity": None if r["capacity"] is None else float(r["capacity"]),
            "unit_cost": float(r["unit_cost"]), "fixed": float(r["fixed_cost"]),
            "take_or_pay": float(r["take_or_pay"]),
            "floor": None if r.get("price_floor") is None else float(r["price_floor"]),
            "cap": None if r.get("price_cap") is None else float(r["price_cap"]),
            "reservation": _num(r["reservation_cost"]),     # blank: a spot offer, 0
            "minq": float(r["min_quantity"]), "periods": inp.active_periods(r),
            "enabled": r["enabled"] is not False, "row": r[ROW],
            "qualified_for": _split(r.get("qualified_for"))}
    for r in t["Processes"].to_dict("records"):
        if r["process_id"] is None or r["process_id"] in inp.processes:
            continue
        inp.processes[r["process_id"]] = {
            "site": r["site_id"],
            "capacity": None if r["capacity"] is None else float(r["capacity"]),
            "unit_cost": float(r["unit_cost"]),
            "fixed": float(r["fixed_cost"]), "periods": inp.active_periods(r),
            "enabled": r["enabled"] is not False, "row": r[ROW],
            "qualified_for": _split(r.get("qualified_for"))}
    for r in t["Recipes"].to_dict("records"):
        i, o = float(r["input"]), float(r["output"])
        if r["process_id"] is not None and (i > 0 or o > 0):
            inp.recipes.setdefault(r["process_id"], []).append((r["material_id"], i, o, r[ROW]))
    for r in t["Lanes"].to_dict("records"):
        if r["lane_id"] is None or r["lane_id"] in inp.lanes:
            continue
        inp.lanes[r["lane_id"]] = {
            "from": r["from_site"], "to": r["to_site"], "material": r["material_id"],
            "unit_cost": float(r["unit_cost"]), "tariff_rate": float(r["tariff_rate"]),
            "capacity": None if r["capacity"] is None else float(r["capacity"]),
            "lead": int(round(float(r["lead_time"]))),
            "enabled": r["enabled"] is not False, "row": r[ROW]}
    for r in t["Demand"].to_dict("records"):
        inp.demand[int(r[ROW])] = {
            "demand_id": r["demand_id"], "site": r["site_id"], "material": r["material_id"],
            "period": None if r["period"] is None else int(r["period"]),
            "quantity": float(r["quantity"]),
            "penalty": (inp.default_penalty if r["unmet_penalty"] is None
                        else float(r["unmet_penalty"])),
            "segment": r["segment"]}
        inp.demand_sites.add((r["site_id"], r["material_id"]))
    inp.demanded = sorted({k for _, k in inp.demand_sites if k is not None})
    for r in t["Inventory"].to_dict("records"):
        key = (r["site_id"], r["material_id"])
        if key not in inp.inventory:
            inp.inventory[key] = {
                "initial": float(r["initial_stock"]), "holding": float(r["holding_cost"]),
                "lo": float(r["min_stock"]),
                "hi": None if r["max_stock"] is None else float(r["max_stock"]), "row": r[ROW],
                "initial_clean": r.get("initial_clean") is True,
                "initial_qualified_for": _split(r.get("initial_qualified_for"))}
    for r in t["Profiles"].to_dict("records"):
        sheet = _PROFILED_IDS.get(str(r["sheet"] or "").strip().lower())
        if sheet is not None and r["id"] is not None and r["period"] is not None:
            key = (sheet, str(r["id"]), str(r["column"] or "").strip().lower())
            inp.paths.setdefault(key, {}).setdefault(
                int(r["period"]), (None if r["value"] is None else float(r["value"]), r[ROW]))
    for r in t["Sales"].to_dict("records"):
        if r["sale_id"] is not None and r["sale_id"] not in inp.sales:
            inp.sales[r["sale_id"]] = {
                "site": r["site_id"], "material": r["material_id"], "price": float(r["price"]),
                "capacity": None if r["capacity"] is None else float(r["capacity"]),
                "periods": inp.active_periods(r), "enabled": r["enabled"] is not False,
                "row": r[ROW]}
    for r in active(t["ExportControls"]).to_dict("records"):
        target = inp.content_rules if r.get("scope") == "content" else inp.export_rules
        target.append({
            "rule": r["rule_id"], "exporter": r["exporter"], "importer": r["importer"],
            "material": r["material_id"], "measure": r["measure"],
            "value": None if r["value"] is None else float(r["value"]),
            "periods": set(inp.active_periods(r)), "row": r[ROW]})
    for r in active(t["Policies"]).to_dict("records"):
        rec = {"rule": r["rule_id"], "kind": r["kind"], "material": r["material_id"],
               "country": r["country"], "company": r["company"], "value": _num(r["value"]),
               "periods": inp.active_periods(r), "row": r[ROW],
               "segment": r.get("segment"), "group": r.get("group")}
        (inp.chain_rules if r["kind"] in CHAIN_KINDS else inp.policies).append(rec)
    members: dict[str, set] = {}
    groups_frame = t.get("CountryGroups")
    if groups_frame is not None:
        for r in groups_frame.to_dict("records"):
            members.setdefault(r["group_id"], set()).add(r["country"])
    for r in inp.chain_rules:
        if r["kind"] == "clean_chain" and r["group"] in members:
            inp.groups[r["group"]] = frozenset(members[r["group"]])
        if r["kind"] == "qualified_only" and r["segment"]:
            inp.segments.add(r["segment"])
    for r in inp.content_rules:
        inp.groups[f"country:{r['exporter']}"] = frozenset([r["exporter"]])
    from model.verify.investments import rows_of
    inp.investments = rows_of(t)
    return inp
