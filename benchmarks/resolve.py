"""Fast what-if re-solve against build plus solve from scratch, in one run.

    python benchmarks/resolve.py [WORKBOOK ...] [--toggle ID] [--repeats N]

For each workbook: the cold path (read, validate, prepare, build, hand-over,
solve with the row switched off) against a warm ``Session`` (built once; the
toggle is a bound change and HiGHS restarts from its basis). Both must give
the same objective. Prints a markdown table; medians of N repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.run import run  # noqa: E402
from model.solve.highs import SolveOptions  # noqa: E402
from model.whatif.session import Session  # noqa: E402


def pick_toggle(session: Session) -> str:
    """A binding export-control or policy rule if there is one, else any rule."""
    rows = session.rule_rows
    return sorted(rows)[0] if rows else next(iter(sorted(k[1] for k in session.cols)))


def measure(path: Path, toggle: str | None, repeats: int) -> dict:
    session = Session(path)
    session.solve()
    toggle = toggle or pick_toggle(session)
    cold, warm = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fresh = run(path, disable=[toggle],
                    options=SolveOptions(mip_gap=session.options.mip_gap, want_duals=False,
                                         canonical=False))
        cold.append(time.perf_counter() - t0)
        session.reset()
        session.solve()
        t0 = time.perf_counter()
        session.disable(toggle)
        sol = session.solve()
        warm.append(time.perf_counter() - t0)
        same = abs(sol.objective - fresh.solution.objective) <= 1e-6 * max(1, abs(sol.objective)) \
            + (fresh.solution.gap or 0) * abs(sol.objective)
        if not same:
            raise SystemExit(f"different answers for {toggle}: warm {sol.objective} vs cold "
                             f"{fresh.solution.objective}")
    c, w = statistics.median(cold), statistics.median(warm)
    return {"workbook": path.name, "toggle": toggle, "cold_s": c, "warm_s": w, "speedup": c / w,
            "objective": sol.objective}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workbooks", nargs="*", default=[str(ROOT / "inputs" / "example.xlsx")])
    p.add_argument("--toggle", help="row id to switch off (default: the first rule)")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    print("| workbook | toggle | build + solve (s) | warm re-solve (s) | speed-up | same answer |")
    print("|---|---|---|---|---|---|")
    for wb in args.workbooks:
        r = measure(Path(wb), args.toggle, args.repeats)
        print(f"| {r['workbook']} | {r['toggle']} | {r['cold_s']:.2f} | {r['warm_s']:.3f} | "
              f"{r['speedup']:.1f}x | yes |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
