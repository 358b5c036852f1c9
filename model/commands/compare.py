"""``sourcing compare WORKBOOK (--scenarios a,b | --all) -o OUT.xlsx [--workers N] [--dask ADDR]``."""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from model.exit_codes import EXIT_INPUT, EXIT_OK
from model.commands.outputs import refused
from model.data.scenario import BASE, scenario_ids
from model.problems import InputError
from model.read.workbook import read_workbook
from model.report.workbook import save_atomic, write_frame
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


def comparison_workbook(sheets: dict) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Overview"
    overview = sheets["Overview"]
    write_frame(ws, overview)
    n = len(overview)
    for col_name, title, anchor in (("objective", "Total cost per scenario", "L2"),
                                    ("unmet_demand_t", "Unmet demand per scenario (t)", "L20")):
        chart = BarChart()
        chart.title = title
        col = list(overview.columns).index(col_name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, anchor)
    for name, frame in sheets.items():
        if name != "Overview":
            write_frame(wb.create_sheet(name), frame)
    return wb


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
    save_atomic(comparison_workbook(sheets), out)
    if not args.quiet:
        print(sheets["Overview"][["scenario", "status", "objective", "delta_vs_base",
                                  "unmet_demand_t"]].to_string(index=False))
        print(f"report: {out}")
    return EXIT_OK
