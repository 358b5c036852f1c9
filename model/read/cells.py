"""Typing one cell: raw Excel value -> Python value of the schema's column type.

``convert(value, column)`` returns ``(typed_value, error, warning)``; at most
one of the messages is set. Blank cells (None, empty or whitespace-only text)
become the column default.

A number is never guessed (docs/extensions.md, "Reading and checking the
workbook"): a cell holding NaN or an infinity is an error, whatever the
column; text in a number column is read only when it spells one number, with
"." as the decimal point ("42", "-1.5", "2e3", or with thousands separators
that cannot be a decimal comma: "1,250.5", "1,000,000"), and the warning
says the value used. A decimal comma ("6,6", "1.234,5") and "1,234" (1234 or
1.234?) are errors.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from model.schema import ANY, BOOL, CHOICE, COUNTRY, ID, NUMBER, PERIOD, PERIOD_RANGE, TEXT

TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")        # 1,234,567 or 1,234.5
_ONE_GROUP = re.compile(r"[+-]?\d{1,3},\d{3}")                  # 1,234: 1234 or 1.234?
_DECIMAL_COMMA = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+")  # 6,6  0,6  1.234,5
NAN_TEXT = "is not a number (NaN): type the value, or clear the cell for the default"
INFINITE_TEXT = "is not a finite number"


def is_blank(value: object) -> bool:
    """None, or text that is empty once trimmed. (NaN is not blank: it is refused.)"""
    if value is None:
        return True
    return isinstance(value, str) and value.strip() == ""


def plain_number(text: str) -> float | None:
    """The finite number ``text`` spells in plain notation ('42', '-1.5', '2e3'), else None."""
    text = text.strip()
    if not _PLAIN.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _not_finite(value: float) -> str:
    return NAN_TEXT if math.isnan(value) else INFINITE_TEXT


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def convert(value: object, ctype: str, choices=()) -> tuple[object, str | None, str | None]:
    """Convert a non-blank cell; see the module docstring."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, _not_finite(value), None
    if ctype == ANY:
        return value, None, None
    if ctype in (ID, TEXT):
        if isinstance(value, bool):
            return str(value).upper(), None, None
        if isinstance(value, (int, float)):
            return _number_text(value), None, None
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            return None, "a date where text is expected", None
        text = str(value)
        stripped = text.strip()
        warn = ("has leading or trailing spaces (trimmed)"
                if ctype == ID and stripped != text else None)
        return stripped, None, warn
    if ctype == NUMBER:
        return _to_number(value)
    if ctype == PERIOD:
        return _to_period(value)
    if ctype == BOOL:
        if isinstance(value, bool):
            return value, None, None
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value), None, None
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True, None, None
        if word in FALSE_WORDS:
            return False, None, None
        return None, "expected TRUE/FALSE, yes/no or 1/0", None
    if ctype == COUNTRY:
        if not isinstance(value, str):
            return None, "expected a two-letter ISO country code such as US", None
        code = value.strip().upper()
        if not _COUNTRY.match(code):
            return None, "expected a two-letter ISO country code such as US", None
        return code, None, None
    if ctype == CHOICE:
        word = str(value).strip().lower() if not isinstance(value, bool) else str(value)
        if word not in choices:
            return None, "expected one of " + ", ".join(choices), None
        return word, None, None
    raise ValueError(f"unknown column type {ctype}")


def _to_number(value: object):
    if isinstance(value, bool):
        return None, "expected a number, not TRUE/FALSE", None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None, _not_finite(value), None
        return float(value), None, None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, "a date where a number is expected", None
    text = str(value).strip()
    number = plain_number(text)
    if number is None and _GROUPED.fullmatch(text) and not _ONE_GROUP.fullmatch(text):
        number = float(text.replace(",", ""))
    if number is None:
        return None, _not_a_number(text), None
    return number, None, f"is a number stored as text (read as {_number_text(number)})"


def _not_a_number(text: str) -> str:
    """Why a text in a number column is not read as a number."""
    word = text.lower().lstrip("+-")
    if word == "nan":
        return NAN_TEXT
    if word in ("inf", "infinity") or plain_number(text) is None and _PLAIN.fullmatch(text):
        return INFINITE_TEXT
    if _ONE_GROUP.fullmatch(text):
        whole = text.replace(",", "")
        return (f"is ambiguous: {whole} with a thousands separator or "
                f"{text.replace(',', '.')} with a decimal comma; type the number in the cell")
    if _DECIMAL_COMMA.fullmatch(text):
        meant = text.replace(".", "").replace(",", ".")
        return (f"has a decimal comma: write {meant} if that is meant (the decimal point "
                "is \".\"; a comma only separates thousands, as in 1,250.5)")
    return "expected a number"


def _to_period(value: object):
    if isinstance(value, (dt.date, dt.datetime)):
        return None, f"a date where a year is expected (write {value.year})", None
    number, error, warn = _to_number(value)
    if error:
        return None, "expected a year such as 2026", None
    if not float(number).is_integer():
        return None, "expected a whole year such as 2026 (or a period number)", None
    year = int(number)
    if not PERIOD_RANGE.holds(year):     # contract v1.2, 7.2: periods need not be calendar years
        return None, ("expected a year such as 2026 or a period number from "
                      f"{PERIOD_RANGE.lo:g} to {PERIOD_RANGE.hi:g}"), None
    return year, None, warn
