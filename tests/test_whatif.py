"""What-ifs: warm re-solves give the answers of fresh solves; stress tests rank by hand-worked damage."""

import pytest

from conftest import BAN, solve_cli, with_cn
from model.cli import main
from model.whatif.session import NeedsRebuild, Session
from model.whatif.stress import stress

pytestmark = pytest.mark.component


def test_session_toggles_match_fresh_solves(make_workbook):
    path = make_workbook(with_cn(ExportControls=BAN))
    s = Session(path)
    assert s.solve().objective == pytest.approx(450)
    s.disable("BAN")
    warm = s.solve().objective
    assert warm == pytest.approx(solve_cli(path, "--disable", "BAN").objective) == pytest.approx(180)
    s.reset()
    s.disable("CN_OX")
    assert s.solve().objective == pytest.approx(solve_cli(path, "--disable", "CN_OX").objective)
    s.enable("CN_OX")
    assert s.solve().objective == pytest.approx(450)
    with pytest.raises(NeedsRebuild):
        s.disable("NO_SUCH_ROW")


def test_stress_ranks_the_country_that_hurts_most(make_workbook, tmp_path):
    table = stress(make_workbook(with_cn()), by="country")
    # CN out: 30 t at 15 instead of 6 -> +270; AU out: nothing changes (unused)
    assert table["entity"].tolist()[:2] == ["CN", "AU"]
    assert table.loc[0, "cost_increase"] == pytest.approx(270)
    assert table.loc[1, "cost_increase"] == pytest.approx(0)
    out = tmp_path / "stress.xlsx"
    assert main(["stress", str(make_workbook(with_cn(), name="c.xlsx")), "--by", "country",
                 "-o", str(out)]) == 0
    import openpyxl
    book = openpyxl.load_workbook(out)
    assert book["Dashboard"]._charts and book["Stress"]["B2"].value == "CN"


def test_time_to_survive_counts_periods_covered_by_stock(make_workbook):
    sheets = {
        "Settings": """
            key,value
            first_period,2025
            last_period,2026
            unmet_penalty,1000
        """,
        "Demand": """
            demand_id,site_id,material_id,period,quantity
            D1,BUYER,OX,2025,30
            D2,BUYER,OX,2026,30
        """,
        "Inventory": """
            site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
            BUYER,OX,40,0,0,
        """,
    }
    table = stress(make_workbook(sheets), by="offer").set_index("entity")
    # MINE_OX shut in both years: 40 t of stock covers 2025 and 10 t of 2026, 20 t short
    assert table.at["MINE_OX", "first_shortfall_period"] == 2026
    assert table.at["MINE_OX", "periods_survived"] == 1
    assert table.at["MINE_OX", "extra_unmet_t"] == pytest.approx(20)
    only_2026 = stress(make_workbook(sheets, name="b.xlsx"), by="offer", periods=[2026])
    # base already buys 20 t in 2025 and keeps 0; shut in 2026 only: stock can be built in 2025
    assert only_2026.loc[0, "extra_unmet_t"] == pytest.approx(0)
