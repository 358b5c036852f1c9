"""``sourcing validate WORKBOOK``: the checks made before every solve, for the
workbook as it stands and for every scenario in it, all problems at once; a
problem found in several scenarios is listed once with the scenarios it
affects."""

from __future__ import annotations

import sys

from model.exit_codes import EXIT_INPUT, EXIT_OK
from model.data import scenario as scen
from model.data.model_data import prepare
from model.problems import InputError
from model.validate.scenarios import check_workbook


def validate_command(args) -> int:
    try:
        wb, problems = check_workbook(args.workbook)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INPUT
    if not problems.errors:
        problems.extend(prepare(wb).problems)
    for w in problems.warnings:
        print(f"warning: {w}")
    if problems.errors:
        print(InputError(problems.errors).render(), file=sys.stderr)
        return EXIT_INPUT
    n = len(scen.scenario_ids(wb))
    print(f"ok: {args.workbook} is valid ({n} scenario{'s' if n != 1 else ''} checked,"
          f" {len(problems.warnings)} warning{'s' if len(problems.warnings) != 1 else ''})")
    return EXIT_OK
