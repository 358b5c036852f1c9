"""Property tests (Hypothesis) on random contract-v1 workbooks.

Metamorphic laws that any correct model obeys, whatever the data:
- multiplying every cost and penalty by k multiplies the objective by k;
- adding capacity never raises the cost;
- adding an export ban never lowers it;
- solving a scenario equals solving the workbook edited by hand the same way;
and random corruptions of a valid workbook always end in a clean refusal
(exit 2) or a solution, never a traceback or an unexpected error.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import REPO
from independent.random_workbooks import random_tables, write_tables
from model.cli import main

pytestmark = pytest.mark.component
FEW = settings(max_examples=4, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture])
SEEDS = st.integers(min_value=0, max_value=5000)

COST_COLUMNS = {"Supply": ["unit_cost", "fixed_cost"], "Processes": ["unit_cost", "fixed_cost"],
                "Lanes": ["unit_cost"], "Materials": ["reference_price", "disposal_cost"],
                "Inventory": ["holding_cost"], "Demand": ["unmet_penalty"]}


def objective(tables, tmp_path, name, *args, solvable=False):
    """(objective or None, gap) of `sourcing solve`; with solvable=True the
    workbook is known to have a plan, so anything but exit 0 fails."""
    path = tmp_path / f"{name}.xlsx"
    write_tables(tables, path, formatting=False)
    js = tmp_path / f"{name}.json"
    rc = main(["solve", str(path), "-o", str(tmp_path / f"{name}_r.xlsx"), "--summary-json",
               str(js), "-q", *args])
    summary = json.loads(js.read_text())
    assert rc in ((0,) if solvable else (0, 3)), summary
    return summary["objective"], summary.get("mip_gap") or 0.0


def edit(tables, sheet, column, fn):
    header, rows = tables[sheet]
    if column not in header:
        return
    j = header.index(column)
    for row in rows:
        row[j] = fn(row[j])


def no_scenarios(tables):
    t = copy.deepcopy(tables)
    t.pop("Scenarios", None)
    t.pop("ScenarioChanges", None)
    return t


def solvable(tables):
    """The workbook without scenarios and with no stock floor above the
    initial stock: then a plan always exists (buy nothing, hold the initial
    stock, leave demand unmet), so a law about costs is always tested."""
    t = no_scenarios(tables)
    header, rows = t["Inventory"]
    init, lo = header.index("initial_stock"), header.index("min_stock")
    for row in rows:
        if row[lo] is not None:
            row[lo] = min(row[lo], row[init] or 0)
    return t


def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@FEW
@given(seed=SEEDS, k=st.sampled_from([0.5, 3.0, 10.0]))
def test_scaling_every_cost_scales_the_objective(tmp_path, seed, k):
    base = no_scenarios(random_tables(seed))
    scaled = copy.deepcopy(base)
    for sheet, columns in COST_COLUMNS.items():
        for c in columns:
            edit(scaled, sheet, c, lambda v: None if v is None else v * k)
    header, rows = scaled["Settings"]
    for row in rows:
        if row[0] == "unmet_penalty":
            row[1] *= k
    a, gap = objective(base, tmp_path, "base")
    b, _ = objective(scaled, tmp_path, "scaled")
    if a is None:
        assert b is None
    else:
        assert close(b, k * a, 1e-6 + 2 * gap)


@FEW
@given(seed=SEEDS)
def test_more_capacity_never_costs_more(tmp_path, seed):
    base = solvable(random_tables(seed))
    more = copy.deepcopy(base)
    edit(more, "Supply", "capacity", lambda v: None if v is None else v * 1.5)
    edit(more, "CapacityProfile", "capacity", lambda v: None if v is None else v * 1.5)
    a, gap = objective(base, tmp_path, "base", solvable=True)
    b, _ = objective(more, tmp_path, "more", solvable=True)
    assert b <= a * (1 + 1e-6 + 2 * gap) + 1e-6


@FEW
@given(seed=SEEDS)
def test_a_new_ban_never_lowers_the_cost(tmp_path, seed):
    base = solvable(random_tables(seed))
    banned = copy.deepcopy(base)
    countries = sorted({row[3] for row in base["Sites"][1]})
    header = ["rule_id", "exporter", "material_id", "importer", "first_period", "last_period",
              "measure", "value", "enabled"]
    old = banned.get("ExportControls", (header, []))
    rows = [dict(zip(old[0], r)) for r in old[1]]
    rows.append({"rule_id": "PROPERTY_BAN", "exporter": countries[seed % len(countries)],
                 "measure": "ban"})
    banned["ExportControls"] = (header, [[r.get(h) for h in header] for r in rows])
    a, gap = objective(base, tmp_path, "base", solvable=True)
    b, _ = objective(banned, tmp_path, "banned", solvable=True)
    assert b >= a * (1 - 1e-6 - 2 * gap) - 1e-6


def apply_by_hand(tables, scenario):
    out = no_scenarios(tables)
    id_column = {"Supply": "offer_id", "Processes": "process_id", "Lanes": "lane_id",
                 "ExportControls": "rule_id", "Policies": "rule_id", "Demand": "demand_id",
                 "Materials": "material_id", "Sites": "site_id", "Inventory": "site_id",
                 "Recipes": "process_id", "CapacityProfile": "id"}
    header, rows = tables["ScenarioChanges"]
    for change in (dict(zip(header, r)) for r in rows):
        if change["scenario_id"] != scenario:
            continue
        sheet, op, value = change["sheet"], change.get("op") or "set", change["value"]
        if sheet == "Settings":
            for row in out["Settings"][1]:
                if row[0] == change["id"]:
                    row[1] = row[1] * value if op == "scale" else value
            continue
        h, rs = out[sheet]
        col, key = h.index(change["column"]), h.index(id_column[sheet])
        for row in rs:
            if change["id"] == "*" or str(row[key]).strip() == str(change["id"]):
                if op == "scale":
                    row[col] = None if row[col] is None else row[col] * value
                else:
                    row[col] = value
    return out


@FEW
@given(seed=SEEDS)
def test_a_scenario_equals_the_same_edit_by_hand(tmp_path, seed):
    tables = random_tables(seed)
    scenarios = [r[0] for r in tables["Scenarios"][1]]
    assert {"s1", "s2"} <= set(scenarios)          # the generator always writes both
    sid = scenarios[seed % len(scenarios)]
    a, gap = objective(tables, tmp_path, "scenario", "--scenario", sid)
    b, _ = objective(apply_by_hand(tables, sid), tmp_path, "by_hand")
    assert (a is None) == (b is None)
    if a is not None:
        assert close(a, b, 1e-6 + 2 * gap)


CORRUPTIONS = ["blank_required", "text_in_number", "negative", "unknown_ref", "duplicate_row",
               "drop_sheet", "date_in_period", "bool_in_number", "huge_number", "rename_header"]
# Whatever the cell, the contract refuses these (exit 2, naming the place):
# text, a date or TRUE where a number goes, an id no row has, a required
# sheet missing. The others depend on the cell: a blank demand_id, an
# optional column renamed, a duplicate Demand row without an id are legal.
REFUSED = {"text_in_number", "date_in_period", "bool_in_number", "unknown_ref", "drop_sheet"}


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=SEEDS, how=st.sampled_from(CORRUPTIONS), pick=st.integers(0, 10_000))
def test_random_corruptions_end_cleanly(tmp_path, capsys, seed, how, pick):
    import datetime as dt
    tables = no_scenarios(random_tables(seed))
    names = [n for n in ("Supply", "Lanes", "Demand", "Processes", "Inventory") if n in tables
             and tables[n][1]]
    sheet = names[pick % len(names)]
    header, rows = tables[sheet]
    i = pick % len(rows)
    row = rows[i]
    numeric = [j for j, v in enumerate(row) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert numeric, row                          # every record has a number to corrupt
    j = numeric[pick % len(numeric)]
    where = f"{sheet} row {i + 2}, {header[j]} "   # written without blank rows: record i is row i + 2
    if how == "blank_required":
        row[0] = None
    elif how == "text_in_number":
        row[j] = "lots"
    elif how == "negative":
        row[j] = -abs(row[j] or 1)
    elif how == "unknown_ref":
        row[1] = "NO_SUCH_ID"
        where = f"{sheet} row {i + 2}, {header[1]} \"NO_SUCH_ID\": no such "
    elif how == "duplicate_row":
        rows.append(list(row))
    elif how == "drop_sheet":
        dropped = ["Sites", "Materials", "Demand", "Settings"][pick % 4]
        tables.pop(dropped)
        where = f"{dropped}: required sheet is missing"
    elif how == "date_in_period":
        row[j] = dt.datetime(2026, 1, 1)
    elif how == "bool_in_number":
        row[j] = True
    elif how == "huge_number":
        row[j] = 1e300
    elif how == "rename_header":
        header[pick % len(header)] = "zzz"
    path = tmp_path / "corrupt.xlsx"
    write_tables(tables, path, formatting=False)
    rc = main(["solve", str(path), "-o", str(tmp_path / "r.xlsx"), "-q"])
    err = capsys.readouterr().err
    assert rc in (0, 2, 3), err
    assert "Traceback" not in err and "unexpected error" not in err
    if how in REFUSED:
        assert rc == 2 and where in err, (where, err)
    elif rc == 2:
        assert " row " in err or "sheet" in err or "missing" in err


# -- the suite's own rules: one tier per test, no solver in a unit test ---------------

INNER = '''
import subprocess
import sys

import highspy
import pytest


def _solve():
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVar(0.0, 1.0)
    h.run()


def test_no_tier():
    pass


@pytest.mark.unit
@pytest.mark.component
def test_two_tiers():
    pass


@pytest.mark.unit
def test_unit_without_a_solver():
    assert sum([1, 2]) == 3


@pytest.mark.unit
def test_unit_that_solves():
    _solve()


@pytest.mark.unit
def test_unit_that_solves_through_the_product():
    import pyomo.environ as pyo
    from model.solve.handover import compile_model
    from model.solve.highs import SolveOptions, solve
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.c = pyo.Constraint(expr=m.x >= 1)
    m.o = pyo.Objective(expr=m.x)
    assert solve(compile_model(m), SolveOptions()).status == "optimal"


@pytest.fixture
def solved():
    _solve()


@pytest.mark.unit
def test_unit_whose_fixture_solves(solved):
    pass


@pytest.mark.unit
def test_unit_that_starts_python():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


@pytest.mark.component
def test_component_that_solves():
    _solve()
'''


def test_case4_a_test_without_one_tier_or_a_unit_test_that_solves_fails(tmp_path):
    # tests/tiers.py, loaded by tests/conftest.py, run on a file of tests
    # written for it in a separate pytest session: the two with no tier or
    # two tiers error at setup; the four unit tests that solve (directly,
    # through the product's solve, in a fixture, in another Python process)
    # fail; the unit test without a solver and the component test that
    # solves pass.
    (tmp_path / "test_inner.py").write_text(INNER)
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "tiers", "-p", "no:cacheprovider",
                           "-q", "-rA", "test_inner.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    outcome = {name: kind for kind, name
               in re.findall(r"^(PASSED|FAILED|ERROR) test_inner\.py::(\w+)", out, re.M)}
    assert outcome == {
        "test_no_tier": "ERROR", "test_two_tiers": "ERROR",
        "test_unit_without_a_solver": "PASSED", "test_unit_that_solves": "FAILED",
        "test_unit_that_solves_through_the_product": "FAILED",
        "test_unit_whose_fixture_solves": "ERROR", "test_unit_that_starts_python": "FAILED",
        "test_component_that_solves": "PASSED"}, out
    assert proc.returncode == 1, out
    assert "test_no_tier has no tier marker: give it exactly one of pytest.mark.unit" in out
    assert "test_two_tiers has 2 tier markers (component, unit)" in out
    assert "test_unit_that_solves is marked unit (no solver) but it ran HiGHS" in out
    assert "test_unit_whose_fixture_solves is marked unit (no solver) but its setup ran HiGHS" \
        in out
    assert "started a Python process" in out
