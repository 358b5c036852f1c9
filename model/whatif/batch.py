"""Solve many scenarios: serially, in worker processes, or on a Dask cluster.

Workers receive plain data (the workbook's bytes and a scenario id), rebuild
the model themselves and return plain data (a summary dict and result
DataFrames); no solver or Pyomo object crosses a process boundary. Every
solve is deterministic (one thread, fixed seed), so serial, ``--workers N``
and Dask runs give identical results.
"""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

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


def _progress(done: int, total: int, label: str, quiet: bool) -> None:
    if quiet:
        return
    width = 30
    filled = int(width * done / max(1, total))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<30}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def solve_many(workbook, scenarios: list[str], workers: int = 1, dask: str | None = None,
               quiet: bool = False) -> dict[str, dict]:
    """{scenario: result} in the order given, however they were computed."""
    path = Path(workbook)
    data = path.read_bytes()
    results: dict[str, dict] = {}
    total = len(scenarios)
    if dask:
        from dask.distributed import Client, as_completed as dask_completed
        with Client(dask) as client:
            futures = {client.submit(solve_one, data, path.name, s, pure=False): s for s in scenarios}
            for i, fut in enumerate(dask_completed(futures), start=1):
                results[futures[fut]] = fut.result()
                _progress(i, total, futures[fut], quiet)
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(solve_one, data, path.name, s): s for s in scenarios}
            for i, fut in enumerate(as_completed(futures), start=1):
                results[futures[fut]] = fut.result()
                _progress(i, total, futures[fut], quiet)
    else:
        for i, s in enumerate(scenarios, start=1):
            results[s] = solve_one(data, path.name, s)
            _progress(i, total, s, quiet)
    return {s: results[s] for s in scenarios}
