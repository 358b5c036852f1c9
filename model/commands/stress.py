"""``sourcing stress WORKBOOK --by country|company|site|offer [--periods 2027-2028] -o OUT.xlsx``."""

from __future__ import annotations

import sys
from pathlib import Path

from model.exit_codes import EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_OK
from model.commands.outputs import refused
from model.problems import InputError
from model.report.stress_report import TOP, stress_workbook, top_text
from model.report.terminal import text_table
from model.report.workbook import save_atomic
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
    from model import __version__
    save_atomic(stress_workbook(table, src, __version__), out)
    if args.quiet:
        return EXIT_OK
    show = table.head(TOP)[["rank", "entity", "cost_increase", "extra_unmet_t", "periods_survived"]]
    print(f"{top_text(table)} ({table.attrs['currency']}; all on sheet Stress):")
    print(text_table(show, "Stress", table.attrs["currency"]))
    if table.attrs.get("excluded"):
        print(f"left out (home countries of the demand sites; --include-home to add): "
              f"{', '.join(table.attrs['excluded'])}")
    print(f"report: {out}")
    return EXIT_OK
