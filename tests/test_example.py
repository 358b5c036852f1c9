"""The example workbook: valid, every scenario solves, and it shows what the
issues promise (DFARS met by clean chains, Chinese antimony kept from defense demand,
the Sb2S3 gap reported as unclosable, Tajikistan and China ranked first in a stress test)."""

import pytest

from conftest import REPO, solve_cli
from model.cli import main
from model.data.scenario import scenario_ids
from model.read.workbook import read_workbook
from model.whatif.stress import stress

pytestmark = pytest.mark.regression
EXAMPLE = REPO / "inputs" / "example.xlsx"


def test_example_is_generated_from_its_csv_source(tmp_path):
    from model.read.from_csv import csv_folder_to_workbook
    fresh = tmp_path / "fresh.xlsx"
    csv_folder_to_workbook(REPO / "inputs" / "example", fresh)
    a, b = read_workbook(EXAMPLE), read_workbook(fresh)
    assert a.settings == b.settings
    for name, frame in a.tables.items():
        assert frame.drop(columns="_row").equals(b.tables[name].drop(columns="_row")), name


def test_example_validates(capsys):
    assert main(["validate", str(EXAMPLE)]) == 0
    assert "0 warnings" in capsys.readouterr().out


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    return solve_cli(path)


def test_example_base_is_optimal_and_dfars_is_met_by_clean_chains(base):
    assert base.rc == 0 and base.status == "optimal"
    chain = base.table("ChainOfCustody")
    defense = chain[(chain["segment"] == "defense") & (chain["material_id"] == "NDFEB")
                    & (chain["period"] >= 2027)]
    assert defense["touched_FEOC_t"].sum() == pytest.approx(0, abs=1e-6)
    assert defense["clean_of_FEOC_t"].sum() > 0
    costs = base.table("CostByCategory")["discounted_cost"].sum()
    assert costs == pytest.approx(base.objective, rel=1e-6)


def test_chinese_antimony_never_meets_defense_demand(base):
    """China's ban on dual-use exports to US military end users (policy CN_SB_MIL_ENDUSE):
    the 2026 licensed 1,000 t arrive and go to commercial demand, none to defense."""
    chain = base.table("ChainOfCustody")
    sb = chain[chain["material_id"] == "SB_METAL"]
    assert sb.loc[sb["segment"] == "defense", "touched_CN_ORIGIN_t"].sum() == pytest.approx(0, abs=1e-6)
    arrivals = base.table("ArrivalsByCountry")
    cn = arrivals[(arrivals["material_id"] == "SB_METAL") & (arrivals["country"] == "CN")]
    assert cn["arrivals_t"].sum() == pytest.approx(1000)
    assert set(cn.loc[cn["arrivals_t"] > 0, "period"]) == {2026}


def test_the_sb2s3_gap_is_reported_as_unclosable(base):
    """Qualified Sb2S3 is the opening stock, USAC's 5 t/yr and what its expansion
    (USAC_SB2S3_EXP, at most max_units) adds: what is left cannot be closed with the
    workbook's options, and the Dashboard's sentence says so."""
    short = base.table("Shortfall").set_index("material_id")
    assert short.loc["SB2S3", "unclosable_t"] == pytest.approx(short.loc["SB2S3", "unmet_t"])
    assert base.summary["unclosable"].startswith("Cannot be closed with the options in this workbook")


@pytest.mark.parametrize("scenario", scenario_ids(read_workbook(EXAMPLE)))
def test_every_example_scenario_solves(scenario, tmp_path):
    path = tmp_path / "example.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    s = solve_cli(path, "--scenario", scenario)
    assert s.rc == 0 and s.status == "optimal", s.summary["message"]


def test_stress_by_country_ranks_tajikistan_and_china_first():
    """Since issue 17 the DLA contract takes ~900 t/yr of USAC's smelter, so in 2025 the
    buyer's metal comes mostly from Tajikistan: losing it costs most, then losing China."""
    table = stress(EXAMPLE, by="country")
    assert list(table.loc[:1, "entity"]) == ["TJ", "CN"]
    assert "US" in table.attrs["excluded"]


def test_a_process_s_activity_counts_each_run_once():
    """The example has clean-chain rules, so each process's runs are also split by
    provenance class (run[q,p] = sum_c runc[q,c,p]): its activity is the ProcessRuns
    sheet's runs, not twice them."""
    from model.analysis.robustness import robustness
    from model.run import run
    from model.whatif.session import Session
    wb = EXAMPLE
    runs = run(wb).tables["ProcessRuns"].groupby("process_id")["runs"].sum()
    used = runs[runs > 1].index[:3].tolist()
    t = robustness(Session(wb), ids=used).table.set_index("id")
    for q in used:
        assert t.loc[q, "activity"] == pytest.approx(runs[q], rel=1e-6), q
