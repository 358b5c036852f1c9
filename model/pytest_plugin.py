"""Regression of sourcing workbooks inside pytest, for an analyst's own repository.

Two ways to use it (docs/regression.md):

1. Plain functions, no plugin registration needed::

       import pytest
       from model.pytest_plugin import check_regression, regress_params

       @pytest.mark.parametrize("workbook,scenario", regress_params("tests/baselines"))
       def test_regression(workbook, scenario):
           check_regression(workbook, scenario, "tests/baselines")

2. The plugin: loaded by itself where the package registers its ``pytest11``
   entry point (named ``model.pytest_plugin``), else with ``-p model.pytest_plugin``
   on the command line or in ``addopts``, or ``pytest_plugins =
   ["model.pytest_plugin"]`` in the root conftest.py.
   Settings in pytest.ini (or ``[tool.pytest.ini_options]``)::

       [pytest]
       sourcing_baselines = tests/baselines     # default
       sourcing_workbooks =                     # default: every workbook with a baseline folder
           inputs/plan.xlsx
       sourcing_scenarios =                     # default: base and every scenario

   and one test, run once per workbook and scenario::

       def test_regression(sourcing_case, sourcing_regress):
           sourcing_regress(sourcing_case)

A failure shows the same table as ``sourcing regress``: figure, baseline, now,
difference, tolerance. Baselines are created and changed only with
``sourcing regress --update --reason ...``, never from pytest.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from model.regress import runner
from model.regress.runner import Case, Outcome

DEFAULT_BASELINES = "tests/baselines"


def _root(baselines: Path) -> Path:
    return runner.repo_root(baselines)


def regress_params(baselines_dir=DEFAULT_BASELINES, workbooks=None, scenarios=None) -> list:
    """``pytest.param(workbook, scenario, id="stem/scenario")`` for every case:
    base and each scenario of each workbook (default: every workbook that has
    a baseline folder), plus stale baselines and unreadable workbooks, which
    then fail in ``check_regression`` with the reason."""
    return [pytest.param(str(c.workbook), c.scenario, id=c.label)
            for c in runner.plan_all(workbooks or (), Path(baselines_dir), scenarios)]


def check_regression(workbook, scenario=runner.BASE, baselines_dir=DEFAULT_BASELINES) -> Outcome:
    """Solve one workbook and scenario and compare with its baseline. Fails the
    test with the readable diff on drift, a missing or stale baseline, or
    invalid input; notes (a different solver version) become warnings."""
    baselines, workbook = Path(baselines_dir), Path(workbook)
    cases = runner.plan_all([workbook], baselines)
    match = [c for c in cases if c.scenario == scenario or c.scenario == "*"]
    case = match[0] if match else Case(
        workbook, scenario, runner.bl.path_for(baselines, workbook, scenario))
    return _judge(runner.check(case, _root(baselines)))


def _judge(outcome: Outcome) -> Outcome:
    for note in outcome.notes:
        warnings.warn(f"{outcome.case.label}: {note}", stacklevel=3)
    if outcome.failed or outcome.invalid:
        pytest.fail(outcome.render(), pytrace=False)
    return outcome


# -- the plugin --------------------------------------------------------------------

def pytest_addoption(parser):
    parser.addini("sourcing_baselines", "folder of `sourcing regress` baseline files "
                  "(relative to the rootdir)", default=DEFAULT_BASELINES)
    parser.addini("sourcing_workbooks", "workbooks to regress, one a line (relative to the "
                  "rootdir; default: every workbook with a baseline folder)", type="linelist",
                  default=[])
    parser.addini("sourcing_scenarios", "only these scenarios (default: base and every "
                  "scenario of each workbook)", type="linelist", default=[])


def _settings(config):
    root = Path(config.rootpath)
    baselines = root / config.getini("sourcing_baselines")
    workbooks = [root / w for w in config.getini("sourcing_workbooks")]
    scenarios = config.getini("sourcing_scenarios") or None
    return baselines, workbooks, scenarios


def pytest_generate_tests(metafunc):
    if "sourcing_case" not in metafunc.fixturenames:
        return
    baselines, workbooks, scenarios = _settings(metafunc.config)
    cases = runner.plan_all(workbooks, baselines, scenarios)
    metafunc.parametrize("sourcing_case", cases, ids=[c.label for c in cases])


@pytest.fixture
def sourcing_regress(pytestconfig):
    """A callable: ``sourcing_regress(sourcing_case)`` or
    ``sourcing_regress("inputs/plan.xlsx", "base")`` checks against the
    configured baselines and fails the test on drift."""
    baselines, _, _ = _settings(pytestconfig)

    def check(case_or_workbook, scenario: str = runner.BASE) -> Outcome:
        if isinstance(case_or_workbook, Case):
            return _judge(runner.check(case_or_workbook, _root(baselines)))
        wb = Path(case_or_workbook)
        if not wb.is_absolute():
            wb = Path(pytestconfig.rootpath) / wb
        return check_regression(wb, scenario, baselines)
    return check
