"""Typing one cell: raw Excel value -> Python value of the schema's column type.

``convert(value, column)`` returns ``(typed_value, error, warning)``; at most
one of the messages is set. Blank cells (None, empty or whitespace-only text)
become the column default.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from model.schema import ANY, BOOL, CHOICE, COUNTRY, ID, NUMBER, PERIOD, TEXT

TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def convert(value: object, ctype: str, choices=()) -> tuple[object, str | None, str | None]:
    """Convert a non-blank cell; see the module docstring."""
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
        if math.isinf(value):
            return None, "expected a finite number", None
        return float(value), None, None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, "a date where a number is expected", None
    text = str(value).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None, "expected a number", None
    if math.isnan(number) or math.isinf(number):
        return None, "expected a finite number", None
    return number, None, "is a number stored as text (read as a number)"


def _to_period(value: object):
    if isinstance(value, (dt.date, dt.datetime)):
        return None, f"a date where a year is expected (write {value.year})", None
    number, error, warn = _to_number(value)
    if error:
        return None, "expected a year such as 2026", None
    if not float(number).is_integer():
        return None, "expected a whole year such as 2026", None
    year = int(number)
    if not 1900 <= year <= 2200:
        return None, "expected a year between 1900 and 2200", None
    return year, None, warn
