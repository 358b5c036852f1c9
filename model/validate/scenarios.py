"""The workbook as it stands (scenario ``base``) and with each scenario
applied, validated together: every problem at once, and a problem found the
same way in several of them reported once with the scenarios it affects
(``model.problems.merge_scenarios``)."""

from __future__ import annotations

from model.data import scenario as scen
from model.problems import Problems, merge_scenarios
from model.read.workbook import Workbook, read_workbook
from model.validate import validate


def validate_scenarios(wb: Workbook, scenarios) -> tuple[Problems, dict]:
    """(problems, {scenario id: (changed workbook, changes)}) for ``base`` and
    each of ``scenarios`` that can be applied (one that cannot is left out:
    ``scenario.check_all_scenarios`` reports why)."""
    checked = {scen.BASE: validate(wb)}
    applied = {scen.BASE: (wb, [])}
    for sid in scenarios:
        if sid in applied:
            continue
        changed, changes, problems = scen.apply(wb, sid)
        if problems.errors:
            continue
        checked[sid] = validate(changed)
        applied[sid] = (changed, changes)
    return merge_scenarios(checked), applied


def check_workbook(path, scenarios=None) -> tuple[Workbook, Problems]:
    """Read the workbook at ``path`` and check it as it stands and with each of
    ``scenarios`` applied (default: every scenario in it): the reader's,
    the scenarios' and the validation problems, all at once. Only a file that
    cannot be opened at all raises InputError."""
    wb = read_workbook(path, raise_errors=False)
    problems = Problems()
    problems.extend(wb.problems)
    problems.extend(scen.check_all_scenarios(wb))
    sids = scen.scenario_ids(wb) if scenarios is None else scenarios
    problems.extend(validate_scenarios(wb, sids)[0])
    return wb, problems
