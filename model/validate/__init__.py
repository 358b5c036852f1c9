"""Stage 2: check the meaning of the typed tables (types are checked while reading)."""

from __future__ import annotations

from model.problems import Problems
from model.read.workbook import Workbook
from model.validate import events, investments, magnitudes, profiles, rules


def validate(wb: Workbook, context: str = "") -> Problems:
    """Every problem of the workbook as it stands (or as a scenario makes it): the
    rules of each sheet, the Profiles and Investments sheets (contract v1.2), the Events
    sheet, then numbers too large for the solver."""
    p = rules.check(wb, context)
    err = lambda *a: p.error(*a, context=context)  # noqa: E731
    warn = lambda *a: p.warn(*a, context=context)  # noqa: E731
    profiles.check(wb, err, warn)
    investments.check(wb, err, warn)
    events.check(wb, err)
    magnitudes.check(wb, p, context)
    return p
