"""Tables printed on the terminal, in the report's number formats.

``text_table(frame, sheet)`` formats each column the way the report's sheet
of that name formats it (``styles.column_info``): money without decimals and
with thousands separators, t with two decimals, shares as %; blanks (None,
NaN) print as ``-``. No scientific notation, no NaN, no None.
"""

from __future__ import annotations

import math

import pandas as pd

from model.report import styles as st

_PYTHON = {st.MONEY: "{:,.0f}", st.TONNES: "{:,.2f}", st.SHARE: "{:.1%}", st.INTEGER: "{:.0f}",
           st.RATE: "{:,.2f}"}
BLANK = "-"


def cell_text(value, fmt: str | None) -> str:
    """One value as the report shows it; '-' for a blank."""
    if hasattr(value, "item"):                # numpy scalar
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return BLANK
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return _PYTHON.get(fmt, "{:,.2f}" if isinstance(value, float) else "{}").format(value)


def text_table(frame: pd.DataFrame, sheet: str, currency: str = "USD") -> str:
    """The frame as aligned text: text columns left, numbers right."""
    columns = [str(c) for c in frame.columns]
    cells, numeric = [], []
    for c in columns:
        fmt, _ = st.column_info(sheet, c, currency)
        cells.append([cell_text(v, fmt) for v in frame[c]])
        numeric.append(pd.api.types.is_numeric_dtype(frame[c].dtype) or fmt is not None)
    widths = [max([len(c)] + [len(v) for v in col]) for c, col in zip(columns, cells)]
    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()
    rows = [line(columns)] + [line([col[i] for col in cells]) for i in range(len(frame))]
    return "\n".join(rows)
