"""``sourcing compare WORKBOOK (--scenarios a,b | --all) -o OUT.xlsx [--workers N] [--dask ADDR]``."""

from __future__ import annotations

import sys
from pathlib import Path

from model.exit_codes import EXIT_INPUT, EXIT_OK
from model.commands.outputs import refused
from model.data.scenario import BASE, scenario_ids
from model.problems import InputError
from model.read.workbook import read_workbook
from model.report.compare_report import comparison_workbook
from model.report.terminal import text_table
from model.report.workbook import save_atomic
from model.validate.scenarios import check_workbook
from model.whatif.batch import solve_many
from model.whatif.compare import compare_results


def chosen_scenarios(path, names: str | None, all_: bool) -> list[str]:
    known = scenario_ids(read_workbook(path, raise_errors=False))
    wanted = known if all_ else [n.strip() for n in (names or "").split(",") if n.strip()]
    unknown = [n for n in wanted if n != BASE and n not in known]
    if unknown:
        from model.problems import input_error
        raise input_error("Scenarios", f"no such scenario: {', '.join(unknown)}; known: "
                          f"{', '.join(known) or 'none'}")
    return [BASE] + [n for n in wanted if n != BASE]


def compare_command(args) -> int:
    src, out = Path(args.workbook), Path(args.output)
    if refused(src, args):
        return EXIT_INPUT
    try:
        scenarios = chosen_scenarios(src, args.scenarios, args.all)
        check_workbook(src, scenarios)[1].raise_if_errors()   # every problem once, not per solve
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INPUT
    results = solve_many(src, scenarios, workers=args.workers, dask=args.dask)
    errors = [r["error"] for r in results.values() if r.get("error")]
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return EXIT_INPUT
    sheets = compare_results(results)
    from model import __version__
    currency = next((r.get("currency") for r in results.values() if r.get("currency")), "USD")
    save_atomic(comparison_workbook(sheets, src, currency, __version__), out)
    if not args.quiet:
        print(text_table(sheets["Overview"][["scenario", "status", "objective", "delta_vs_base",
                                             "delta_pct", "unmet_demand_t"]], "Compare:Overview",
                         currency))
        print(f"objective: total discounted cost, {currency}, unmet-demand penalties included")
        print(f"report: {out}")
    return EXIT_OK
