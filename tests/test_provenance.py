"""Rules that follow the material (contract v1.1), each case worked by hand.

Network: AU mine, CN and MY separators, a JP magnet maker, a US buyer of
10 t of magnets (MAG) for the defense segment; unmet demand costs 1000/t.
Freight is free unless stated, so costs are purchases and processing only.
"""

import pytest

from conftest import solve_cli

pytestmark = pytest.mark.component

BASE = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        ORE,ore,1,0
        OX,oxide,100,0
        MAG,magnet,1000,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        AU_MINE,AU mine,AuCo,AU,mine
        CN_SEP,CN separator,CnCo,CN,processor
        MY_SEP,MY separator,MyCo,MY,processor
        JP_MAG,JP magnets,JpCo,JP,processor
        BUYER,US buyer,UsCo,US,customer
    """,
    "CountryGroups": """
        group_id,country
        FEOC,CN
        FEOC,RU
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity,unmet_penalty,segment
        D1,BUYER,MAG,2025,10,,defense
    """,
}
MAGNETS = {
    "Processes": """
        process_id,site_id,capacity,unit_cost
        JP_MAGP,JP_MAG,100,5
    """,
    "Recipes": """
        process_id,material_id,input,output
        JP_MAGP,OX,1,
        JP_MAGP,MAG,,1
    """,
}
DFARS = """
    rule_id,kind,material_id,country,company,value,segment,group
    DFARS,clean_chain,MAG,,,,defense,FEOC
"""


def case(**sheets):
    out = dict(BASE)
    out.update(sheets)
    return out


OXIDE_BUY = dict(MAGNETS, Supply="""
    offer_id,site_id,material_id,capacity,unit_cost
    CN_OX,CN_SEP,OX,100,10
    AU_OX,AU_MINE,OX,100,50
""", Lanes="""
    lane_id,from_site,to_site,material_id,unit_cost
    L_CN_JP,CN_SEP,JP_MAG,,0
    L_AU_JP,AU_MINE,JP_MAG,,0
    L_JP_US,JP_MAG,BUYER,,0
""")


def test_magnet_made_in_a_third_country_from_chinese_oxide_is_refused(make_workbook):
    free = solve_cli(make_workbook(case(**OXIDE_BUY)))
    assert free.objective == pytest.approx(10 * (10 + 5))            # Chinese oxide: 150
    ruled = solve_cli(make_workbook(case(**OXIDE_BUY, Policies=DFARS), name="dfars.xlsx"))
    assert ruled.objective == pytest.approx(10 * (50 + 5))           # Australian oxide: 550
    chain = ruled.table("ChainOfCustody")
    assert chain["clean_of_FEOC_t"].sum() == pytest.approx(10)
    assert chain["touched_FEOC_t"].sum() == pytest.approx(0)
    marg = ruled.table("RuleMarginals")
    row = marg[marg["rule_id"] == "DFARS"].iloc[0]
    assert row["change_per_t"] == pytest.approx(-(55 - 15))          # 1 t of Chinese chain saves 40
    # with no clean source the defense demand goes unmet rather than break the rule
    no_au = solve_cli(make_workbook(case(**OXIDE_BUY, Policies=DFARS), name="noau.xlsx"),
                      "--disable", "AU_OX")
    assert no_au.objective == pytest.approx(10 * 1000)


SEPARATION = {
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        AU_ORE,AU_MINE,ORE,1000,1
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost
        CN_SEPP,CN_SEP,100,1
        MY_SEPP,MY_SEP,100,20
        JP_MAGP,JP_MAG,100,5
    """,
    "Recipes": """
        process_id,material_id,input,output
        CN_SEPP,ORE,2,
        CN_SEPP,OX,,1
        MY_SEPP,ORE,2,
        MY_SEPP,OX,,1
        JP_MAGP,OX,1,
        JP_MAGP,MAG,,1
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L_AU_CN,AU_MINE,CN_SEP,,0
        L_AU_MY,AU_MINE,MY_SEP,,0
        L_CN_JP,CN_SEP,JP_MAG,,0
        L_MY_JP,MY_SEP,JP_MAG,,0
        L_JP_US,JP_MAG,BUYER,,0
    """,
}


def test_one_chinese_step_in_the_middle_breaks_the_chain(make_workbook):
    # per t of magnet: 2 t ore (2) + separation + magnet making (5)
    free = solve_cli(make_workbook(case(**SEPARATION)))
    assert free.objective == pytest.approx(10 * (2 + 1 + 5))         # via CN: 80
    ruled = solve_cli(make_workbook(case(**SEPARATION, Policies=DFARS), name="r.xlsx"))
    assert ruled.objective == pytest.approx(10 * (2 + 20 + 5))       # via MY: 270
    flows = ruled.table("TouchedFlows")
    assert set(flows.loc[flows["id"] == "L_MY_JP", "class"]) == {"clean"}
    assert "L_CN_JP" not in set(flows["id"])


def test_the_same_chain_without_the_chinese_step_is_accepted(make_workbook):
    sheets = case(**SEPARATION, Policies=DFARS)
    s = solve_cli(make_workbook(sheets), "--disable", "CN_SEPP")
    assert s.objective == pytest.approx(270)
    assert s.table("Demand")["unmet_t"].sum() == pytest.approx(0)


CONTENT = {
    "Sites": """
        site_id,name,company,country,kind
        JP_WH,JP warehouse,JpCo,JP,warehouse
        JP_BUY,JP buyer,JpBuy,JP,customer
        US_BUY,US buyer,UsCo,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock,initial_clean
        JP_WH,OX,20,0,0,,FALSE
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L_DOM,JP_WH,JP_BUY,OX,0
        L_US,JP_WH,US_BUY,OX,0
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D_JP,JP_BUY,OX,2025,10
        D_US,US_BUY,OX,2025,10
    """,
}
CONTENT_BAN = """
    rule_id,exporter,material_id,importer,first_period,last_period,measure,value,scope
    CN_CONTENT,CN,,,,,ban,,content
"""


def test_content_ban_stops_a_third_country_shipment_but_not_a_domestic_one(make_workbook):
    # JP stock touches every group (initial_clean FALSE), so it carries Chinese content
    s = solve_cli(make_workbook(case(**CONTENT, ExportControls=CONTENT_BAN)))
    dem = s.table("Demand").set_index("demand_id")
    assert dem.at["D_JP", "met_t"] == pytest.approx(10)             # domestic JP -> JP
    assert dem.at["D_US", "unmet_t"] == pytest.approx(10)           # JP -> US crosses a border
    assert s.objective == pytest.approx(10 * 1000)


def test_content_ban_spares_clean_stock_and_shipment_scope_is_v1(make_workbook):
    clean = CONTENT["Inventory"].replace(",FALSE", ",TRUE")
    s = solve_cli(make_workbook(case(**dict(CONTENT, Inventory=clean), ExportControls=CONTENT_BAN)))
    assert s.objective == pytest.approx(0, abs=1e-6)
    v1 = CONTENT_BAN.replace(",content", ",shipment")
    s = solve_cli(make_workbook(case(**CONTENT, ExportControls=v1), name="v1.xlsx"))
    assert s.objective == pytest.approx(0, abs=1e-6)                  # JP is not the exporter


QUALIFIED = {
    "Demand": """
        demand_id,site_id,material_id,period,quantity,unmet_penalty,segment
        D1,BUYER,OX,2025,10,,munitions
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,qualified_for
        CHEAP,AU_MINE,OX,100,10,
        MILSPEC,MY_SEP,OX,100,30,munitions
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,AU_MINE,BUYER,,0
        L2,MY_SEP,BUYER,,0
    """,
    "Policies": """
        rule_id,kind,material_id,country,company,value,segment,group
        QUAL,qualified_only,,,,,munitions,
    """,
}


def test_qualified_only_takes_the_qualified_source(make_workbook):
    s = solve_cli(make_workbook(case(**QUALIFIED)))
    assert s.objective == pytest.approx(10 * 30)
    off = solve_cli(make_workbook(case(**QUALIFIED), name="off.xlsx"), "--disable", "QUAL")
    assert off.objective == pytest.approx(10 * 10)


def test_a_process_run_resets_qualification(make_workbook):
    # the qualified oxide is refined by a process that is not qualified: its output is not
    sheets = case(**QUALIFIED)
    sheets["Materials"] = BASE["Materials"] + "    SB,refined,100,0\n"
    sheets["Demand"] = QUALIFIED["Demand"].replace(",OX,", ",SB,")
    sheets["Processes"] = """
        process_id,site_id,capacity,unit_cost,qualified_for
        REFINE,BUYER,100,1,
    """
    sheets["Recipes"] = """
        process_id,material_id,input,output
        REFINE,OX,1,
        REFINE,SB,,1
    """
    s = solve_cli(make_workbook(sheets))
    assert s.objective == pytest.approx(10 * 1000)                   # nothing qualified reaches it
    sheets["Processes"] = sheets["Processes"].replace("REFINE,BUYER,100,1,", "REFINE,BUYER,100,1,munitions")
    s = solve_cli(make_workbook(sheets, name="q.xlsx"))
    assert s.objective == pytest.approx(10 * (10 + 1))               # cheap oxide, qualified refining


def test_no_v11_rule_builds_the_v1_model(make_workbook):
    from model.run import run
    result = run(make_workbook(case(**OXIDE_BUY)))
    assert result.data.provenance is None
    assert result.built.model.component("shipc") is None
