"""The exit codes of every ``sourcing`` command, in one place (README's table,
``sourcing --help``). The commands import them from here, not from the CLI."""

from __future__ import annotations

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INPUT = 2            # also every usage error (an unknown option, a missing argument)
EXIT_NO_SOLUTION = 3
EXIT_VERIFY_FAILED = 4
EXIT_DRIFT = 5
EXIT_ELASTIC = 6
# a stopped run exits 128 + the signal number (model.stop): 130 Ctrl-C, 143 SIGTERM

EXIT_CODES = """exit codes:
  0         a solution was found (or the check passed)
  1         anything unexpected, or an output that could not be written (disk full)
  2         invalid input: every problem listed, naming sheet, Excel row, column and
            value; an output path refused (the input itself, a missing folder);
            or a usage error (an unknown option, a missing argument)
  3         no solution: infeasible, unbounded, or none within the time limit
  4         the independent verifier found a violated constraint
  5         regression drift (regress)
  6         --elastic bent at least one rule: the plan (status elastic) breaks them
  130, 143  stopped by Ctrl-C / SIGTERM: solve still writes a report (status interrupted)"""
