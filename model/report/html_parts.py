"""The pieces the web page (``model.report.html``) is written with: escaped cell text,
numbers in the report's formats, small tables, a stacked-column chart in SVG, and the page's
own CSS and JavaScript (``model/report/static/``, package data)."""

from __future__ import annotations

import html
import math
from importlib import resources

import pandas as pd

from model.report import styles as st
from model.results import figures as F

PALETTE = ["#" + c for c in st.SERIES[:10]]     # the page's series colours: the Dashboard's
# a figure's unit (model.results.figures) -> its number format on the page
FORMATS = {F.MONEY: "{:,.0f}", F.TONNES: "{:,.2f}", F.HHI: "{:,.0f}", F.SHARE: "{:.1%}",
           F.COUNT: "{:d}"}


def static(name: str) -> str:
    """A file of model/report/static/ (the page's CSS and JavaScript), as text."""
    return resources.files("model.report").joinpath("static", name).read_text(encoding="utf-8")


def num(v, fmt: str = "{:,.2f}") -> str:
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return ""
    try:
        return fmt.format(v)
    except (ValueError, TypeError):
        return html.escape(str(v))


def text(v) -> str:
    """A cell's text, escaped; empty for a missing value (None or NaN, never 'nan')."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else html.escape(str(v))


def pct(v) -> str:
    return num(v, "{:.1%}")


def table(headers, rows, classes=None, flags=None) -> str:
    """``rows`` of cell HTML; ``classes`` per column ("n": a number); ``flags[i][j]``: red."""
    classes = classes or [""] * len(headers)
    out = ["<table><thead><tr>"]
    out += [f'<th class="{c}">{html.escape(h)}</th>' for h, c in zip(headers, classes)]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, (v, c) in enumerate(zip(row, classes)):
            bad = " bad" if flags and flags[i][j] else ""
            out.append(f'<td class="{c}{bad}">{v}</td>')
        out.append("</tr>")
    if not rows:
        out.append(f'<tr><td colspan="{len(headers)}" class="none">none</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _nice(v: float) -> float:
    """The next 'round' number at or above v (whose quarters are round too)."""
    base = 10 ** math.floor(math.log10(v))
    return next(m * base for m in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10) if m * base >= v)


def stacked_svg(frame: pd.DataFrame, colours: dict, fmt: str = "{:,.0f}", width=520,
                height=240) -> str:
    """Stacked columns as inline SVG: index on x, one colour per column."""
    if frame.empty:
        return ""
    totals = frame.clip(lower=0).sum(axis=1)
    top = _nice(float(totals.max()) or 1.0)
    left, bottom, right, upper = 70, 40, 10, 10
    w = (width - left - right) / max(1, len(frame))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height + 36}" role="img">']
    for k in range(5):
        y = upper + (height - upper - bottom) * (1 - k / 4)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
                   f'{html.escape(fmt.format(top * k / 4))}</text>')
    for i, (idx, row) in enumerate(frame.iterrows()):
        y = height - bottom
        x = left + i * w + w * 0.15
        for col, v in row.items():
            if v <= 0:
                continue
            h = (height - upper - bottom) * v / top
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w * 0.7:.1f}" height="{h:.1f}" '
                       f'fill="{colours.get(col, "#999")}"><title>{html.escape(str(idx))} '
                       f'{html.escape(str(col))}: {html.escape(fmt.format(v))}</title></rect>')
        out.append(f'<text x="{x + w * 0.35:.1f}" y="{height - bottom + 14}" class="tick" '
                   f'text-anchor="middle">{html.escape(str(idx))}</text>')
    lx, ly = left, height - 8
    for col in frame.columns:
        step = 18 + 6 * len(str(col))
        if lx + step > width:
            lx, ly = left, ly + 14
        out.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" '
                   f'fill="{colours.get(col, "#999")}"/><text x="{lx + 13}" y="{ly + 9}" '
                   f'class="tick">{html.escape(str(col))}</text>')
        lx += step
    out.append("</svg>")
    return "".join(out)
