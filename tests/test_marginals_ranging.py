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
    by_ranging = relaxation_values(r.solution, r.compiled, rows)
    answered = r.solution.extra["marginals_by_ranging"]
    resolved = relaxation_values(r.solution, r.compiled, rows, use_ranging=False)
    assert r.solution.extra["marginals_by_ranging"] == 0
    assert by_ranging.keys() == resolved.keys() == set(rows)
    for i in rows:
        assert by_ranging[i] == pytest.approx(resolved[i], rel=1e-6, abs=1e-4), r.compiled.row_key[i]
    return answered, len(rows)


def test_example_marginals_by_ranging_match_resolves():
    r = run(REPO / "inputs" / "example.xlsx")
    answered, total = _compare(r)
    assert 0 < answered <= total


def test_generated_network_marginals_by_ranging_match_resolves(tmp_path):
    path = generate.write(generate.tables("small", seed=3), tmp_path / "small.xlsx")
    r = run(path)
    assert r.status == "optimal"
    answered, total = _compare(r)
    assert answered > 0 and total > answered    # some rows need a re-solve, some do not
