"""The ``sourcing`` command: parses arguments and calls the run stages.

Exit codes: 0 a solution was found (or the check passed), 2 invalid input,
3 no solution (infeasible, unbounded, or none within the time limit),
4 the independent verifier found a violated constraint (solve and verify),
5 regression drift (regress), 1 anything unexpected (the report still says
what happened).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_VERIFY_FAILED = 0, 1, 2, 3, 4


ENGINE_OPTIONS = ("engine", "processes", "hostfile", "gap", "max_iterations")


def _engine_args(p: argparse.ArgumentParser, prefix: str = "") -> None:
    """How a two-stage risk model is solved (docs/risk.md, "Risk at scale")."""
    p.add_argument("--engine",
                   help=prefix + "extensive (one model holding every scenario), ph (progressive "
                        "hedging) or lshaped (the L-shaped method), both decomposed by mpi-sppy "
                        "under MPI; auto (default): extensive while the extensive form has at "
                        "most 100,000 columns, ph above")
    p.add_argument("--processes", type=int, metavar="N",
                   help="MPI processes of a decomposed engine (mpiexec -n N; default 1)")
    p.add_argument("--hostfile", metavar="FILE",
                   help="MPI host file: run the decomposed engine's processes on the machines "
                        "it lists (this one first)")
    p.add_argument("--gap", type=float,
                   help="a decomposed engine stops at this certified relative gap between its "
                        "lower and upper bounds (default 0.001 = 0.1%%)")
    p.add_argument("--max-iterations", type=int,
                   help="a decomposed engine stops after this many iterations (default 100)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sourcing", description=(
        "Secure sourcing of critical minerals: solve a workbook, validate it, build one from CSV."))
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("solve", help="solve a workbook and write a report workbook")
    s.add_argument("workbook")
    s.add_argument("-o", "--output", required=True, help="report workbook to write (.xlsx)")
    s.add_argument("--summary-json", help="also write the summary as JSON")
    s.add_argument("--html", metavar="PATH",
                   help="also write the key figures and a flow diagram as one self-contained web page")
    s.add_argument("--scenario", help="apply this scenario's ScenarioChanges")
    s.add_argument("--enable", action="append", default=[], metavar="ID",
                   help="switch on the row with this offer/process/lane/rule id (repeatable)")
    s.add_argument("--disable", action="append", default=[], metavar="ID",
                   help="switch off the row with this offer/process/lane/rule id (repeatable)")
    s.add_argument("--skip-family", action="append", default=[], metavar="NAME",
                   help="leave a constraint family out of the model (diagnostics)")
    s.add_argument("--time-limit", type=float, help="override Settings time_limit_s")
    s.add_argument("--solver-log", help="write HiGHS's log to this file")
    s.add_argument("--marginals", choices=["exact", "dual"], default="exact",
                   help="RuleMarginals.change_per_t: exact (default; re-solves the binding rules "
                        "whose one-tonne change HiGHS's ranging cannot give) or dual (no re-solves: "
                        "the dual rate there, marked change_from=dual)")
    s.add_argument("--price-rules", action="store_true",
                   help="re-solve with each policy and export-control rule switched off in turn "
                        "and report what each costs (sheet RulePrices)")
    s.add_argument("--elastic", action="store_true",
                   help="make hard constraints soft with penalised slack, solve, and report how "
                        "far each had to bend (sheet Elastic); the report shows the bent plan")
    s.add_argument("--elastic-relax", metavar="FAMILIES",
                   help="with --elastic: comma-separated, from stock_floor, stock_ceiling, policy, "
                        "export_limit, lane_capacity, offer_capacity, process_capacity, "
                        "min_quantity (default: stock_floor,policy,export_limit)")
    s.add_argument("--elastic-penalty", type=float, metavar="PER_T",
                   help="with --elastic: penalty per t of bend (default: 10 x the largest "
                        "unmet_penalty)")
    s.add_argument("--risk", action="store_true",
                   help="two-stage risk solve over every scenario with a probability: reservations "
                        "and commitments first, CVaR, VSS and EVPI (docs/risk.md)")
    s.add_argument("--no-value", action="store_true",
                   help="with --risk: skip the EV, EEV and wait-and-see solves behind VSS and EVPI")
    _engine_args(s, "with --risk: ")
    s.add_argument("-q", "--quiet", action="store_true")

    fr = sub.add_parser("frontier", help="efficient frontier of expected cost against CVaR")
    fr.add_argument("workbook")
    fr.add_argument("-o", "--output", required=True, help="report workbook to write (.xlsx)")
    fr.add_argument("--points", type=int, default=5, help="points on the frontier (default 5)")
    fr.add_argument("--summary-json", help="also write the summary as JSON")
    fr.add_argument("--time-limit", type=float, help="override Settings time_limit_s (per solve)")
    fr.add_argument("--solver-log", help="write HiGHS's log to this file")
    fr.add_argument("-q", "--quiet", action="store_true")

    sa = sub.add_parser("sample", help="sample scenarios from Events; solve in and out of sample")
    sa.add_argument("workbook")
    sa.add_argument("-o", "--output", required=True, help="report workbook to write (.xlsx)")
    sa.add_argument("--n", type=int, default=100, help="scenarios in sample (default 100)")
    sa.add_argument("--seed", type=int, default=0, help="random seed; out of sample uses seed + 1")
    sa.add_argument("--n-out", type=int, help="scenarios out of sample (default: --n)")
    sa.add_argument("--workers", type=int, default=1,
                    help="processes for the out-of-sample solves (default 1)")
    sa.add_argument("--dask", metavar="ADDRESS",
                    help="run the out-of-sample solves on this Dask scheduler (tcp://host:8786)")
    sa.add_argument("--scenario", help="sample around this scenario, not the workbook as it stands")
    _engine_args(sa, "the in-sample solve: ")
    sa.add_argument("--summary-json", help="also write the summary as JSON")
    sa.add_argument("--time-limit", type=float, help="override Settings time_limit_s (per solve)")
    sa.add_argument("--solver-log", help="write HiGHS's log to this file")
    sa.add_argument("-q", "--quiet", action="store_true")

    v = sub.add_parser("validate", help="check a workbook and every scenario in it")
    v.add_argument("workbook")

    r = sub.add_parser("verify", help="check a report against its input, independently of the model")
    r.add_argument("input")
    r.add_argument("report")
    r.add_argument("--tolerance", type=float, default=None,
                   help="absolute tolerance in t (default: see docs/verification.md)")

    g = sub.add_parser("regress", help="compare solves against committed baselines")
    g.add_argument("workbooks", nargs="*", help="workbooks to regress (default: those with baselines)")
    g.add_argument("--baselines", default="tests/baselines", help="folder of baseline files")
    g.add_argument("--scenario", action="append", default=None, metavar="ID",
                   help="only these scenarios (default: base and every scenario)")
    g.add_argument("--update", action="store_true", help="rewrite the baselines")
    g.add_argument("--reason", help="why the baselines change (asked for when missing)")

    m = sub.add_parser("compare", help="solve several scenarios and compare them side by side")
    m.add_argument("workbook")
    m.add_argument("--scenarios", help="comma-separated scenario ids (base is always included)")
    m.add_argument("--all", action="store_true", help="every scenario in the workbook")
    m.add_argument("-o", "--output", required=True, help="comparison workbook (.xlsx)")
    m.add_argument("--workers", type=int, default=1, help="solve in N worker processes")
    m.add_argument("--dask", metavar="ADDRESS", help="send the solves to this Dask scheduler")
    m.add_argument("-q", "--quiet", action="store_true")

    t = sub.add_parser("stress", help="knock out each country, company, site or offer and rank the damage")
    t.add_argument("workbook")
    t.add_argument("--by", choices=["country", "company", "site", "offer"], default="country")
    t.add_argument("--periods", help="YEAR or YEAR-YEAR (default: the whole horizon)")
    t.add_argument("--scenario", help="stress this scenario instead of the base")
    t.add_argument("--include-home", action="store_true",
                   help="with --by country, also knock out the countries of the demand sites")
    t.add_argument("-o", "--output", required=True, help="stress report workbook (.xlsx)")

    b = sub.add_parser("template", help="write a blank input workbook: every sheet and column, "
                       "help on each header, drop-down lists, a guide")
    b.add_argument("output", help="workbook to write (.xlsx)")
    b.add_argument("--force", action="store_true", help="overwrite an existing file")

    c = sub.add_parser("from-csv", help="build a workbook from a folder of CSV files (one per sheet)")
    c.add_argument("folder")
    c.add_argument("workbook")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.command == "solve":
            if args.risk:
                from model.commands.risk import risk_command
                return risk_command(args)
            engine = [f"--{n.replace('_', '-')}" for n in ENGINE_OPTIONS
                      if getattr(args, n) is not None]
            if engine:
                print(f"command line, {', '.join(engine)}: the engine options apply to a risk "
                      "solve (--risk) only", file=sys.stderr)
                return EXIT_INPUT
            from model.commands.solve import solve_command
            return solve_command(args)
        if args.command == "frontier":
            from model.commands.risk import frontier_command
            return frontier_command(args)
        if args.command == "sample":
            from model.commands.risk import sample_command
            return sample_command(args)
        if args.command == "validate":
            from model.commands.validate import validate_command
            return validate_command(args)
        if args.command == "verify":
            from model.commands.verify import verify_command
            return verify_command(args)
        if args.command == "regress":
            from model.commands.regress import regress_command
            return regress_command(args)
        if args.command == "compare":
            from model.commands.compare import compare_command
            return compare_command(args)
        if args.command == "stress":
            from model.commands.stress import stress_command
            return stress_command(args)
        if args.command == "template":
            from model.commands.template import template_command
            return template_command(args)
        if args.command == "from-csv":
            from model.read.from_csv import csv_folder_to_workbook
            sheets = csv_folder_to_workbook(args.folder, args.workbook)
            print(f"wrote {args.workbook} ({', '.join(sheets)})")
            return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:  # the last line of defence: no traceback for analysts
        print(f"unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if logging.getLogger().isEnabledFor(logging.DEBUG) or "SOURCING_DEBUG" in __import__("os").environ:
            traceback.print_exc()
        return EXIT_UNEXPECTED
    return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
