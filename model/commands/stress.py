"""``sourcing stress WORKBOOK --by country|company|site|offer [--periods 2027-2028] -o OUT.xlsx``."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from model.exit_codes import EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_OK
from model.commands.outputs import refused
from model.problems import InputError
from model.report.workbook import write_frame, save_atomic
from model.whatif.stress import stress


def parse_periods(text: str | None) -> list[int] | None:
    if not text:
        return None
    a, _, b = text.partition("-")
    try:
        lo, hi = int(a), int(b or a)
    except ValueError:
        raise InputError([]) from None
    return list(range(lo, hi + 1))


def stress_workbook(table: pd.DataFrame, source: Path) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Stress"
    write_frame(ws, table)
    about = wb.create_sheet("About")
    attrs = table.attrs
    write_frame(about, pd.DataFrame({
        "key": ["input_file", "knocked out by", "periods", "base objective", "left out", "meaning"],
        "value": [str(source), attrs.get("by"), ", ".join(map(str, attrs.get("window", []))),
                  attrs.get("base_objective"),
                  (", ".join(attrs.get("excluded", [])) + " (home countries of the demand sites; "
                   "use --include-home)") if attrs.get("excluded") else "",
                  "each entity's supply, processing and outbound lanes are shut in the periods; "
                  "periods_survived = knocked-out periods before demand goes unmet beyond base"]}))
    top = min(len(table), 15)
    if top:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Cost increase when knocked out"
        chart.y_axis.title = "cost increase"
        col = list(table.columns).index("cost_increase") + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=top + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=top + 1))
        chart.height, chart.width = 10, 20
        ws.add_chart(chart, f"{chr(66 + len(table.columns))}2")
    return wb


def stress_command(args) -> int:
    src, out = Path(args.workbook), Path(args.output)
    if refused(src, args):
        return EXIT_INPUT
    try:
        periods = parse_periods(args.periods)
    except InputError:
        print(f"--periods expects YEAR or YEAR-YEAR, got {args.periods!r}", file=sys.stderr)
        return EXIT_INPUT
    try:
        table = stress(src, args.by, periods, args.scenario, include_home=args.include_home)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INPUT
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_NO_SOLUTION
    save_atomic(stress_workbook(table, src), out)
    if args.quiet:
        return EXIT_OK
    show = table.head(10)[["rank", "entity", "cost_increase", "extra_unmet_t", "periods_survived"]]
    print(show.to_string(index=False))
    if table.attrs.get("excluded"):
        print(f"left out (home countries of the demand sites; --include-home to add): "
              f"{', '.join(table.attrs['excluded'])}")
    print(f"report: {out}")
    return EXIT_OK
