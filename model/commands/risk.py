"""The risk commands (issue 7); each parses nothing itself, calls one flow of
``model.risk.runs`` and writes a report workbook (and ``--summary-json``).

    sourcing solve WORKBOOK --risk -o REPORT.xlsx          risk_command(args)
    sourcing frontier WORKBOOK --points N -o REPORT.xlsx   frontier_command(args)
    sourcing sample WORKBOOK --n N --seed S [--n-out M] [--workers W] [--dask ADDRESS] -o REPORT.xlsx
                                                           sample_command(args)

Exit codes as ``sourcing solve``: 0 solved, 2 invalid input (probabilities
not summing to 1, a bad Events row, ...), 3 no solution, 1 unexpected.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from model import __version__, progress, stop
from model.exit_codes import EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_OK, EXIT_UNEXPECTED
from model.commands.outputs import refusals, write_all
from model.problems import InputError
from model.report.summary import write_json
from model.report.workbook import save_atomic
from model.risk import report
from model.solve.highs import highs_version


def _paths(args):
    src, out = Path(args.workbook), Path(args.output)
    refused = refusals(src, args)
    if refused:
        return src, out, "\n".join(refused)
    if out.suffix.lower() != ".xlsx":
        return src, out, f"the report must be an .xlsx file, got {out}"
    return src, out, None


def _base_summary(command, status, src, sha=None, message="") -> dict:
    return {"command": command, "status": status, "input_file": str(src), "input_sha256": sha,
            "solver": "HiGHS", "solver_version": highs_version(), "software": "secure-sourcing",
            "software_version": __version__, "message": message}


def _finish(args, info, workbook, out, problems=()) -> int | None:
    """Write the report (and JSON); print warnings. Returns an exit code on failure."""
    quiet = args.quiet
    for w in problems:
        if not quiet:
            print(f"warning: {w}", file=sys.stderr)
    writes = [lambda: save_atomic(workbook, out)]
    if args.summary_json:
        writes.append(lambda: write_json(info, args.summary_json))
    return None if write_all(writes) else EXIT_UNEXPECTED


def _run(command, args, flow, render, build):
    """Shared error handling: input errors exit 2, anything unexpected 1, with a report."""
    src, out, refusal = _paths(args)
    if refusal:
        print(refusal, file=sys.stderr)
        return EXIT_INPUT
    try:
        stop.check()                       # a stop while the command loaded
        with progress.stage(command):
            result = flow(src)
        info, warnings, status_ok = render(result)
        with progress.stage("report"):
            code = _finish(args, info, build(info, warnings, result), out, warnings)
    except KeyboardInterrupt as exc:       # Ctrl-C or SIGTERM (model.stop): say so in a report
        message = f"interrupted by {stop.describe(exc)} before the run finished: no result"
        print(message, file=sys.stderr)
        info = _base_summary(command, "interrupted", src, message=message)
        info["reason"] = "interrupted"
        _finish(args, info, build(info, (), None), out)
        return stop.exit_code(exc)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        info = _base_summary(command, "error", src, message=exc.render())
        info["reason"] = "invalid_input"
        code = _finish(args, info, build(info, exc.errors + exc.warnings, None), out)
        return code if code is not None else EXIT_INPUT
    except Exception as exc:  # the last line of defence: a report that says what happened
        message = f"unexpected error: {type(exc).__name__}: {exc}"
        print(message, file=sys.stderr)
        info = _base_summary(command, "error", src, message=message)
        try:
            _finish(args, info, build(info, (), None), out)
        except Exception:
            pass
        return EXIT_UNEXPECTED
    if code is not None:
        return code
    if not args.quiet:
        for line in _console(info):
            print(line)
        print(f"report: {out}")
    if info.get("status") == "error":         # an engine that stopped (docs/risk.md)
        return EXIT_UNEXPECTED
    return EXIT_OK if status_ok else EXIT_NO_SOLUTION


def _engine(args):
    """The engine options of the command line, checked: (Engine, None) or (None, exit code)."""
    from model.problems import Problems
    from model.risk.decomposed import Engine, check
    choice = Engine(**{k: v for k, v in (
        ("name", args.engine), ("processes", args.processes), ("gap", args.gap),
        ("hostfile", args.hostfile), ("max_iterations", args.max_iterations)) if v is not None})
    problems = Problems()
    check(choice, problems)
    for p in problems.errors:
        print(p, file=sys.stderr)
    return (None, EXIT_INPUT) if problems.errors else (choice, None)


def _engine_info(run, result, choice) -> dict:
    from model.risk.decomposed import bounds_summary
    return bounds_summary(run.engine, run.outcome, result, choice)


def _console(info) -> list[str]:
    keys = ("status", "engine", "lower_bound", "upper_bound", "certified_gap", "objective",
            "expected_cost", "cvar", "VSS", "EVPI",
            "in_sample_expected_cost", "out_of_sample_expected_cost", "out_of_sample_ci95_half_width",
            "points")
    lines = []
    for k in keys:
        v = info.get(k)
        if v is None:
            continue
        lines.append(f"{k}: {v:,.2f}" if isinstance(v, float) and math.isfinite(v) else f"{k}: {v}")
    return lines


# --- sourcing solve --risk ----------------------------------------------------------------

def risk_command(args) -> int:
    from model.risk.runs import run_risk

    clash = [flag for flag, name in (("--scenario", "scenario"), ("--enable", "enable"),
                                     ("--disable", "disable"), ("--skip-family", "skip_family"))
             if getattr(args, name)]
    if clash:
        print(f"--risk solves every scenario with a probability together; it cannot be combined "
              f"with {', '.join(clash)}", file=sys.stderr)
        return EXIT_INPUT
    choice, code = _engine(args)
    if code is not None:
        return code

    def flow(src):
        return run_risk(src, with_value=not args.no_value, engine=choice,
                        time_limit_s=args.time_limit, log_file=args.solver_log)

    def render(run):
        r, p, v = run.result, run.problem, run.value
        info = _base_summary("solve --risk", r.status, p.path, p.sha256, r.message)
        info.update({
            "objective": r.objective, "expected_cost": r.expected_cost, "cvar": r.cvar,
            "cvar_alpha": p.alpha, "risk_weight": p.risk_weight,
            "first_stage_cost": r.first_cost, "scenarios": len(p.scenarios),
            "scenario_ids": ", ".join(s.id for s in p.scenarios),
            "left_out": ", ".join(s for s, _ in p.left_out),
            "solver_objective": r.solution.objective if r.solution else None,
            "mip_gap": r.solution.gap if r.solution else None,
            "is_mip": r.solution.is_mip if r.solution else None,
            "solve_seconds": round(r.solution.seconds, 3) if r.solution else None,
            "warnings": len(p.warnings)})
        info.update(_engine_info(run, r, choice))
        if v is not None:
            info.update({"EV": v.ev, "EEV": v.eev, "RP": v.rp, "WS": v.ws, "VSS": v.vss,
                         "EVPI": v.evpi})
        if r.has_solution:
            info["unmet_demand_t_expected"] = float(
                (r.scenario_table()["unmet_t"] * r.scenario_table()["probability"]).sum())
        info.update({f"seconds_{k}": round(s, 3) for k, s in run.seconds.items()})
        return info, p.warnings, r.has_solution

    def build(info, problems, run):
        if run is None:
            return report.risk_workbook(info, problems)
        return report.risk_workbook(info, problems, run.problem, run.result, run.value,
                                    run.outcome)

    return _run("solve --risk", args, flow, render, build)


# --- sourcing frontier --------------------------------------------------------------------

def frontier_command(args) -> int:
    from model.risk.runs import run_frontier

    points = int(args.points)
    if points < 2:
        print("--points must be at least 2", file=sys.stderr)
        return EXIT_INPUT

    def flow(src):
        return run_frontier(src, points, time_limit_s=args.time_limit, log_file=args.solver_log)

    def render(run):
        f, p = run.frontier, run.problem
        ok = bool(len(f.points)) and f.points["status"].isin(["optimal", "feasible"]).all()
        status = "optimal" if ok else str(f.points["status"].iloc[0]) if len(f.points) else "error"
        info = _base_summary("frontier", status, p.path, p.sha256)
        info.update({"points": len(f.points), "points_asked": points, "cvar_alpha": p.alpha,
                     "scenarios": len(p.scenarios),
                     "scenario_ids": ", ".join(s.id for s in p.scenarios),
                     "cheapest_expected_cost": f.points["expected_cost"].iloc[0],
                     "cheapest_cvar": f.points["cvar"].iloc[0],
                     "safest_expected_cost": f.points["expected_cost"].iloc[-1],
                     "safest_cvar": f.points["cvar"].iloc[-1],
                     "seconds": round(run.seconds, 3), "warnings": len(p.warnings)})
        return info, p.warnings, ok

    def build(info, problems, run):
        return report.frontier_workbook(info, problems, run.frontier if run else None,
                                        run.problem.settings if run else None)

    return _run("frontier", args, flow, render, build)


# --- sourcing sample ----------------------------------------------------------------------

def sample_command(args) -> int:
    from model.risk.runs import run_sample

    n, seed = int(args.n), int(args.seed)
    n_out = args.n_out
    workers = int(args.workers)
    if n < 1 or (n_out is not None and int(n_out) < 0) or workers < 1:
        print("--n and --workers must be at least 1, --n-out at least 0", file=sys.stderr)
        return EXIT_INPUT
    choice, code = _engine(args)
    if code is not None:
        return code

    def flow(src):
        return run_sample(src, n, seed, None if n_out is None else int(n_out), workers,
                          args.dask, None, args.scenario, choice, time_limit_s=args.time_limit,
                          log_file=args.solver_log)

    def render(run):
        r = run.in_sample
        info = _base_summary("sample", r.status, run.path, run.sha256, r.message)
        info.update({"n": run.n, "n_out": run.n_out, "seed": run.seed,
                     "seed_out_of_sample": run.seed + 1, "risk_weight": run.risk_weight,
                     "cvar_alpha": run.alpha, "first_stage_cost": r.first_cost,
                     "workers": workers, "dask": args.dask or ""})
        info.update(_engine_info(run, r, choice))
        info.update(run.figures())
        info.update({f"seconds_{k}": round(s, 3) for k, s in run.seconds.items()})
        info["warnings"] = len(run.warnings)
        return info, run.warnings, r.has_solution

    def build(info, problems, run):
        return report.sample_workbook(info, problems, run)

    return _run("sample", args, flow, render, build)
