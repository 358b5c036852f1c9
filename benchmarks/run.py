"""Benchmark the solve path stage by stage, against bare HiGHS.

    python benchmarks/run.py [--sizes small,medium,large] [--repeats N] [--large-repeats N]
                             [--no-extras] [--extras-only] [--render-only] [--regenerate]
                             [--commit HEAD|snapshot|worktree|src-...]
    python benchmarks/run.py --profile medium
    python benchmarks/run.py --experiment canonical|ranging --size medium [--face-only]

The code measured is a snapshot (``--commit``, default HEAD via ``git
archive`` into ``benchmarks/out/src-SHA``), imported through PYTHONPATH, so
edits in progress in the working tree never mix into a measurement.

Per size (workbooks from ``benchmarks/generate.py``, made if missing), each
repeat runs in a fresh subprocess (``--worker``) that runs ``sourcing solve
WORKBOOK -o TMP.xlsx -q`` in-process (``model.cli.main``) with the stage
functions it calls wrapped in timers (wall and CPU):

    read      model.run.load: read + scenarios + validate
    prepare   model.data.model_data.prepare
    build     model.formulation.build (the families into HiGHS arrays; docs/model.md)
    handover  model.solve.handover.compile_model (triples -> column-wise HighsLp)
    solve     model.solve.highs.solve_kept (every Highs.run() is also timed, with its caller)
    extract   model.results.extract.extract and model.analysis.marginals.with_marginals
              (the plan's tables and RuleMarginals, with any re-solves it makes)
    analyses, verify, report
              model.commands.solve._analyses / _verify / _write (build_workbook + save_atomic)
    other     the rest of the command

and reads its peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) before
doing anything else. The first repeat then writes the compiled model to MPS
(highspy ``passModel`` + ``writeModel``); each repeat is followed by a fresh
subprocess (``--bare``) that imports highspy alone, reads the MPS file and
solves it with the product's HiGHS options: its peak RSS and solve time are
the "bare HiGHS model" the targets compare with.

Extras: the example workbook end-to-end through ``python -m model solve``
(``inputs/example.xlsx`` or ``inputs/example/*.csv`` of the snapshot),
reading a 50,000-row sheet (``benchmarks/out/read50k.xlsx``), and what-if
re-solves through ``model.whatif.session.Session`` where it exists.

Raw measurements go to ``benchmarks/out/measure-<size>.json`` and
``benchmarks/out/extras.json``; ``benchmarks/results.md`` is rendered from
every measurement present, so sizes may be run separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.md"
PY = sys.executable
# Where the benchmarked ``model`` package is imported from: a snapshot of a commit
# (``--commit``, default HEAD, exported with ``git archive``) so that edits in
# progress in the working tree do not mix into a measurement; ``--commit worktree``
# measures the working tree as it is.
SRC = Path(os.environ.get("BENCH_SRC", str(REPO)))
SRC_COMMIT = os.environ.get("BENCH_COMMIT", "worktree")


def snapshot(rev: str) -> tuple[Path, str]:
    if rev == "worktree":
        return REPO, "worktree"
    if rev.startswith("src-") and (OUT / rev / "model").exists():
        # an earlier snapshot, so that several invocations measure the same code
        label = (OUT / rev / "LABEL").read_text().strip() if (OUT / rev / "LABEL").exists() else rev
        return OUT / rev, label
    if rev == "snapshot":
        # a frozen copy of the working tree's model/ and inputs/ (HEAD plus edits in progress)
        import shutil
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        head = _git("rev-parse", "--short", "HEAD")
        dest = OUT / f"src-wt-{stamp}"
        for part in ("model", "inputs"):
            if (REPO / part).exists():
                shutil.copytree(REPO / part, dest / part,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        label = f"{head}+working-tree@{stamp}"
        (dest / "LABEL").write_text(label + "\n")
        return dest, label
    sha = _git("rev-parse", "--short", rev)
    if not sha:
        raise SystemExit(f"no such commit: {rev}")
    dest = OUT / f"src-{sha}"
    if not (dest / "model").exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=REPO, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
        (dest / "LABEL").write_text(sha + "\n")
    return dest, sha


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(SRC), "BENCH_SRC": str(SRC), "BENCH_COMMIT": SRC_COMMIT}
STAGES = ["read", "prepare", "build", "handover", "solve", "extract", "analyses", "verify",
          "shortfall", "marginals", "report", "other"]
STAGE_DOC = {
    "read": "read + scenarios + validate (`model.run.load`)",
    "prepare": "model data (`prepare`)",
    "build": "families into HiGHS arrays (`build`)",
    "handover": "triples -> column-wise HighsLp (`compile_model`)",
    "solve": "`solve()`: every HiGHS run it makes + passModel",
    "extract": "results tables (`extract`, incl. rule-marginal re-solves)",
    "analyses": "optional analyses of `sourcing solve` (`_analyses`)",
    "verify": "independent check of the solution (`_verify`)",
    "shortfall": "least shortfall of unmet demand (`add_shortfall`; after the plan where it is written first)",
    "marginals": "exact rule marginals after the plan is written (`exact_rule_marginals`)",
    "report": "`_write`: `build_workbook` + `save_atomic`",
    "other": "rest of `sourcing solve` (argument parsing, summary, ...)",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0    # KiB on Linux


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------------------
# Worker: one measured run of the product's stages in this process.
# ---------------------------------------------------------------------------

def worker(workbook: str, mps: str | None, profile_dir: str | None = None) -> dict:
    """Run ``sourcing solve WORKBOOK -o TMP.xlsx -q`` in this process (``model.cli.main``)
    with the stage functions it calls wrapped in timers: those of ``model.run``
    (load, prepare, build, compile_model, solve, extract) and of
    ``model.commands.solve`` (``_write``: build_workbook + save_atomic; ``_verify``
    and ``_analyses`` where they exist). The benchmark so follows whatever the
    command does; time in none of them is "other"."""
    t_imp = time.perf_counter()
    import highspy

    import model.commands.solve as csolve
    import model.run as mrun
    from model.cli import main as cli_main
    import_s = time.perf_counter() - t_imp

    runs: list[dict] = []           # every Highs.run() in this process
    original_run = highspy.Highs.run

    def timed_run(self, *a, **k):
        t, c = time.perf_counter(), time.process_time()
        try:
            return original_run(self, *a, **k)
        finally:
            runs.append({"wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                         "caller": sys._getframe(1).f_code.co_name})

    highspy.Highs.run = timed_run

    out: dict = {"workbook": workbook, "model_file": mrun.__file__, "import_s": import_s,
                 "rss_after_import_mb": rss_mb(),
                 "peak_after_import_mb": peak_mb(), "loadavg_start": loadavg()}
    wall, cpu, peak, rss, highs_runs, calls = {}, {}, {}, {}, {}, {}
    captured = {}
    clock = {"start": time.perf_counter(), "reports": []}   # when each report write ended
    depth = [0]

    def timed(stage, fn):
        def wrapper(*a, **k):
            if depth[0]:                       # nested in another timed stage: counted there
                return fn(*a, **k)
            depth[0] += 1
            n0 = len(runs)
            prof = None
            if profile_dir:
                from pyinstrument import Profiler
                prof = Profiler(interval=0.001)
                prof.start()
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                depth[0] -= 1
                if prof is not None:
                    prof.stop()
                    Path(profile_dir, f"{stage}.txt").write_text(
                        prof.output_text(unicode=False, color=False, show_all=False))
                    prof.last_session.save(str(Path(profile_dir, f"{stage}.pyisession")))
                wall[stage] = wall.get(stage, 0.0) + time.perf_counter() - t
                cpu[stage] = cpu.get(stage, 0.0) + time.process_time() - c
                peak[stage], rss[stage] = peak_mb(), rss_mb()
                highs_runs[stage] = highs_runs.get(stage, []) + runs[n0:]
                calls[stage] = calls.get(stage, 0) + 1
                if stage == "report":
                    clock["reports"].append(time.perf_counter() - clock["start"])
        return wrapper

    for stage, name in (("read", "load"), ("prepare", "prepare"), ("build", "build"),
                        ("handover", "compile_model"),
                        ("solve", "solve_kept" if hasattr(mrun, "solve_kept") else "solve"),
                        ("extract", "extract"), ("extract", "with_marginals"),
                        ("shortfall", "add_shortfall")):
        if hasattr(mrun, name):
            setattr(mrun, name, timed(stage, getattr(mrun, name)))
    for stage, name in (("report", "_write"), ("verify", "_verify"), ("analyses", "_analyses"),
                        ("shortfall", "add_shortfall")):
        if hasattr(csolve, name):
            setattr(csolve, name, timed(stage, getattr(csolve, name)))
    try:                    # after the plan; before issue 13 it lived in model.results.extract
        import model.analysis.marginals as mmarg
    except ImportError:
        import model.results.extract as mmarg
    if hasattr(mmarg, "exact_rule_marginals"):
        mmarg.exact_rule_marginals = timed("marginals", mmarg.exact_rule_marginals)
    original = csolve.run

    def keep_run(*a, **k):
        captured["run"] = original(*a, **k)
        return captured["run"]

    csolve.run = keep_run
    if hasattr(csolve, "with_tables"):      # the command's later Runs (verification, analyses)
        original_with = csolve.with_tables

        def keep_latest(*a, **k):
            captured["run"] = original_with(*a, **k)
            return captured["run"]

        csolve.with_tables = keep_latest

    with tempfile.TemporaryDirectory() as tmp:
        t, c = time.perf_counter(), time.process_time()
        clock["start"] = t
        code = cli_main(["solve", workbook, "-o", str(Path(tmp) / "report.xlsx"), "-q"])
        cli_wall, cli_cpu = time.perf_counter() - t, time.process_time() - c
        out["exit_code"] = code
        out["report_bytes"] = (Path(tmp) / "report.xlsx").stat().st_size
    out["peak_mb"] = peak_mb()          # before anything the benchmark adds
    run = captured["run"]
    solution = run.solution
    out["solution_seconds"] = solution.seconds
    wall["other"] = max(0.0, cli_wall - sum(wall.values()))
    cpu["other"] = max(0.0, cli_cpu - sum(cpu.values()))
    out["stage_calls"] = calls
    out["stages"], out["cpu_stages"] = wall, cpu
    out["peak_by_stage_mb"], out["rss_by_stage_mb"] = peak, rss
    out["highs_runs"] = highs_runs
    out["total_s"] = cli_wall
    # time to the plan: the first report written (the plan; the only one when nothing follows)
    out["report_writes_s"] = clock["reports"]
    out["plan_s"] = clock["reports"][0] if clock["reports"] else cli_wall
    out["total_cpu_s"] = cli_cpu
    solve_runs = highs_runs.get("solve", [])
    out["highs_main_s"] = solve_runs[0]["wall"] if solve_runs else None
    out["highs_main_cpu_s"] = solve_runs[0]["cpu"] if solve_runs else None
    out["highs_solve_all_s"] = sum(r["wall"] for r in solve_runs)
    out["loadavg_end"] = loadavg()

    m = run.built.model
    if hasattr(m, "variables"):             # the array backend (model/formulation/arrays.py)
        var_counts = {name: len(v) for name, v in m.variables.items()}
        con_counts = {name: len(c) for name, c in m.constraints.items()}
    else:
        import pyomo.environ as pyo
        var_counts = {v.local_name: len(v) for v in m.component_objects(pyo.Var, descend_into=True)}
        con_counts = {c.local_name: len(c) for c in m.component_objects(pyo.Constraint,
                                                                          descend_into=True)}
    lp = run.compiled.lp
    tables = run.tables or {}
    marg = tables.get("RuleMarginals")
    out.update({
        "variables": sum(var_counts.values()), "variables_by_name": var_counts,
        "constraints": sum(con_counts.values()), "constraints_by_name": con_counts,
        "columns": int(lp.num_col_), "rows": int(lp.num_row_),
        "nonzeros": int(len(lp.a_matrix_.value_)), "binaries": int(run.compiled.integer.sum()),
        "status": solution.status, "objective": solution.objective, "gap": solution.gap,
        "is_mip": solution.is_mip, "warnings": len(run.warnings),
        "unmet_t": float(tables["Demand"]["unmet_t"].sum()) if "Demand" in tables else None,
        "binding_rule_rows": int(marg["binding"].sum()) if marg is not None else None,
        "rule_rows": len(marg) if marg is not None else None,
    })
    if mps:
        t0 = time.perf_counter()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        h.writeModel(mps)
        out["mps_write_s"] = time.perf_counter() - t0
        out["mps_bytes"] = os.path.getsize(mps)
    return out


def bare(mps: str, mip_gap: float) -> dict:
    """Bare highspy: read the MPS file, solve it with the product's options."""
    t0 = time.perf_counter()
    import highspy
    out = {"import_s": time.perf_counter() - t0, "rss_after_import_mb": rss_mb(),
           "peak_after_import_mb": peak_mb()}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    t0 = time.perf_counter()
    h.readModel(mps)
    out["read_s"] = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    h.run()
    out["run_wall_s"] = time.perf_counter() - t0
    out["run_cpu_s"] = time.process_time() - c0
    out["highs_run_time_s"] = h.getRunTime()
    out["status"] = h.modelStatusToString(h.getModelStatus())
    out["objective"] = h.getInfo().objective_function_value
    out["peak_mb"] = peak_mb()
    out["loadavg_end"] = loadavg()
    return out


def whatif_worker(workbook: str) -> dict:
    """The what-if API (``model.whatif.session.Session``): build once, toggle, re-solve warm."""
    t0 = time.perf_counter()
    from model.whatif.session import Session
    out = {"import_s": time.perf_counter() - t0}
    t0 = time.perf_counter()
    s = Session(workbook)
    out["setup_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = s.solve()
    out["base_solve_s"] = time.perf_counter() - t0
    out["base_objective"] = base.objective
    offers = s.data.offers
    offer = str(offers.loc[~offers["binary"], "offer"].iloc[0])
    steps = [("lift ban X_CN_DY_BAN", lambda: s.disable("X_CN_DY_BAN")),
             ("back to base", s.reset),
             (f"halve capacity of {offer}", lambda: s.scale_capacity(offer, 0.5)),
             ("back to base", s.reset)]
    out["resolves"] = []
    for label, change in steps:
        change()
        t0 = time.perf_counter()
        sol = s.solve()
        out["resolves"].append({"change": label, "seconds": time.perf_counter() - t0,
                                "status": sol.status, "objective": sol.objective})
    t0 = time.perf_counter()
    s.tables()
    out["tables_s"] = time.perf_counter() - t0
    out["peak_mb"] = peak_mb()
    return out


RUNS: list[dict] = []


def _time_highs_runs() -> None:
    import highspy
    original = highspy.Highs.run

    def timed_run(self, *a, **k):
        c = time.process_time()
        try:
            return original(self, *a, **k)
        finally:
            RUNS.append({"cpu": time.process_time() - c})

    highspy.Highs.run = timed_run


def experiment(kind: str, workbook: str, face_only: bool = False) -> dict:
    """Out-of-product trials behind the README's suggestions (CPU seconds).

    canonical: the product's canonical pass (cost row + new objective) against
    restricting the LP to the optimal face (fix columns with a nonzero reduced
    cost and rows with a nonzero dual at their values), same weights.
    ranging: of the rule rows at their limit with a nonzero dual (the ones the
    product re-solves), how many HiGHS's ranging answers exactly (the one-tonne
    step stays inside the row bound's range, so the change is the dual), and
    the re-solve time with and without them.
    """
    import numpy as np

    from model.formulation import build
    from model.data.model_data import prepare
    from model.run import load
    from model.solve.handover import compile_model
    from model.solve.highs import SolveOptions, canonical_weights, relaxation_values, solve_kept
    _time_highs_runs()
    wb, _, _ = load(workbook)
    compiled = compile_model(build(prepare(wb)).model)
    lp = compiled.lp
    n = lp.num_col_
    out: dict = {"kind": kind, "workbook": workbook, "columns": n, "rows": lp.num_row_}

    if kind == "canonical":
        from model.solve.highs import _canonical
        w = canonical_weights(compiled)
        cost = np.asarray(lp.col_cost_, dtype=float)
        cols = np.arange(n, dtype=np.int32)
        opts = SolveOptions(mip_gap=wb.settings["mip_gap"], canonical=False)
        sol, kept = solve_kept(compiled, opts)   # MIP, then the LP with integers fixed (kept warm)
        h = kept._h                              # the experiment works on HiGHS itself
        optimum = float(cost @ np.asarray(h.getSolution().col_value))
        if not face_only:
            n0 = len(RUNS)
            c0 = time.process_time()
            _canonical(h, compiled, sol)     # the product's pass, as it is (includes the restore)
            out["product"] = {"cpu_s": time.process_time() - c0,
                              "runs_cpu_s": [r["cpu"] for r in RUNS[n0:]],
                              "weighted": float(w @ sol.x),
                              "cost_above_optimum": float(cost @ sol.x) - optimum}
            sol, kept = solve_kept(compiled, opts)
            h = kept._h
        s_ = h.getSolution()
        x, d = np.asarray(s_.col_value), np.asarray(s_.col_dual)
        y, act = np.asarray(s_.row_dual), np.asarray(s_.row_value)
        lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        c0 = time.process_time()
        tol = 1e-7
        fix = np.flatnonzero(np.abs(d) > tol).astype(np.int32)
        rows = np.flatnonzero(np.abs(y) > tol).astype(np.int32)
        h.changeColsBounds(len(fix), fix, x[fix], x[fix])
        h.changeRowsBounds(len(rows), rows, act[rows], act[rows])
        h.changeColsCost(n, cols, w)
        h.run()
        xb = np.asarray(h.getSolution().col_value)
        status = h.modelStatusToString(h.getModelStatus())
        # restore, as the product must
        h.changeColsBounds(n, cols, lower, upper)
        h.changeRowsBounds(lp.num_row_, np.arange(lp.num_row_, dtype=np.int32),
                           np.asarray(lp.row_lower_), np.asarray(lp.row_upper_))
        h.changeColsCost(n, cols, cost)
        h.run()
        out["optimal_face"] = {"cpu_s": time.process_time() - c0, "status": status,
                               "fixed_columns": len(fix), "fixed_rows": len(rows),
                               "weighted": float(w @ xb),
                               "cost_above_optimum": float(cost @ xb) - optimum}
    elif kind == "ranging":
        sol, kept = solve_kept(compiled, SolveOptions(mip_gap=wb.settings["mip_gap"], canonical=False))
        h = kept._h
        names = np.array(compiled.row_con)
        idx = np.flatnonzero((names == "export_limit") | (names == "policy_share"))
        lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        act = sol.row_activity
        binding = [int(i) for i in idx       # at their limit
                   if min(abs(act[i] - lower[i]), abs(act[i] - upper[i])) <= 1e-6]
        y = np.asarray(h.getSolution().row_dual)
        nonzero_dual = [i for i in binding if abs(y[i]) > 1e-9]
        c0 = time.process_time()
        _, rg = h.getRanging()
        exact, need = {}, []
        for i in nonzero_dual:
            if compiled.row_sense[i] == -1:
                inside, change = rg.row_bound_dn.value_[i] <= lower[i] - 1.0 + 1e-9, -y[i]
            else:
                inside, change = rg.row_bound_up.value_[i] >= upper[i] + 1.0 - 1e-9, y[i]
            if inside:
                exact[i] = float(change)
            else:
                need.append(i)
        ranging_s = time.process_time() - c0
        c0 = time.process_time()
        every = relaxation_values(sol, compiled, nonzero_dual, kept, use_ranging=False)
        every_s = time.process_time() - c0
        c0 = time.process_time()
        relaxation_values(sol, compiled, need, kept, use_ranging=False)
        need_s = time.process_time() - c0
        out.update({"rows_at_limit": len(binding), "with_nonzero_dual": len(nonzero_dual),
                    "exact_by_ranging": len(exact),
                    "still_to_resolve": len(need), "ranging_cpu_s": ranging_s,
                    "resolve_all_cpu_s": every_s, "resolve_remaining_cpu_s": need_s,
                    "max_abs_difference": max([abs(exact[i] - every[i]) for i in exact] or [0.0])})
    else:
        raise SystemExit(f"unknown experiment {kind}")
    return out


def read_worker(path: str) -> dict:
    """Time reading the 50,000-row workbook: the whole read, and load (with validation)."""
    import python_calamine

    from model.read.workbook import _read_table, read_workbook
    from model.run import load
    from model.schema import SHEET_BY_NAME
    out = {}
    t0 = time.perf_counter()
    wb = read_workbook(path)
    out["read_workbook_s"] = time.perf_counter() - t0
    out["demand_rows"] = len(wb.tables["Demand"])
    t0 = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_name("Demand").to_python(skip_empty_area=False)
    out["calamine_sheet_s"] = time.perf_counter() - t0
    from model.problems import Problems
    try:                       # a private function: its signature may change
        t0 = time.perf_counter()
        _read_table(SHEET_BY_NAME["Demand"], rows, Problems())
        out["typing_sheet_s"] = time.perf_counter() - t0
    except TypeError:
        out["typing_sheet_s"] = None
    t0 = time.perf_counter()
    load(path)
    out["load_s"] = time.perf_counter() - t0
    return out


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------

def _subprocess_json(args: list[str], timeout: float | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        path = handle.name
    try:
        proc = subprocess.run([PY, str(Path(__file__).resolve()), *args, "--json", path],
                              cwd=REPO, capture_output=True, text=True, timeout=timeout,
                              env=_env())
        if proc.returncode != 0:
            raise RuntimeError(f"{args[:2]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(Path(path).read_text())
    finally:
        Path(path).unlink(missing_ok=True)


def _ensure_workbook(size: str, regenerate: bool) -> Path:
    path = OUT / f"{size}.xlsx"
    if regenerate or not path.exists():
        sys.path.insert(0, str(HERE))
        import generate
        print(f"[{size}] generating {path}", flush=True)
        generate.generate(size, do_count=False)
    return path


def measure_size(size: str, repeats: int, regenerate: bool) -> dict:
    path = _ensure_workbook(size, regenerate)
    mps = OUT / f"{size}.mps"
    reps, bares = [], []
    for i in range(repeats):
        print(f"[{size}] repeat {i + 1}/{repeats}: product ...", flush=True)
        args = ["--worker", str(path)] + (["--mps", str(mps)] if i == 0 else [])
        w = _subprocess_json(args)
        print(f"[{size}]   total {w['total_s']:.1f} s, HiGHS solve {w['highs_main_s']:.1f} s, "
              f"peak {w['peak_mb']:.0f} MB, {w['variables']:,} variables, {w['status']}",
              flush=True)
        reps.append(w)
        gap = 1e-4
        try:
            import python_calamine  # noqa: F401  (settings are in the workbook; read cheaply)
            from model.read.workbook import read_workbook
            gap = read_workbook(path).settings["mip_gap"]
        except Exception:
            pass
        print(f"[{size}] repeat {i + 1}/{repeats}: bare HiGHS ...", flush=True)
        b = _subprocess_json(["--bare", str(mps), "--mip-gap", str(gap)])
        print(f"[{size}]   bare solve {b['highs_run_time_s']:.1f} s, peak {b['peak_mb']:.0f} MB, "
              f"{b['status']}", flush=True)
        bares.append(b)
    result = {"size": size, "date": dt.datetime.now().isoformat(timespec="seconds"),
              "commit": SRC_COMMIT if SRC_COMMIT != "worktree" else _git("rev-parse", "--short", "HEAD"),
              "dirty": SRC_COMMIT == "worktree" and bool(_git("status", "--porcelain", "--", "model")),
              "model_from": str(SRC),
              "workbook": str(path.relative_to(REPO)), "workbook_bytes": path.stat().st_size,
              "repeats": reps, "bare": bares}
    info = OUT / f"{size}.json"
    if info.exists():
        result["generator"] = json.loads(info.read_text())
    (OUT / f"measure-{size}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    mps.unlink(missing_ok=True)
    return result


def measure_extras(repeats: int, whatif_sizes=("small", "medium", "medium-lp")) -> dict:
    sys.path.insert(0, str(HERE))
    import generate
    extras: dict = {"date": dt.datetime.now().isoformat(timespec="seconds")}
    # what-if re-solves through the session API, if the product has one
    if (SRC / "model" / "whatif" / "session.py").exists():
        extras["whatif"] = {}
        for size in whatif_sizes:
            if size.endswith("-lp"):        # the same network made an LP (no binaries)
                path = OUT / f"{size}.xlsx"
                if not path.exists():
                    generate.write(generate.as_lp(generate.tables(size[:-3])), path)
            else:
                path = _ensure_workbook(size, False)
            res = _subprocess_json(["--whatif-worker", str(path)])
            extras["whatif"][size] = res
            print(f"[whatif {size}] setup {res['setup_s']:.1f} s, base {res['base_solve_s']:.1f} s, "
                  "re-solves " + ", ".join(f"{r['seconds']:.2f}" for r in res["resolves"]) + " s",
                  flush=True)
    # 50,000-row sheet
    p50 = OUT / "read50k.xlsx"
    if not p50.exists():
        generate.write(generate.read50k_tables(), p50)
    extras["read50k"] = [_subprocess_json(["--read-worker", str(p50)]) for _ in range(repeats)]
    print("[read50k] read_workbook " + ", ".join(f"{r['read_workbook_s']:.2f}"
                                                for r in extras["read50k"]) + " s", flush=True)
    # example workbook end-to-end through the CLI
    example = SRC / "inputs" / "example.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        source = None
        if example.exists():
            source = example
        elif (SRC / "inputs" / "example").is_dir() and any((SRC / "inputs" / "example").glob("*.csv")):
            from model.read.from_csv import csv_folder_to_workbook
            source = Path(tmp) / "example.xlsx"
            csv_folder_to_workbook(SRC / "inputs" / "example", source)
        if source is None:
            extras["example"] = {"missing": "no inputs/example.xlsx or inputs/example/*.csv"}
            print("[example] not found", flush=True)
        else:
            # ``python -m model`` is what the ``sourcing`` script runs; this way the
            # snapshot's package is the one imported
            walls, summaries = [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                proc = subprocess.run([PY, "-m", "model", "solve", str(source), "-o",
                                       str(Path(tmp) / "report.xlsx"), "--summary-json",
                                       str(Path(tmp) / "s.json"), "-q"],
                                      cwd=REPO, capture_output=True, text=True, env=_env())
                walls.append(time.perf_counter() - t0)
                s = json.loads((Path(tmp) / "s.json").read_text()) if proc.returncode in (0, 3) else {}
                summaries.append({k: v for k, v in s.items() if k.startswith("seconds_")
                                  or k in ("status", "objective")} | {"exit": proc.returncode})
            t0 = time.perf_counter()
            subprocess.run([PY, "-c", "import model.commands.solve"], cwd=REPO, check=True,
                           env=_env())
            extras["example"] = {"source": ("inputs/example.xlsx" if source == example else
                                            "inputs/example/*.csv (built with from-csv)"),
                                 "commit": SRC_COMMIT,
                                 "wall_s": walls, "summaries": summaries,
                                 "import_only_s": time.perf_counter() - t0}
            print("[example] wall " + ", ".join(f"{w:.2f}" for w in walls) + " s", flush=True)
    (OUT / "extras.json").write_text(json.dumps(extras, indent=1, default=str) + "\n")
    return extras


def _git(*args) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


# ---------------------------------------------------------------------------
# Rendering results.md
# ---------------------------------------------------------------------------

def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        mem_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    from importlib.metadata import version
    vers = {}
    for pkg in ("pyomo", "highspy", "pandas", "numpy", "scipy", "openpyxl", "python-calamine"):
        try:
            vers[pkg] = version(pkg)
        except Exception:
            vers[pkg] = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "kernel": platform.release(), **vers}


def _stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def _fmt(st, digits=2, unit=""):
    if st is None:
        return "n/a"
    med, lo, hi = st
    if lo == hi:
        return f"{med:.{digits}f}{unit}"
    return f"{med:.{digits}f}{unit} ({lo:.{digits}f}-{hi:.{digits}f})"


def summarise(m: dict) -> dict:
    reps, bares = m["repeats"], m["bare"]
    s = {"stages": {st: _stats([r["stages"].get(st) for r in reps]) for st in STAGES},
         "cpu": {st: _stats([r["cpu_stages"].get(st) for r in reps]) for st in STAGES}}
    s["total"] = _stats([r["total_s"] for r in reps])
    s["total_cpu"] = _stats([r["total_cpu_s"] for r in reps])
    s["highs_main"] = _stats([r["highs_main_s"] for r in reps])
    s["highs_main_cpu"] = _stats([r["highs_main_cpu_s"] for r in reps])
    s["highs_solve_all"] = _stats([r["highs_solve_all_s"] for r in reps])
    s["highs_solve_runs"] = statistics.median([len(r["highs_runs"].get("solve", [])) for r in reps])
    def resolves(r):        # rule-marginal re-solves: in extract, or after the plan (marginals)
        return r["highs_runs"].get("extract", []) + r["highs_runs"].get("marginals", [])
    s["extract_highs"] = _stats([sum(x["wall"] for x in resolves(r)) for r in reps])
    s["extract_resolves"] = statistics.median([len(resolves(r)) for r in reps])
    s["plan"] = _stats([r.get("plan_s", r["total_s"]) for r in reps])
    s["ratio_plan"] = _stats([r.get("plan_s", r["total_s"]) / r["highs_main_s"] for r in reps])
    s["report_writes"] = statistics.median([len(r.get("report_writes_s", [None])) for r in reps])
    s["peak"] = _stats([r["peak_mb"] for r in reps])
    s["import_peak"] = _stats([r["peak_after_import_mb"] for r in reps])
    s["bare_highs"] = _stats([b["run_wall_s"] for b in bares])
    s["bare_highs_cpu"] = _stats([b.get("run_cpu_s") for b in bares])
    s["bare_read"] = _stats([b["read_s"] for b in bares])
    s["bare_peak"] = _stats([b["peak_mb"] for b in bares])
    s["bare_import_peak"] = _stats([b["peak_after_import_mb"] for b in bares])
    s["ratio_time"] = _stats([r["total_s"] / r["highs_main_s"] for r in reps])
    s["ratio_cpu"] = _stats([r["total_cpu_s"] / r["highs_main_cpu_s"] for r in reps])
    s["ratio_time_bare"] = _stats([r["total_s"] / b["run_wall_s"] for r, b in zip(reps, bares)])
    s["ratio_time_all"] = _stats([r["total_s"] / r["highs_solve_all_s"] for r in reps])
    s["ratio_mem"] = _stats([r["peak_mb"] / b["peak_mb"] for r, b in zip(reps, bares)])
    s["peak_by_stage"] = {st: _stats([r["peak_by_stage_mb"].get(st) for r in reps]) for st in STAGES}
    return s


def loglog(points: dict[str, list[tuple[float, float]]]) -> dict[str, float | None]:
    import numpy as np
    out = {}
    for name, pts in points.items():
        pts = [(x, y) for x, y in pts if x and y and y > 0]
        if len(pts) < 2:
            out[name] = None
            continue
        xs, ys = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
        out[name] = float(np.polyfit(xs, ys, 1)[0])
    return out


def render() -> str:
    order = [s for s in ("small", "medium", "large") if (OUT / f"measure-{s}.json").exists()]
    ms = {s: json.loads((OUT / f"measure-{s}.json").read_text()) for s in order}
    sm = {s: summarise(m) for s, m in ms.items()}
    extras = json.loads((OUT / "extras.json").read_text()) if (OUT / "extras.json").exists() else {}
    mach = machine()
    L = []
    L.append("# Benchmark results\n")
    L.append("Generated by `python benchmarks/run.py` (see `benchmarks/README.md` for the method "
             "and the profile). Times in seconds: median (min-max) over the repeats, each "
             "repeat in a fresh process. Memory: peak RSS in MB (`ru_maxrss`).\n")
    L.append("## Machine\n")
    L.append(f"- CPU: {mach['cpu']}, {mach['cores']} cores; memory {mach['memory_gib']} GiB; "
             f"Linux {mach['kernel']}")
    L.append(f"- Python {mach['python']}, pyomo {mach['pyomo']}, highspy {mach['highspy']}, "
             f"pandas {mach['pandas']}, numpy {mach['numpy']}, scipy {mach['scipy']}, "
             f"openpyxl {mach['openpyxl']}, python-calamine {mach['python-calamine']}")
    for s in order:
        m = ms[s]
        loads = [r["loadavg_start"][0] for r in m["repeats"]] + [r["loadavg_end"][0] for r in m["repeats"]]
        L.append(f"- {s}: measured {m['date']} at commit {m['commit']}"
                 f"{' (model/ had uncommitted edits)' if m.get('dirty') else ''}, "
                 f"{len(m['repeats'])} repeat(s); 1-minute load average during the runs "
                 f"{min(loads):.1f}-{max(loads):.1f}")
    L.append("- **Shared machine**: other engineers run test suites on the same 2 cores. A "
             "1-minute load average above 1 means the benchmark competed for CPU and its wall "
             "times are inflated; the CPU seconds in brackets are not (the product and HiGHS "
             "run single-threaded, `threads=1`), so on a quiet machine wall ~ CPU.\n")

    L.append("## Instances\n")
    L.append("| size | regions x families x served, periods | variables | binaries | "
             "HiGHS columns x rows | nonzeros | workbook | status | unmet t | binding rule rows |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for s in order:
        r0 = ms[s]["repeats"][0]
        g = ms[s].get("generator", {})
        p = g.get("params", {})
        rows = g.get("rows", {})
        L.append(f"| {s} | {p.get('regions')} x {p.get('families')} x {p.get('served')}, "
                 f"{p.get('periods')} | {r0['variables']:,} | {r0['binaries']} | "
                 f"{r0['columns']:,} x {r0['rows']:,} | {r0['nonzeros']:,} | "
                 f"{ms[s]['workbook_bytes'] / 1e6:.2f} MB, {sum(rows.values()):,} rows | "
                 f"{r0['status']} | {r0['unmet_t']:,.0f} | {r0['binding_rule_rows']} of "
                 f"{r0['rule_rows']} |")
    L.append("")
    if order:
        L.append("Variables by family (largest size): " + ", ".join(
            f"{k} {v:,}" for k, v in ms[order[-1]]["repeats"][0]["variables_by_name"].items()) + ".\n")

    L.append("## Stages\n")
    L.append("Wall seconds, median (min-max); CPU seconds of the process in brackets "
             "(less sensitive to other load on the machine).\n")
    L.append("| stage | " + " | ".join(order) + " |")
    L.append("|---|" + "---|" * len(order))
    # stages that exist and take time somewhere (an optional stage that returns at once is left out)
    present = [st for st in STAGES
               if any(sm[s]["stages"][st] and sm[s]["stages"][st][2] >= 0.005 for s in order)]
    for st in present:
        L.append(f"| {st}: {STAGE_DOC[st]} | " + " | ".join(
            f"{_fmt(sm[s]['stages'][st])} [{_fmt(sm[s]['cpu'][st])}]" for s in order) + " |")
    L.append("| **total**: `sourcing solve` in-process, command to written report | " + " | ".join(
        f"**{_fmt(sm[s]['total'])}** [{_fmt(sm[s]['total_cpu'])}]" for s in order) + " |")
    L.append("| HiGHS solve of the model: the first `Highs.run()` in `solve` | " + " | ".join(
        f"{_fmt(sm[s]['highs_main'])} [{_fmt(sm[s]['highs_main_cpu'])}]" for s in order) + " |")
    L.append("| all `Highs.run()` in `solve` (solve, LP with integers fixed, canonical pass, restore) | "
             + " | ".join(f"{_fmt(sm[s]['highs_solve_all'])} ({sm[s]['highs_solve_runs']:.0f} runs)"
                          for s in order) + " |")
    n_runs = max((len(r["highs_runs"].get("solve", [])) for s in order for r in ms[s]["repeats"]),
                 default=0)
    for j in range(n_runs):
        callers = sorted({r["highs_runs"]["solve"][j].get("caller", "?") for s in order
                          for r in ms[s]["repeats"] if len(r["highs_runs"].get("solve", [])) > j})
        label = "called from " + ", ".join(f"`{c}`" for c in callers)
        L.append(f"| &nbsp;&nbsp;`Highs.run()` #{j + 1} in `solve`: {label} | " + " | ".join(
            f"{_fmt(_stats([r['highs_runs']['solve'][j]['wall'] for r in ms[s]['repeats'] if len(r['highs_runs'].get('solve', [])) > j]))}"
            f" [{_fmt(_stats([r['highs_runs']['solve'][j]['cpu'] for r in ms[s]['repeats'] if len(r['highs_runs'].get('solve', [])) > j]))}]"
            for s in order) + " |")
    L.append("| **time to the plan**: the first report written (the plan, verified) | " + " | ".join(
        f"**{_fmt(sm[s]['plan'])}** ({sm[s]['report_writes']:.0f} report write(s))" for s in order) + " |")
    L.append("| HiGHS re-solves for rule marginals (in `extract` or after the plan) | "
             + " | ".join(f"{_fmt(sm[s]['extract_highs'])} ({sm[s]['extract_resolves']:.0f} runs)" for s in order) + " |")
    L.append("| bare HiGHS process: read MPS | " + " | ".join(_fmt(sm[s]["bare_read"]) for s in order) + " |")
    L.append("| bare HiGHS process: solve | " + " | ".join(
        f"{_fmt(sm[s]['bare_highs'])} [{_fmt(sm[s]['bare_highs_cpu'])}]" for s in order) + " |")
    L.append("| Python + model imports (not in total) | " + " | ".join(
        _fmt(_stats([r["import_s"] for r in ms[s]["repeats"]])) for s in order) + " |")
    L.append("")

    L.append("## Memory (peak RSS, MB)\n")
    L.append("| | " + " | ".join(order) + " |")
    L.append("|---|" + "---|" * len(order))
    L.append("| product run, after imports only | " + " | ".join(_fmt(sm[s]["import_peak"], 0) for s in order) + " |")
    for st in [x for x in present if x != "other"]:
        L.append(f"| product run, peak after {st} | " + " | ".join(_fmt(sm[s]['peak_by_stage'][st], 0) for s in order) + " |")
    L.append("| **product run, peak** | " + " | ".join(f"**{_fmt(sm[s]['peak'], 0)}**" for s in order) + " |")
    L.append("| bare HiGHS process, after `import highspy` | " + " | ".join(_fmt(sm[s]["bare_import_peak"], 0) for s in order) + " |")
    L.append("| **bare HiGHS process, peak** (read MPS + solve) | " + " | ".join(f"**{_fmt(sm[s]['bare_peak'], 0)}**" for s in order) + " |")
    L.append("")

    L.append("## Ratios\n")
    L.append("| | " + " | ".join(order) + " |")
    L.append("|---|" + "---|" * len(order))
    L.append("| **time to the plan / HiGHS solve wall** | " + " | ".join(f"**{_fmt(sm[s]['ratio_plan'])}**" for s in order) + " |")
    L.append("| **total wall / HiGHS solve wall** (first run in our `solve`) | " + " | ".join(f"**{_fmt(sm[s]['ratio_time'])}**" for s in order) + " |")
    L.append("| total CPU / HiGHS solve CPU (same, in CPU seconds) | " + " | ".join(_fmt(sm[s]["ratio_cpu"]) for s in order) + " |")
    L.append("| total wall / bare HiGHS solve wall (separate process) | " + " | ".join(_fmt(sm[s]["ratio_time_bare"]) for s in order) + " |")
    L.append("| total wall / all HiGHS runs in our `solve` | " + " | ".join(_fmt(sm[s]["ratio_time_all"]) for s in order) + " |")
    L.append("| **peak memory / bare HiGHS peak** | " + " | ".join(f"**{_fmt(sm[s]['ratio_mem'])}**" for s in order) + " |")
    L.append("")

    L.append("## Targets\n")
    L.append("| target | measured | met? |")
    L.append("|---|---|---|")

    def verdict(ok):
        return "n/a" if ok is None else ("met" if ok else "**not met**")

    def target_ratio(size, key, limit, label):
        if size not in sm:
            L.append(f"| {label} | not measured | n/a |")
            return
        st = sm[size][key]
        L.append(f"| {label} | {_fmt(st)} (median) | {verdict(st[0] <= limit)} |")

    # issue 19's targets
    target_ratio("medium", "ratio_plan", 1.3, "medium: time to the plan <= 1.3 x HiGHS solve")
    target_ratio("large", "ratio_plan", 1.3, "large: time to the plan <= 1.3 x HiGHS solve")
    target_ratio("medium", "ratio_time", 2.0, "medium: time to the full report <= 2 x HiGHS solve")
    target_ratio("large", "ratio_time", 2.5, "large: time to the full report <= 2.5 x HiGHS solve")
    target_ratio("large", "ratio_mem", 1.5, "large: peak memory <= 1.5 x bare HiGHS model")
    ex = extras.get("example", {})
    if ex.get("wall_s"):
        st = _stats(ex["wall_s"])
        L.append(f"| example workbook, command to written report < 5 s | {_fmt(st)} s | {verdict(st[0] < 5)} |")
    else:
        L.append(f"| example workbook, command to written report < 5 s | not measured: "
                 f"{ex.get('missing', 'extras not run')} | n/a |")
    r50 = extras.get("read50k")
    if r50:
        st = _stats([r["read_workbook_s"] for r in r50])
        L.append(f"| read a 50,000-row sheet < 1 s (`read_workbook`) | {_fmt(st)} s | {verdict(st[0] < 1)} |")
    else:
        L.append("| read a 50,000-row sheet < 1 s | not measured | n/a |")
    wi = extras.get("whatif")
    if wi:
        for size, res in wi.items():
            lift = res["resolves"][0]
            cold = res["setup_s"] + res["base_solve_s"]
            ratio = cold / lift["seconds"] if lift["seconds"] else float("inf")
            L.append(f"| what-if toggle re-solve ({size}: lift a ban on a built model) >= 5 x "
                     f"faster than cold build + solve | {lift['seconds']:.2f} s warm vs {cold:.1f} s "
                     f"to read, build and solve the session: {ratio:.1f} x | "
                     f"{verdict(ratio >= 5) if size.startswith('medium') else 'n/a (the target is for medium)'} |")
    else:
        L.append("| what-if re-solve | not measured: no re-solve API yet | n/a |")
    L.append("")
    L.append("The time targets are judged on total wall time over the wall time of HiGHS's "
             "solve of the model (the first `Highs.run()` inside our `solve`; the same model "
             "solved by a bare highspy process is in the Ratios table as a cross-check). The "
             "extra HiGHS runs the product makes after that solve (LP with integers fixed for "
             "duals, canonical second pass, restore, rule-marginal re-solves in `extract`) "
             "count as our time, not HiGHS's.\n")
    if r50:
        L.append("50,000-row sheet (`benchmarks/out/read50k.xlsx`, the small network with "
                 "50,000 Demand rows): " + "; ".join([
                     "read_workbook " + _fmt(_stats([r["read_workbook_s"] for r in r50])) + " s",
                     "of which calamine alone " + _fmt(_stats([r["calamine_sheet_s"] for r in r50])) + " s",
                     *(["typing the rows " + _fmt(_stats([r["typing_sheet_s"] for r in r50])) + " s"]
                       if any(r.get("typing_sheet_s") for r in r50) else []),
                     "load (read + scenarios + validate) " + _fmt(_stats([r["load_s"] for r in r50])) + " s"]) + ".\n")
    if ex.get("wall_s"):
        L.append(f"Example: {ex['source']}; `sourcing solve` wall {_fmt(_stats(ex['wall_s']))} s, "
                 f"of which importing the package ~{ex['import_only_s']:.2f} s; stage seconds "
                 f"from its summary: {ex['summaries'][0]}.\n")

    if wi:
        L.append("What-if session (`model.whatif.session.Session`, one fresh process per size; "
                 "small and medium are MIPs, so each re-solve is a MIP re-solve, started from "
                 "the last plan; `-lp` is the same network without fixed costs and minimum "
                 "quantities, an LP, re-solved warm from its basis):\n")
        L.append("| size | session setup (load..passModel) | base solve | re-solves | tables of the last solve | peak MB |")
        L.append("|---|---|---|---|---|---|")
        for size, res in wi.items():
            L.append(f"| {size} | {res['setup_s']:.2f} | {res['base_solve_s']:.2f} | " + "; ".join(
                f"{r['change']}: {r['seconds']:.2f} s ({r['status']})" for r in res["resolves"])
                + f" | {res['tables_s']:.2f} | {res['peak_mb']:.0f} |")
        L.append("")

    sys.path.insert(0, str(HERE))
    import many_rows                 # its own measurement: out/many-rows.json
    L.extend(many_rows.render_section())

    L.append("## Scaling (log-log slope of time against variables)\n")
    if len(order) >= 2:
        xs = {s: ms[s]["repeats"][0]["variables"] for s in order}
        pts = {st: [(xs[s], sm[s]["cpu"][st][0]) for s in order if sm[s]["cpu"][st]]
               for st in present if st != "other"}
        pts["total"] = [(xs[s], sm[s]["total_cpu"][0]) for s in order]
        pts["HiGHS solve (first run)"] = [(xs[s], sm[s]["highs_main_cpu"][0]) for s in order]
        pts["bare HiGHS solve"] = [(xs[s], sm[s]["bare_highs_cpu"][0]) for s in order]
        pts["peak memory"] = [(xs[s], sm[s]["peak"][0]) for s in order]
        slopes = loglog(pts)
        L.append("Slope b of log(CPU time) = a + b log(variables) (medians; CPU rather than "
                 "wall so that the load of other users does not bend the line), fitted over "
                 + ", ".join(f"{s} ({xs[s]:,})" for s in order)
                 + ". 1 is linear; above 1 grows faster than the model.\n")
        L.append("| quantity | slope |")
        L.append("|---|---|")
        for k, v in slopes.items():
            L.append(f"| {k} | {'n/a' if v is None else f'{v:.2f}'} |")
    else:
        L.append("Needs at least two sizes.")
    L.append("")
    return "\n".join(L)


def main(argv=None) -> int:
    global SRC, SRC_COMMIT
    ap = argparse.ArgumentParser(description="Benchmark the solve path against bare HiGHS.")
    ap.add_argument("--sizes", default="small,medium,large")
    ap.add_argument("--repeats", type=int, default=3, help="repeats for small and medium")
    ap.add_argument("--large-repeats", type=int, default=1)
    ap.add_argument("--no-extras", action="store_true")
    ap.add_argument("--extras-only", action="store_true")
    ap.add_argument("--render-only", action="store_true")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--worker")
    ap.add_argument("--mps")
    ap.add_argument("--bare")
    ap.add_argument("--mip-gap", type=float, default=1e-4)
    ap.add_argument("--read-worker")
    ap.add_argument("--whatif-worker")
    ap.add_argument("--whatif", default="small,medium,medium-lp",
                    help="sizes for the what-if re-solve measurement (blank: none)")
    ap.add_argument("--profile", metavar="SIZE",
                    help="profile one run of SIZE with pyinstrument, stage by stage, into "
                         "benchmarks/out/profile-SIZE/<stage>.txt (timings are inflated)")
    ap.add_argument("--experiment", choices=["canonical", "ranging"],
                    help="run one out-of-product trial behind a README suggestion on --size")
    ap.add_argument("--size", default="medium")
    ap.add_argument("--face-only", action="store_true",
                    help="canonical experiment: skip the product's pass (20 CPU-minutes at large)")
    ap.add_argument("--json")
    ap.add_argument("--commit", default="HEAD",
                    help="commit whose model/ is measured (exported to benchmarks/out/src-SHA); "
                         "'snapshot': a frozen copy of the working tree's model/ and inputs/ "
                         "(reuse it later by its folder name, src-wt-...); "
                         "'worktree': the working tree as it is, edits and all")
    args = ap.parse_args(argv)

    if args.experiment:
        OUT.mkdir(exist_ok=True)
        SRC, SRC_COMMIT = snapshot(args.commit)
        sys.path.insert(0, str(SRC))
        res = experiment(args.experiment, str(_ensure_workbook(args.size, False)),
                         face_only=args.face_only)
        res["commit"] = SRC_COMMIT
        (OUT / f"experiment-{args.experiment}-{args.size}.json").write_text(json.dumps(res, indent=1))
        print(json.dumps(res, indent=1))
        return 0
    if args.whatif_worker:
        sys.path.insert(0, str(SRC))
        Path(args.json).write_text(json.dumps(whatif_worker(args.whatif_worker), default=str))
        return 0
    if args.worker or args.bare or args.read_worker:
        sys.path.insert(0, str(SRC))
        if args.worker:
            res = worker(args.worker, args.mps)
        elif args.bare:
            res = bare(args.bare, args.mip_gap)
        else:
            res = read_worker(args.read_worker)
        Path(args.json).write_text(json.dumps(res, default=str))
        return 0

    OUT.mkdir(exist_ok=True)
    if args.render_only:
        text = render()
        RESULTS.write_text(text)
        print(text[text.index("## Scaling"):].strip())
        print(f"wrote {RESULTS}")
        return 0
    SRC, SRC_COMMIT = snapshot(args.commit)
    sys.path.insert(0, str(SRC))
    print(f"measuring model/ from {SRC} ({SRC_COMMIT})", flush=True)
    if args.profile:
        folder = OUT / f"profile-{args.profile}"
        folder.mkdir(exist_ok=True)
        res = worker(str(_ensure_workbook(args.profile, args.regenerate)), None, str(folder))
        (folder / "measure.json").write_text(json.dumps(res, indent=1, default=str))
        print(json.dumps({k: round(v, 2) for k, v in res["stages"].items()}))
        print(f"profiles in {folder}")
        return 0
    if not args.render_only:
        if not args.extras_only:
            for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
                n = args.large_repeats if size == "large" else args.repeats
                measure_size(size, n, args.regenerate)
                RESULTS.write_text(render())
        if not args.no_extras:
            measure_extras(args.repeats, [x for x in args.whatif.split(",") if x])
    text = render()
    RESULTS.write_text(text)
    print(text[text.index("## Ratios"):text.index("## Targets")].strip())
    print(text[text.index("## Scaling"):].strip())
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
