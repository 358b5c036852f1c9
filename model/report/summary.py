"""The Summary sheet and ``--summary-json``: one dict, two renderings."""

from __future__ import annotations

import json
import math
from pathlib import Path

from model.analysis.marginals import sources
from model.files import write_text


def summary(run=None, *, status=None, message="", input_path=None, input_sha256=None,
            scenario=None) -> dict:
    from model import __version__
    from model.solve.highs import highs_version
    s = run.solution if run else None
    out = {
        "status": s.status if s else (status or "error"),
        "objective": s.objective if s else None,
        "bound": s.bound if s else None,
        "mip_gap": s.gap if s else None,
        "is_mip": s.is_mip if s else None,
        "solve_seconds": round(s.seconds, 3) if s else None,
        "scenario": run.scenario if run else scenario,
        "input_file": str(run.input_path if run else input_path),
        "input_sha256": run.input_sha256 if run else input_sha256,
        "solver": "HiGHS",
        "solver_version": s.solver_version if s else highs_version(),
        "software": "secure-sourcing",
        "software_version": __version__,
        "message": s.message if s else message,
    }
    if run:
        out["changes_applied"] = len(run.changes)
        out["warnings"] = len(run.warnings)
        out["skipped_families"] = ", ".join(run.built.skipped) if run.built else ""
        how = sources(run.tables.get("RuleMarginals"))
        if how:     # how many rule marginals came from ranging, re-solves, duals
            out["rule_marginals_from"] = ", ".join(f"{k} {v}" for k, v in how.items())
        if "Demand" in run.tables:        # no solution: only analysis tables, if any
            dem = run.tables["Demand"]
            out["unmet_demand_t"] = float(dem["unmet_t"].sum())
            out["demand_t"] = float(dem["quantity_t"].sum())
            from model.results.headline import cost_split, unmet_text
            out["spent"], out["penalty"] = cost_split(run.tables, out["objective"])
            out["unmet"] = unmet_text(run.tables)
            if "Shortfall" in run.tables:        # model.analysis.shortfall
                from model.analysis.shortfall import sentence
                out["unclosable"] = sentence(run.tables["Shortfall"])
        out.update({f"seconds_{k}": round(v, 3) for k, v in run.timings.items()})
    return out


def _json_safe(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    return v


def write_json(data: dict, path: str | Path) -> None:
    text = json.dumps({k: _json_safe(v) for k, v in data.items()}, indent=2, default=str)
    write_text(path, text + "\n")
