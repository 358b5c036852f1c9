"""Unmet demand that no plan within the workbook can close.

A plan leaves demand unmet for one of two reasons: meeting it would cost more
than its penalty (a choice), or nothing in the workbook can deliver it (a
gap). The Dashboard must tell them apart, so for each group of unmet demand
(material, segment, site: ``model.results.headline.unmet_groups``) this
module finds the **least shortfall**: the model is re-solved with every cost
set to 0 and the objective ``sum of unmet t of the group`` (every other row,
bound and rule as built; other demand may go unmet). Integer decisions are
relaxed, so for a MIP the figure is a lower bound on the least shortfall: a
gap reported here is certainly a gap.

    closable_t   = unmet_t - least_t    (left unmet by choice: meeting it would cost more,
                                         through dearer supply or other demand left short)
    unclosable_t = least_t              (no plan with today's options can meet it)

Rule, for words: a group whose ``unclosable_t`` exceeds ``TOL`` cannot be
closed with the options in the workbook; closing it needs options the
workbook does not have (more capacity, another source, an investment).
"""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd

from model.results.headline import unmet_groups
from model.solve.highs import SolveOptions, new_highs
from model.text import tonnes_rounded

TOL = 1e-6
MAX_GROUPS = 3          # the groups the headline names; the rest are not re-solved
COLUMNS = ["material_id", "segment", "site_id", "unmet_t", "least_t", "unclosable_t",
           "closable_t", "periods", "status"]


def _unmet_columns(compiled, demand: pd.DataFrame, group: dict) -> np.ndarray:
    seg = demand["segment"].where(demand["segment"].notna(), "").astype(str).str.strip()
    seg = seg.where(seg != "all", "")
    rows = demand[(demand["material"] == group["material_id"]) & (demand["site"] == group["site_id"])
                  & (seg == group["segment"])]
    ids = set(rows["d"])
    return np.array([j for j, (v, k) in enumerate(zip(compiled.col_var, compiled.col_key))
                     if v == "unmet" and k in ids], dtype=np.int32)


def least_shortfall(run) -> pd.DataFrame:
    """One row per unmet group (largest first, at most MAX_GROUPS): how much of it no plan
    can meet. Empty when everything is met or the run has no compiled model."""
    groups = unmet_groups(run.tables) if run and run.tables else pd.DataFrame()
    if groups.empty or run.compiled is None:
        return pd.DataFrame(columns=COLUMNS)
    compiled = run.compiled
    lp = compiled.lp
    n = lp.num_col_
    limit = run.options.time_limit_s if run.options else run.workbook.settings.get("time_limit_s")
    h = new_highs(SolveOptions(time_limit_s=limit))
    h.passModel(lp)
    idx = np.arange(n, dtype=np.int32)
    if compiled.integer.any():
        h.changeColsIntegrality(n, idx, np.full(n, highspy.HighsVarType.kContinuous))
    h.changeObjectiveOffset(0.0)
    rows = []
    for g in groups.head(MAX_GROUPS).to_dict("records"):
        cost = np.zeros(n)
        cost[_unmet_columns(compiled, run.data.demand, g)] = 1.0
        h.changeColsCost(n, idx, cost)
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        least = max(0.0, float(h.getInfo().objective_function_value)) if ok else None
        least = min(least, g["unmet_t"]) if least is not None else None
        rows.append({**g, "least_t": least,
                     "unclosable_t": least,
                     "closable_t": g["unmet_t"] - least if least is not None else None,
                     "status": "optimal" if ok else h.modelStatusToString(h.getModelStatus())})
    return pd.DataFrame(rows, columns=COLUMNS)


def sentence(table: pd.DataFrame) -> str:
    """The Dashboard's plain words on the gaps, or '' when every shortfall is a choice."""
    parts, chosen = [], []
    for r in table.to_dict("records"):
        what = f"{r['material_id']}" + (f" {r['segment']}" if r["segment"] else "") + f" at {r['site_id']}"
        if r["unclosable_t"] is not None and r["unclosable_t"] > TOL:
            parts.append(f"{tonnes_rounded(r['unclosable_t'])} t {what}")
        if r["closable_t"] is not None and r["closable_t"] > TOL:
            chosen.append(f"{tonnes_rounded(r['closable_t'])} t {what}")
    out = []
    if parts:
        out.append(f"Cannot be closed with the options in this workbook: {'; '.join(parts)}. "
                   "No plan within its capacities, rules and stocks meets more (sheet Shortfall); "
                   "closing it needs new options (capacity, a qualified source, an investment).")
    if chosen:
        out.append(f"Could be met, at a higher total cost (dearer supply, or other demand left "
                   f"short): {'; '.join(chosen)}.")
    return " ".join(out)
