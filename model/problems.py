"""Problems found in a workbook: collected, never raised one at a time.

Every problem names the sheet, the Excel row, the column, the value and what
was expected, e.g. ``Supply row 14, site_id "MY_LAMP ": no such site (did you
mean "MY_LAMP"?)``. Errors stop the run (exit code 2); warnings are shown in
the console and the report and the run goes on.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None          # Excel row number (1 = header); None: the sheet as a whole
    column: str | None
    value: object
    message: str
    severity: str = ERROR
    context: str = ""        # e.g. 'scenario "late_stibnite"'

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", {self.column}"
            if self.value is not None and self.value != "":
                where += f" {_show(self.value)}"
        text = f"{where}: {self.message}"
        if self.context:
            text += f" [{self.context}]"
        return text

    def as_dict(self) -> dict:
        return {"severity": self.severity, "sheet": self.sheet, "row": self.row,
                "column": self.column, "value": _plain(self.value), "message": self.message,
                "context": self.context}


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.15g}"      # 1e+17, not 100000000000000000
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def did_you_mean(value: object, candidates) -> str:
    """' (did you mean "X"?)' when a close candidate exists, else ''."""
    if not isinstance(value, str):
        return ""
    pool = [c for c in candidates if isinstance(c, str)]
    exact = [c for c in pool if c.strip().lower() == value.strip().lower()]
    match = exact or difflib.get_close_matches(value, pool, n=1, cutoff=0.75)
    return f' (did you mean "{match[0]}"?)' if match else ""


@dataclass
class Problems:
    """An accumulator: stages add to it, the caller decides when to stop."""
    items: list[Problem] = field(default_factory=list)

    def error(self, sheet, row, column, value, message, context=""):
        self.items.append(Problem(sheet, row, column, value, message, ERROR, context))

    def warn(self, sheet, row, column, value, message, context=""):
        self.items.append(Problem(sheet, row, column, value, message, WARNING, context))

    def extend(self, other: "Problems | list[Problem]"):
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def raise_if_errors(self):
        if self.errors:
            raise InputError(self.errors, self.warnings)


def merge_scenarios(by_scenario: dict[str, "Problems"]) -> "Problems":
    """The problems of the same checks run on several scenarios, each once:
    its context names the scenarios it was found in ('every scenario: "base",
    "UP"' when all). With one scenario alone, no context."""
    found: dict[Problem, list[str]] = {}
    for sid, problems in by_scenario.items():
        for p in problems.items:
            where = found.setdefault(replace(p, context=""), [])
            if sid not in where:
                where.append(sid)
    everyone = list(by_scenario)
    out = Problems()
    for p, sids in found.items():
        out.items.append(replace(p, context=_scenarios(sids, everyone)))
    return out


def _scenarios(sids: list[str], everyone: list[str]) -> str:
    if len(everyone) == 1:
        return ""
    names = ", ".join(f'"{s}"' for s in sids)
    if sids == everyone:
        return f"every scenario: {names}"
    return f"scenario{'s' if len(sids) > 1 else ''} {names}"


class InputError(Exception):
    """The workbook (or the command line) cannot be used: exit code 2."""

    def __init__(self, errors: list[Problem], warnings: list[Problem] | None = None):
        self.errors = list(errors)
        self.warnings = list(warnings or [])
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        return "\n".join([head, *(f"  - {p}" for p in self.errors)])


def input_error(sheet: str, message: str, value: object = None) -> InputError:
    """One whole-file or command-line problem."""
    return InputError([Problem(sheet, None, None, value, message)])
