"""Seeded generator of contract-v1 benchmark workbooks at three sizes.

    python benchmarks/generate.py [--sizes small,medium,large] [--seed 1] [--count]
    python benchmarks/generate.py --read50k

A rare-earth magnet supply network, in ``regions`` (one country each; every
fourth region is CN) times ``families`` (one chain of materials each):

    ore --separation--> NdPr oxide + Dy oxide + La/Ce oxide   (3 co-products;
                                                              every other family: 2)
    NdPr oxide --metal-making--> NdPr metal
    NdPr metal + Dy oxide --magnet-making--> magnet           (2 inputs)

Each region has two mines, a separator, a metal plant, a magnet plant, a
warehouse and two customers. Lanes join the stages inside a region (some with
a material, some blank = any material), carry oxide and metal to other
regions, and join each warehouse to the customers of ``served`` other regions
by sea (blank material, unlimited) and by air (magnets only, with a
capacity). Every constraint family is exercised: offer capacities with
CapacityProfile ramp-ups and outages, a few fixed costs and minimum
quantities (the only binaries: ~20-50 in all), co-product processes with
fixed costs, lane capacities and tariff rates, export bans, quotas and
tariffs, every policy kind, inventory floors and ceilings, demand in two
segments, discounting, scenarios.

Every instance is feasible: doing nothing (all flows zero, stock held at its
initial level, all demand unmet at its penalty) satisfies every constraint,
because initial_stock >= min_stock, quotas and bans are upper limits and
share rules hold at zero arrivals. Minimum country shares name a country
that produces the material, so they can be met with real supply.

Variables are counted as the model does (docs/model.md) with ``--count``,
which reads the workbook through ``model.run.load`` and ``prepare``.
Workbooks are written with openpyxl in write-only mode to
``benchmarks/out/<size>.xlsx``; a ``<size>.json`` beside it records the
parameters, seed and (with --count) the counts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from openpyxl import Workbook

OUT = Path(__file__).resolve().parent / "out"
FIRST = 2026

# regions, families, customers' regions served by each warehouse, periods
SIZES = {
    "small": dict(regions=4, families=3, served=2, periods=10),
    "medium": dict(regions=10, families=6, served=4, periods=15),
    "large": dict(regions=24, families=10, served=8, periods=25),
}
OTHER_COUNTRIES = ["AU", "US", "MY", "CA", "GB", "JP", "VN", "BR", "DE", "FR", "KR", "IN",
                   "ZA", "TH", "ID", "SE", "FI", "NO", "ES", "MX", "CL", "PL", "PH", "IT"]
COMPANIES = ["Lynas", "MP Materials", "Iluka", "Neo", "Shenghe", "China Northern", "Solvay",
             "Energy Fuels", "Arafura", "Vacuumschmelze", "Hitachi Metals", "USA Rare Earth"]

HEADERS = {
    "Settings": ["key", "value"],
    "Materials": ["material_id", "name", "reference_price", "disposal_cost"],
    "Sites": ["site_id", "name", "company", "country", "kind"],
    "Supply": ["offer_id", "site_id", "material_id", "capacity", "unit_cost", "first_period",
               "last_period", "fixed_cost", "min_quantity", "enabled"],
    "Processes": ["process_id", "site_id", "capacity", "unit_cost", "first_period",
                  "last_period", "fixed_cost", "enabled"],
    "Recipes": ["process_id", "material_id", "input", "output"],
    "CapacityProfile": ["id", "period", "capacity"],
    "Lanes": ["lane_id", "from_site", "to_site", "material_id", "unit_cost", "tariff_rate",
              "capacity", "enabled"],
    "Demand": ["demand_id", "site_id", "material_id", "period", "quantity", "unmet_penalty",
               "segment"],
    "Inventory": ["site_id", "material_id", "initial_stock", "holding_cost", "min_stock",
                  "max_stock"],
    "ExportControls": ["rule_id", "exporter", "material_id", "importer", "first_period",
                       "last_period", "measure", "value", "enabled"],
    "Policies": ["rule_id", "kind", "material_id", "country", "company", "value",
                 "first_period", "last_period", "enabled"],
    "Scenarios": ["scenario_id", "description", "probability"],
    "ScenarioChanges": ["scenario_id", "sheet", "id", "column", "op", "value"],
}


class _Draw:
    def __init__(self, seed: int):
        self.g = np.random.default_rng(seed)

    def chance(self, p: float) -> bool:
        return bool(self.g.random() < p)

    def int(self, lo: int, hi: int) -> int:          # inclusive
        return int(self.g.integers(lo, hi + 1))

    def money(self, lo: float, hi: float, step: float = 1) -> float:
        return float(round(self.g.uniform(lo, hi) / step) * step)

    def pick(self, seq):
        return seq[int(self.g.integers(len(seq)))]

    def sample(self, seq, k):
        idx = self.g.choice(len(seq), size=min(k, len(seq)), replace=False)
        return [seq[i] for i in sorted(idx)]


def country_of(r: int) -> str:
    return "CN" if r % 4 == 0 else OTHER_COUNTRIES[(r - r // 4 - 1) % len(OTHER_COUNTRIES)]


def tables(size: str = "small", seed: int = 1, **override) -> dict[str, list[list]]:
    """The workbook as {sheet: rows} (header not included), Python values, None = blank."""
    prm = {**SIZES[size], **override}
    R, F, K, P = prm["regions"], prm["families"], prm["served"], prm["periods"]
    d = _Draw(seed)
    periods = list(range(FIRST, FIRST + P))
    last = periods[-1]
    t: dict[str, list[list]] = {name: [] for name in HEADERS}

    t["Settings"] = [["first_period", FIRST], ["last_period", last], ["currency", "USD"],
                     ["unmet_penalty", 2_000_000], ["discount_rate", 0.05],
                     ["mip_gap", 0.0001]]

    # Materials: six per family.
    fam = [f"F{f + 1:02d}" for f in range(F)]
    ORE, NDPR, DY, LACE, MET, MAG = (lambda f: f"{fam[f]}_ORE", lambda f: f"{fam[f]}_NDPR_OX",
                                     lambda f: f"{fam[f]}_DY_OX", lambda f: f"{fam[f]}_LACE_OX",
                                     lambda f: f"{fam[f]}_NDPR_MET", lambda f: f"{fam[f]}_MAGNET")
    for f in range(F):
        t["Materials"] += [
            [ORE(f), f"mixed RE concentrate {fam[f]}", d.money(4000, 7000, 100), 40],
            [NDPR(f), f"NdPr oxide {fam[f]}", d.money(70000, 90000, 500), 0],
            [DY(f), f"Dy oxide {fam[f]}", d.money(250000, 350000, 1000), 0],
            [LACE(f), f"La/Ce oxide {fam[f]}", d.money(1500, 2500, 100), 25],
            [MET(f), f"NdPr metal {fam[f]}", d.money(95000, 115000, 500), 0],
            [MAG(f), f"NdFeB magnet {fam[f]}", d.money(140000, 170000, 1000), 0],
        ]

    # Sites.
    country = [country_of(r) for r in range(R)]
    n_comp = max(4, min(len(COMPANIES), R // 2 + 2))
    comp = [COMPANIES[(r * 5 + 3) % n_comp] if country[r] != "CN" else
            COMPANIES[4 + (r // 4) % 2] for r in range(R)]
    site = {}
    for r in range(R):
        c = country[r]
        for role, kind in (("MINE_A", "mine"), ("MINE_B", "mine"), ("SEP", "processor"),
                           ("MET", "processor"), ("MAG", "processor"), ("WH", "warehouse"),
                           ("CUST_A", "customer"), ("CUST_B", "customer")):
            sid = f"R{r:02d}_{role}"
            site[r, role] = sid
            company = (comp[r] if kind != "customer" else f"Buyer {r:02d}{role[-1]}")
            if role == "MINE_B" and d.chance(0.5):
                company = COMPANIES[(r * 7 + 1) % n_comp]
            t["Sites"].append([sid, f"{c} {role.lower()} {r}", company, c, kind])

    # Supply: ore at the mines (every family), a few oxide traders; some ramps and outages.
    offers, profile = t["Supply"], t["CapacityProfile"]
    offer_binaries = 30            # budget of binary variables (each contract: <= 5 periods)
    seen_profile = set()

    def outage_or_ramp(ident, period, capacity):
        if (ident, period) not in seen_profile:
            seen_profile.add((ident, period))
            profile.append([ident, period, capacity])
    for r in range(R):
        cn = country[r] == "CN"
        for role in ("MINE_A", "MINE_B"):
            for f in range(F):
                oid = f"O_{site[r, role]}_{fam[f]}"
                cap = d.money(800, 3000, 50) * (1.6 if cn else 1.0)
                cost = d.money(1500, 3500, 50) * (0.8 if cn else 1.0)
                first = end = None
                fixed = minq = None
                if not cn and role == "MINE_B" and d.chance(0.3):
                    # a new mine: starts later and ramps up
                    first = FIRST + d.int(1, min(4, P - 2))
                    for i, share in enumerate((0.3, 0.6)):
                        if first + i <= last:
                            outage_or_ramp(oid, first + i, round(cap * share, 1))
                elif offer_binaries > 0 and d.chance(0.25):
                    # a take-or-pay contract for up to five years: cheap, with a yearly fee
                    # and a minimum quantity when used
                    first = FIRST + d.int(0, max(0, P - 5))
                    end = min(last, first + 4)
                    fixed, minq = d.money(20000, 80000, 1000), round(cap * 0.3)
                    cost *= 0.7
                    offer_binaries -= end - first + 1
                if d.chance(0.05):
                    outage_or_ramp(oid, d.pick(periods), 0)            # an outage
                enabled = False if d.chance(0.02) else (True if d.chance(0.3) else None)
                offers.append([oid, site[r, role], ORE(f), cap, cost, first, end, fixed, minq,
                               enabled])
        if d.chance(0.5):
            f = d.int(0, F - 1)
            offers.append([f"O_{site[r, 'SEP']}_{fam[f]}_NDPR", site[r, "SEP"], NDPR(f),
                           d.money(50, 200, 10), d.money(90000, 110000, 500), None, None,
                           None, None, None])

    # Processes and recipes.
    procs, recipes = t["Processes"], t["Recipes"]
    proc_binaries = 20             # budget of binary variables (each: a 5-period window)
    for r in range(R):
        cn = country[r] == "CN"
        for f in range(F):
            q = f"Q_SEP_R{r:02d}_{fam[f]}"
            fixed = first = end = None
            if proc_binaries > 0 and d.chance(0.15):
                # a toll-separation line rented for up to five years, with a yearly fee
                fixed = d.money(50000, 200000, 1000)
                first = FIRST + d.int(0, max(0, P - 5))
                end = min(last, first + 4)
                proc_binaries -= end - first + 1
            procs.append([q, site[r, "SEP"], d.money(1000, 4000, 50) * (1.5 if cn else 1.0),
                          d.money(800, 2000, 10), first, end, fixed, None])
            recipes.append([q, ORE(f), 1.0, None])
            recipes.append([q, NDPR(f), None, 0.3])
            recipes.append([q, LACE(f), None, 0.5])
            if f % 2 == 0:
                recipes.append([q, DY(f), None, 0.05])
            else:
                # DY from this family's ore comes from a separate heavy-RE circuit elsewhere
                offers.append([f"O_{site[r, 'SEP']}_{fam[f]}_DY", site[r, "SEP"], DY(f),
                               d.money(20, 80, 5), d.money(320000, 400000, 1000), None, None,
                               None, None, None])
            q = f"Q_MET_R{r:02d}_{fam[f]}"
            first = FIRST + d.int(1, 3) if (not cn and d.chance(0.3)) else None
            procs.append([q, site[r, "MET"], d.money(200, 900, 10), d.money(4000, 9000, 50),
                          first, None, None, None])
            recipes.append([q, NDPR(f), 1.25, None])
            recipes.append([q, MET(f), None, 1.0])
            q = f"Q_MAG_R{r:02d}_{fam[f]}"
            procs.append([q, site[r, "MAG"], d.money(400, 2500, 10), d.money(8000, 20000, 50),
                          None, None, None, None])
            recipes.append([q, MET(f), 0.3, None])
            recipes.append([q, DY(f), 0.03, None])
            recipes.append([q, MAG(f), None, 1.0])
            if d.chance(0.1):
                outage_or_ramp(q, d.pick(periods[1:]), 0)            # maintenance outage

    # Lanes.
    lanes = t["Lanes"]

    def lane(a, b, k, cost, tariff=None, cap=None, enabled=None):
        lanes.append([f"L{len(lanes) + 1:06d}", a, b, k, cost, tariff, cap, enabled])

    for r in range(R):
        s = lambda role: site[r, role]  # noqa: E731
        for role in ("MINE_A", "MINE_B"):
            lane(s(role), s("SEP"), None, d.money(20, 80))                 # ore, blank
        for f in range(F):
            lane(s("SEP"), s("MET"), NDPR(f), d.money(10, 40))
            lane(s("SEP"), s("MAG"), DY(f), d.money(10, 40))
            lane(s("MET"), s("MAG"), MET(f), d.money(10, 40))
        lane(s("SEP"), s("WH"), None, d.money(10, 50))                     # anything
        lane(s("MET"), s("WH"), None, d.money(10, 50))
        lane(s("MAG"), s("WH"), None, d.money(10, 50))
        lane(s("MAG"), s("CUST_A"), None, d.money(30, 90))
        lane(s("MAG"), s("CUST_B"), None, d.money(30, 90),
             cap=d.money(300, 2000, 50) if d.chance(0.5) else None)
        # Inter-regional trade in semi-finished goods.
        for other in d.sample([x for x in range(R) if x != r], min(3, R - 1)):
            cross = country[other] != country[r]
            f = d.int(0, F - 1)
            lane(s("SEP"), site[other, "MET"], NDPR(f), d.money(150, 400),
                 tariff=0.05 if cross and d.chance(0.4) else None)
            lane(s("MET"), site[other, "MAG"], MET(f), d.money(150, 400),
                 cap=d.money(100, 600, 10) if d.chance(0.3) else None)
            lane(s("SEP"), site[other, "MAG"], DY(f), d.money(200, 500))
        # Distribution: each warehouse serves its own and `served` other regions' customers.
        served = [r] + d.sample([x for x in range(R) if x != r], min(K, R - 1))
        for other in served:
            cross = country[other] != country[r]
            for role in ("CUST_A", "CUST_B"):
                lane(s("WH"), site[other, role], None, d.money(100, 600) if cross else 40,
                     tariff=d.pick([0.02, 0.05, 0.1]) if cross and d.chance(0.3) else None,
                     enabled=False if d.chance(0.01) else None)
                if cross:
                    lane(s("WH"), site[other, role], MAG(d.int(0, F - 1)), d.money(1500, 3000),
                         cap=d.money(20, 100, 5))                           # air freight

    # Demand: magnets at every customer, metal at some; defense and commercial segments.
    demand = t["Demand"]
    n = 0
    for r in range(R):
        for role in ("CUST_A", "CUST_B"):
            wants = [(MAG(f), d.money(30, 250, 5)) for f in range(F) if d.chance(0.7)]
            if role == "CUST_B":
                wants += [(MET(f), d.money(10, 60, 5)) for f in range(F) if d.chance(0.3)]
            for k, q0 in wants:
                growth = d.money(0.0, 0.06, 0.005)
                split = d.chance(0.4)
                for p in periods:
                    qty = round(q0 * (1 + growth) ** (p - FIRST), 1)
                    if split:
                        n += 1
                        demand.append([f"D{n:07d}", site[r, role], k, p, round(qty * 0.3, 1),
                                       None, "defense"])
                        n += 1
                        demand.append([f"D{n:07d}", site[r, role], k, p, round(qty * 0.7, 1),
                                       d.money(150000, 600000, 1000), "commercial"])
                    else:
                        n += 1
                        demand.append([f"D{n:07d}" if d.chance(0.9) else None, site[r, role],
                                       k, p, qty, None, None])

    # Inventory: warehouse stockpiles with floors and ceilings; customer safety stock.
    inv = t["Inventory"]
    for r in range(R):
        for f in range(F):
            init = d.money(0, 200, 5)
            floor = round(init * d.pick([0, 0.5, 1.0]), 1)
            inv.append([site[r, "WH"], MAG(f), init, d.money(1500, 4000, 50), floor,
                        None if d.chance(0.5) else init + d.money(100, 600, 10)])
            if d.chance(0.3):
                init = d.money(0, 50, 5)
                inv.append([site[r, "WH"], DY(f), init, d.money(3000, 8000, 50),
                            round(init * 0.8, 1), init + 100])
        if d.chance(0.5):
            f = d.int(0, F - 1)
            init = d.money(10, 60, 5)
            inv.append([site[r, "CUST_A"], MAG(f), init, 2500, init, None])

    # Export controls: bans, quotas and tariffs of exporting governments.
    importers = sorted({c for c in country if c != "CN"})
    ex = t["ExportControls"]
    ex.append(["X_CN_DY_BAN", "CN", DY(0), None, FIRST + min(2, P - 1), None, "ban", None, None])
    for f in range(1, F, 2):
        ex.append([f"X_CN_DY_{fam[f]}", "CN", DY(f), None, FIRST + min(3, P - 1), None, "ban",
                   None, None])
    if importers:
        us = "US" if "US" in importers else importers[0]
        ex.append(["X_CN_US_ALL", "CN", None, us, FIRST + min(4, P - 1),
                   FIRST + min(6, P - 1), "ban", None, True])
        ex.append(["X_CN_US_TARIFF", "CN", None, us, None, None, "tariff", 0.25, None])
    for f in range(0, F, 3):
        ex.append([f"X_CN_NDPR_Q_{fam[f]}", "CN", NDPR(f), None, None, None, "quota",
                   d.money(100, 400, 10), None])
        ex.append([f"X_CN_MAG_Q_{fam[f]}", "CN", MAG(f), None, FIRST + 1, None, "quota",
                   d.money(200, 800, 10), None])
    for i, c in enumerate(importers[:max(2, len(importers) // 4)]):
        ex.append([f"X_{c}_ORE_Q", c, ORE(i % F), "CN", None, None, "quota",
                   d.money(200, 1000, 50), None])
        ex.append([f"X_{c}_MAG_T", c, MAG(i % F), None, None, None, "tariff", 0.05, None])
    ex.append(["X_OLD", "CN", None, None, None, None, "tariff", 0.5, False])   # disabled

    # Policies: every kind; blank material and blank country/company expand.
    pol = t["Policies"]
    pol.append(["P_CN_MAX_ALL", "max_country_share", None, "CN", None, 0.6, FIRST + 1, None,
                None])
    for f in range(min(F, 4)):
        pol.append([f"P_CN_MAX_{fam[f]}", "max_country_share", MAG(f), "CN", None, 0.4,
                    None, None, None])
    pol.append(["P_ANY_MAX", "max_country_share", MAG(0), None, None, 0.5, None, None, None])
    producer = country[1] if R > 1 else country[0]
    pol.append(["P_MIN_" + producer, "min_country_share", MAG(0), producer, None, 0.05,
                FIRST + 2, None, None])
    pol.append(["P_MIN_MET", "min_country_share", MET(min(1, F - 1)), producer, None, 0.02,
                None, None, None])
    pol.append(["P_COMPANY", "max_company_share", MAG(min(1, F - 1)), None, None, 0.5, None,
                None, None])
    pol.append(["P_COMPANY_SH", "max_company_share", None, None, COMPANIES[4], 0.5, None, None,
                True])
    pol.append(["P_OFF", "max_country_share", None, "CN", None, 0.1, None, None, False])

    # Scenarios (checked at every load; one is a pure toggle).
    t["Scenarios"] = [["s_cn_total_ban", "CN bans every export to US", None],
                      ["s_demand_up", "20% more demand", 0.3],
                      ["s_cheap_freight", "freight at half price", 0.2]]
    t["ScenarioChanges"] = [
        ["s_cn_total_ban", "ExportControls", "X_CN_US_ALL", "last_period", "set", last],
        ["s_demand_up", "Demand", "*", "quantity", "scale", 1.2],
        ["s_cheap_freight", "Lanes", "*", "unit_cost", "scale", 0.5],
        ["s_cheap_freight", "Settings", "discount_rate", "value", "set", 0.03],
    ]
    return t


def read50k_tables(rows: int = 50_000, seed: int = 1) -> dict[str, list[list]]:
    """The small network with a Demand sheet of ``rows`` rows (segments repeat a
    site, material and period; every row has its own demand_id)."""
    t = tables("small", seed)
    base = t["Demand"]
    out = []
    for i in range(rows):
        src = base[i % len(base)]
        out.append([f"D{i + 1:07d}", src[1], src[2], src[3], round((src[4] or 1) / 10, 2),
                    None if i % 3 else 250000.0, f"seg{i // len(base)}"])
    t["Demand"] = out
    return t


def rows_tables(rows: int = 200_000, size: str = "medium", seed: int = 1) -> dict[str, list[list]]:
    """The ``size`` network with its Demand sheet as ``rows`` order lines of
    realistic quantities: each Demand row of the network becomes about
    rows / len(Demand) lines (0.5 to 1.5 times an equal share of its quantity,
    two decimals, each with its own demand_id); one line in five carries its
    own penalty (one of four contract levels), so alike lines form several
    groups per site, material and period."""
    t = tables(size, seed)
    d = _Draw(seed + 7)
    base = t["Demand"]
    per, extra = divmod(rows, len(base))
    levels = [None, 400000.0, 700000.0, 1000000.0, 1500000.0]
    out = []
    for j, src in enumerate(base):
        n = per + (j < extra)
        for _ in range(n):
            qty = round(max(0.01, (src[4] or 1) / n * (0.5 + d.g.random())), 2)
            penalty = src[5] if not d.chance(0.2) else d.pick(levels[1:])
            out.append([f"L{len(out) + 1:07d}", src[1], src[2], src[3], qty, penalty, src[6]])
    t["Demand"] = out
    return t


def as_lp(t: dict[str, list[list]]) -> dict[str, list[list]]:
    """The same network without fixed costs and minimum quantities: no binaries, an LP."""
    for sheet, cols in (("Supply", ["fixed_cost", "min_quantity"]), ("Processes", ["fixed_cost"])):
        for row in t[sheet]:
            for col in cols:
                row[HEADERS[sheet].index(col)] = 0
    return t


def write(t: dict[str, list[list]], path: Path) -> Path:
    """Write with openpyxl's write-only mode (streams rows; no cell objects kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    for name, header in HEADERS.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in t[name]:
            ws.append(row)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def count(path: Path) -> dict:
    """Variables and rows as the model creates them (model.run.load + prepare)."""
    from model.data.model_data import prepare
    from model.run import load
    wb, _, warnings = load(path)
    data = prepare(wb)
    o, q, d = data.offers, data.processes, data.demand
    v = {"buy": len(o), "use_offer": int(o["binary"].sum()), "run": len(q),
         "run_on": int(q["binary"].sum()), "ship": len(data.ship), "stock": len(data.stock),
         "discard": len(data.balance), "met": int(d["reachable"].sum()), "unmet": len(d)}
    return {"variables": sum(v.values()), "by_variable": v,
            "binaries": v["use_offer"] + v["run_on"],
            "balance_rows": len(data.balance), "policy_rows": len(data.policy_rows),
            "export_limit_rows": len(data.export_limits), "lane_capacity_rows": len(data.lane_caps),
            "demand_rows": len(d), "warnings": len(warnings) + len(data.problems.warnings),
            "sheet_rows": {name: len(f) for name, f in wb.tables.items() if len(f)}}


def generate(size: str, seed: int = 1, do_count: bool = False, out: Path = OUT) -> dict:
    t0 = time.perf_counter()
    t = tables(size, seed)
    path = write(t, out / f"{size}.xlsx")
    info = {"size": size, "seed": seed, "params": SIZES[size], "path": str(path),
            "write_seconds": round(time.perf_counter() - t0, 2),
            "bytes": path.stat().st_size, "rows": {k: len(v) for k, v in t.items()}}
    if do_count:
        info["counts"] = count(path)
    (out / f"{size}.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,medium,large")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", action="store_true", help="count variables through the model")
    ap.add_argument("--read50k", action="store_true", help="write out/read50k.xlsx only")
    ap.add_argument("--rows", type=int, help="write out/rowsN.xlsx only: the medium network "
                    "with N Demand order lines (rows_tables)")
    args = ap.parse_args(argv)
    if args.rows:
        path = write(rows_tables(args.rows, seed=args.seed), OUT / f"rows{args.rows}.xlsx")
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)")
        return 0
    if args.read50k:
        path = write(read50k_tables(seed=args.seed), OUT / "read50k.xlsx")
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)")
        return 0
    for size in args.sizes.split(","):
        info = generate(size.strip(), args.seed, args.count)
        line = f"{size}: {info['path']} ({info['bytes'] / 2**20:.1f} MB, {info['write_seconds']} s)"
        if "counts" in info:
            c = info["counts"]
            line += (f"; {c['variables']:,} variables ({c['binaries']} binary), "
                     f"{c['balance_rows']:,} balance rows, {c['warnings']} warnings")
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
