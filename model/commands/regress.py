"""``sourcing regress [WORKBOOK ...] [--baselines DIR] [--scenario ID ...] [--update --reason TEXT]``.

Solve each workbook (base and every scenario, or the ``--scenario`` ones) and
compare status, objective and aggregated figures with the committed baseline
files (docs/regression.md). With no workbook, every workbook that has a
baseline folder. Exit codes: 0 every case passed (or was updated), 5 drift (a
difference beyond tolerance, a missing or a stale baseline), 2 invalid input
(an unreadable workbook or baseline, an unknown scenario, ``--update`` with
no reason), 1 anything unexpected.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from model.exit_codes import EXIT_DRIFT, EXIT_INPUT, EXIT_OK



def ask_reason(reason: str | None, stdin=None) -> str | None:
    """The reason given, or asked for on a terminal; None when there is none."""
    if reason and reason.strip():
        return reason.strip()
    stdin = stdin or sys.stdin
    if stdin is not None and stdin.isatty():
        try:
            text = input("Why do the baselines change? (one line, recorded in their history): ")
        except EOFError:
            return None
        return text.strip() or None
    return None


def regress_command(args) -> int:
    from model.regress.runner import INVALID, regress
    reason = None
    if args.update:
        reason = ask_reason(args.reason)
        if not reason:
            print("refusing to update baselines without a reason: pass --reason \"why they change\" "
                  "(it is recorded in each baseline's history)", file=sys.stderr)
            return EXIT_INPUT
    outcomes = regress(args.workbooks, Path(args.baselines), args.scenario, args.update, reason)
    for o in outcomes:
        print(o.render(), file=sys.stderr if o.invalid else sys.stdout)
    counts = Counter(o.result for o in outcomes)
    print("regress: " + ", ".join(f"{n} {r}" for r, n in sorted(counts.items())))
    if counts[INVALID]:
        return EXIT_INPUT
    if any(o.failed for o in outcomes):
        print(f"exit {EXIT_DRIFT}: the solves drifted from the baselines. If the change is intended, "
              f"run again with --update --reason \"...\" and commit the baseline files.")
        return EXIT_DRIFT
    return EXIT_OK
