"""Regression of solves against committed baselines (``sourcing regress``).

    figures.py   what a baseline holds: aggregates of a solve
    baseline.py  the TOML baseline file: read, render, write
    compare.py   tolerances and the readable diff
    runner.py    cases (workbook x scenario), check, update, a whole run

See docs/regression.md.
"""

from model.regress.baseline import Baseline, BaselineError, Tolerances
from model.regress.compare import Diff, compare
from model.regress.runner import (Case, Outcome, check, plan, regress, repo_root, snapshot,
                                  update)

__all__ = ["Baseline", "BaselineError", "Tolerances", "Diff", "compare", "Case", "Outcome",
           "check", "plan", "regress", "repo_root", "snapshot", "update"]
