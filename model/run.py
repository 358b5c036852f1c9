"""The pipeline, composed once. Each stage is a function that returns a plain
value and changes none of its inputs:

    read           read                           (workbook, its errors and its scenarios')
    load           read -> scenario -> validate   (workbook, changes, warnings)
    model_data     data                           ModelData (alike Demand rows merged)
    formulate      formulation                    Built (the model and its cost table)
    hand_over      hand-over                      Compiled (the HiGHS arrays)
    solve_options  the workbook's solver settings (and the command line's overrides)
    (solve)        ``model.solve.highs.solve_kept``  Solution, and the handle the re-solves
                                                  need (``FixedLp``, kept as ``Run.lp``)
    results        results + rule marginals       the report's tables (RuleMarginals:
                                                  ``model.analysis.marginals``)

Composed: ``prepare_run`` = load + model_data + formulate + hand_over, a ``Run`` built but
not solved (rule pricing, elastic mode and what-if sessions start from it);
``run`` = prepare_run + solve + results (+ ``add_shortfall`` when demand is
left unmet); ``release_lp`` lets the kept LP go when no re-solve will follow. A ``Run`` holds the stage outputs and is never changed: a command
that adds or replaces a table makes a new one (``with_tables``). The settings
are read once, by ``load``; everything after it takes them from the workbook it
returned (``Run.workbook.settings``, ``Run.options``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from model import __version__, progress
from model.formulation import Built, build, skip_problems
from model.data import scenario as scen
from model.data.model_data import ModelData, prepare
from model.problems import InputError, Problem, Problems
from model.read.workbook import Workbook, read_workbook
from model.analysis.marginals import with_marginals
from model.analysis.shortfall import least_shortfall
from model.results.extract import extract
from model.solve import demand_groups
from model.solve.handover import Compiled, compile_model
from model.solve.highs import FixedLp, Solution, SolveOptions, solve_kept
from model.validate import validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """The outputs of the stages of one run: ``load`` (input_path to workbook),
    ``model_data`` (data), ``formulate`` (built), ``hand_over`` (compiled), the solve (options,
    solution), ``results`` and the analyses (tables)."""
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
    options: SolveOptions | None = None

    @property
    def status(self) -> str:
        return self.solution.status if self.solution else "error"


def with_tables(run: Run, tables: dict) -> Run:
    """A new ``Run`` whose tables are ``run``'s with ``tables`` added or replacing
    theirs (``run`` is left as it was)."""
    return replace(run, tables={**run.tables, **tables})


# ---------------------------------------------------------------- the stages

def read(path) -> tuple[Workbook, Problems]:
    """The workbook as it stands and the errors found reading it: the reader's and
    every scenario's (a broken scenario makes the workbook invalid). Raises only
    when the file cannot be opened at all; the caller raises the rest with its own."""
    wb = read_workbook(path, raise_errors=False)    # every problem at once: raised by the caller
    problems = Problems()
    problems.extend(wb.problems.errors)
    problems.extend(scen.check_all_scenarios(wb))
    return wb, problems


def load(path, scenario: str | None = None, enable=(), disable=()):
    """Read, apply the scenario and toggles, validate: (workbook, changes, warnings)."""
    wb, problems = read(path)
    changed, changes, applied = scen.apply(wb, scenario, enable, disable)
    problems.extend([p for p in applied.items if p not in problems.items])
    problems.extend(validate(changed, context=f'scenario "{scenario}"' if scenario else ""))
    problems.extend(wb.problems.warnings)
    problems.raise_if_errors()
    return changed, changes, problems.warnings


def model_data(wb: Workbook, merge_demand: bool = True) -> ModelData:
    """The model's data of a valid workbook. merge_demand: alike Demand rows are
    one model row, split back in the results (``model.solve.demand_groups``);
    False keeps one model row per Demand row (benchmarks, tests, the risk model)."""
    data = prepare(wb)
    if merge_demand:
        data, _ = demand_groups.merge(data)
    return data


def formulate(data: ModelData, skip_families=()) -> Built:
    """The model of the data, without the families in ``skip_families``."""
    return build(data, skip=tuple(skip_families))


def hand_over(built: Built) -> Compiled:
    """The model as HiGHS arrays, with the names of its columns and rows."""
    return compile_model(built.model)


def solve_options(settings: dict, time_limit_s: float | None = None,
                  log_file: str | None = None) -> SolveOptions:
    """The solver options of a workbook's Settings; a time limit given on the
    command line replaces the workbook's."""
    return SolveOptions(mip_gap=settings["mip_gap"],
                        time_limit_s=time_limit_s or settings.get("time_limit_s"),
                        log_file=log_file)


def results(data: ModelData, built: Built, compiled: Compiled, solution: Solution,
            marginals: str = "exact", lp: FixedLp | None = None,
            bent: dict | None = None) -> dict:
    """The report's tables of a solution (``model.results.extract``) and its
    RuleMarginals (``model.analysis.marginals``; marginals: "exact" or "dual";
    lp: the solve's handle for the re-solves, ``model.solve.highs.solve_kept``;
    bent: the rows an elastic solve bent)."""
    return with_marginals(extract(data, built, compiled, solution), data, built, compiled,
                          solution, marginals, bent=bent, lp=lp)


def options_of(run: "Run", options: SolveOptions | None = None) -> SolveOptions:
    """The solver options an analysis of ``run`` starts from: ``options`` when given,
    else the ones its solve used, else its workbook's."""
    return options or run.options or solve_options(run.workbook.settings)


# ---------------------------------------------------------------- composed

def prepare_run(path, scenario: str | None = None, enable=(), disable=(), skip_families=(),
                merge_demand: bool = True) -> Run:
    """A ``Run`` read, validated, prepared, formulated and compiled, but not solved
    (``run.solution`` is None): every stage of ``run`` before the solve."""
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
        data = model_data(wb, merge_demand)
    warnings = warnings + data.problems.warnings
    t["prepare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress.stage("build"):
        built = formulate(data, skip_families)
    warnings = warnings + built.warnings
    t["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with progress.stage("hand over to HiGHS"):
        compiled = hand_over(built)
    t["handover"] = time.perf_counter() - t0
    return Run(Path(path), wb.sha256, scenario or scen.BASE, changes, warnings, data, built,
               compiled, None, timings=t, workbook=wb)


def run(path, scenario: str | None = None, enable=(), disable=(), skip_families=(),
        options: SolveOptions | None = None, marginals: str = "exact",
        merge_demand: bool = True, time_limit_s: float | None = None,
        log_file: str | None = None, shortfall: bool = True) -> Run:
    """read -> ... -> results for one solve.

    options: the solver's (default: ``solve_options`` of the workbook's Settings,
    with ``time_limit_s`` and ``log_file`` from the command line, if given);
    kept as ``Run.options`` for the analyses' re-solves. marginals: "exact" or
    "dual", how RuleMarginals.change_per_t is found
    (``model.analysis.marginals.rule_marginals``). merge_demand: see ``model_data``.
    shortfall: False leaves the Shortfall table to the caller (``add_shortfall``:
    ``sourcing solve`` adds it after the plan is written)."""
    built_run = prepare_run(path, scenario, enable, disable, skip_families, merge_demand)
    t = dict(built_run.timings)
    wb, data, built, compiled = (built_run.workbook, built_run.data, built_run.built,
                                 built_run.compiled)
    opts = options or solve_options(wb.settings, time_limit_s, log_file)
    with progress.stage("solve"):
        solution, lp = solve_kept(compiled, opts)
    t["solve"] = solution.seconds
    solved = replace(built_run, solution=solution, lp=lp, options=opts)
    if not solution.has_solution:
        return replace(solved, timings=t)
    t0 = time.perf_counter()
    with progress.stage("results"):
        tables = results(data, built, compiled, solution, marginals, lp)
    t["extract"] = time.perf_counter() - t0
    solved = replace(solved, tables=tables, timings=t)
    return add_shortfall(solved) if shortfall else solved


def release_lp(result: Run) -> Run:
    """The run without the LP kept for re-solves (HiGHS's copy of it freed): for
    when no more re-solves will come."""
    if result.lp is None:
        return result
    result.lp.close()
    return replace(result, lp=None)


def add_shortfall(result: Run) -> Run:
    """Where demand is left unmet: can it be closed at all? The run with the
    Shortfall table (``model.analysis.shortfall``; an LP re-solved up to three
    times); ``result`` itself is left as it was."""
    if float(result.tables["Demand"]["unmet_t"].sum()) <= 0:
        return result
    t0 = time.perf_counter()
    with progress.stage("shortfall"):
        table = least_shortfall(result)
    return replace(with_tables(result, {"Shortfall": table}),
                   timings={**result.timings, "shortfall": time.perf_counter() - t0})
