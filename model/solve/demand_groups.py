"""Demand rows that the model cannot tell apart are one decision.

Two Demand rows with the same site, material, period, penalty, segment and
reachability (every column of ``ModelData.demand`` but the row's identity and
its quantity) enter the model in exactly the same way: their ``met`` columns
sit in the same balance row with the same cost, and so do their ``unmet``
columns. A workbook of order lines (tens of thousands of rows over a few
thousand such keys) then gives HiGHS tens of thousands of interchangeable
columns and rows, and gives our build, canonical pass and extraction as many
again. ``merge`` makes one model row of each such group (quantity = the sum,
identity of its first row), ``split`` hands the group's met tonnes back to
its rows after the solve.

The cost, every other decision and every total per group are those of the
row-by-row model: the merged LP is the row-by-row LP with the group's columns
added up (any split of a group's met tonnes is feasible and costs the same).
Within a group the split is a free choice; ``split`` fills the rows in sheet
order (each row met in full before the next gets any), so at most one row of
a group is part-met, as in a basic (vertex) solution of the row-by-row LP.

Where rules follow the material (``data.provenance``), the per-row class
frames (``metc``, ``chain_cover``) follow the merge: alike rows have the same
classes and are covered by the same chain rules. Where no two rows are
alike nothing changes: the model is the row-by-row model.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

# the row's identity and amount: every other column of the demand frame must match
OWN = ("d", "demand_id", "quantity", "row")


@dataclass
class Groups:
    rows: pd.DataFrame        # the row-by-row demand frame (ModelData.demand before merging)
    group: np.ndarray         # the merged row (its d) of each of ``rows``


def merge(data) -> tuple[object, Groups | None]:
    """(data with alike Demand rows merged, Groups); (data, None) where nothing merges."""
    d = data.demand
    if len(d) < 2:
        return data, None
    key_cols = [c for c in d.columns if c not in OWN]
    first: dict = {}
    group = np.fromiter((first.setdefault(k, len(first))
                         for k in zip(*(d[c].tolist() for c in key_cols))),
                        dtype=np.int64, count=len(d))
    if len(first) == len(d):
        return data, None
    heads = np.unique(group, return_index=True)[1]      # first row of each group, in sheet order
    merged = d.iloc[heads].reset_index(drop=True)
    merged["quantity"] = np.bincount(group, weights=d["quantity"].to_numpy(float))
    merged["d"] = np.arange(len(merged))
    groups = Groups(d, group)
    return replace(data, demand=merged, demand_rows=groups, _keys={},
                   provenance=_provenance(data.provenance, group)), groups


def _provenance(pv, group: np.ndarray):
    """Per-row class frames (metc, chain_cover: every frame with a ``d`` column)
    on the merged rows: alike rows have the same classes and rules, so each
    merged row keeps its first row's entries."""
    if pv is None:
        return None
    change = {}
    for f in fields(pv):
        frame = getattr(pv, f.name)
        if isinstance(frame, pd.DataFrame) and "d" in frame.columns:
            out = frame.assign(d=group[frame["d"].to_numpy(np.int64)])
            change[f.name] = out.drop_duplicates().reset_index(drop=True)
    return replace(pv, **change)


def split(met: np.ndarray, groups: Groups) -> np.ndarray:
    """Met tonnes of each row-by-row Demand row, from ``met`` of each merged row:
    the rows of a group in sheet order, each met in full before the next."""
    qty = groups.rows["quantity"].to_numpy(float)
    g = groups.group
    # tonnes of the group's earlier rows (sheet order)
    before = pd.Series(qty).groupby(g, sort=False).cumsum().to_numpy() - qty
    return np.clip(np.asarray(met, dtype=float)[g] - before, 0.0, qty)
