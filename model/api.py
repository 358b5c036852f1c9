"""The notebook API: data in, DataFrames out; no solver object leaks out.

    from model.api import run, compare, stress
    r = run("inputs/example.xlsx", scenario="STIBNITE_LATE")
    r.summary["objective"], r.tables["Purchases"]
    compare("inputs/example.xlsx", ["STIBNITE_LATE", "CN_CONTENT_RULE"])["Overview"]
    stress("inputs/example.xlsx", by="country", periods=range(2027, 2029))
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.data.scenario import BASE
from model.report.summary import summary as _summary
from model.run import run as _run
from model.whatif.batch import solve_many
from model.whatif.compare import compare_results
from model.whatif.session import Session  # noqa: F401  (re-exported for warm re-solves)
from model.whatif.stress import stress as _stress


@dataclass
class Results:
    summary: dict
    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    warnings: list[str]

    def __getattr__(self, name: str) -> pd.DataFrame:
        # r.purchases -> r.tables["Purchases"]
        for key, frame in self.tables.items():
            if key.lower() == name.replace("_", "").lower():
                return frame
        raise AttributeError(name)


def run(workbook, scenario: str | None = None, enable=(), disable=()) -> Results:
    r = _run(workbook, scenario, enable, disable)
    return Results(_summary(r), r.tables, pd.DataFrame([c.as_dict() for c in r.changes]),
                   [str(w) for w in r.warnings])


def compare(workbook, scenarios=None, workers: int = 1, dask: str | None = None) -> dict[str, pd.DataFrame]:
    from model.data.scenario import scenario_ids
    from model.read.workbook import read_workbook
    names = list(scenarios) if scenarios is not None else scenario_ids(read_workbook(workbook))
    names = [BASE] + [n for n in names if n != BASE]
    return compare_results(solve_many(workbook, names, workers=workers, dask=dask))


def stress(workbook, by: str = "country", periods=None, scenario: str | None = None) -> pd.DataFrame:
    return _stress(workbook, by, list(periods) if periods is not None else None, scenario)
