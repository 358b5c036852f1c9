"""The product against an independent formulation of contract v1.1.

`tests/independent/reference_v11.py` states docs/provenance.md (classes of
material by groups touched and segments qualified for) a second time, on top
of the v1 reference, without Pyomo and without the `model` package. Random
v1 workbooks are extended with CountryGroups, clean_chain / qualified_only
policies, `qualified_for` columns, initial_clean / initial_qualified_for and
sometimes a content-scope export control; the product's command line and the
reference must agree on the status and on the objective to a relative 1e-6,
and the product's plan (its report's decisions, summed over classes) must
hold in the reference, with some class split, at the same cost.

The reference is first checked alone on two hand-worked workbooks.
"""

from __future__ import annotations

import numpy as np
import pytest

from independent import random_workbooks as rw
from independent.reference_v11 import check_report_v11, solve_workbook_v11
from test_independent_formulation import (
    assert_agrees,
    assert_plan_holds,
    DEMAND, LANES, MATERIALS, PROCESSES, RECIPES,
    SITES, edit_report, settings, solve_with_product, workbook,
)

pytestmark = pytest.mark.component

SUPPLY11 = ["offer_id", "site_id", "material_id", "capacity", "unit_cost", "first_period",
            "last_period", "fixed_cost", "min_quantity", "enabled", "qualified_for"]
PROCESSES11 = PROCESSES + ["qualified_for"]
INVENTORY11 = ["site_id", "material_id", "initial_stock", "holding_cost", "min_stock",
               "max_stock", "initial_clean", "initial_qualified_for"]
CONTROLS11 = ["rule_id", "exporter", "material_id", "importer", "first_period", "last_period",
              "measure", "value", "enabled", "scope"]
POLICIES11 = ["rule_id", "kind", "material_id", "country", "company", "value", "first_period",
              "last_period", "enabled", "segment", "group"]
GROUPS = ["group_id", "country"]


# --------------------------------------------------------------------------
# The reference alone on hand-worked workbooks
# --------------------------------------------------------------------------

def _magnet_sheets(policies, supply_qual=None, process_qual=None):
    # Oxide offer at X (CN) 10/t, oxide offer at Y (AU) 30/t. Magnet plant at
    # J (JP): 1 t oxide -> 1 t magnet, 5/run. Lanes X->J, Y->J, J->D free.
    # Demand at D (US): 10 t magnet, segment defense, penalty 1000.
    return dict(
        Settings=settings(2026, 2026, unmet_penalty=1000),
        Materials=(MATERIALS, [["OX", "oxide", 0, 0], ["MAG", "magnet", 0, 0]]),
        Sites=(SITES, [["X", "x", "Far", "CN", "mine"], ["Y", "y", "Near", "AU", "mine"],
                       ["J", "j", "Mid", "JP", "processor"], ["D", "d", "Home", "US", "customer"]]),
        Supply=(SUPPLY11, [["OX1", "X", "OX", 100, 10, None, None, None, None, None, None],
                           ["OY1", "Y", "OX", 100, 30, None, None, None, None, None,
                            supply_qual]]),
        Processes=(PROCESSES11, [["PJ", "J", 100, 5, None, None, None, None, process_qual]]),
        Recipes=(RECIPES, [["PJ", "OX", 1, None], ["PJ", "MAG", None, 1]]),
        Lanes=(LANES, [["L1", "X", "J", None, 0, None, None, None],
                       ["L2", "Y", "J", None, 0, None, None, None],
                       ["L3", "J", "D", None, 0, None, None, None]]),
        Demand=(DEMAND, [["D1", "D", "MAG", 2026, 10, None, "defense"]]),
        CountryGroups=(GROUPS, [["FEOC", "CN"], ["FEOC", "RU"]]),
        Policies=(POLICIES11, [list(p) for p in policies]),
    )


def test_reference_v11_refuses_a_third_country_magnet_from_chinese_oxide(tmp_path):
    # No rule: magnets from Chinese oxide, 10 x (10 + 5) = 150.
    # clean_chain defense / FEOC: a JP-made magnet from CN oxide has touched
    #   FEOC, so it is refused; AU oxide: 10 x (30 + 5) = 350.
    # The same rule on commercial demand only: nothing covered -> 150.
    rule = lambda seg="defense", first=None: ["C", "clean_chain", None, None, None, None,
                                              first, None, None, seg, "FEOC"]
    solve = lambda name, pols: solve_workbook_v11(
        workbook(tmp_path / f"{name}.xlsx", **_magnet_sheets(pols)))
    assert solve("free", [])["objective"] == pytest.approx(150, rel=1e-9)
    out = solve("dfars", [rule()])
    assert out["status"] == "optimal"
    assert out["objective"] == pytest.approx(350, rel=1e-9)
    assert solve("commercial", [rule("commercial")])["objective"] == pytest.approx(150)

    # Plant in China itself: every magnet touches FEOC whatever the oxide, so
    # all 10 t are unmet: 10 x 1000 = 10000.
    sheets = _magnet_sheets([rule()])
    sheets["Sites"] = (SITES, [["X", "x", "Far", "CN", "mine"], ["Y", "y", "Near", "AU", "mine"],
                               ["J", "j", "Mid", "CN", "processor"],
                               ["D", "d", "Home", "US", "customer"]])
    out = solve_workbook_v11(workbook(tmp_path / "cnplant.xlsx", **sheets))
    assert out["objective"] == pytest.approx(10000, rel=1e-9)


def test_case2_v11_wrong_plan_is_rejected(tmp_path):
    # clean_chain defense / FEOC: the product buys AU oxide, 10 x (30 + 5) =
    # 350, and its plan holds in the reference at that cost. The CN plan
    # (10 t of OX1 over L1, 10 x (10 + 5) = 150) balances every tonne but
    # meets defense demand with a magnet that touched FEOC: rejected. The
    # same CN plan on the workbook without the rule holds and costs 150.
    ruled = workbook(tmp_path / "ruled.xlsx", **_magnet_sheets(
        [["C", "clean_chain", None, None, None, None, None, None, None, "defense", "FEOC"]]))
    got = solve_with_product(ruled, tmp_path)
    assert got["objective"] == pytest.approx(350, rel=1e-9)
    right = check_report_v11(ruled, got["report"])
    assert right["violations"] == [] and right["cost"] == pytest.approx(350, rel=1e-9)

    cn_plan = edit_report(
        got["report"], tmp_path / "cn-plan.xlsx",
        ("Purchases", {"offer_id": "OX1", "period": 2026}, "quantity_t", 10),
        ("Purchases", {"offer_id": "OY1", "period": 2026}, "quantity_t", 0),
        ("Shipments", {"lane_id": "L1", "material_id": "OX", "period": 2026}, "quantity_t", 10),
        ("Shipments", {"lane_id": "L2", "material_id": "OX", "period": 2026}, "quantity_t", 0),
        ("Summary", {"key": "objective"}, "value", 150))
    wrong = check_report_v11(ruled, cn_plan)
    assert wrong["cost"] is None and wrong["violations"], wrong

    free = workbook(tmp_path / "free.xlsx", **_magnet_sheets([]))
    fine = check_report_v11(free, cn_plan)
    assert fine["violations"] == [] and fine["cost"] == pytest.approx(150, rel=1e-9)


def test_reference_v11_qualification_content_rule_and_initial_stock(tmp_path):
    # qualified_only defense: a run resets qualification, so an offer's
    #   qualified_for does not reach the magnet; only the process's does.
    #   process not qualified, AU oxide qualified -> nothing qualified: 10000.
    #   process qualified -> cheapest oxide (CN) 150.
    # Content ban on CN (importer blank, scope content): the magnet made in JP
    #   from CN oxide touched CN, and J->D crosses a border -> banned; the CN
    #   oxide shipment X->J is itself covered too. AU route: 350.
    # Content tariff CN 0.5 with magnet reference price 40: CN route pays
    #   0.5 x 40 = 20 per magnet t on J->D (oxide price 0 on X->J): 10 x 35 = 350
    #   vs AU 350 -> 350 either way; tariff 0.4: 10 x (15 + 16) = 310 < 350.
    q = ["Q", "qualified_only", None, None, None, None, None, None, None, "defense", None]
    solve = lambda name, **kw: solve_workbook_v11(workbook(tmp_path / f"{name}.xlsx", **kw))
    assert solve("unq", **_magnet_sheets([q], supply_qual="defense"))["objective"] == \
        pytest.approx(10000, rel=1e-9)
    assert solve("qual", **_magnet_sheets([q], process_qual="defense, other"))["objective"] == \
        pytest.approx(150, rel=1e-9)

    def content(measure, value):
        s = _magnet_sheets([])
        s["ExportControls"] = (CONTROLS11, [["K", "CN", None, None, None, None, measure, value,
                                             None, "content"]])
        return s
    assert solve("ban", **content("ban", None))["objective"] == pytest.approx(350, rel=1e-9)
    s = content("tariff", 0.4)
    s["Materials"] = (MATERIALS, [["OX", "oxide", 0, 0], ["MAG", "magnet", 40, 0]])
    assert solve("tariff", **s)["objective"] == pytest.approx(310, rel=1e-9)

    # Initial stock of 10 t magnet at D, clean_chain on defense, no offers:
    #   initial_clean blank -> the stock touches FEOC -> 10 unmet = 10000;
    #   initial_clean TRUE -> met from stock, holding 0: 0.
    def stock(clean):
        s = _magnet_sheets([["C", "clean_chain", None, None, None, None, None, None, None,
                             "defense", "FEOC"]])
        s["Supply"] = (SUPPLY11, [])
        s["Inventory"] = (INVENTORY11, [["D", "MAG", 10, 0, None, None, clean, None]])
        return s
    assert solve("dirty", **stock(None))["objective"] == pytest.approx(10000, rel=1e-9)
    assert solve("clean", **stock(True))["objective"] == pytest.approx(0, abs=1e-9)


# --------------------------------------------------------------------------
# Random v1.1 workbooks
# --------------------------------------------------------------------------

def random_tables_v11(seed) -> dict:
    """random_tables(seed) without scenarios, plus the v1.1 sheets and columns.

    At most 2 tracked groups (one clean_chain group, one content exporter) and
    1 tracked segment, so at most 8 classes.
    """
    t = rw.random_tables(seed)
    t.pop("Scenarios")
    t.pop("ScenarioChanges")
    g = np.random.default_rng(10_000 + seed)
    chance = lambda p: bool(g.random() < p)
    pick = lambda seq: seq[int(g.integers(len(seq)))]

    _, site_rows = t["Sites"]
    site_country = {row[0]: row[3] for row in site_rows}
    countries = sorted(set(site_country.values()))

    h, demand = t["Demand"]
    if not any(row[6] for row in demand):   # give some demand rows a segment
        for row in demand:
            if chance(0.5):
                row[6] = pick(["defense", "commercial"])
        if not any(row[6] for row in demand) and demand:
            demand[0][6] = "defense"
    segmented = [row for row in demand if row[6]]
    segments = sorted({row[6] for row in segmented})
    periods = list(range(t["Settings"][1][0][1], t["Settings"][1][1][1] + 1))

    # The group holds the country of a site that makes or sells a material of
    # segmented demand (so the rules bite), sometimes plus another country.
    sources = {}
    for row in t["Supply"][1]:
        sources.setdefault(row[2], set()).add(site_country[row[1]])
    for row in t["Recipes"][1]:
        if row[3]:
            for prow in t["Processes"][1]:
                if prow[0] == row[0]:
                    sources.setdefault(row[1], set()).add(site_country[prow[1]])
    target = pick(segmented) if segmented else None
    near = sorted(sources.get(target[2], ())) if target else []
    members = {pick(near) if near else pick(countries)}
    if chance(0.5):
        members.add(pick(countries))
    t["CountryGroups"] = (GROUPS, [["G1", c] for c in sorted(members)])
    supplying = sorted(set().union(*sources.values())) if sources else countries

    h, pol = t["Policies"]
    pol = [row + [None, None] for row in pol]
    qseg = target[6] if target and chance(0.7) else pick(segments)
    new = []
    kinds = pick([["clean_chain"], ["qualified_only"], ["clean_chain", "qualified_only"]])
    for i, kind in enumerate(kinds):
        first = pick(periods) if chance(0.3) else None
        mat = target[2] if (target and chance(0.4)) else None
        if kind == "clean_chain":
            seg = target[6] if target and chance(0.7) else pick(segments)
            new.append([f"N{i + 1}", kind, mat, None, None, None, first, None,
                        False if chance(0.1) else None, seg, "G1"])
        else:
            new.append([f"N{i + 1}", kind, mat, None, None, None, first, None, None, qseg, None])
    t["Policies"] = (POLICIES11, pol + new)

    def quals():
        return pick([qseg, f"{qseg}, other", "other"]) if chance(0.35) else None

    h, offers = t["Supply"]
    t["Supply"] = (SUPPLY11, [row + [quals()] for row in offers])
    h, procs = t["Processes"]
    t["Processes"] = (PROCESSES11, [row + [quals() if chance(0.8) else None] for row in procs])
    h, inv = t["Inventory"]
    t["Inventory"] = (INVENTORY11, [row + [pick([None, True, False, "yes"]),
                                           qseg if chance(0.3) else None] for row in inv])

    h, rules = t["ExportControls"]
    rules = [row + [None if chance(0.5) else "shipment"] for row in rules]
    if chance(0.65):
        measure = pick(["ban", "quota", "tariff"])
        value = {"ban": None, "quota": int(g.integers(0, 25)),
                 "tariff": pick([0.1, 0.3])}[measure]
        exporter = pick(supplying)
        importer = None if chance(0.5) else pick([c for c in countries if c != exporter])
        demanded = sorted({row[2] for row in demand})
        rules.append(["XC", exporter, pick(demanded) if chance(0.4) else None,
                      importer, pick(periods) if chance(0.3) else None, None, measure, value,
                      None, "content"])
    t["ExportControls"] = (CONTROLS11, rules)
    return t


def test_random_v11_workbooks_use_every_rule():
    tables = [random_tables_v11(s) for s in range(12)]
    kinds = {row[1] for t in tables for row in t["Policies"][1]}
    assert {"clean_chain", "qualified_only"} <= kinds
    assert any(row[-1] == "content" for t in tables for row in t["ExportControls"][1])
    assert any(row[-1] for t in tables for row in t["Supply"][1])


@pytest.mark.parametrize("seed", range(16))
def test_product_agrees_with_independent_v11_formulation(tmp_path, seed):
    wb = tmp_path / f"random-v11-{seed}.xlsx"
    rw.write_tables(random_tables_v11(seed), wb, formatting=False)
    expected = solve_workbook_v11(wb)
    got = solve_with_product(wb, tmp_path)
    context = (f"seed {seed}, workbook {wb}\n"
               f"  product:   status {got.get('status')!r}, objective {got.get('objective')!r}"
               f" (exit {got['returncode']})\n"
               f"  reference: status {expected['status']!r}, objective {expected['objective']!r}"
               f" ({expected['classes']} classes)\n"
               f"  reference cost by category: {expected['cost_by_category']}")
    assert_agrees(got, expected, context)
    if expected["status"] == "optimal":
        assert_plan_holds(check_report_v11(wb, got["report"]), got, context)
