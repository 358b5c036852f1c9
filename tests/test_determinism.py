"""The same workbook solved twice gives the same decisions and figures, exactly:
twice in one process, and in two separate processes (``sourcing solve`` with
different PYTHONHASHSEEDs, so any ordering that leans on set or dict hashing
shows up). Every report sheet is compared cell by cell, not approximately; only
the timing fields of the summary are left out.

The workbook is built to have many optima: two identical offers with fixed
costs (binaries) at two identical sites, identical lanes, free storage (so
buying early or late costs the same) and no discounting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import (REPO, TWIN_MINES_MIP, by_content, needed, reversed_rows, solve_cli,
                      write_workbook)
from model.run import run

pytestmark = pytest.mark.component

EXAMPLE = REPO / "inputs" / "example.xlsx"
SOURCING = Path(sys.executable).with_name("sourcing")
# the decision sheets every report has; every other sheet is compared as well
DECISION_SHEETS = ["Purchases", "ProcessRuns", "ProcessFlows", "Shipments", "Stock", "Demand",
                   "Discards", "ArrivalsByCountry", "CostByCategory", "RuleMarginals"]

# tests/conftest.py's two identical mines with fixed costs, and a share rule that never binds
TWINS = {**TWIN_MINES_MIP, "Policies": """
        rule_id,kind,material_id,country,value
        AU_CAP,max_country_share,OX,AU,1
    """}
# timing fields: Summary keys (and --summary-json), and the About sheet's lines
TIMING = ("solve_seconds", "solve time", "run time")


def _is_timing(value) -> bool:
    return isinstance(value, str) and (value in TIMING or value.startswith("seconds_"))


def _untimed_summary(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if not _is_timing(k)}


def read_report(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a report, without the rows that hold timings."""
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    missing = [name for name in ["Summary", *DECISION_SHEETS] if name not in sheets]
    assert not missing, f"report {path} lacks {missing}"
    for name, frame in sheets.items():
        timed = frame.apply(lambda row: any(_is_timing(v) for v in row), axis=1) if len(frame) else []
        if len(frame) and timed.any():
            sheets[name] = frame[~timed].reset_index(drop=True)
    return sheets


def assert_same_reports(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=f"sheet {name}")


def solve_in_subprocess(workbook: Path, out: Path, hash_seed: str):
    report, js = out / "report.xlsx", out / "summary.json"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([str(SOURCING), "solve", str(workbook), "-o", str(report),
                           "--summary-json", str(js), "-q"],
                          capture_output=True, text=True, env=env, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    return read_report(report), json.loads(js.read_text())


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("twins"), TWINS, "twins.xlsx")


def test_the_twins_workbook_has_binaries_and_ties(twins):
    r = run(twins)
    assert r.status == "optimal" and r.solution.is_mip
    pur = r.tables["Purchases"]
    # the two offers are indistinguishable: any split of the 105 t is optimal
    assert pur["quantity_t"].sum() == pytest.approx(105)


def test_same_process_twice_gives_identical_tables(twins):
    first, second = run(twins), run(twins)
    assert first.solution.objective == second.solution.objective
    assert list(first.tables) == list(second.tables)
    for name in first.tables:
        pd.testing.assert_frame_equal(first.tables[name], second.tables[name], check_exact=True,
                                      obj=f"table {name}")
    assert (first.solution.x == second.solution.x).all()


def test_same_process_twice_through_the_cli_gives_identical_reports(twins):
    a = solve_cli(twins)
    first, summary = read_report(a.report), _untimed_summary(a.summary)
    b = solve_cli(twins)
    assert a.rc == b.rc == 0
    assert_same_reports(first, read_report(b.report))
    assert _untimed_summary(b.summary) == summary


def test_two_processes_give_identical_reports(twins, tmp_path):
    one, s1 = solve_in_subprocess(twins, tmp_path / "one", "1")
    two, s2 = solve_in_subprocess(twins, tmp_path / "two", "2")
    assert_same_reports(one, two)
    assert _untimed_summary(s1) == _untimed_summary(s2)
    here = solve_cli(twins)                          # and the same as in this process
    assert_same_reports(one, read_report(here.report))


def test_example_is_deterministic_in_and_across_processes(tmp_path):
    first, second = run(needed(EXAMPLE)), run(EXAMPLE)
    for name in first.tables:
        pd.testing.assert_frame_equal(first.tables[name], second.tables[name], check_exact=True,
                                      obj=f"table {name}")
    one, s1 = solve_in_subprocess(EXAMPLE, tmp_path / "one", "1")
    two, s2 = solve_in_subprocess(EXAMPLE, tmp_path / "two", "3")
    assert_same_reports(one, two)
    assert _untimed_summary(s1) == _untimed_summary(s2)


def test_rows_in_another_order_give_the_same_decisions(twins, tmp_path):
    """Degenerate ties are broken by a fixed name order, not by row order."""
    flipped = reversed_rows(TWINS)
    a, b = run(twins), run(write_workbook(tmp_path, flipped, "flipped.xlsx"))
    assert a.solution.objective == b.solution.objective
    for name in ("Purchases", "Shipments", "Stock", "Demand", "ArrivalsByCountry", "CostByCategory"):
        pd.testing.assert_frame_equal(by_content(a.tables[name]), by_content(b.tables[name]),
                                      check_exact=True, obj=f"table {name}")
