"""The MPI program of a decomposed risk solve (issue 18), run by the launcher
in ``decomposed.py`` as

    mpiexec -n N [-machinefile HOSTS] python -m model.risk.sppy_job JOB_FILE

Rank 0 reads the job (a pickled ``Job``: plain data, the prepared ModelData of
every scenario) from JOB_FILE and broadcasts it; each rank builds
the per-scenario models of its own scenarios (``scenario_models.scenario_model``,
mpi-sppy's ``scenario_creator``); mpi-sppy runs progressive hedging (PH) or the
L-shaped method (``sppy_engines.py``); rank 0 writes the ``Outcome`` (pickled,
base64, after the line ``MARKER``) to its standard output. mpi-sppy's own
console output goes to standard error. Only rank 0 reads the job file and
the outcome travels back through mpiexec, so on a cluster only the machine
that launches the job (the first in the host file, which holds rank 0) needs it.
"""

from __future__ import annotations

import base64
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field

MARKER = "SOURCING-DECOMPOSED-OUTCOME"
log = logging.getLogger(__name__)


@dataclass
class Job:
    engine: str                  # "ph" or "lshaped"
    ids: list[str]
    probs: list[float]
    datas: list                  # ModelData per scenario
    tables: list                 # cost table per scenario (None: computed from its data)
    first: object                # extensive.FirstStage (the union over the scenarios)
    costs: dict                  # scenario_models.commitment_costs
    risk_weight: float
    alpha: float
    gap: float                   # stop at this certified relative gap
    max_iterations: int
    time_limit: float | None
    mip_gap: float               # of each scenario's MIP
    lagrangian_every: int = 1    # PH: a Lagrangian bound every k iterations (0: never)


@dataclass
class Outcome:
    status: str                  # optimal (gap reached), feasible (a decision, gap not reached), ...
    message: str
    engine: str
    processes: int
    lower: float | None = None   # certified lower bound of min E[T] + lambda CVaR
    upper: float | None = None   # objective of the decision found
    iterations: int = 0
    decision: dict = field(default_factory=dict)       # nonant name -> value
    totals: dict = field(default_factory=dict)         # scenario -> (T_s, C_s, unmet t)
    history: list = field(default_factory=list)        # (iteration, seconds, lower, upper)
    seconds: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.lower, self.upper)


def relative_gap(lower, upper) -> float | None:
    """(upper - lower) / |upper|, the certified relative gap (0 when both are 0)."""
    if lower is None or upper is None:
        return None
    if upper == lower:
        return 0.0
    return (upper - lower) / max(abs(upper), 1e-10)


def encode(outcome: Outcome) -> str:
    return base64.b64encode(pickle.dumps(outcome)).decode("ascii")


def decode(text: str) -> Outcome:
    return pickle.loads(base64.b64decode(text))


def main() -> int:
    out = sys.stdout
    sys.stdout = sys.stderr                  # mpi-sppy prints; only the outcome goes to stdout
    job_file = os.path.abspath(sys.argv[1])
    os.chdir(tempfile.mkdtemp(prefix="sourcing-rank-"))   # mpi-sppy writes log files here
    from mpisppy import MPI
    comm = MPI.COMM_WORLD
    rank = comm.Get_rank()
    if rank == 0:
        with open(job_file, "rb") as fh:
            job = pickle.load(fh)
    else:
        job = None
    job = comm.bcast(job, root=0)
    start = time.perf_counter()
    try:
        from model.risk.sppy_engines import run
        outcome = run(job, comm)
    except Exception as exc:    # the outcome says what happened; the launcher reports it
        traceback.print_exc()
        if rank == 0:
            _write(out, Outcome("error", f"{job.engine}: {type(exc).__name__}: {exc}",
                                job.engine, comm.Get_size()))
        sys.stderr.flush()
        comm.Abort(1)            # the other ranks may wait in a collective call
        return 1
    outcome.seconds["total"] = time.perf_counter() - start
    if rank == 0:
        _write(out, outcome)
    shutil.rmtree(os.getcwd(), ignore_errors=True)
    return 0


def _write(out, outcome: Outcome) -> None:
    out.write(f"{MARKER}\n{encode(outcome)}\n")
    out.flush()


if __name__ == "__main__":
    from model.risk import sppy_job     # pickled classes must name their module, not __main__
    sys.exit(sppy_job.main())
