"""The Dashboard block "What to build" (contract v1.2): the investments the plan
makes, from the result table ``Investments`` (model/results/investments.py).
Shown only when the workbook has an Investments sheet."""

from __future__ import annotations

import pandas as pd

from model.report import styles as st

MAX_ROWS = 10


def what_to_build(cv, left: int, top: int, table: pd.DataFrame | None, cur: str) -> int:
    """Writes the block from row ``top``; returns the next free row."""
    if table is None:
        return top
    r = cv.section(top, left, f"What to build: {int(table['units'].sum()) if len(table) else 0} "
                   f"units over {table['investment_id'].nunique() if len(table) else 0} "
                   "investments (sheet Investments)", 15)
    rows = [[rec["investment_id"], rec["target_id"], rec["period"], rec["units"],
             rec["online_from"], rec["added_capacity"], rec["capex"]]
            for rec in table.head(MAX_ROWS).to_dict("records")]
    # short headers: the block's columns are the Dashboard's narrow number columns
    end = cv.table(r, left, ["investment", "adds to", "decide", "units", "online",
                             "added", "capex"], rows,
                   [None, None, st.PERIOD, st.INTEGER, st.PERIOD, st.TONNES, st.MONEY],
                   note=f"added: capacity per period once online (t, or runs for a process); "
                        f"capex in {cur}"
                   if len(table) else "nothing is worth building at these costs")
    if len(table) > MAX_ROWS:
        cv.put(end, left, f"{len(table) - MAX_ROWS} more: sheet Investments", font=st.LABEL_FONT)
        end += 1
    return end
