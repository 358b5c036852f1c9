"""--price-rules: every policy and export-control rule switched off in turn,
with hand-worked costs. Base case (conftest.BASE_SHEETS): 30 t of OX
demanded at BUYER (US) in 2025; MINE (AU) sells at 10/t + 5/t freight = 15/t.
CN adds CNX (CN) selling at 5/t + 1/t freight = 6/t.

Both methods (warm: one highspy model with the rule's rows freed; cold: the
rule's row switched off and the model rebuilt) must give the same numbers."""

import math

import pytest

from conftest import BAN, CN, with_cn  # noqa: F401
from model.analysis.price_rules import price_rules

pytestmark = pytest.mark.component

METHODS = ["warm", "cold"]


def row_of(table, rule_id, sheet=None):
    hit = table[table["rule_id"] == rule_id]
    if sheet:
        hit = hit[hit["sheet"] == sheet]
    assert len(hit) == 1, hit
    return hit.iloc[0]


@pytest.mark.parametrize("method", METHODS)
def test_a_ban_on_the_cheap_source_costs_the_price_difference(make_workbook, method):
    table = price_rules(make_workbook(with_cn(ExportControls=BAN)), method=method)
    r = row_of(table, "BAN")
    assert r["sheet"] == "ExportControls" and r["excel_row"] == 2 and r["kind"] == "ban"
    assert r["status"] == "optimal"
    assert r["base_objective"] == pytest.approx(30 * 15)          # 450: all from AU
    assert r["objective_without"] == pytest.approx(30 * 6)        # 180: all from CN
    assert r["cost_of_rule"] == pytest.approx((15 - 6) * 30)      # 270
    assert r["meaning"] == ("ExportControls row 2 (BAN: ban on OX exports from CN to US) "
                            "costs 270 USD over 2025.")


@pytest.mark.parametrize("method", METHODS)
def test_a_max_share_costs_what_it_shifts_to_the_dearer_source(make_workbook, method):
    pol = """
        rule_id,kind,material_id,country,company,value
        P,max_country_share,,CN,,0.4
    """
    table = price_rules(make_workbook(with_cn(Policies=pol)), method=method)
    r = row_of(table, "P")
    # with the rule: 40% of 30 t = 12 t from CN at 6, 18 t from AU at 15 = 342
    # without: 30 t from CN at 6 = 180
    assert r["base_objective"] == pytest.approx(12 * 6 + 18 * 15)
    assert r["cost_of_rule"] == pytest.approx(12 * 6 + 18 * 15 - 30 * 6)   # 162
    assert r["kind"] == "max_country_share" and r["who"] == "CN" and r["excel_row"] == 2
    assert "Policies row 2 (P: max 40% from CN for every demanded material) costs 162 USD" \
        in r["meaning"]


@pytest.mark.parametrize("method", METHODS)
def test_quota_and_a_rule_that_covers_nothing(make_workbook, method):
    rules = """
        rule_id,exporter,material_id,importer,measure,value
        Q,CN,,,quota,10
        GB_ONLY,CN,OX,GB,ban,
    """
    table = price_rules(make_workbook(with_cn(ExportControls=rules)), method=method)
    q = row_of(table, "Q")
    # 10 t from CN at 6 + 20 t from AU at 15 = 360; without: 180
    assert q["cost_of_rule"] == pytest.approx(10 * 6 + 20 * 15 - 180)      # 180
    gb = row_of(table, "GB_ONLY")
    assert gb["status"] == "covers nothing" and gb["cost_of_rule"] == 0
    assert "covers nothing in the model" in gb["meaning"]


@pytest.mark.parametrize("method", METHODS)
def test_tariff_rule_is_priced_with_discounting(make_workbook, method):
    sheets = with_cn(ExportControls="""
        rule_id,exporter,material_id,importer,measure,value
        T,CN,OX,US,tariff,0.05
    """)
    sheets["Settings"] = """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
        discount_rate,0.1
    """
    sheets["Demand"] = """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2026,30
    """
    table = price_rules(make_workbook(sheets), method=method)
    r = row_of(table, "T")
    # the tariff adds 0.05 * 1000 = 50/t to CN: 56 > 15, so AU is used;
    # without it CN at 6: (15 - 6) * 30 = 270 a year, the second year discounted by 1.1
    assert r["cost_of_rule"] == pytest.approx(270 + 270 / 1.1)
    assert r["meaning"].endswith("over 2025-2026 (discounted at 10% a year).")


@pytest.mark.parametrize("method", METHODS)
def test_same_rule_id_in_both_sheets_is_priced_twice_separately(make_workbook, method):
    # `--disable R` would switch off both rows; pricing switches off one at a time.
    pol = """
        rule_id,kind,material_id,country,company,value
        R,max_country_share,OX,CN,,0.4
    """
    ban = BAN.replace("BAN,CN", "R,CN")
    table = price_rules(make_workbook(with_cn(ExportControls=ban, Policies=pol)), method=method)
    assert sorted(table["sheet"]) == ["ExportControls", "Policies"]
    ban_row, pol_row = row_of(table, "R", "ExportControls"), row_of(table, "R", "Policies")
    assert ban_row["base_objective"] == pytest.approx(450)
    # without the ban (the 40% cap remains): 342, so the ban costs 108
    assert ban_row["cost_of_rule"] == pytest.approx(450 - 342)
    # without the cap (the ban remains): still 450, the cap costs nothing
    assert pol_row["cost_of_rule"] == pytest.approx(0, abs=1e-6)
    assert "does not bind" in pol_row["meaning"]


@pytest.mark.parametrize("method", METHODS)
def test_disabled_rules_are_skipped(make_workbook, method):
    rules = """
        rule_id,exporter,material_id,importer,measure,value,enabled
        BAN,CN,OX,US,ban,,
        OLD,CN,OX,US,quota,5,FALSE
    """
    path = make_workbook(with_cn(ExportControls=rules))
    table = price_rules(path, method=method)
    old = row_of(table, "OLD")
    assert old["status"] == "skipped: disabled" and math.isnan(old["cost_of_rule"])
    assert row_of(table, "BAN")["cost_of_rule"] == pytest.approx(270)
    # switched off from the command line: skipped too, and the base is without it
    table = price_rules(path, disable=["BAN"], method=method)
    assert row_of(table, "BAN")["status"] == "skipped: disabled"
    assert row_of(table, "BAN")["base_objective"] == pytest.approx(180)


@pytest.mark.parametrize("method", METHODS)
def test_mip_rule_price(make_workbook, method):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost
        MINE_OX,MINE,OX,100,10,
        CN_OX,CNX,OX,100,5,10
    """
    table = price_rules(make_workbook(with_cn(Supply=supply, ExportControls=BAN)), method=method)
    r = row_of(table, "BAN")
    assert table.attrs["is_mip"]
    # without the ban: CN at 6 plus its fixed cost 10 = 190; with it 450
    assert r["cost_of_rule"] == pytest.approx(450 - 190)
    assert r["cost_low"] <= r["cost_of_rule"] <= r["cost_high"]


@pytest.mark.parametrize("method", METHODS)
def test_rule_that_makes_the_workbook_infeasible(make_workbook, method):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,20,10
        CN_OX,CNX,OX,100,5
    """
    inv = """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,0,0,50,
    """
    table = price_rules(make_workbook(with_cn(Supply=supply, Inventory=inv, ExportControls=BAN)),
                        method=method)
    r = row_of(table, "BAN")
    assert table.attrs["base_status"] == "infeasible"
    assert r["status"] == "optimal" and math.isnan(r["cost_of_rule"])
    # without the ban: 50 t to stock + 30 t demand, from CN at 6
    assert r["objective_without"] == pytest.approx(80 * 6)
    assert "is infeasible with all rules; without ExportControls row 2" in r["meaning"]


V11 = {
    "Demand": """
        demand_id,site_id,material_id,period,quantity,segment
        D1,BUYER,OX,2025,30,defense
    """,
    "CountryGroups": """
        group_id,country
        FEOC,CN
    """,
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("sheet,text", [
    ("Policies", """
        rule_id,kind,material_id,country,company,value,segment,group
        R,clean_chain,OX,,,,defense,FEOC
    """),
    ("ExportControls", """
        rule_id,exporter,material_id,importer,measure,value,scope
        R,CN,OX,,ban,,content
    """),
    ("ExportControls", """
        rule_id,exporter,material_id,importer,measure,value,scope
        R,CN,OX,,tariff,0.05,content
    """),
], ids=["clean_chain", "content_ban", "content_tariff"])
def test_rules_that_follow_the_material(make_workbook, method, sheet, text):
    # contract v1.1: a clean chain for the defense segment (no FEOC-touched OX), a
    # content-scope ban on CN-touched OX, a content-scope tariff of 50/t on it:
    # each sends the 30 t to AU at 15 instead of CN at 6, so each costs 270
    sheets = with_cn(**V11)
    sheets[sheet] = text
    table = price_rules(make_workbook(sheets), method=method)
    r = row_of(table, "R", sheet)
    assert r["base_objective"] == pytest.approx(450)
    assert r["cost_of_rule"] == pytest.approx(270)
