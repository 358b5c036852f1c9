"""Many Demand rows: `sourcing solve` on a workbook of order lines, against
HiGHS on the same model row by row (issue 19).

    python benchmarks/many_rows.py --rows 200000 [--commit HEAD|snapshot|src-...]

The workbook is ``generate.py --rows N``: the medium network with its Demand
sheet as N order lines of realistic quantities. Each step is a fresh process:

    product    ``run.py --worker``: `sourcing solve` in-process, stage by stage
               (alike Demand rows merged into one model row, model/solve/demand_groups.py);
               writes the model it solved to MPS
    row-wise   read, prepare, build and hand over the row-by-row model (no merge)
               and write it to MPS: the model the workbook states, one Demand row
               per model row
    bare x 2   ``run.py --bare``: highspy alone reads each MPS file and solves it
               with the product's options

The target: the product's total within 3 x the bare HiGHS solve of the
row-by-row model. Results in ``out/many-rows.json``; ``run.py`` renders them
into results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402

RESULT = bench.OUT / "many-rows.json"


def rowwise_worker(workbook: str, mps: str) -> dict:
    """The row-by-row model of the workbook, built as the product would without the merge."""
    import highspy

    from model.data.model_data import prepare
    from model.formulation import build
    from model.run import load
    from model.solve.handover import compile_model
    out, t = {}, time.perf_counter()
    wb, _, _ = load(workbook)
    out["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    data = prepare(wb)
    out["prepare_s"] = time.perf_counter() - t
    t = time.perf_counter()
    compiled = compile_model(build(data).model)
    out["build_handover_s"] = time.perf_counter() - t
    out.update(demand_rows=len(data.demand), columns=int(compiled.lp.num_col_),
               rows=int(compiled.lp.num_row_), mip_gap=wb.settings["mip_gap"])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(compiled.lp)
    h.writeModel(mps)
    return out


def measure(rows: int) -> dict:
    import generate
    path = bench.OUT / f"rows{rows}.xlsx"
    if not path.exists():
        print(f"[rows {rows}] generating {path}", flush=True)
        generate.write(generate.rows_tables(rows), path)
    merged_mps, rowwise_mps = bench.OUT / f"rows{rows}-merged.mps", bench.OUT / f"rows{rows}-rowwise.mps"
    print(f"[rows {rows}] product ...", flush=True)
    product = bench._subprocess_json(["--worker", str(path), "--mps", str(merged_mps)])
    print(f"[rows {rows}]   total {product['total_s']:.1f} s, HiGHS {product['highs_main_s']:.1f} s, "
          f"{product['columns']:,} columns", flush=True)
    print(f"[rows {rows}] row-by-row model ...", flush=True)
    rowwise = _rowwise(path, rowwise_mps)
    print(f"[rows {rows}]   {rowwise['columns']:,} columns", flush=True)
    gap = str(rowwise["mip_gap"])
    bare_rowwise = bench._subprocess_json(["--bare", str(rowwise_mps), "--mip-gap", gap])
    print(f"[rows {rows}]   bare HiGHS, row by row: {bare_rowwise['run_wall_s']:.1f} s", flush=True)
    bare_merged = bench._subprocess_json(["--bare", str(merged_mps), "--mip-gap", gap])
    print(f"[rows {rows}]   bare HiGHS, merged: {bare_merged['run_wall_s']:.1f} s", flush=True)
    for f in (merged_mps, rowwise_mps):
        f.unlink(missing_ok=True)
    res = {"rows": rows, "date": dt.datetime.now().isoformat(timespec="seconds"),
           "commit": bench.SRC_COMMIT, "workbook": str(path.relative_to(bench.REPO)),
           "product": product, "rowwise": rowwise, "bare_rowwise": bare_rowwise,
           "bare_merged": bare_merged}
    RESULT.write_text(json.dumps(res, indent=1, default=str) + "\n")
    return res


def _rowwise(path: Path, mps: Path) -> dict:
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        js = handle.name
    try:
        subprocess.run([bench.PY, str(Path(__file__).resolve()), "--rowwise-worker", str(path),
                        "--mps", str(mps), "--json", js], cwd=bench.REPO, check=True,
                       env=bench._env())
        return json.loads(Path(js).read_text())
    finally:
        Path(js).unlink(missing_ok=True)


def render_section() -> list[str]:
    """Lines for results.md (empty when not measured)."""
    if not RESULT.exists():
        return []
    r = json.loads(RESULT.read_text())
    p, rw, br, bm = r["product"], r["rowwise"], r["bare_rowwise"], r["bare_merged"]
    ratio = p["total_s"] / br["run_wall_s"]
    loads = [p["loadavg_start"][0], p["loadavg_end"][0], br["loadavg_end"][0], bm["loadavg_end"][0]]
    st = p["stages"]
    L = ["## Many Demand rows\n",
         f"`python benchmarks/many_rows.py --rows {r['rows']}` (`{r['workbook']}`: the medium "
         f"network, its Demand sheet as {rw['demand_rows']:,} order lines), measured {r['date']} "
         f"at commit {r['commit']}, one run each, 1-minute load average "
         f"{min(loads):.1f}-{max(loads):.1f}. Alike Demand rows are one model row "
         "(`model/solve/demand_groups.py`); the row-by-row model is the one the workbook "
         "states, built without the merge.\n",
         "| | seconds | model |", "|---|---|---|",
         f"| `sourcing solve`, command to written report | **{p['total_s']:.1f}** | "
         f"{p['columns']:,} columns x {p['rows']:,} rows (merged) |",
         "| &nbsp;&nbsp;of which " + ", ".join(f"{k} {v:.1f}" for k, v in st.items() if v >= 0.05)
         + " | | |",
         f"| &nbsp;&nbsp;HiGHS solve inside (first run) | {p['highs_main_s']:.1f} | merged |",
         f"| bare HiGHS, row-by-row model (read MPS {br['read_s']:.1f} s, not counted) | "
         f"**{br['run_wall_s']:.1f}** | {rw['columns']:,} columns x {rw['rows']:,} rows |",
         f"| bare HiGHS, merged model | {bm['run_wall_s']:.1f} | {p['columns']:,} columns |",
         f"| building the row-by-row model (read {rw['read_s']:.1f}, prepare {rw['prepare_s']:.1f}, "
         f"build + hand-over {rw['build_handover_s']:.1f}) | | for the MPS file only |",
         "",
         f"Objectives: product {p['objective']:,.2f}, bare row by row {br['objective']:,.2f}, "
         f"bare merged {bm['objective']:,.2f} (MIP gap {rw['mip_gap']:g}).\n",
         f"Target: total <= 3 x HiGHS's own solve of the same (row-by-row) model: "
         f"**{ratio:.2f} x**, {'met' if ratio <= 3 else '**not met**'}.\n"]
    return L


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--rowwise-worker")
    ap.add_argument("--mps")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    if args.rowwise_worker:
        sys.path.insert(0, os.environ.get("BENCH_SRC", str(bench.REPO)))
        Path(args.json).write_text(json.dumps(rowwise_worker(args.rowwise_worker, args.mps)))
        return 0
    bench.OUT.mkdir(exist_ok=True)
    bench.SRC, bench.SRC_COMMIT = bench.snapshot(args.commit)
    sys.path.insert(0, str(bench.SRC))
    res = measure(args.rows)
    print("\n".join(render_section()))
    return 0 if res else 1


if __name__ == "__main__":
    sys.exit(main())
