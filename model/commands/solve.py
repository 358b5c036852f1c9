"""``sourcing solve WORKBOOK -o REPORT.xlsx [--summary-json PATH]``.

The report is always written: with the plan, or with why there is none
(invalid input, no solution, an unexpected error, or a run stopped by Ctrl-C
or SIGTERM: status ``interrupted``)."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from model.exit_codes import (EXIT_ELASTIC, EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_OK, EXIT_UNEXPECTED,
                       EXIT_VERIFY_FAILED)
from model import progress, stop
import model.analysis.marginals as marginals
from model.commands.outputs import refused, write_all
from model.problems import InputError
from model.report.summary import summary, write_json
from model.results.figures import figures as report_figures
from model.report.workbook import build_workbook, save_atomic
from model.run import add_shortfall, release_lp, run, with_tables

log = logging.getLogger(__name__)


def solve_command(args) -> int:
    src, out = Path(args.workbook), Path(args.output)
    if refused(src, args):
        _input_problems(src, args)      # every problem at once: the input's own too
        return EXIT_INPUT
    if out.suffix.lower() != ".xlsx":
        print(f"the report must be an .xlsx file, got {out}", file=sys.stderr)
        return EXIT_INPUT
    relax = None
    if args.elastic:
        from model.analysis.elastic import DEFAULT_RELAX, FAMILIES
        relax = (tuple(f.strip() for f in args.elastic_relax.split(",") if f.strip())
                 if args.elastic_relax else DEFAULT_RELAX)
        unknown = [f for f in relax if f not in FAMILIES]
        if unknown:
            print(f"--elastic-relax: unknown {', '.join(unknown)}; choose from "
                  f"{', '.join(FAMILIES)}", file=sys.stderr)
            return EXIT_INPUT
    try:
        stop.check()                       # a stop while the command loaded
        return _solve(args, src, out, relax)
    except KeyboardInterrupt as exc:       # Ctrl-C or SIGTERM (model.stop): say so in a report
        plan = getattr(exc, "plan_written", None)
        if plan:                           # the report on disk has the plan: keep it
            message = (f"interrupted by {stop.describe(exc)} after the plan was written: {out} "
                       "has the plan; the exact rule marginals and analyses were not finished")
            print(message, file=sys.stderr)
            if args.summary_json:
                write_all([lambda: write_json({**plan, "interrupted": message}, args.summary_json)])
            return stop.exit_code(exc)
        message = f"interrupted by {stop.describe(exc)} before the run finished: no plan"
        print(message, file=sys.stderr)
        info = summary(status="interrupted", message=message, input_path=src,
                       scenario=args.scenario or "base")
        info["reason"] = "interrupted"
        _write(info, None, (), out, args.summary_json)
        return stop.exit_code(exc)


def _solve(args, src: Path, out: Path, relax) -> int:
    try:
        # the plan first: exact rule marginals (re-solves) and analyses after it is written
        plan_first = relax is None and args.marginals == "exact"
        # the workbook's solver settings, read once by run(); the command line's replace them
        result = run(src, args.scenario, args.enable, args.disable, args.skip_family,
                     marginals="dual" if plan_first else args.marginals,
                     time_limit_s=args.time_limit, log_file=args.solver_log,
                     shortfall=not plan_first)
        base_status = result.status
        if not plan_first:
            with progress.stage("analyses"):
                analyses = _analyses(args, result)
            if relax is not None:
                from model.analysis.elastic import elastic_for
                result, analyses["Elastic"] = elastic_for(result, relax=relax,
                                                          penalty=args.elastic_penalty,
                                                          options=result.options)
            result = with_tables(result, analyses)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        info = summary(status="error", message=exc.render(), input_path=src,
                       scenario=args.scenario or "base")
        info["reason"] = "invalid_input"
        _write(info, None, exc.errors + exc.warnings, out, args.summary_json)
        return EXIT_INPUT
    except Exception as exc:  # unexpected: still leave a report that says so
        message = f"unexpected error: {type(exc).__name__}: {exc}"
        print(message, file=sys.stderr)
        info = summary(status="error", message=message, input_path=src,
                       scenario=args.scenario or "base")
        _write(info, None, (), out, args.summary_json)
        return EXIT_UNEXPECTED
    info = summary(result)
    if relax is not None:
        info["base_status"] = base_status
        info["elastic_bends"] = len(result.tables.get("Elastic", ()))
        info["elastic_penalty"] = result.solution.extra.get("elastic_penalty")
        verdict = None   # the elastic plan breaks the relaxed constraints on purpose
        info["verification"] = "not verified: elastic mode bends hard constraints on purpose"
    else:
        with progress.stage("verify"):
            verdict, checked = _verify(src, result, info, args)
        result = with_tables(result, checked)
    if plan_first:
        result = _plan_then_analyses(args, result, info, out)
    if "Infeasibility" in result.tables:
        info["infeasibility"] = result.tables["Infeasibility"].attrs.get("summary", "")
    if "Unbounded" in result.tables:
        info["unbounded"] = result.tables["Unbounded"].attrs.get("summary", "")
    for w in result.warnings:
        if not args.quiet:
            print(f"warning: {w}", file=sys.stderr)
    with progress.stage("report"):
        written = _write(info, result, (), out, args.summary_json, args.html)
    if not written:
        return EXIT_UNEXPECTED
    bent = result.status == "elastic"
    if not args.quiet:
        from model.results.headline import lines
        head = lines(info, result.data.settings["currency"])
        if bent:
            head[0] += (f" - a bent plan: {info['elastic_bends']} constraint(s) bent, it breaks "
                        "them (sheet Elastic)")
        print("\n".join(head))
        print(f"report: {out}")
    if bent:
        return EXIT_ELASTIC
    if result.solution.has_solution:
        if verdict is not None and not verdict.ok:
            print(f"verification FAILED: {verdict.headline()} (see the Verification sheet)",
                  file=sys.stderr)
            return EXIT_VERIFY_FAILED
        return EXIT_OK
    return EXIT_UNEXPECTED if result.status == "error" else EXIT_NO_SOLUTION


def _plan_then_analyses(args, result, info, out):
    """Write the verified plan (costs, KPIs, verification; rule marginals from
    ranging and duals) at once, then make the rule marginals exact (re-solves),
    find the least shortfall of unmet demand and run the analyses: the run with
    them, whose full report the caller writes over the plan's. Nothing pending
    (no rule needs a re-solve, no analysis asked for) or little: one report only."""
    pending = marginals.sources(result.tables.get("RuleMarginals")).get("dual", 0)
    short = result.solution.has_solution and float(result.tables["Demand"]["unmet_t"].sum()) > 0
    wanted = args.price_rules or args.robustness
    written, early = False, None
    if result.solution.has_solution and (wanted or _worth_writing_first(result, pending, short)):
        early = {**info, "report": "the plan; exact rule marginals and analyses follow"}
        with progress.stage("report: the plan"):
            written = _write(early, result, (), out, None)
    try:
        return _after_the_plan(args, result, info, pending, short)
    except KeyboardInterrupt as exc:    # a stop now leaves the plan's report as it is
        exc.plan_written = early if written else None
        raise


def _after_the_plan(args, result, info, pending: int, short: bool):
    if pending:
        try:
            with progress.stage("rule marginals"):
                result = with_tables(result,
                                     {"RuleMarginals": marginals.exact_rule_marginals(result)})
            info["rule_marginals_from"] = summary(result).get("rule_marginals_from")
        except Exception as exc:   # the plan stands; the marginals stay as the duals say
            print(f"warning: rule marginals not re-solved ({type(exc).__name__}: {exc}): "
                  "RuleMarginals gives the dual rate where ranging cannot tell", file=sys.stderr)
    result = release_lp(result)    # re-solves done: HiGHS's copy of the LP goes before the next
    if short:
        try:
            result = add_shortfall(result)
            now = summary(result)
            info.update({k: now[k] for k in ("unclosable", "seconds_shortfall") if k in now})
        except Exception as exc:   # the plan stands without the Shortfall sheet
            print(f"warning: least shortfall not found ({type(exc).__name__}: {exc})",
                  file=sys.stderr)
    with progress.stage("analyses"):
        return with_tables(result, _analyses(args, result))


def _worth_writing_first(result, pending: int, short: bool = False) -> bool:
    """Whether the ``pending`` re-solves (and, ``short``, the least shortfall) are
    expected to take longer than writing the report once more (issue 19; rates
    measured with benchmarks/run.py on the medium and large instances and a
    50,000-row Demand sheet): a warm re-solve takes about 1.4e-7 s per nonzero,
    the least shortfall (a cold LP, up to three objectives) about 5e-6 s per
    nonzero, a report about 0.5 s + 1e-4 s per table row."""
    nonzeros = len(result.compiled.lp.a_matrix_.value_)
    rows = sum(len(t) for t in result.tables.values())
    return (pending * 1.4e-7 + 5e-6 * short) * nonzeros > 0.5 + 1e-4 * rows


def _verify(src, result, info, args):
    """Check the solution independently (model.verify) and record the verdict in
    ``info``: (verdict or None, {"Verification": its table} or {})."""
    if not result.solution.has_solution:
        return None, {}
    import pandas as pd
    from model.verify import CannotVerify, verify_tables
    try:
        verdict = verify_tables(src, result.tables, info, result.scenario,
                                enable=args.enable, disable=args.disable)
    except CannotVerify as exc:
        info["verification"] = f"not verified: {exc}"
        return None, {}
    info["verification"] = verdict.headline()
    info["verification_ok"] = verdict.ok
    rows = [("violation", v) for v in verdict.violations] + [("note", n) for n in verdict.notes]
    if not rows:
        rows = [("ok", verdict.headline())]
    return verdict, {"Verification": pd.DataFrame(rows, columns=["kind", "message"])}


def _analyses(args, result) -> dict:
    """The infeasibility explanation (automatic), --price-rules and --robustness
    (their re-solves with the run's solver options)."""
    tables = {}
    try:
        if result.status == "infeasible":
            from model.analysis.infeasibility import explain
            table, sentences = explain(result)
            table.attrs["summary"] = sentences[0] if sentences else ""
            tables["Infeasibility"] = table
            if not args.quiet:
                for line in sentences:
                    print(line, file=sys.stderr)
        if result.status in ("unbounded", "unbounded_or_infeasible") and result.data is not None:
            from model.analysis.unbounded import explain as unbounded
            table, sentences = unbounded(result.data)
            table.attrs["summary"] = sentences[0]
            tables["Unbounded"] = table
            for line in sentences:
                print(line, file=sys.stderr)
        if args.price_rules:
            from model.analysis.price_rules import price_rules_for
            tables["RulePrices"] = price_rules_for(result, options=result.options)
        if args.robustness and result.solution.has_solution:
            from model.analysis.robustness import robustness_for
            tables["Robustness"] = robustness_for(result, result.options, args.tie_threshold)
    except Exception as exc:   # an analysis never costs the analyst the report
        print(f"warning: analysis failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return tables


def _write(info, result, problems, out, json_path, html_path=None) -> bool:
    """The report, then the JSON summary and the web page, each tried even when
    another fails; every failure is printed. True when all were written. The
    Dashboard's and the page's figures are computed once, when first asked for (a
    failure there fails each write on its own, as any other)."""
    fig = functools.cache(lambda: report_figures(info, result))
    writes = [lambda: save_atomic(build_workbook(info, result, problems, figures=fig()), out)]
    if json_path:
        writes.append(lambda: write_json(info, json_path))
    if html_path and result is not None:
        from model.report.html import write_html
        writes.append(lambda: write_html(result, html_path, summary=info, figures=fig()))
    return write_all(writes)


def _input_problems(src, args) -> None:
    """Print the input's own problems (scenario and toggles applied), if any."""
    from model.run import load
    try:
        load(src, args.scenario, args.enable, args.disable)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
    except Exception as exc:  # the refusal above is the answer; this is only a courtesy
        log.debug("input not checked after the refusal: %s", exc)
