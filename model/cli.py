"""The ``sourcing`` command (click): parses arguments and calls the commands.

``main(argv) -> int`` returns the exit code (``model.exit_codes``; a usage
error is 2). The options that several commands share (``-o``,
``--summary-json``, ``--time-limit``, ``--solver-log``, ``-q``, ``-v``) are
defined once below and reused. Each command receives its options as one
namespace (``args``) and is imported only when asked for. Around every
command: Ctrl-C and SIGTERM handling (``model.stop``), stage progress on a
terminal (``model.progress``; not with ``-q``, nor when stderr is not a
terminal) and ``--verbose`` logging (INFO; ``-vv`` DEBUG).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from argparse import Namespace

import click

from model import __version__, progress, stop
from model.exit_codes import (EXIT_CODES, EXIT_DRIFT, EXIT_ELASTIC, EXIT_INPUT,  # noqa: F401
                              EXIT_NO_SOLUTION, EXIT_OK, EXIT_UNEXPECTED, EXIT_VERIFY_FAILED)
from model.files import OutputError

log = logging.getLogger(__name__)
EPILOG = "\b\n" + EXIT_CODES      # \b: click keeps the lines as written
SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --- the shared options, defined once ---------------------------------------------------

def output(what: str = "report workbook to write (.xlsx)"):
    return click.option("-o", "--output", required=True, help=what)


summary_json = click.option("--summary-json", help="also write the summary as JSON")
time_limit = click.option("--time-limit", type=float,
                          help="override Settings time_limit_s (per solve)")
solver_log = click.option("--solver-log", help="write HiGHS's log to this file")
quiet = click.option("-q", "--quiet", is_flag=True,
                     help="no progress and no result lines: only warnings and errors")
verbose = click.option("-v", "--verbose", count=True,
                       help="log what each stage does (-v INFO, -vv DEBUG, with the solver's "
                            "progress)")
workers = click.option("--workers", type=int, default=1, show_default=True,
                       help="processes for the solves")
dask = click.option("--dask", metavar="ADDRESS",
                    help="send the solves to this Dask scheduler (tcp://host:8786)")
force = click.option("--force", is_flag=True, help="overwrite an existing file")


def shared(*options):
    """Apply options in the order listed (as they appear in --help)."""
    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


SOLVER_OPTIONS = (summary_json, time_limit, solver_log, quiet, verbose)

# How a two-stage risk model is solved (docs/risk.md, "Risk at scale"): solve --risk and sample.
ENGINE_OPTIONS = (
    click.option("--engine",
                 help="extensive (one model holding every scenario), ph (progressive hedging) or "
                      "lshaped (the L-shaped method), both decomposed by mpi-sppy under MPI; auto "
                      "(default): extensive while the extensive form has at most 100,000 "
                      "columns, ph above"),
    click.option("--processes", type=int, metavar="N",
                 help="MPI processes of a decomposed engine (mpiexec -n N; default 1)"),
    click.option("--hostfile", metavar="FILE",
                 help="MPI host file: run the decomposed engine's processes on the machines it "
                      "lists (this one first)"),
    click.option("--gap", type=float,
                 help="a decomposed engine stops at this certified relative gap between its "
                      "lower and upper bounds (default 0.001 = 0.1%)"),
    click.option("--max-iterations", type=int,
                 help="a decomposed engine stops after this many iterations (default 100)"),
)
ENGINE_NAMES = ("engine", "processes", "hostfile", "gap", "max_iterations")


# --- the commands -----------------------------------------------------------------------

def _version(ctx, _param, value):
    if not value or ctx.resilient_parsing:
        return
    from model.solve.highs import highs_version
    click.echo(f"sourcing (secure-sourcing) {__version__}, HiGHS {highs_version()}")
    ctx.exit(EXIT_OK)


@click.group(context_settings=SETTINGS, epilog=EPILOG,
             help="Secure sourcing of critical minerals: solve a workbook, validate it, "
                  "build one from CSV.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="show the software's and HiGHS's versions and exit")
def sourcing():
    pass


@sourcing.command(epilog=EPILOG)
@click.argument("workbook")
@output()
@shared(summary_json)
@click.option("--html", metavar="PATH",
              help="also write the key figures and a flow diagram as one self-contained web page")
@click.option("--scenario", help="apply this scenario's ScenarioChanges")
@click.option("--enable", multiple=True, metavar="ID",
              help="switch on the row with this offer/process/lane/rule id (repeatable)")
@click.option("--disable", multiple=True, metavar="ID",
              help="switch off the row with this offer/process/lane/rule id (repeatable)")
@click.option("--skip-family", multiple=True, metavar="NAME",
              help="leave a constraint family out of the model (diagnostics)")
@shared(time_limit, solver_log)
@click.option("--marginals", type=click.Choice(["exact", "dual"]), default="exact",
              help="RuleMarginals.change_per_t: exact (default; re-solves the binding rules "
                   "whose one-tonne change HiGHS's ranging cannot give) or dual (no re-solves: "
                   "the dual rate there, marked change_from=dual)")
@click.option("--price-rules", is_flag=True,
              help="re-solve with each policy and export-control rule switched off in turn "
                   "and report what each costs (sheet RulePrices)")
@click.option("--robustness", is_flag=True,
              help="force each offer and process out of the plan (or into it) by a warm "
                   "re-solve and report what deciding otherwise costs; choices that cost "
                   "less than --tie-threshold to undo are ties (sheet Robustness, Dashboard)")
@click.option("--tie-threshold", type=float, default=0.001, metavar="SHARE",
              help="with --robustness: a used choice whose removal costs less than this "
                   "share of the objective is a tie (default 0.001, i.e. 0.1%)")
@click.option("--elastic", is_flag=True,
              help="make hard constraints soft with penalised slack, solve, and report how "
                   "far each had to bend (sheet Elastic); the report shows the bent plan, "
                   "with status elastic and exit code 6 when anything bent")
@click.option("--elastic-relax", metavar="FAMILIES",
              help="with --elastic: comma-separated, from stock_floor, stock_ceiling, policy, "
                   "export_limit, lane_capacity, offer_capacity, process_capacity, "
                   "min_quantity (default: stock_floor,policy,export_limit)")
@click.option("--elastic-penalty", type=float, metavar="PER_T",
              help="with --elastic: penalty per t of bend (default: 10 x the largest "
                   "unmet_penalty)")
@click.option("--risk", is_flag=True,
              help="two-stage risk solve over every scenario with a probability: reservations "
                   "and commitments first, CVaR, VSS and EVPI (docs/risk.md)")
@click.option("--no-value", is_flag=True,
              help="with --risk: skip the EV, EEV and wait-and-see solves behind VSS and EVPI")
@shared(*ENGINE_OPTIONS)
@shared(quiet, verbose)
def solve(**options):
    """solve a workbook and write a report workbook"""
    engine = [f"--{n.replace('_', '-')}" for n in ENGINE_NAMES if options.get(n) is not None]
    if engine and not options["risk"]:
        click.echo(f"command line, {', '.join(engine)}: the engine options apply to a risk "
                   "solve (--risk) only", err=True)
        return EXIT_INPUT
    return _dispatch("solve --risk" if options["risk"] else "solve", options)


@sourcing.command()
@click.argument("workbook")
@output()
@click.option("--points", type=int, default=5, show_default=True, help="points on the frontier")
@shared(*SOLVER_OPTIONS)
def frontier(**options):
    """efficient frontier of expected cost against CVaR"""
    return _dispatch("frontier", options)


@sourcing.command()
@click.argument("workbook")
@output()
@click.option("--n", type=int, default=100, show_default=True, help="scenarios in sample")
@click.option("--seed", type=int, default=0, show_default=True,
              help="random seed; out of sample uses seed + 1")
@click.option("--n-out", type=int, help="scenarios out of sample (default: --n)")
@shared(workers, dask)
@click.option("--scenario", help="sample around this scenario, not the workbook as it stands")
@shared(*ENGINE_OPTIONS)
@shared(*SOLVER_OPTIONS)
def sample(**options):
    """sample scenarios from Events; solve in and out of sample"""
    return _dispatch("sample", options)


@sourcing.command()
@click.argument("workbook")
@shared(verbose)
def validate(**options):
    """check a workbook and every scenario in it"""
    return _dispatch("validate", options)


@sourcing.command()
@click.argument("input")
@click.argument("report")
@click.option("--tolerance", type=float, default=None,
              help="absolute tolerance in t (default: see docs/verification.md)")
@shared(verbose)
def verify(**options):
    """check a report against its input, independently of the model"""
    return _dispatch("verify", options)


@sourcing.command()
@click.argument("workbooks", nargs=-1)
@click.option("--baselines", default="tests/baselines", show_default=True,
              help="folder of baseline files")
@click.option("--scenario", multiple=True, metavar="ID",
              help="only these scenarios (repeatable; default: base and every scenario)")
@click.option("--update", is_flag=True, help="rewrite the baselines")
@click.option("--reason", help="why the baselines change (asked for when missing)")
@shared(verbose)
def regress(**options):
    """compare solves against committed baselines"""
    options["workbooks"] = list(options["workbooks"])      # none: every workbook with baselines
    options["scenario"] = list(options["scenario"]) or None
    return _dispatch("regress", options)


@sourcing.command()
@click.argument("workbook")
@click.option("--scenarios", help="comma-separated scenario ids (base is always included)")
@click.option("--all", "all_", is_flag=True, help="every scenario in the workbook")
@output("comparison workbook (.xlsx)")
@shared(workers, dask, quiet, verbose)
def compare(**options):
    """solve several scenarios and compare them side by side"""
    if not options["scenarios"] and not options["all_"]:
        raise click.UsageError("name the scenarios to compare with base: --scenarios A,B "
                               "(see the Scenarios sheet) or --all")
    options["all"] = options.pop("all_")
    return _dispatch("compare", options)


@sourcing.command()
@click.argument("workbook")
@click.option("--by", type=click.Choice(["country", "company", "site", "offer"]),
              default="country", show_default=True,
              help="what to knock out, one at a time: each supplier country, company, site "
                   "(its offers, processes and outbound lanes) or single offer")
@click.option("--periods", help="YEAR or YEAR-YEAR (default: the whole horizon)")
@click.option("--scenario", help="stress this scenario instead of the base")
@click.option("--include-home", is_flag=True,
              help="with --by country, also knock out the countries of the demand sites")
@output("stress report workbook (.xlsx)")
@shared(quiet, verbose)
def stress(**options):
    """knock out each country, company, site or offer and rank the damage"""
    return _dispatch("stress", options)


@sourcing.command()
@click.argument("output")
@shared(force, verbose)
def template(**options):
    """write a blank input workbook: every sheet and column, help on each header, drop-down
    lists, a guide"""
    return _dispatch("template", options)


@sourcing.command("from-csv")
@click.argument("folder")
@click.argument("workbook")
@shared(force, verbose)
def from_csv(**options):
    """build a workbook from a folder of CSV files (one per sheet)"""
    return _dispatch("from-csv", options)


# --- running a command ------------------------------------------------------------------

# command -> (module, function); the module is imported only when asked for
COMMANDS = {
    "solve": ("model.commands.solve", "solve_command"),
    "solve --risk": ("model.commands.risk", "risk_command"),
    "frontier": ("model.commands.risk", "frontier_command"),
    "sample": ("model.commands.risk", "sample_command"),
    "validate": ("model.commands.validate", "validate_command"),
    "verify": ("model.commands.verify", "verify_command"),
    "regress": ("model.commands.regress", "regress_command"),
    "compare": ("model.commands.compare", "compare_command"),
    "stress": ("model.commands.stress", "stress_command"),
    "template": ("model.commands.template", "template_command"),
    "from-csv": ("model.commands.from_csv", "from_csv_command"),
}
# these write a report saying 'interrupted' when stopped (they call stop.check() themselves)
REPORT_WHEN_STOPPED = ("solve", "solve --risk", "frontier", "sample")


def main(argv: list[str] | None = None) -> int:
    with stop.handling():          # Ctrl-C and SIGTERM raise stop.Stopped: files get cleaned up
        try:
            code = sourcing.main(args=argv, prog_name="sourcing", standalone_mode=False)
        except click.ClickException as exc:     # a usage error: one message, exit 2
            exc.show()
            return exc.exit_code
        except click.exceptions.Abort:          # Ctrl-C while click itself was prompting
            return stop.exit_code(KeyboardInterrupt())
    return EXIT_OK if code is None else code


def arguments(name: str, **given) -> Namespace:
    """The namespace a command receives, its options at their defaults but for
    ``given`` (for calling a command function directly: tests, notebooks)."""
    command = sourcing.commands[name.split()[0]]
    values = command.make_context(command.name, [], resilient_parsing=True).params
    return Namespace(command=command.name, **{**values, **given})


def _dispatch(name: str, options: dict) -> int:
    """Run one command with progress on a terminal and the logging asked for."""
    args = Namespace(command=name.split()[0], **options)
    show = not options.get("quiet", False) and sys.stderr.isatty()
    with progress.showing(show), _logging(options.get("verbose", 0)):
        return _command(name, args)


class _logging:
    """-v: INFO, -vv: DEBUG, through a handler of our own on the root logger
    (removed afterwards, with the level it had); without -v nothing changes."""

    def __init__(self, verbose: int):
        self.level = {0: None, 1: logging.INFO}.get(verbose, logging.DEBUG)

    def __enter__(self):
        root = logging.getLogger()
        if self.level is None:
            if not root.handlers:
                logging.basicConfig(level=logging.WARNING, format="%(message)s")
            return self
        self.previous, self.handler = root.level, progress.log_handler()
        root.addHandler(self.handler)
        root.setLevel(self.level)
        return self

    def __exit__(self, *exc):
        if self.level is not None:
            root = logging.getLogger()
            root.removeHandler(self.handler)
            root.setLevel(self.previous)


def _command(name: str, args: Namespace) -> int:
    try:
        with stop.holding():     # a signal while the command's modules load is raised below
            module, function = COMMANDS[name]
            command = getattr(importlib.import_module(module), function)
        if name not in REPORT_WHEN_STOPPED:
            stop.check()
        return command(args)
    except KeyboardInterrupt as exc:     # Ctrl-C or SIGTERM (model.stop)
        print(f"interrupted by {stop.describe(exc)}", file=sys.stderr)
        return stop.exit_code(exc)
    except OutputError as exc:   # a file that could not be written (disk full): one line
        print(str(exc), file=sys.stderr)
        return EXIT_UNEXPECTED
    except Exception as exc:  # the last line of defence: no traceback for analysts
        print(f"unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if logging.getLogger().isEnabledFor(logging.DEBUG) or "SOURCING_DEBUG" in os.environ:
            traceback.print_exc()
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
