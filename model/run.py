"""The whole flow in a screenful:

    read workbook -> apply scenario -> validate -> model data -> build -> solve -> results

``run(workbook, scenario=...) -> Run``. The CLI only parses arguments, calls
this and writes the report. Every stage but the solve is a pure function.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from model import __version__, progress
from model.formulation import Built, build, skip_problems
from model.data import scenario as scen
from model.data.model_data import ModelData, prepare
from model.problems import InputError, Problem, Problems
from model.read.workbook import Workbook, read_workbook
from model.results.extract import extract
from model.solve import demand_groups
from model.solve.handover import Compiled, compile_model
from model.solve.highs import FixedLp, Solution, SolveOptions, solve_kept
from model.validate import validate

log = logging.getLogger(__name__)


@dataclass
class Run:
    input_path: Path
    input_sha256: str
    scenario: str
    changes: list
    warnings: list[Problem]
    data: ModelData | None = None
    built: Built | None = None
    compiled: Compiled | None = None
    solution: Solution | None = None
    lp: FixedLp | None = None      # the solve's LP, integers fixed, kept for rule-marginal re-solves
    tables: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    software_version: str = __version__
    workbook: Workbook | None = None

    @property
    def status(self) -> str:
        return self.solution.status if self.solution else "error"


def load(path, scenario: str | None = None, enable=(), disable=()):
    """Read, apply the scenario and toggles, validate: (workbook, changes, warnings)."""
    wb = read_workbook(path, raise_errors=False)    # every problem at once: raised below
    problems = Problems()
    problems.extend(wb.problems.errors)
    problems.extend(scen.check_all_scenarios(wb))   # a broken scenario makes the workbook invalid
    changed, changes, applied = scen.apply(wb, scenario, enable, disable)
    problems.extend([p for p in applied.items if p not in problems.items])
    problems.extend(validate(changed, context=f'scenario "{scenario}"' if scenario else ""))
    problems.extend(wb.problems.warnings)
    problems.raise_if_errors()
    return changed, changes, problems.warnings


def run(path, scenario: str | None = None, enable=(), disable=(), skip_families=(),
        options: SolveOptions | None = None, marginals: str = "exact",
        merge_demand: bool = True, shortfall: bool = True) -> Run:
    """marginals: "exact" or "dual", how RuleMarginals.change_per_t is found
    (``model.results.extract.rule_marginals``). merge_demand: alike Demand rows
    are one model row, split back in the results (``model.solve.demand_groups``);
    False builds the row-by-row model (benchmarks, tests). shortfall: False
    leaves the Shortfall table to the caller (``add_shortfall``: ``sourcing
    solve`` adds it after the plan is written)."""
    t = {}
    t0 = time.perf_counter()
    skip = skip_problems(skip_families)          # with the workbook's: every problem at once
    try:
        with progress.stage("read and validate"):
            wb, changes, warnings = load(path, scenario, enable, disable)
    except InputError as exc:
        raise InputError(skip + exc.errors, exc.warnings) from None
    if skip:
        raise InputError(skip, warnings)
    t["read_validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress.stage("prepare"):
        data = prepare(wb)
        if merge_demand:
            data, _ = demand_groups.merge(data)
    warnings = warnings + data.problems.warnings
    t["prepare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress.stage("build"):
        built = build(data, skip=tuple(skip_families))
    warnings = warnings + built.warnings
    t["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress.stage("hand over to HiGHS"):
        compiled = compile_model(built.model)
    t["handover"] = time.perf_counter() - t0
    opts = options or SolveOptions(mip_gap=wb.settings["mip_gap"],
                                   time_limit_s=wb.settings.get("time_limit_s"))
    with progress.stage("solve"):
        solution, lp = solve_kept(compiled, opts)
    t["solve"] = solution.seconds
    result = Run(Path(path), wb.sha256, scenario or scen.BASE, changes, warnings, data, built,
                 compiled, solution, lp, timings=t, workbook=wb)
    if solution.has_solution:
        t0 = time.perf_counter()
        with progress.stage("results"):
            result.tables = extract(data, built, compiled, solution, marginals, lp=lp)
        t["extract"] = time.perf_counter() - t0
        if shortfall:
            add_shortfall(result)
    return result


def add_shortfall(result: Run) -> None:
    """Where demand is left unmet: can it be closed at all? (the Shortfall table,
    ``model.analysis.shortfall``; an LP re-solved up to three times)."""
    if float(result.tables["Demand"]["unmet_t"].sum()) > 0:
        t0 = time.perf_counter()
        with progress.stage("shortfall"):
            from model.analysis.shortfall import least_shortfall
            result.tables["Shortfall"] = least_shortfall(result)
        result.timings["shortfall"] = time.perf_counter() - t0
