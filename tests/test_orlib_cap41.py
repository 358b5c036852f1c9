"""OR-Library cap41 (Beasley 1988) through the product: a published optimum.

The capacitated warehouse location instance cap41 (16 warehouses, 50
customers, published optimal cost 1040444.375) is written as a contract-v1
workbook exactly as shared/reference-data/orlib/README.md maps it and solved
by the product's command line with mip_gap 0; its plan must hold in the
independent reference formulation at that cost. The reference must reach
the same published value by itself, which validates it apart from the
product.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CAP41, REPO, needed
from independent import orlib
from independent import reference_model as ref

pytestmark = pytest.mark.component

PUBLISHED_OPTIMUM = 1040444.375


@pytest.fixture(scope="module")
def cap41_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("orlib") / "cap41.xlsx"
    inst = orlib.cap_to_workbook(needed(CAP41), path)
    assert (inst.m, inst.n) == (16, 50)
    return path


def test_cap41_file_parses_as_published():
    inst = orlib.parse_cap(needed(CAP41))
    assert (inst.m, inst.n) == (16, 50)
    assert inst.capacity == [5000.0] * 16
    assert inst.fixed_cost.count(0.0) == 1 and inst.fixed_cost.count(7500.0) == 15
    assert inst.demand[:3] == [146.0, 87.0, 672.0]
    assert inst.cost[0][0] == pytest.approx(6739.725)


def test_reference_model_reaches_cap41_published_optimum(cap41_workbook):
    out = ref.solve_workbook(cap41_workbook)
    assert out["status"] == "optimal"
    assert out["objective"] == pytest.approx(PUBLISHED_OPTIMUM, rel=1e-6)
    assert out["cost_by_category"]["unmet"] == pytest.approx(0, abs=1e-6)


def test_product_reaches_cap41_published_optimum(cap41_workbook, tmp_path):
    report, summary = tmp_path / "cap41-report.xlsx", tmp_path / "cap41-summary.json"
    cmd = [sys.executable, "-m", "model", "solve", str(cap41_workbook), "-o", str(report),
           "--summary-json", str(summary)]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (
        f"exit {proc.returncode} on {cap41_workbook}\nstdout:\n{proc.stdout[-3000:]}\n"
        f"stderr:\n{proc.stderr[-3000:]}")
    result = json.loads(summary.read_text())
    assert result["status"] == "optimal", result
    assert float(result["objective"]) == pytest.approx(PUBLISHED_OPTIMUM, rel=1e-6), (
        f"product objective {result['objective']} vs published {PUBLISHED_OPTIMUM} "
        f"(workbook {cap41_workbook})")
    # and the plan behind it: every warehouse, capacity and customer row holds
    # in the independent formulation, at the published cost
    verdict = ref.check_report(cap41_workbook, report)
    assert verdict["violations"] == []
    assert verdict["cost"] == pytest.approx(PUBLISHED_OPTIMUM, rel=1e-6)
