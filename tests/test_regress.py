"""``sourcing regress`` and the pytest integration, on a small workbook built
from text here (committed baselines in tests/baselines/fixtures/small/) and on
the example workbook (tests/baselines/example/, marker ``regression``).

To re-create the small workbook's baselines after an intended change:

    python tests/test_regress.py /tmp/regress-fixture
    sourcing regress /tmp/regress-fixture/small.xlsx --baselines tests/baselines/fixtures \\
        --update --reason "why"
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO, needed, write_workbook
from model.cli import main
from model.regress.baseline import Baseline, Tolerances, read, render
from model.regress.compare import compare


BASELINES = REPO / "tests" / "baselines"
FIXTURES = BASELINES / "fixtures"
EXAMPLE = REPO / "inputs" / "example.xlsx"
EXIT_DRIFT = 5

# Two periods, discounting, a fixed cost and minimum quantities (binaries),
# two identical Canadian mines (alternative optima), a tariff, stock with a
# floor, unmet metal demand; a ban and a price rise as scenarios.
SMALL = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
        discount_rate,0.05
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
        MET,metal,3000,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,AU,mine
        MINE2,North mine,NorthCo,CA,mine
        MINE3,North mine twin,NorthCo,CA,mine
        BUYER,Buyer,BuyCo,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,min_quantity
        MINE_OX,MINE,OX,40,10,50,
        MINE2_OX,MINE2,OX,30,12,,10
        MINE3_OX,MINE3,OX,30,12,,10
        MINE_MET,MINE,MET,20,40,,
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost,tariff_rate
        L1,MINE,BUYER,,5,0.01
        L2,MINE2,BUYER,OX,4,
        L3,MINE3,BUYER,OX,4,
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2026,50
        D3,BUYER,MET,2026,25
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,5,1,2,
    """,
    "ExportControls": """
        rule_id,exporter,material_id,importer,measure,value,enabled
        AU_BAN,AU,,US,ban,,FALSE
    """,
    "Scenarios": """
        scenario_id,description
        au_ban,Australia bans exports to the US
        price_up,The Canadian mines double their price
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        au_ban,ExportControls,AU_BAN,enabled,set,TRUE
        price_up,Supply,MINE2_OX,unit_cost,scale,2
        price_up,Supply,MINE3_OX,unit_cost,scale,2
    """,
}
SCENARIOS = ["base", "au_ban", "price_up"]


def build_small(folder: Path) -> Path:
    return write_workbook(Path(folder), SMALL, "small.xlsx")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return build_small(tmp_path_factory.mktemp("small"))


def regress(capsys, *args: str) -> tuple[int, str]:
    """The real ``sourcing regress`` entry point, in-process: (exit code, output)."""
    capsys.readouterr()
    rc = main(["regress", *map(str, args)])
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def edited_copy(src: Path, folder: Path, sheet: str, row_id: str, column: str, value) -> Path:
    """A copy of ``src`` (same file name, so the same baselines) with one cell changed."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / src.name
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    col = header.index(column) + 1
    hits = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == row_id]
    assert hits, f"{row_id} not in {sheet}"
    for r in hits:
        ws.cell(r, col).value = value
    wb.save(out)
    return out


def cell(src: Path, sheet: str, row_id: str, column: str):
    ws = openpyxl.load_workbook(src, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    col = list(rows[0]).index(column)
    return next(r[col] for r in rows[1:] if r[0] == row_id)


def copy_baselines(tmp_path: Path) -> Path:
    out = tmp_path / "baselines"
    shutil.copytree(FIXTURES, out)
    return out


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


# -- the small workbook against its committed baselines -----------------------------

@pytest.mark.component
def test_committed_baselines_pass_and_reruns_stay_green(small, capsys):
    rc, out = regress(capsys, small, "--baselines", FIXTURES)
    assert rc == 0, out
    for s in SCENARIOS:
        assert f"PASS      small/{s}" in out
    rc2, out2 = regress(capsys, small, "--baselines", FIXTURES)
    assert rc2 == 0 and out2 == out


@pytest.mark.component
def test_committed_baselines_are_complete_and_documented():
    for s in SCENARIOS:
        doc = tomllib.loads((FIXTURES / "small" / f"{s}.toml").read_text())
        assert doc["scenario"] == s and doc["status"] == "optimal" and doc["is_mip"] is True
        assert doc["solver"] == "HiGHS" and doc["solver_version"]
        assert doc["history"] and all(h["reason"] and h["date"] for h in doc["history"])
        assert set(doc) >= {"cost", "discounted_cost", "cost_by_period", "arrivals_t", "unmet_t",
                            "unmet_t_by_period", "end_stock_t", "tolerances"}
        # the discounted costs add up to the objective
        assert sum(doc["discounted_cost"].values()) == pytest.approx(doc["objective"], abs=1e-4)


@pytest.mark.component
def test_raised_unit_cost_fails_with_a_diff_naming_the_figure(small, tmp_path, capsys):
    assert cell(small, "Supply", "MINE2_OX", "unit_cost") == 12
    edited = edited_copy(small, tmp_path / "edited", "Supply", "MINE2_OX", "unit_cost", 13)
    rc, out = regress(capsys, edited, "--baselines", FIXTURES, "--scenario", "base")
    assert rc == EXIT_DRIFT, out
    assert "DRIFT     small/base" in out
    head = next(line for line in out.splitlines() if line.strip().startswith("figure"))
    assert head.split() == ["figure", "baseline", "now", "difference", "tolerance"]
    base = read(FIXTURES / "small" / "base.toml")
    # MINE3 (still 12) now fills first, MINE2 at 13 the rest: purchase cost goes up
    line = next(line for line in out.splitlines() if line.strip().startswith("cost[purchase]"))
    old = base.figures["cost"]["purchase"]
    assert f"{old:,.0f}" in line and "0.01 USD" in line and "+" in line
    assert any(line.strip().startswith("objective ") for line in out.splitlines())
    assert "--update --reason" in out


@pytest.mark.component
def test_missing_baseline_is_a_failure(small, tmp_path, capsys):
    rc, out = regress(capsys, small, "--baselines", tmp_path / "none")
    assert rc == EXIT_DRIFT
    assert out.count("MISSING") == len(SCENARIOS)
    assert not (tmp_path / "none").exists()


@pytest.mark.component
def test_unknown_scenario_and_missing_workbook_are_invalid_input(small, tmp_path, capsys):
    rc, out = regress(capsys, small, "--baselines", FIXTURES, "--scenario", "price_upp")
    assert rc == 2 and 'no scenario "price_upp" (did you mean "price_up"?)' in out
    rc, out = regress(capsys, tmp_path / "nope.xlsx", "--baselines", FIXTURES)
    assert rc == 2 and "no such workbook" in out


@pytest.mark.component
def test_broken_baseline_file_is_invalid_input(small, tmp_path, capsys):
    bl = copy_baselines(tmp_path)
    (bl / "small" / "base.toml").write_text("objective = [not toml\n")
    rc, out = regress(capsys, small, "--baselines", bl)
    assert rc == 2 and "not valid TOML" in out


@pytest.mark.component
def test_update_without_reason_refuses(small, tmp_path, capsys, monkeypatch):
    bl = copy_baselines(tmp_path)
    before = {p.name: p.read_text() for p in (bl / "small").iterdir()}
    edited = edited_copy(small, tmp_path / "edited", "Supply", "MINE2_OX", "unit_cost", 13)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))            # not a terminal: no prompt
    rc, out = regress(capsys, edited, "--baselines", bl, "--update")
    assert rc == 2 and "without a reason" in out
    monkeypatch.setattr(sys, "stdin", FakeTerminal())               # a terminal, empty answer
    monkeypatch.setattr("builtins.input", lambda prompt="": "  ")
    rc, out = regress(capsys, edited, "--baselines", bl, "--update")
    assert rc == 2
    assert {p.name: p.read_text() for p in (bl / "small").iterdir()} == before


@pytest.mark.component
def test_update_asks_for_the_reason_on_a_terminal(small, tmp_path, capsys, monkeypatch):
    bl = copy_baselines(tmp_path)
    edited = edited_copy(small, tmp_path / "edited", "Supply", "MINE2_OX", "unit_cost", 13)
    asked = []
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "new North prices")
    rc, out = regress(capsys, edited, "--baselines", bl, "--update", "--scenario", "base")
    assert rc == 0 and len(asked) == 1, out
    assert read(bl / "small" / "base.toml").history[-1]["reason"] == "new North prices"


@pytest.mark.component
def test_update_appends_history_and_then_passes(small, tmp_path, capsys):
    bl = copy_baselines(tmp_path)
    old = read(bl / "small" / "base.toml")
    edited = edited_copy(small, tmp_path / "edited", "Supply", "MINE2_OX", "unit_cost", 13)
    rc, out = regress(capsys, edited, "--baselines", bl, "--update", "--reason", "North raised its price")
    assert rc == 0, out
    assert "UPDATED   small/base" in out
    new = read(bl / "small" / "base.toml")
    assert new.history[:-1] == old.history                        # earlier entries kept
    last = new.history[-1]
    assert last["reason"] == "North raised its price"
    assert last["date"] == dt.date.today().isoformat()
    assert last["change"].startswith("objective ") and "cost[purchase]" in last["change"]
    assert new.objective > old.objective
    rc, out = regress(capsys, edited, "--baselines", bl)            # the update holds
    assert rc == 0, out
    rc, out = regress(capsys, small, "--baselines", bl)             # and the original now drifts
    assert rc == EXIT_DRIFT
    # an update that changes nothing leaves the files alone
    text = (bl / "small" / "base.toml").read_text()
    rc, out = regress(capsys, edited, "--baselines", bl, "--update", "--reason", "again")
    assert rc == 0 and "UNCHANGED" in out
    assert (bl / "small" / "base.toml").read_text() == text


@pytest.mark.component
def test_hand_edited_tolerances_survive_an_update(small, tmp_path, capsys):
    bl = copy_baselines(tmp_path)
    f = bl / "small" / "base.toml"
    f.write_text(f.read_text().replace("currency_abs = 0.01", "currency_abs = 0.5"))
    edited = edited_copy(small, tmp_path / "edited", "Supply", "MINE2_OX", "unit_cost", 13)
    rc, _ = regress(capsys, edited, "--baselines", bl, "--update", "--reason", "r", "--scenario", "base")
    assert rc == 0 and read(f).tolerances.currency_abs == 0.5


@pytest.mark.component
def test_stale_baseline_fails_and_update_removes_it(small, tmp_path, capsys):
    bl = copy_baselines(tmp_path)
    gone = bl / "small" / "gone.toml"
    gone.write_text((bl / "small" / "base.toml").read_text().replace('scenario = "base"',
                                                                       'scenario = "gone"'))
    rc, out = regress(capsys, small, "--baselines", bl)
    assert rc == EXIT_DRIFT and "STALE     small/gone" in out
    rc, out = regress(capsys, small, "--baselines", bl, "--update", "--reason", "scenario dropped")
    assert rc == 0 and "REMOVED" in out and not gone.exists()


@pytest.mark.component
def test_other_solver_version_is_a_note_not_a_failure(small, tmp_path, capsys):
    bl = copy_baselines(tmp_path)
    f = bl / "small" / "base.toml"
    f.write_text(f.read_text().replace(f'solver_version = "{read(f).solver_version}"',
                                       'solver_version = "0.0.1"'))
    rc, out = regress(capsys, small, "--baselines", bl, "--scenario", "base")
    assert rc == 0, out
    assert "note: solver HiGHS" in out and "0.0.1" in out


@pytest.mark.component
def test_no_arguments_regress_every_workbook_with_a_baseline_folder(tmp_path, capsys):
    proj = tmp_path / "analysis"
    (proj / "inputs").mkdir(parents=True)
    (proj / "pyproject.toml").write_text("")                         # marks the repository root
    wb = build_small(proj / "inputs")
    bl = proj / "tests" / "baselines"
    rc, out = regress(capsys, wb, "--baselines", bl, "--update", "--reason", "initial baseline")
    assert rc == 0 and out.count("CREATED") == len(SCENARIOS), out
    assert read(bl / "small" / "base.toml").workbook == "inputs/small.xlsx"
    rc, out = regress(capsys, "--baselines", bl)
    assert rc == 0 and out.count("PASS") == len(SCENARIOS), out
    wb.unlink()
    rc, out = regress(capsys, "--baselines", bl)
    assert rc == 2 and "inputs/small.xlsx, which does not exist" in out


# -- the rules, without a solver ------------------------------------------------------

def _baseline(objective=1000.0, is_mip=False, **figs) -> Baseline:
    figures = {"cost": {"purchase": 100.0}, "end_stock_t": {"W|OX|2025": 5.0}}
    for k, v in figs.items():
        figures.setdefault(k, {}).update(v)
    return Baseline("wb.xlsx", "base", "optimal", objective, is_mip, 1e-4, 0.0 if is_mip else None,
                    "HiGHS", "1.15.1", "USD", figures)


@pytest.mark.unit
@pytest.mark.parametrize("now,fails", [
    (dict(objective=1000.0009), False),                       # LP: rel 1e-6 of 1000 is 0.001
    (dict(objective=1000.002), True),
    (dict(objective=1000.05, is_mip=True), False),            # MIP: within mip_gap 1e-4
    (dict(objective=1000.2, is_mip=True), True),
    (dict(end_stock_t={"W|OX|2025": 5.00009}), False),        # 1e-4 t
    (dict(end_stock_t={"W|OX|2025": 5.0002}), True),
    (dict(end_stock_t={"W|MET|2025": 0.0002}), True),         # absent in the baseline: 0 there
    (dict(cost={"purchase": 100.9}), False),                  # 1 currency unit
    (dict(cost={"purchase": 101.1}), True),
])
def test_tolerances(now, fails):
    is_mip = now.pop("is_mip", False)
    base = _baseline(is_mip=is_mip)
    diffs, _ = compare(base, _baseline(is_mip=is_mip, **now))
    assert bool(diffs) == fails, diffs


@pytest.mark.unit
def test_status_change_is_a_difference_and_figures_are_named():
    base = _baseline()
    now = _baseline(cost={"purchase": 130.0})
    now.status = "feasible"
    diffs, _ = compare(base, now)
    assert [d.figure for d in diffs] == ["status", "cost[purchase]"]
    assert diffs[1].difference == "+30 (+30.0000%)"


@pytest.mark.unit
def test_baseline_file_round_trips():
    b = _baseline(unmet_t={'odd "id"|x': 1.5e-7})
    b.history = [{"date": "2025-01-02", "reason": 'first "one"', "change": "new baseline"}]
    b.tolerances = Tolerances(objective_rel=1e-5, t_abs=1e-3, currency_abs=1.0)
    path_text = render(b)
    back = tomllib.loads(path_text)
    assert back["history"][0]["date"] == dt.date(2025, 1, 2)
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "b.toml"
        p.write_text(path_text)
        again = read(p)
    assert again.figures["unmet_t"] == {'odd "id"|x': 0.0}       # rounded to 6 decimals
    assert again.tolerances == b.tolerances and again.history == b.history
    assert again.objective == b.objective and again.is_mip == b.is_mip


@pytest.mark.unit
def test_a_scenario_without_solution_has_a_status_only_baseline(tmp_path):
    b = _baseline(objective=None)
    b.status, b.figures, b.solution_gap = "infeasible", {}, None
    p = tmp_path / "b.toml"
    p.write_text(render(b))
    again = read(p)
    assert again.objective is None and again.status == "infeasible"
    assert compare(again, b) == ([], [])
    solved = _baseline()
    assert [d.figure for d in compare(again, solved)[0]][:2] == ["status", "objective"]


# -- pytest integration -----------------------------------------------------------------

@pytest.mark.component
def test_pytest_plugin_in_an_analysts_repository(small, tmp_path):
    proj = tmp_path / "analyst"
    (proj / "inputs").mkdir(parents=True)
    shutil.copy(small, proj / "inputs" / "small.xlsx")
    shutil.copytree(FIXTURES, proj / "regression")
    (proj / "pytest.ini").write_text(textwrap.dedent("""
        [pytest]
        sourcing_baselines = regression
        sourcing_workbooks = inputs/small.xlsx
    """))
    (proj / "test_sourcing.py").write_text(textwrap.dedent("""
        from model.pytest_plugin import check_regression, regress_params
        import pytest

        def test_with_plugin(sourcing_case, sourcing_regress):
            sourcing_regress(sourcing_case)

        @pytest.mark.parametrize("workbook,scenario",
                                 regress_params("regression", ["inputs/small.xlsx"]))
        def test_with_functions(workbook, scenario):
            check_regression(workbook, scenario, "regression")
    """))
    from importlib.metadata import entry_points
    registered = any(ep.value == "model.pytest_plugin" for ep in entry_points(group="pytest11"))
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA"]
    if not registered:                                             # else it loads by itself
        cmd[3:3] = ["-p", "model.pytest_plugin"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    ok = subprocess.run(cmd, cwd=proj, capture_output=True, text=True, env=env, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "6 passed" in ok.stdout
    assert "test_with_plugin[small/price_up]" in ok.stdout

    edited_copy(small, proj / "inputs", "Supply", "MINE2_OX", "unit_cost", 13)
    bad = subprocess.run(cmd + ["-k", "base"], cwd=proj, capture_output=True, text=True, env=env,
                         timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "2 failed" in bad.stdout and "cost[purchase]" in bad.stdout


# -- the example workbook ---------------------------------------------------------------

def _example_params():
    """Base and every scenario of the example; a missing example is a case
    that fails in check_regression with the reason, never a skip."""
    from model.pytest_plugin import regress_params
    return regress_params(BASELINES, [EXAMPLE])


@pytest.mark.regression
@pytest.mark.parametrize("workbook,scenario", _example_params())
def test_example_matches_its_baselines(workbook, scenario):
    from model.pytest_plugin import check_regression
    check_regression(workbook, scenario, BASELINES)


@pytest.mark.regression
def test_example_with_a_raised_price_drifts(tmp_path, capsys):
    wb = openpyxl.load_workbook(needed(EXAMPLE))
    ws = wb["Supply"]
    col = [c.value for c in ws[1]].index("unit_cost") + 1
    for r in range(2, ws.max_row + 1):                             # every offer 10 % dearer
        c = ws.cell(r, col)
        if isinstance(c.value, (int, float)) and c.value > 0:
            c.value = c.value * 1.1
    wb.save(tmp_path / EXAMPLE.name)
    rc, out = regress(capsys, tmp_path / EXAMPLE.name, "--baselines", BASELINES, "--scenario", "base")
    assert rc == EXIT_DRIFT, out
    assert "DRIFT     example/base" in out and "cost[purchase]" in out


if __name__ == "__main__":       # write the small workbook: python tests/test_regress.py FOLDER
    print(build_small(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
