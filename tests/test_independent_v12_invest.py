"""The product against an independent formulation of contract v1.2 part 2.

`tests/independent/reference_v12_invest.py` states investments with lead times and
lane lead times a second time (dense, without Pyomo and without the `model`
package). Random v1 workbooks (tests/independent/random_workbooks.py) are
extended with lane lead times, an offer that does not exist yet (capacity 0,
its own window late in the horizon) and an Investments sheet on offers,
processes and capped lanes; the product's command line and the reference must
agree on the status and the objective to a relative 1e-6, and the product's
plan (its Investments sheet included) must hold in the reference at the same
cost. The reference is first checked alone on hand-worked workbooks.
"""

from __future__ import annotations

import pytest

from independent import random_workbooks as rw
from independent.reference_v12_invest import check_report_v12, solve_workbook_v12
from test_independent_formulation import (
    DEMAND, LANES, MATERIALS, SITES, SUPPLY, assert_agrees, assert_plan_holds, settings,
    solve_with_product, workbook)

pytestmark = pytest.mark.component

INVESTMENTS = ["investment_id", "target_id", "capacity", "capex", "lead_time", "first_period",
               "last_period", "fixed_cost", "max_units", "enabled"]
LANES12 = LANES + ["lead_time"]


def _sheets(invest, lane_lead=None, demand=((2026, 30), (2027, 30), (2028, 30))):
    # MINE (AU) sells OX at 10/t but has capacity 0 today; lane to BUYER 5/t.
    return dict(
        Settings=settings(2026, 2028, unmet_penalty=1000),
        Materials=(MATERIALS, [["OX", "oxide", 0, 0]]),
        Sites=(SITES, [["MINE", "m", "MineCo", "AU", "mine"],
                       ["BUYER", "b", "BuyCo", "US", "customer"]]),
        Supply=(SUPPLY, [["MINE_OX", "MINE", "OX", 0, 10, None, None, None, None, None]]),
        Lanes=(LANES12, [["L1", "MINE", "BUYER", "OX", 5, None, None, None, lane_lead]]),
        Demand=(DEMAND, [[f"D{p}", "BUYER", "OX", p, q, None, None] for p, q in demand]),
        Investments=(INVESTMENTS, [list(row) for row in invest]))


def test_reference_v12_builds_in_time_and_ships_ahead(tmp_path):
    # lead 1: decided 2026, online 2027-2028: 30000 + 100 + 2 x 450 = 31000
    inv = [["X", "MINE_OX", 40, 100, 1, None, None, None, None, None]]
    got = solve_workbook_v12(workbook(tmp_path / "a.xlsx", **_sheets(inv)))
    assert got["objective"] == pytest.approx(31000, rel=1e-9)
    # and a lane lead of 1 on top: mined 2027, arriving 2028 only: 60000 + 100 + 450
    got = solve_workbook_v12(workbook(tmp_path / "b.xlsx", **_sheets(inv, lane_lead=1)))
    assert got["objective"] == pytest.approx(60550, rel=1e-9)
    # capex above the value of building: nothing built, 90000
    inv = [["X", "MINE_OX", 40, 60000, 1, None, None, None, None, None]]
    got = solve_workbook_v12(workbook(tmp_path / "c.xlsx", **_sheets(inv)))
    assert got["objective"] == pytest.approx(90000, rel=1e-9)
    # two units (70 t a year), O&M 10 per unit online: 200 + 3 x 1050 + 3 x 2 x 10 = 3410
    inv = [["X", "MINE_OX", 40, 100, 0, None, None, 10, 2, None]]
    got = solve_workbook_v12(workbook(tmp_path / "d.xlsx", **_sheets(
        inv, demand=((2026, 70), (2027, 70), (2028, 70)))))
    assert got["objective"] == pytest.approx(3410, rel=1e-9)


def extended(seed) -> dict:
    """Random v1 tables with lane lead times, a new offer, a third of the offers'
    capacity, and investments."""
    t = rw.random_tables(seed)
    r = rw._Draw(seed + 4242)
    periods = [row[1] for row in t["Settings"][1] if row[0] in ("first_period", "last_period")]
    first, last = periods[0], periods[1]
    header, lanes = t["Lanes"]
    t["Lanes"] = (header + ["lead_time"], [row + [1 if r.chance(0.25) else None] for row in lanes])
    header, offers = t["Supply"]
    at = header.index("capacity")          # scarcer supply: building is worth something
    offers = [row[:at] + [row[at] // 3] + row[at + 1:] for row in offers]
    dh, demand = t["Demand"]
    need = r.pick(demand)                  # a plant at a demand site, not built yet
    new = ["ONEW", need[dh.index("site_id")], need[dh.index("material_id")], 0, r.money(1, 5),
           last, last,
           r.pick([None, r.money(50, 200)]), None, None]
    t["Supply"] = (header, offers + [new])
    procs = [row[0] for row in t.get("Processes", (None, []))[1]]
    capped = [row[0] for row in lanes if row[6] is not None]
    targets = ["ONEW", r.pick(offers)[0]] + procs[:1] + capped[:1]
    rows = []
    for n, target in enumerate(targets):
        if n and not r.chance(0.7):
            continue
        a = r.pick([None, first, first + 1])
        rows.append([f"I{n + 1}", target, r.int(10, 80), r.money(50, 3000), r.int(0, 2),
                     a, r.pick([None, last]), r.pick([None, r.money(10, 300)]),
                     r.pick([None, 1, 2]), None])
    t["Investments"] = (INVESTMENTS, rows)
    return t


def _cases():
    return [pytest.param(seed, [None, "s1"][seed % 2], id=f"seed{seed}") for seed in range(12)]


@pytest.mark.parametrize("seed,scenario", _cases())
def test_product_agrees_with_independent_formulation_v12(tmp_path, seed, scenario):
    wb = tmp_path / f"random12-{seed}.xlsx"
    rw.write_tables(extended(seed), wb, seed=seed)
    expected = solve_workbook_v12(wb, scenario)
    got = solve_with_product(wb, tmp_path, scenario)
    context = (f"seed {seed}, scenario {scenario or 'base'}, workbook {wb}\n"
               f"  product:   status {got.get('status')!r}, objective {got.get('objective')!r}\n"
               f"  reference: status {expected['status']!r}, objective {expected['objective']!r}")
    assert_agrees(got, expected, context)
    if expected["status"] == "optimal":
        assert_plan_holds(check_report_v12(wb, got["report"], scenario), got, context)


def test_extension_uses_both_features():
    tables = [extended(seed) for seed in range(12)]
    assert all(t["Investments"][1] for t in tables)
    assert sum(row[-1] == 1 for t in tables for row in t["Lanes"][1]) >= 10
    targets = {row[1] for t in tables for row in t["Investments"][1]}
    assert "ONEW" in targets and any(x.startswith("L") for x in targets)
