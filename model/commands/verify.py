"""``sourcing verify INPUT.xlsx REPORT.xlsx [--tolerance T]``: check a report's
solution against its input, independently of the model (docs/verification.md).

Exit codes: 0 the solution holds (or the report has no solution and no
decision rows to check), 4 it does not (every violation is printed; a status
that says "no solution" over a plan is one), 2 the input or the report
cannot be read.
"""

from __future__ import annotations

import sys

from model.exit_codes import EXIT_INPUT, EXIT_OK, EXIT_VERIFY_FAILED
from model.verify import CannotVerify, verify_report



def verify_command(args) -> int:
    try:
        verdict = verify_report(args.input, args.report, args.tolerance)
    except CannotVerify as exc:
        print(f"cannot verify: {exc}", file=sys.stderr)
        return EXIT_INPUT
    for note in verdict.notes:
        print(f"note: {note}")
    if not verdict.has_solution:
        print(verdict.headline())
        return EXIT_OK
    if verdict.ok:
        print(verdict.headline())
        return EXIT_OK
    for v in verdict.violations:
        print(f"  - {v}")
    print(verdict.headline())
    return EXIT_VERIFY_FAILED
