"""The example workbook: valid, every scenario solves, and it shows what the
issues promise (DFARS met by clean chains, China ranked first in a stress test)."""

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


@pytest.mark.parametrize("scenario", scenario_ids(read_workbook(EXAMPLE)))
def test_every_example_scenario_solves(scenario, tmp_path):
    path = tmp_path / "example.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    s = solve_cli(path, "--scenario", scenario)
    assert s.rc == 0 and s.status == "optimal", s.summary["message"]


def test_stress_by_country_ranks_china_first():
    table = stress(EXAMPLE, by="country")
    assert table.loc[0, "entity"] == "CN"
    assert "US" in table.attrs["excluded"]
