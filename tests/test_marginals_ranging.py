"""Rule marginals answered by HiGHS's ranging agree with one-tonne re-solves.

``relaxation_values`` takes the change for one more tonne from the dual where
ranging shows the loosened bound stays within the dual's interval, and
re-solves the rest. Here every row is also re-solved, and the two must agree.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import REPO
from model.run import run
from model.solve.highs import relaxation_values

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def _rule_rows_at_limit(r) -> list[int]:
    c, sol = r.compiled, r.solution
    names = np.array(c.row_con)
    idx = np.flatnonzero(np.isin(names, ["export_limit", "policy_share", "chain_rule",
                                         "content_limit"]))
    lo, hi, act = c.lp.row_lower_, c.lp.row_upper_, sol.row_activity
    return [int(i) for i in idx if min(abs(act[i] - lo[i]), abs(act[i] - hi[i])) <= 1e-6]


def _compare(r):
    rows = _rule_rows_at_limit(r)
    answered = len(relaxation_values(r.solution, r.compiled, rows))   # no LP: ranging only
    by_ranging = relaxation_values(r.solution, r.compiled, rows, r.lp)
    resolved = relaxation_values(r.solution, r.compiled, rows, r.lp, use_ranging=False)
    assert by_ranging.keys() == resolved.keys() == set(rows)
    for i in rows:
        assert by_ranging[i] == pytest.approx(resolved[i], rel=1e-6, abs=1e-4), r.compiled.row_key[i]
    return answered, len(rows)


@pytest.mark.regression
def test_example_marginals_by_ranging_match_resolves():
    r = run(REPO / "inputs" / "example.xlsx")
    answered, total = _compare(r)
    assert 0 < answered <= total


@pytest.mark.component
def test_generated_network_marginals_by_ranging_match_resolves(tmp_path):
    path = generate.write(generate.tables("small", seed=6), tmp_path / "small.xlsx")
    r = run(path)
    assert r.status == "optimal"
    answered, total = _compare(r)
    assert answered > 0 and total > answered    # some rows need a re-solve, some do not


@pytest.mark.component
def test_dual_mode_bounds_the_exact_change(tmp_path):
    """--marginals dual: ranging rows are exact as before; elsewhere the dual is the
    slope at the limit, and since cost is convex in the limit, the one-tonne change
    has the same sign and is no larger in size."""
    path = generate.write(generate.tables("small", seed=6), tmp_path / "small.xlsx")
    exact = run(path).tables["RuleMarginals"]
    dual = run(path, marginals="dual").tables["RuleMarginals"]
    assert set(exact["change_from"]) <= {"ranging", "re-solve", "slack", "zero dual"}
    assert "dual" in set(dual["change_from"]) and "re-solve" not in set(dual["change_from"])
    assert (exact["change_from"] == "re-solve").sum() == (dual["change_from"] == "dual").sum()
    for (_, e), (_, d) in zip(exact.iterrows(), dual.iterrows()):
        if d["change_from"] == "dual":
            assert e["change_from"] == "re-solve"
            assert e["change_per_t"] * d["change_per_t"] >= 0
            assert abs(e["change_per_t"]) <= abs(d["change_per_t"]) + 1e-6
            assert d["meaning"].endswith("(the dual; not re-solved)")
        else:
            assert d["change_per_t"] == pytest.approx(e["change_per_t"], rel=1e-6, abs=1e-4)
