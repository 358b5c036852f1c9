"""The product against an independent formulation of contract v1.2 sections 1,
2, 3 and 5 (`tests/independent/reference_v12.py`: Profiles, take-or-pay, price
floors and caps, Sales, period_years, ScenarioChanges on Profiles), written
from docs/contract-v1.2.md without Pyomo and without the `model` package.

Random v1 workbooks are extended with Profiles rows on every profiled sheet,
take-or-pay quantities, floors and caps, blank (unlimited) capacities, capped
Sales rows and a period length; the product's command line and the reference
must agree on the status and the objective to a relative 1e-6, and the
product's plan (sales included) must hold in the reference at the same cost.
The reference is first checked alone on a hand-worked workbook.
"""

from __future__ import annotations

import numpy as np
import pytest

from independent import random_workbooks as rw
from independent.reference_v12 import check_report_v12, solve_workbook_v12
from test_independent_formulation import (
    assert_agrees, assert_plan_holds, DEMAND, INVENTORY, LANES, MATERIALS, SITES, settings,
    solve_with_product, workbook)

pytestmark = pytest.mark.component

SUPPLY12 = ["offer_id", "site_id", "material_id", "capacity", "unit_cost", "first_period",
            "last_period", "fixed_cost", "min_quantity", "enabled", "take_or_pay",
            "price_floor", "price_cap"]
PROFILES = ["sheet", "id", "column", "period", "value"]
SALES = ["sale_id", "site_id", "material_id", "price", "capacity", "first_period",
         "last_period", "enabled"]


def test_reference_v12_by_hand(tmp_path):
    # Two quarters (period_years 0.25, discount_rate 0.1 a year). 10 t demanded at D in
    # period 2. Offer O at M: 10/t in period 1, 40/t in period 2 (Profiles), floor 12, cap
    # 30, take-or-pay 8 t per period. Lane M -> D freight 1. Stock at D: holding 2.
    # Sale at M: 11/t, at most 3 t per period. Prices paid: period 1 max(10, 12) = 12,
    # period 2 min(40, 30) = 30. The 8 t of each period are owed anyway, so taking them
    # costs nothing more. Each period sells 3 t at M (+33); the other 5 t of period 1 are
    # stocked at D (freight 1 + holding 2 a tonne) and period 2 sends its other 5 t to D
    # (freight 1): 10 t delivered. (Stocking only 2 t and sending 8 t in period 2 saves 3
    # t of freight but loses period 2's sale: 9 - 3 - 33 < 0.) Buying more is dearer than
    # any use it has (12 or 30 > 11). Period 1: 96 + 5 * 3 - 33 = 78; period 2:
    # 240 + 5 - 33 = 212, discounted by 1/1.1^0.25.
    wb = workbook(
        tmp_path / "hand12.xlsx",
        Settings=settings(1, 2, unmet_penalty=1000, discount_rate=0.1, period_years=0.25),
        Materials=(MATERIALS, [["X", "x", 0, 0]]),
        Sites=(SITES, [["M", "m", "A", "AU", "mine"], ["D", "d", "B", "US", "customer"]]),
        Supply=(SUPPLY12, [["O", "M", "X", 100, 10, None, None, None, None, None, 8, 12, 30]]),
        Profiles=(PROFILES, [["supply", "O", "Unit_Cost", 2, 40]]),
        Lanes=(LANES, [["L", "M", "D", "X", 1, None, None, None]]),
        Inventory=(INVENTORY, [["D", "X", None, 2, None, None]]),
        Sales=(SALES, [["S", "M", "X", 11, 3, None, None, None]]),
        Demand=(DEMAND, [["D1", "D", "X", 2, 10, None, None]]))
    got = solve_workbook_v12(wb)
    assert got["status"] == "optimal"
    assert got["objective"] == pytest.approx(78 + 212 / 1.1 ** 0.25, rel=1e-9)


def random_tables_v12(seed: int) -> dict:
    t = rw.random_tables(seed)
    g = np.random.default_rng(10_000 + seed)
    chance = lambda p: bool(g.random() < p)  # noqa: E731
    pick = lambda seq: seq[int(g.integers(len(seq)))]  # noqa: E731
    money = lambda lo, hi: int(g.integers(lo, hi + 1))  # noqa: E731
    h, rows = t["Settings"]
    periods = list(range(rows[0][1], rows[1][1] + 1))
    t["Settings"] = (h, rows + [["period_years", pick([1, 0.5, 0.25, 2])]])

    profiled_capacity = {row[0] for row in t["CapacityProfile"][1]}
    profiles, seen = [], set()

    def profile(sheet, ident, column, value):
        p = pick(periods)
        if (sheet, ident, column, p) not in seen:
            seen.add((sheet, ident, column, p))
            profiles.append([pick([sheet, sheet.lower(), sheet.upper()]), ident,
                             pick([column, column.upper()]), p, value])

    offers = []
    for row in t["Supply"][1]:
        cost = row[4]
        floor = round(cost * pick([0.8, 1.1, 1.3]), 2) if chance(0.3) else None
        cap = round(max(floor or 0, cost) * pick([0.7, 1.2, 1.5]), 2) if chance(0.3) else None
        if floor is not None and cap is not None and cap < floor:
            cap = floor
        top = money(1, 25) if chance(0.3) else None
        capacity = None if (row[7] is None and row[8] is None and chance(0.15)) else row[3]
        offers.append([*row[:3], capacity, *row[4:], top, floor, cap])
        for _ in range(money(0, 2)):
            profile("Supply", row[0], "unit_cost", money(20, 200))
        if chance(0.2) and row[0] not in profiled_capacity and capacity is not None:
            profile("Supply", row[0], "capacity", money(0, 150))
        if top and chance(0.3):
            profile("Supply", row[0], "take_or_pay", money(0, 30))
    t["Supply"] = (SUPPLY12, offers)
    for row in t["Processes"][1]:
        if chance(0.4):
            profile("Processes", row[0], "unit_cost", money(1, 40))
    for row in t["Lanes"][1]:
        if chance(0.3):
            profile("Lanes", row[0], "unit_cost", money(0, 30))
        if chance(0.3):
            profile("Lanes", row[0], "tariff_rate", pick([0, 0.1, 0.25]))
    mats = [row[0] for row in t["Materials"][1]]
    for k in mats:
        if chance(0.3):
            profile("Materials", k, "reference_price", money(50, 900))
        if chance(0.2):
            profile("Materials", k, "disposal_cost", money(0, 40))
    for row in t["Inventory"][1]:
        if chance(0.4):
            profile("Inventory", f"{row[0]}|{row[1]}", "holding_cost", money(0, 8))
    sites = [row[0] for row in t["Sites"][1]]
    sales = []
    for i in range(money(1, 3)):
        sale = f"SL{i + 1}"
        sales.append([sale, pick(sites), pick(mats), money(10, 300), money(3, 40),
                      pick(periods) if chance(0.2) else None, None,
                      False if chance(0.1) else None])
        if chance(0.5):
            profile("Sales", sale, pick(["price", "capacity"]), money(5, 200))
    t["Sales"] = (SALES, sales)
    t["Profiles"] = (PROFILES, profiles)

    h, scen = t["Scenarios"]
    h2, changes = t["ScenarioChanges"]
    extra = [["v12", "Supply", pick(offers)[0], "unit_cost", "scale", pick([0.6, 1.5])]]
    supply_paths = [r for r in profiles if r[0].lower() == "supply" and r[2].lower() == "unit_cost"]
    if supply_paths:
        r = pick(supply_paths)
        extra.append(["v12", "Profiles", f"Supply|{r[1]}|unit_cost|{r[3]}", "value", "set",
                      money(20, 300)])
        extra.append(["v12", "Supply", r[1], "unit_cost", "scale", 1.4])
    t["Scenarios"] = (h, scen + [["v12", "prices move", None]])
    t["ScenarioChanges"] = (h2, changes + extra)
    return t


def test_random_v12_workbooks_use_every_feature():
    tables = [random_tables_v12(s) for s in range(12)]
    cols = {r[2].lower() for t in tables for r in t["Profiles"][1]}
    assert {"unit_cost", "capacity", "tariff_rate", "reference_price", "holding_cost",
            "price"} <= cols
    supply = [row for t in tables for row in t["Supply"][1]]
    assert any(row[10] for row in supply) and any(row[11] for row in supply)
    assert any(row[12] for row in supply) and any(row[3] is None for row in supply)
    assert all(t["Sales"][1] for t in tables)


def _cases():
    return [pytest.param(seed, scenario, id=f"seed{seed}-{scenario or 'base'}")
            for seed in range(14) for scenario in [(None, "s1", "v12")[seed % 3]]]


@pytest.mark.parametrize("seed,scenario", _cases())
def test_product_agrees_with_independent_v12_formulation(tmp_path, seed, scenario):
    wb = tmp_path / f"random-v12-{seed}.xlsx"
    rw.write_tables(random_tables_v12(seed), wb, formatting=False)
    expected = solve_workbook_v12(wb, scenario)
    got = solve_with_product(wb, tmp_path, scenario)
    context = (f"seed {seed}, scenario {scenario or 'base'}, workbook {wb}\n"
               f"  product:   status {got.get('status')!r}, objective {got.get('objective')!r}"
               f" (exit {got['returncode']})\n"
               f"  reference: status {expected['status']!r}, objective {expected['objective']!r}\n"
               f"  reference cost by category: {expected['cost_by_category']}")
    assert_agrees(got, expected, context)
    if expected["status"] == "optimal":
        assert_plan_holds(check_report_v12(wb, got["report"], scenario), got, context)
