"""The decomposed risk solve (issue 18): choose the engine, launch the MPI job,
read back the bounds, the gap and the first-stage decision.

    engine    what runs                                              where
    extensive one model holding every scenario (extensive.py)        this process
    ph        mpi-sppy progressive hedging on per-scenario models    mpiexec -n N
    lshaped   mpi-sppy L-shaped method on per-scenario models        mpiexec -n N
    auto      extensive up to AUTO_COLUMNS columns in the extensive form (or without an
              MPI runtime), ph above

The job runs as ``mpiexec -n N [-machinefile HOSTS] python -m model.risk.sppy_job FILE``:
the same command on one machine or on several (a host file listing this machine
first, the project installed at the same path on each). Rank 0 reads the job's
plain data from FILE (a temporary file here) and the outcome comes back on its
standard output (``sppy_job.py``); mpi-sppy's console output is written to the
solver log when one is asked for.

``DecomposedResult`` is a ``RiskResult`` made from the outcome: the decision, every
scenario's total cost and unmet demand, the bounds; the report and the
out-of-sample evaluation read it as they read an extensive solve.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from model.problems import Problems
from model.risk.extensive import Extensive, FirstStage
from model.risk.outcome import RiskResult, solve_extensive
from model.risk.scenario_models import commitment_costs, evaluate_decision
from model.risk.sppy_data import MARKER, Job, Outcome, decode
from model.solve.highs import SolveOptions

log = logging.getLogger(__name__)

ENGINES = ("auto", "extensive", "ph", "lshaped")
AUTO_COLUMNS = 100_000        # above this many columns in the extensive form, auto decomposes
DEFAULT_GAP = 0.001


@dataclass
class Engine:
    """How to solve a risk model: the analyst's choice from the command line."""
    name: str = "auto"
    processes: int = 1
    gap: float = DEFAULT_GAP
    hostfile: str | None = None
    max_iterations: int = 100
    lagrangian_every: int = 1


def mpiexec() -> str | None:
    """The MPI launcher: next to this Python (the mpich wheel installs it there), else PATH."""
    here = Path(sys.executable).parent / ("mpiexec.exe" if os.name == "nt" else "mpiexec")
    return str(here) if here.exists() else shutil.which("mpiexec")


def columns(datas) -> int:
    """Columns of the extensive form, from the prepared frames (the variables' index sets)."""
    frames = ("offers", "processes", "ship", "stock", "balance", "demand")
    return int(sum(len(getattr(d, f)) for d in datas for f in frames) + sum(len(d.demand)
                                                                          for d in datas))


def check(choice: Engine, problems: Problems) -> None:
    """Command-line errors of the engine options (an unknown engine, no MPI runtime, ...)."""
    if choice.name not in ENGINES:
        problems.error("command line", None, "--engine", choice.name,
                       f"must be one of {', '.join(ENGINES)}")
    elif choice.name in ("ph", "lshaped") and mpiexec() is None:
        problems.error("command line", None, "--engine", choice.name,
                       "needs an MPI runtime (mpiexec) and none was found: install the project "
                       "with its mpi extra (pip install -c constraints.txt -e \".[mpi]\")")
    if choice.processes < 1:
        problems.error("command line", None, "--processes", choice.processes, "must be at least 1")
    if not 0 <= choice.gap < 1:
        problems.error("command line", None, "--gap", choice.gap,
                       "the relative gap must be at least 0 and below 1 (e.g. 0.001 = 0.1%)")
    if choice.max_iterations < 1:
        problems.error("command line", None, "--max-iterations", choice.max_iterations,
                       "must be at least 1")
    if choice.hostfile and not Path(choice.hostfile).is_file():
        problems.error("command line", None, "--hostfile", choice.hostfile, "no such file")


def pick(choice: Engine, datas, limit: int = AUTO_COLUMNS) -> str:
    """The engine that runs: auto decomposes an extensive form above ``limit`` columns
    when an MPI runtime is installed."""
    if choice.name != "auto":
        return choice.name
    size = columns(datas)
    name = "ph" if size > limit and mpiexec() is not None else "extensive"
    log.info("engine auto: %d columns in the extensive form -> %s", size, name)
    return name


def solve_decomposed(engine: str, first: FirstStage, ids, probs, datas, tables, *, choice: Engine,
                     mip_gap: float, time_limit: float | None, risk_weight: float, alpha: float,
                     log_file: str | None = None) -> Outcome:
    """Run the MPI job and return its outcome (status "error" with the reason if it failed)."""
    job = Job(engine, list(ids), [float(p) for p in probs], list(datas), list(tables), first,
              commitment_costs(datas), risk_weight, alpha, choice.gap, choice.max_iterations,
              time_limit, mip_gap, lagrangian_every=choice.lagrangian_every)
    with tempfile.TemporaryDirectory(prefix="sourcing-") as folder:
        path = Path(folder) / "job.pkl"
        with open(path, "wb") as fh:
            pickle.dump(job, fh, protocol=pickle.HIGHEST_PROTOCOL)
        command = [mpiexec(), "-n", str(choice.processes)]
        if choice.hostfile:
            command += ["-machinefile", str(choice.hostfile)]
        command += [sys.executable, "-m", "model.risk.sppy_job", str(path)]
        log.info("decomposed solve: %s", " ".join(command))
        env = dict(os.environ, PYTHONUNBUFFERED="1", OMP_NUM_THREADS="1")
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=env)
    stderr = proc.stderr.decode(errors="replace")
    if log_file:
        Path(log_file).write_text(stderr)
    lines = proc.stdout.decode(errors="replace").splitlines()
    if MARKER in lines and lines.index(MARKER) + 1 < len(lines):
        return decode(lines[lines.index(MARKER) + 1])
    tail = " | ".join(stderr.strip().splitlines()[-5:])
    return Outcome("error", f"the {engine} job stopped (exit code {proc.returncode}): {tail}",
                   engine, choice.processes)


def solve_risk(engine: str, first: FirstStage, ids, probs, datas, options: SolveOptions,
               choice: Engine, *, risk_weight: float, alpha: float, cost_tables=None,
               full: bool = True) -> tuple[RiskResult, Outcome | None]:
    """The two-stage model solved by the engine named: (result, outcome of a decomposed
    engine or None). full: evaluate the decision in one model with the first stage fixed,
    for the report's per-scenario sheets (a few scenarios); otherwise the result holds
    each scenario's figures as the engine found them (a sample)."""
    if engine == "extensive":
        return solve_extensive(first, ids, probs, datas, options, risk_weight=risk_weight,
                               alpha=alpha, cost_tables=cost_tables), None
    tables = cost_tables or [None] * len(datas)
    outcome = solve_decomposed(engine, first, ids, probs, datas, tables, choice=choice,
                               mip_gap=options.mip_gap, time_limit=options.time_limit_s,
                               risk_weight=risk_weight, alpha=alpha, log_file=options.log_file)
    result = DecomposedResult.of(outcome, first, ids, probs, datas, risk_weight, alpha)
    if full and result.has_solution:
        fixed = evaluate_decision(first, ids, probs, datas, result.fixed(), options,
                                  commitment_costs(datas), risk_weight=risk_weight, alpha=alpha,
                                  cost_tables=cost_tables)
        if fixed.has_solution:
            return replace(fixed, status=outcome.status, message=outcome.message), outcome
    return result, outcome


@dataclass
class DecomposedResult(RiskResult):
    """A RiskResult read from a decomposed solve's outcome."""
    outcome: Outcome | None = None
    unmet: np.ndarray | None = None
    _decision: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, outcome: Outcome, first: FirstStage, ids, probs, datas, risk_weight: float,
           alpha: float) -> "DecomposedResult":
        ext = Extensive(None, first, list(ids), list(probs), list(datas), [], risk_weight, alpha,
                        risk_weight > 0)
        res = cls(outcome.status, outcome.message, ext, None, None, dict(outcome.seconds),
                  outcome=outcome, _decision=dict(outcome.decision))
        if outcome.totals:
            figures = np.array([outcome.totals[s] for s in ids], dtype=float)
            res.totals, res.second, res.unmet = figures[:, 0], figures[:, 1], figures[:, 2]
            res.first_cost = float(res.totals[0] - res.second[0]) if len(ids) else 0.0
        return res

    @property
    def has_solution(self) -> bool:
        return self.totals is not None and bool(self._decision)

    def first_value(self, var: str, key) -> float:
        return float(self._decision.get((var, key), 0.0))

    def unmet_by_scenario(self) -> list[float]:
        return [float(u) for u in self.unmet]


def bounds_summary(engine: str, outcome: Outcome | None, result: RiskResult, choice: Engine) -> dict:
    """Summary keys of every risk solve: the engine, its bounds and certified gap."""
    if outcome is not None:
        lower, upper, gap = outcome.lower, outcome.upper, outcome.gap
        extra = {"processes": outcome.processes, "iterations": outcome.iterations,
                 "gap_asked": choice.gap}
    else:
        sol = result.solution
        lower = sol.bound if sol is not None else None
        upper = sol.objective if sol is not None else None
        gap = sol.gap if sol is not None else None
        extra = {"processes": 1}
    return {"engine": engine, "lower_bound": lower, "upper_bound": upper,
            "certified_gap": None if gap is None or (isinstance(gap, float) and math.isnan(gap))
            else gap, **extra}


def engine_seconds(outcome: Outcome | None) -> dict:
    """The MPI job's own times (engine_build: the per-scenario models; engine_iterate: the
    algorithm; engine_total: the job from reading its file to writing its outcome)."""
    return {} if outcome is None else {f"engine_{k}": v for k, v in outcome.seconds.items()}


def history_table(outcome: Outcome | None) -> pd.DataFrame:
    """The bounds as the engine found them: one row each time one improved."""
    rows = [] if outcome is None else outcome.history
    out = pd.DataFrame(rows, columns=["iteration", "seconds", "lower_bound", "upper_bound"])
    lo, up = out["lower_bound"].astype(float), out["upper_bound"].astype(float)
    out["certified_gap"] = (up - lo) / up.abs().clip(lower=1e-10)
    return out
