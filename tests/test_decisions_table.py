"""The table of docs/analysis.md that says what deciding otherwise costs, for the example's
headline decisions (issue 17), is what re-solving the example gives: it cannot drift
(rewrite it with: python -m model.regress.decisions)."""

import pytest

from model.regress import decisions

pytestmark = pytest.mark.regression


def test_the_decisions_table_is_what_the_example_gives():
    quoted = decisions.parse(decisions.block(decisions.PAGE.read_text(encoding="utf-8")))
    fresh = decisions.rows(decisions.table())
    assert not decisions.same(quoted, fresh), "run: python -m model.regress.decisions"


def test_a_changed_cost_is_seen():
    rows = [["`X`", "x", "used: 1 t", "forced out", "1.00 M", "tie", "Y"]]
    moved = [["`X`", "x", "used: 1 t", "forced out", "1.05 M", "tie", "Y"]]
    assert decisions.same(rows, rows) == []
    assert decisions.same(rows, moved)                         # 50,000 USD apart
    assert not decisions.same(rows, [["`X`", "x", "used: 1 t", "forced out", "1.01 M", "tie", "Y"]])
