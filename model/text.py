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


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def rule_phrase(sheet: str, rec: dict, horizon=None) -> str:
    """What an ExportControls or Policies row says, in a few words."""
    first, last = rec.get("first_period"), rec.get("last_period")
    when = ""
    if horizon is not None and not (_blank(first) and _blank(last)):
        a = horizon[0] if _blank(first) else int(first)
        b = horizon[-1] if _blank(last) else int(last)
        when = f", {a}" if a == b else f", {a}-{b}"
    if sheet == "ExportControls":
        mat = rec.get("material_id") or "all material"
        imp = rec.get("importer") or "any other country"
        what = f"{mat} exports from {rec.get('exporter')} to {imp}"
        if rec.get("scope") == "content":
            what = (f"{mat} that has touched {rec.get('exporter')} crossing a border into "
                    f"{rec.get('importer') or 'any country'}")
        measure = rec.get("measure")
        value = rec.get("value")
        if measure == "ban":
            text = f"ban on {what}"
        elif measure == "quota":
            text = f"quota of {tonnes(value or 0)} t a year on {what}"
        else:
            text = f"tariff of {percent(value or 0)} of the reference price on {what}"
        return text + when
    kind = rec.get("kind") or ""
    mat = rec.get("material_id") or "every demanded material"
    value = percent(rec.get("value") or 0)
    if kind == "clean_chain":
        return (f"clean chain: no {mat} for segment {rec.get('segment')} that has touched "
                f"{rec.get('group')}") + when
    if kind == "qualified_only":
        return (f"qualified only: {mat} for segment {rec.get('segment')} only from sources "
                f"qualified for it") + when
    if kind == "max_company_share":
        who = rec.get("company") or "any one company"
        text = f"max {value} from {who} for {mat}"
    elif kind == "min_country_share":
        text = f"min {value} from {rec.get('country')} for {mat}"
    else:
        who = rec.get("country") or "any one country"
        text = f"max {value} from {who} for {mat}"
    return text + when
