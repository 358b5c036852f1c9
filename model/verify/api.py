"""The verifier's entry points: one code path for in-memory tables (called by
``sourcing solve`` after every solve) and for a report file (``sourcing verify``)."""

from __future__ import annotations

from pathlib import Path

from model.data.scenario import BASE, apply
from model.problems import InputError
from model.read.workbook import read_workbook
from model.verify.checks import Checker
from model.verify.decisions import DECISION_SHEETS, as_id, as_number, decisions_of
from model.verify.inputs import inputs_of
from model.verify.report import read_report
from model.verify.verdict import CannotVerify, Tolerance, Verdict

WITH_SOLUTION = ("optimal", "feasible", "time_limit", "elastic")   # elastic: a bent plan, checked like any
NO_SOLUTION = "no solution to check"


def _tolerance(tolerance) -> Tolerance:
    if tolerance is None:
        return Tolerance()
    if isinstance(tolerance, Tolerance):
        return tolerance
    value = float(tolerance)
    if not value >= 0:
        raise CannotVerify(f"the tolerance must be a number >= 0, got {tolerance}")
    return Tolerance(quantity_abs=value)


def has_solution(summary: dict) -> bool:
    status = str(summary.get("status") or "").strip().lower()
    if status not in WITH_SOLUTION:
        return False
    return status != "time_limit" or as_number(summary.get("objective")) is not None


def verify_tables(workbook_path, tables: dict, summary: dict, scenario: str | None,
                  enable=(), disable=(), tolerance: float | Tolerance | None = None) -> Verdict:
    """Check in-memory result tables (named and shaped like the report sheets)
    against the input workbook at ``workbook_path`` with the scenario and
    toggles applied. Raises CannotVerify when the input cannot be used."""
    tol = _tolerance(tolerance)
    plan = plan_rows(tables)
    status = summary.get("status") or "unknown"
    if not has_solution(summary) and not plan:
        return Verdict(True, [], 0, tol, has_solution=False,
                       message=f"status {status}: {NO_SOLUTION}")
    path = Path(workbook_path)
    try:
        wb = read_workbook(path)
    except InputError as exc:
        raise CannotVerify(f"cannot read the input {path}:\n{exc.render()}") from None
    scenario = None if scenario in (None, "", BASE) else str(scenario)
    changed, changes, problems = apply(wb, scenario, tuple(enable), tuple(disable))
    if problems.errors:
        raise CannotVerify("cannot re-apply the run's scenario and toggles to the input:\n"
                           + "\n".join(f"  - {p}" for p in problems.errors))
    notes = []
    sha = summary.get("input_sha256")
    if sha and str(sha) != wb.sha256:
        notes.append(f"the report was made from a different file (input_sha256 {str(sha)[:12]}..., "
                     f"this input {wb.sha256[:12]}...): checked against this input")
    skipped = summary.get("skipped_families")
    if skipped:
        notes.append(f"the solve left out the constraint families {skipped} (--skip-family): "
                     "the contract's constraints are checked all the same")
    n_changes = as_number(summary.get("changes_applied"))
    if n_changes is not None and int(n_changes) != len(changes):
        notes.append(f"the report says {int(n_changes)} changes were applied; re-applying the "
                     f"scenario and toggles gives {len(changes)}")
    inp = inputs_of(changed)
    problems_found: list[str] = []
    if not has_solution(summary):     # what is there is checked, and the status is wrong
        held = ", ".join(f"{sheet} {n} row{'s' if n != 1 else ''}" for sheet, n in plan.items())
        problems_found.append(f'Summary status "{status}" says there is no solution, but the '
                              f"report holds a plan ({held}): the plan is checked")
    dec = decisions_of(tables, problems_found)
    checker = Checker(inp, dec, tol)
    checker.run(summary, problems_found)
    return Verdict(not checker.violations, checker.violations, checker.checks, tol,
                   has_solution=True, objective_reported=checker.reported,
                   objective_recomputed=checker.objective, notes=notes)


def plan_rows(tables: dict) -> dict[str, int]:
    """{decision sheet: number of rows} for the decision sheets that hold any."""
    out = {}
    for sheet in DECISION_SHEETS:
        frame = tables.get(sheet)
        if frame is not None and len(frame):
            out[sheet] = len(frame)
    return out


def toggles_of(changes) -> tuple[list[str], list[str]]:
    """--enable / --disable ids recorded in a report's Changes sheet, in order."""
    enable, disable = [], []
    if changes is None or len(changes) == 0:
        return enable, disable
    if not {"source", "id"} <= set(changes.columns):
        raise CannotVerify("the report's Changes sheet has no source and id columns")
    for source, ident in zip(changes["source"], changes["id"]):
        ident = as_id(ident)
        target = {"--enable": enable, "--disable": disable}.get(str(source).strip())
        if target is not None and ident is not None and ident not in target:
            target.append(ident)
    return enable, disable


def verify_report(workbook_path, report_path,
                  tolerance: float | Tolerance | None = None) -> Verdict:
    """Read a report workbook and check it against its input (one code path
    with ``verify_tables``)."""
    summary, tables = read_report(report_path)
    enable, disable = toggles_of(tables.get("Changes"))
    scenario = as_id(summary.get("scenario"))
    return verify_tables(workbook_path, tables, summary, scenario, enable, disable, tolerance)
