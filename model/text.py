"""How numbers, periods and lists read in the product's sentences: one home
for the report, the terminal, the analyses and the explanations. (The
verifier keeps its own words in ``model/verify/text.py``: it shares no code
with the product it checks.)"""

from __future__ import annotations

import math


def tonnes(x: float) -> str:
    """Exact: 180 -> '180', 42.5 -> '42.5', 1234567 -> '1,234,567'; below
    0.0005 in significant digits, never rounded to 0: 8e-07 -> '8e-07'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if 0 < abs(float(x)) < 5e-4:
        return f"{float(x):.3g}"
    text = f"{float(x):,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def tonnes_rounded(v: float) -> str:
    """For headlines: whole tonnes, or two decimals where the tonnes are not whole."""
    return f"{v:,.0f}" if abs(v - round(v)) < 0.005 else f"{v:,.2f}"


def money(x: float, currency: str = "USD") -> str:
    """12_345_678 -> '12.3 M USD'; 270 -> '270 USD'."""
    v = float(x)
    if abs(v) >= 1e9:
        return f"{v / 1e9:,.1f} bn {currency}"
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.1f} M {currency}"
    return f"{v:,.0f} {currency}"


def percent(v: float) -> str:
    return f"{float(v) * 100:g}%"


def join_words(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def periods_text(periods) -> str:
    """[2025, 2026, 2027, 2029] -> '2025-2027, 2029'; [] -> ''."""
    ps = sorted({int(p) for p in periods})
    out, start, prev = [], None, None
    for p in ps:
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append(f"{start}-{prev}" if prev > start else f"{start}")
            start = prev = p
    if start is not None:
        out.append(f"{start}-{prev}" if prev > start else f"{start}")
    return ", ".join(out)


def sheet_rows(sheet: str, rows) -> str:
    """'Supply row 3', 'Supply rows 3 and 7'."""
    rs = sorted(set(int(r) for r in rows))
    if len(rs) == 1:
        return f"{sheet} row {rs[0]}"
    return f"{sheet} rows {join_words([str(r) for r in rs])}"
