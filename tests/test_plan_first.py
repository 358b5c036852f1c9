"""Issue 19: ``sourcing solve`` writes the verified plan first, then the exact
rule marginals (re-solves) and the analyses over it.

The example workbook has rules whose one-tonne change HiGHS's ranging cannot
tell (6 of them are re-solved). With an analysis asked for (--price-rules),
the plan is written first: when the re-solves start, the report must already
be on disk with the plan, its verification, and rule marginals from ranging
and duals (the least shortfall of unmet demand, an LP re-solve, follows too);
the final report must be the one the product always wrote (exact
marginals, nothing pending) with the analysis added. Without an analysis the
example's 6 re-solves take less than a second report would, so it is written
once (``_worth_writing_first``).
"""

from __future__ import annotations

import pandas as pd
import pytest

import model.analysis.marginals as marginals_module
from conftest import REPO, needed, solve_cli

EXAMPLE = REPO / "inputs" / "example.xlsx"


def _sheet(path, name) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name, engine="openpyxl")


@pytest.mark.regression
def test_the_plan_is_on_disk_before_the_exact_rule_marginals_and_analyses(tmp_path, monkeypatch):
    wb = tmp_path / "example.xlsx"
    wb.write_bytes(needed(EXAMPLE).read_bytes())
    report = tmp_path / "example_report.xlsx"
    seen = {}
    exact = marginals_module.exact_rule_marginals

    def look_first(run):
        # the report as the analyst has it while the re-solves run
        seen["summary"] = _sheet(report, "Summary").set_index("key")["value"]
        seen["marginals"] = _sheet(report, "RuleMarginals")
        seen["demand"] = _sheet(report, "Demand")
        seen["sheets"] = pd.ExcelFile(report, engine="openpyxl").sheet_names
        return exact(run)

    monkeypatch.setattr(marginals_module, "exact_rule_marginals", look_first)
    solved = solve_cli(wb, "--price-rules")
    assert solved.rc == 0 and solved.status == "optimal"
    early = seen["summary"]
    assert early["report"] == "the plan; exact rule marginals and analyses follow"
    assert str(early["verification"]).startswith("verified")
    pending = int((seen["marginals"]["change_from"] == "dual").sum())   # not yet re-solved
    assert pending > 0
    assert len(seen["demand"]) == len(solved.table("Demand"))          # the whole plan
    assert "RulePrices" not in seen["sheets"] and "RulePrices" in solved._tables
    # the least shortfall of the unmet Sb2S3 (an LP re-solved) is an analysis too: after the plan
    assert "Shortfall" not in seen["sheets"] and "unclosable" not in early.index
    final = solved.table("Summary").set_index("key")["value"]
    assert "Shortfall" in solved._tables
    assert str(final["unclosable"]).startswith("Cannot be closed with the options in this workbook")
    assert "report" not in final.index
    assert str(final["rule_marginals_from"]).endswith(f"re-solve {pending}, dual 0")
    done = solved.table("RuleMarginals")     # exactly the rows pending in the early report
    assert (done["change_from"] == "re-solve").sum() == pending
    assert not (done["change_from"] == "dual").any()


@pytest.mark.regression
def test_a_stop_after_the_plan_keeps_the_plan_on_disk(tmp_path, monkeypatch):
    # SIGTERM while the rule marginals are re-solved (model.stop raises Stopped from
    # its signal handler): the report written with the plan stays, the exit code is
    # 128 + 15 and the JSON summary says the rest was not finished.
    import signal

    from model import stop
    wb = tmp_path / "example.xlsx"
    wb.write_bytes(needed(EXAMPLE).read_bytes())

    def stopped(run):
        raise stop.Stopped(signal.SIGTERM)

    monkeypatch.setattr(marginals_module, "exact_rule_marginals", stopped)
    report = tmp_path / "example_report.xlsx"
    solved = solve_cli(wb, "--price-rules")
    assert solved.rc == 128 + signal.SIGTERM
    assert "after the plan was written" in solved.summary["interrupted"]
    assert solved.summary["status"] == "optimal"
    plan = _sheet(report, "Summary").set_index("key")["value"]
    assert plan["report"] == "the plan; exact rule marginals and analyses follow"
    assert len(_sheet(report, "Demand")) == 30          # the example's 30 Demand rows
    assert "RulePrices" not in pd.ExcelFile(report, engine="openpyxl").sheet_names
