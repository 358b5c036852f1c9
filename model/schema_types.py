"""The vocabulary of the workbook's schema (``model/schema.py``): column types,
valid ranges, and what a column, a sheet and a setting declare. The schema
itself, the sheets and settings as data, lives in ``model/schema.py``."""

from __future__ import annotations

from dataclasses import dataclass

# Column types understood by the reader (``model/read/cells.py``).
ID, TEXT, NUMBER, PERIOD, BOOL, COUNTRY, CHOICE, ANY = (
    "id", "text", "number", "period", "bool", "country", "choice", "any")


@dataclass(frozen=True)
class Range:
    """The valid values of a number: ``lo`` .. ``hi`` (None: no bound on that side),
    an open end excluded, ``whole``: whole numbers only. The reader and the checks
    test values against it; the template, the guide and the messages print it."""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    whole: bool = False

    def holds(self, v) -> bool:
        v = float(v)
        if self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo):
            return False
        if self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi):
            return False
        return not self.whole or v.is_integer()

    def bounds_text(self) -> str:
        """'>= 0', 'above 0', 'between 0 and 1', 'at least 0 and below 1' ('' if unbounded)."""
        lo, hi = (None if b is None else f"{b:g}" for b in (self.lo, self.hi))
        if lo is not None and hi is not None and not (self.lo_open or self.hi_open):
            return f"between {lo} and {hi}"
        if hi is None:
            return "" if lo is None else (f"above {lo}" if self.lo_open else f">= {lo}")
        upper = f"below {hi}" if self.hi_open else f"at most {hi}"
        if lo is None:
            return upper
        return f"{'above' if self.lo_open else 'at least'} {lo} and {upper}"

    def text(self) -> str:
        """The range in words: '>= 0', 'at least 0 and below 1', 'a whole number >= 0'."""
        bounds = self.bounds_text()
        if not self.whole:
            return bounds
        return "a whole number" + (f" {bounds}" if bounds else "")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    help: str
    default: object = None          # value used when the cell is blank
    required: bool = False          # a blank cell is an error
    unit: str = ""
    ref: tuple[str, str] | None = None   # (sheet, column) the value must exist in
    choices: tuple[str, ...] = ()
    nonnegative: bool = False
    fraction: bool = False          # must lie in 0..1
    ext: bool = False               # extension beyond contract v1
    header: bool = False            # the column must be present even where blank cells are
                                    # allowed (Supply/Processes capacity: blank is unlimited)
    whole: bool = False             # a whole number (lead times, units, durations)

    @property
    def range(self) -> Range | None:
        """The valid values of a number column (None: any number, or not a number)."""
        if self.type != NUMBER or not (self.nonnegative or self.fraction or self.whole):
            return None
        return Range(0.0 if self.nonnegative or self.fraction else None,
                     1.0 if self.fraction else None, whole=self.whole)


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = ()       # unique key (an id column or a composite)
    id_column: str | None = None    # how ScenarioChanges address a row
    ext: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def has_enabled(self) -> bool:
        return "enabled" in self.column_names


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    help: str
    default: object = None
    required: bool = False
    unit: str = ""
    range: Range | None = None      # valid values (checked by the reader and for scenarios)
    why: str = ""                   # said after a value out of range, e.g. "(0.95: ...)"
    ext: bool = False

    def problem(self, value) -> str | None:
        """Why ``value`` (typed) is not a valid value of this setting, else None."""
        if value is None or self.range is None or self.range.holds(value):
            return None
        return f"{self.key} must be {self.range.text()}" + (f" {self.why}" if self.why else "")
