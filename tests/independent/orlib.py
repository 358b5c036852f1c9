"""OR-Library capacitated warehouse location files as contract workbooks.

File format (Beasley 1988; see shared/reference-data/orlib/README.md):

    m n
    capacity fixed_cost            (m lines, one per warehouse)
    demand  c_1 ... c_m            (n times; c_i = cost of serving ALL of the
                                    customer's demand from warehouse i)

Mapping onto contract v1: one material; warehouse i is site W<i> with one
Supply offer (capacity, unit_cost 0, fixed_cost); customer j is site C<j>
with one Demand row; a Lane W<i> -> C<j> with unit_cost = c_ij / demand_j;
an unmet_penalty far above any allocation cost; one period; mip_gap 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

PERIOD = 2026
MATERIAL = "GOODS"


@dataclass
class CapInstance:
    capacity: list[float]      # per warehouse
    fixed_cost: list[float]    # per warehouse
    demand: list[float]        # per customer
    cost: list[list[float]]    # cost[j][i]: all of customer j's demand from warehouse i

    @property
    def m(self) -> int:
        return len(self.capacity)

    @property
    def n(self) -> int:
        return len(self.demand)


def parse_cap(path) -> CapInstance:
    tokens = Path(path).read_text().split()
    pos = 0

    def take() -> float:
        nonlocal pos
        pos += 1
        return float(tokens[pos - 1])

    m, n = int(take()), int(take())
    capacity, fixed = [], []
    for _ in range(m):
        capacity.append(take())
        fixed.append(take())
    demand, cost = [], []
    for _ in range(n):
        demand.append(take())
        cost.append([take() for _ in range(m)])
    if pos != len(tokens):
        raise ValueError(f"{path}: {len(tokens) - pos} unread numbers")
    return CapInstance(capacity, fixed, demand, cost)


def unit_cost(inst: CapInstance, i: int, j: int) -> float:
    return inst.cost[j][i] / inst.demand[j]


def write_cap_workbook(inst: CapInstance, path) -> None:
    max_unit = max(unit_cost(inst, i, j) for j in range(inst.n) for i in range(inst.m))
    penalty = float(10 ** len(str(int(max_unit * 1000))))   # >= 1000 x any allocation cost

    wb = openpyxl.Workbook()
    wb.remove(wb.active)

    def sheet(name, header, rows):
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(list(r))

    sheet("Settings", ["key", "value"], [
        ("first_period", PERIOD), ("last_period", PERIOD), ("currency", "USD"),
        ("unmet_penalty", penalty), ("discount_rate", 0), ("mip_gap", 0)])
    sheet("Materials", ["material_id", "name", "reference_price", "disposal_cost"],
          [(MATERIAL, "OR-Library goods", 0, 0)])
    sites = [(f"W{i + 1}", f"warehouse {i + 1}", "ORLIB", "US", "warehouse")
             for i in range(inst.m)]
    sites += [(f"C{j + 1}", f"customer {j + 1}", "ORLIB", "US", "customer")
              for j in range(inst.n)]
    sheet("Sites", ["site_id", "name", "company", "country", "kind"], sites)
    sheet("Supply", ["offer_id", "site_id", "material_id", "capacity", "unit_cost",
                     "first_period", "last_period", "fixed_cost", "min_quantity", "enabled"],
          [(f"O{i + 1}", f"W{i + 1}", MATERIAL, inst.capacity[i], 0, None, None,
            inst.fixed_cost[i], 0, True) for i in range(inst.m)])
    sheet("Lanes", ["lane_id", "from_site", "to_site", "material_id", "unit_cost",
                    "tariff_rate", "capacity", "enabled"],
          [(f"L{i + 1}_{j + 1}", f"W{i + 1}", f"C{j + 1}", MATERIAL, unit_cost(inst, i, j),
            0, None, True) for i in range(inst.m) for j in range(inst.n)])
    sheet("Demand", ["demand_id", "site_id", "material_id", "period", "quantity",
                     "unmet_penalty", "segment"],
          [(f"D{j + 1}", f"C{j + 1}", MATERIAL, PERIOD, inst.demand[j], None, "all")
           for j in range(inst.n)])
    wb.save(path)


def cap_to_workbook(cap_path, xlsx_path) -> CapInstance:
    inst = parse_cap(cap_path)
    write_cap_workbook(inst, xlsx_path)
    return inst
