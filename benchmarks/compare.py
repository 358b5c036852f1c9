"""Before/after table of two benchmark runs: each stage's median wall and CPU seconds,
time to the plan, total, HiGHS's solve and peak memory, per size.

    python benchmarks/compare.py benchmarks/out/before benchmarks/out   # folders of measure-SIZE.json

Used for issue 13's closing check that the refactoring made no stage slower; the
numbers are those of ``run.py`` (each repeat a fresh process)."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

STAGES = ["read", "prepare", "build", "handover", "solve", "extract", "verify", "marginals",
          "shortfall", "report", "analyses", "other"]


def _load(folder: Path) -> dict:
    out = {}
    for size in ("small", "medium", "large"):
        path = folder / f"measure-{size}.json"
        if path.exists():
            out[size] = json.loads(path.read_text())
    return out


def _median(reps, get):
    values = [v for v in (get(r) for r in reps) if v is not None]
    return statistics.median(values) if values else None


def _row(name, before, after, fmt="{:.2f}"):
    def cell(v):
        return "-" if v is None else fmt.format(v)
    ratio = (f"{after / before:.2f}" if before and after is not None and before > 0.005 else "-")
    return f"| {name} | {cell(before)} | {cell(after)} | {ratio} |"


def table(before: dict, after: dict) -> str:
    lines = []
    for size in [s for s in ("small", "medium", "large") if s in before and s in after]:
        b, a = before[size], after[size]
        lines += [f"**{size}** (before: commit {b['commit']}, {len(b['repeats'])} run(s); after: "
                  f"commit {a['commit']}, {len(a['repeats'])} run(s))", "",
                  "| stage: median CPU s (the rest as named) | before | after | after / before |",
                  "|---|---|---|---|"]
        for st in STAGES:
            lines.append(_row(st, _median(b["repeats"], lambda r: r["cpu_stages"].get(st)),
                              _median(a["repeats"], lambda r: r["cpu_stages"].get(st))))
        for name, key in (("time to the plan (wall)", "plan_s"), ("total (wall)", "total_s"),
                          ("total (CPU)", "total_cpu_s"), ("HiGHS solve (wall)", "highs_main_s")):
            lines.append(_row(name, _median(b["repeats"], lambda r: r.get(key)),
                              _median(a["repeats"], lambda r: r.get(key))))
        lines.append(_row("peak memory (MB)", _median(b["repeats"], lambda r: r.get("peak_mb")),
                          _median(a["repeats"], lambda r: r.get("peak_mb")), "{:.0f}"))
        same = {r.get("objective") for r in b["repeats"]} == {r.get("objective") for r in a["repeats"]}
        lines += ["", f"objective: {'the same' if same else 'DIFFERS'} "
                  f"({a['repeats'][0].get('objective')})", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(_load(Path(sys.argv[1])), _load(Path(sys.argv[2]))))
