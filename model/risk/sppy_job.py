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

import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback

from model.risk.sppy_data import MARKER, Outcome, encode


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
    sys.exit(main())        # the job's classes live in sppy_data, so pickles name that module
