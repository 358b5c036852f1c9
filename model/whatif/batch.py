"""Solve many scenarios: serially, in worker processes, or on a Dask cluster.

Workers receive plain data (the workbook's bytes and a scenario id), rebuild
the model themselves and return plain data (a summary dict and result
DataFrames); no solver or Pyomo object crosses a process boundary. Every
solve is deterministic (one thread, fixed seed), so serial, ``--workers N``
and Dask runs give identical results.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from model import progress
from model.problems import InputError


def solve_one(workbook_bytes: bytes, name: str, scenario: str | None) -> dict:
    """Worker entry point: rebuild from bytes, solve, return plain data."""
    from model.report.summary import summary
    from model.run import run
    folder = tempfile.mkdtemp(prefix="sourcing-")
    path = Path(folder) / name
    path.write_bytes(workbook_bytes)
    try:
        result = run(path, None if scenario in (None, "base") else scenario)
        out = {"scenario": scenario or "base", "summary": summary(result),
               "tables": result.tables, "changes": [c.as_dict() for c in result.changes],
               "currency": result.data.settings.get("currency") if result.data else None}
    except InputError as exc:
        out = {"scenario": scenario or "base", "error": exc.render(), "tables": {}, "changes": [],
               "summary": {"status": "error", "objective": None}}
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(folder)
    return out


def solve_many(workbook, scenarios: list[str], workers: int = 1,
               dask: str | None = None) -> dict[str, dict]:
    """{scenario: result} in the order given, however they were computed
    (a counted stage of ``model.progress``: one step per scenario solved)."""
    path = Path(workbook)
    data = path.read_bytes()
    with progress.stage("solve scenarios", total=len(scenarios)) as step:
        results = _solve_all(data, path.name, scenarios, workers, dask, step)
    return {s: results[s] for s in scenarios}


def _solve_all(data: bytes, name: str, scenarios: list[str], workers: int, dask: str | None,
               step) -> dict[str, dict]:
    results: dict[str, dict] = {}
    if dask:
        from dask.distributed import Client, as_completed as dask_completed
        with Client(dask) as client:
            futures = {client.submit(solve_one, data, name, s, pure=False): s for s in scenarios}
            for fut in dask_completed(futures):
                results[futures[fut]] = fut.result()
                step.advance(futures[fut])
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(solve_one, data, name, s): s for s in scenarios}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                step.advance(futures[fut])
    else:
        for s in scenarios:
            results[s] = solve_one(data, name, s)
            step.advance(s)
    return results
