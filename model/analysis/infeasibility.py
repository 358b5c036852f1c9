"""Why is a workbook infeasible? An irreducible infeasible subsystem (IIS),
told in workbook terms.

``explain(run) -> (DataFrame, [sentence])``. HiGHS computes an IIS of the
compiled LP (``Highs.getIis`` with ``iis_strategy`` 6: from the LP, then made
irreducible). An IIS is a set of rows and variable bounds that cannot all
hold together, while dropping any one of them makes the rest feasible. Every
member is translated back through the compiled model's row and column keys and
``ModelData`` (whose ``row`` columns carry Excel rows) into a sentence such as
"Inventory row 4 asks for at least 500 t of DY_OX at BUYER at the end of 2026",
and one summary sentence ties the requirements to the limits in their way.

For a MIP the IIS is of the LP relaxation (on/off decisions between 0 and 1):
the explanation says so, and when the relaxation itself is feasible (the
conflict lies in the on/off decisions only) it says that instead.

Each member reads in workbook terms through ``model.analysis.describe``
(rows: the family's own ``RowSpec.describe``).
"""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd

from model.analysis.describe import Describer
from model.formulation.rowspec import COLUMNS, LIMIT, LINK, REQUIREMENT, Item
from model.text import join_words, percent, periods_text, sheet_rows, tonnes
from model.solve.confirm import relaxed_highs
from model.solve.highs import SolveOptions

INF = highspy.kHighsInf
IIS_STRATEGY = 6          # kIisStrategyFromLp (2) + kIisStrategyIrreducible (4)
BOUND = highspy.IisBoundStatus


# ---------------------------------------------------------------- the IIS

def compute_iis(compiled, time_limit_s=None):
    """(status text, rows [(index, side)], cols [(index, side)]) of an IIS of the
    LP (relaxation). side is 'lower', 'upper' or 'boxed'/'free'."""
    h = relaxed_highs(compiled, SolveOptions(time_limit_s=time_limit_s))
    h.run()
    status = h.getModelStatus()
    MS = highspy.HighsModelStatus
    if status == MS.kUnboundedOrInfeasible:
        h.setOptionValue("presolve", "off")
        h.run()
        status = h.getModelStatus()
    text = h.modelStatusToString(status)
    if status != MS.kInfeasible:
        return text, [], []
    h.setOptionValue("iis_strategy", IIS_STRATEGY)
    st, iis = h.getIis()
    if st == highspy.HighsStatus.kError or not iis.valid_:
        return "IIS not found", [], []
    names = {int(BOUND.kIisBoundStatusLower): "lower", int(BOUND.kIisBoundStatusUpper): "upper",
             int(BOUND.kIisBoundStatusBoxed): "boxed", int(BOUND.kIisBoundStatusFree): "free"}
    rows = [(int(i), names.get(int(b), "boxed")) for i, b in zip(iis.row_index_, iis.row_bound_)]
    cols = [(int(i), names.get(int(b), "boxed")) for i, b in zip(iis.col_index_, iis.col_bound_)]
    return text, rows, cols


def iis_items(run, rows, cols) -> list[Item]:
    c, lp = run.compiled, run.compiled.lp
    desc = Describer(run.data, run.workbook)
    items = []
    for i, side in rows:
        items.append(desc.row(c.row_con[i], c.row_key[i], float(lp.row_lower_[i]),
                              float(lp.row_upper_[i]), side))
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    for j, side in cols:
        var, key = c.col_var[j], c.col_key[j]
        sides = ["lower", "upper"] if side == "boxed" else [side]
        for sd in sides:
            value = float(lower[j] if sd == "lower" else upper[j])
            if abs(value) >= INF:
                continue
            items.append(desc.bound(var, key, sd, value))
    return items


def explain(run) -> tuple[pd.DataFrame, list[str]]:
    """Explain an infeasible run: (table of IIS members in workbook terms, sentences).

    The first sentence is the summary; then one sentence per requirement and
    limit, then the structural rows (balances) that tie them together.
    """
    empty = pd.DataFrame(columns=COLUMNS)
    status = run.status
    if status != "infeasible":
        return empty, [f"The run is {status}: there is no infeasibility to explain."]
    if run.compiled is None or run.data is None:
        return empty, ["The model was not built, so no infeasible subsystem can be computed."]
    is_mip = bool(run.compiled.integer.any())
    text, rows, cols = compute_iis(run.compiled, run.options.time_limit_s if run.options else None)
    if not rows and not cols:
        if is_mip and text in ("Optimal", "Time limit reached"):
            return empty, [
                "The workbook is infeasible only because of the on/off decisions (offers with a "
                "minimum quantity or fixed cost, processes with a fixed cost): with those "
                "decisions allowed between 0 and 1 a plan exists. Check minimum quantities "
                "against capacities, ceilings and share rules; `--elastic` shows which rows "
                "would have to bend."]
        return empty, [f"HiGHS could not compute an infeasible subsystem ({text})."]
    items = iis_items(run, rows, cols)
    order = {REQUIREMENT: 0, LIMIT: 1, LINK: 2}
    items.sort(key=lambda it: (order[it.role], it.sheet or "~", it.excel_row or 0,
                               it.period or 0, it.model_item))
    table = items_frame(items)
    sentences = [summary_sentence(items, run.data)]
    if is_mip:
        sentences.append("The model has on/off decisions (a MIP): this conflict was found in "
                         "its LP relaxation, with those decisions allowed between 0 and 1, so "
                         "it holds for the MIP too.")
    sentences.append("These cannot all hold together (dropping any one of them removes this "
                     "conflict):")
    sentences += [f"- {line}." for line in detail_lines(items)]
    return table, sentences


def detail_lines(items: list[Item]) -> list[str]:
    """One line per workbook row (its periods together), then the balances
    grouped by material; other structural members only in the table."""
    lines = []
    for group in _group([it for it in items if it.role != LINK]).values():
        if len(group) == 1:
            lines.append(group[0].meaning)
        elif group[0].role == REQUIREMENT:
            lines.append(_requirement_phrase(group))
        else:
            lines.append(_limit_phrase(group))
    demand = [it for it in items if it.constraint == "demand met or unmet"]
    lines += [it.meaning for it in demand]
    balances: dict = {}
    for it in items:
        if it.constraint == "material balance":
            balances.setdefault(it.material, []).append(it)
    for k, group in balances.items():
        if len(group) == 1:
            lines.append(group[0].meaning)
            continue
        sites = join_words(list(dict.fromkeys(it.site for it in group)))
        periods = periods_text([it.period for it in group])
        lines.append(f"material balances of {k} at {sites} in {periods}: what comes in equals "
                     f"what goes out")
    return lines


def items_frame(items) -> pd.DataFrame:
    table = pd.DataFrame([it.as_tuple() for it in items], columns=COLUMNS)
    table["excel_row"] = table["excel_row"].astype("Int64")
    table["period"] = table["period"].astype("Int64")
    return table


def _group(items):
    """{(sheet, excel_row): [items]} in first-seen order."""
    out: dict = {}
    for it in items:
        out.setdefault((it.sheet, it.excel_row, it.constraint), []).append(it)
    return out


def _amount(group) -> str:
    """'100 t in 2025' or '100 t a year in 2025-2026 (200 t in all)'."""
    unit = group[0].unit
    unit = "" if unit == "share" else (" t" if unit == "t" else f" {unit}")
    per = {}
    for it in group:
        if it.period is not None:
            per[int(it.period)] = it.bound
    if not per:
        return f"{tonnes(group[0].bound)}{unit}"
    values = set(per.values())
    if len(per) == 1:
        (p, b), = per.items()
        return f"{tonnes(b)}{unit} in {p}"
    if len(values) == 1:
        b = values.pop()
        return (f"{tonnes(b)}{unit} a year in {periods_text(per)} "
                f"({tonnes(b * len(per))}{unit} in all)")
    return f"{tonnes(sum(per.values()))}{unit} over {periods_text(per)}"


def _requirement_phrase(group) -> str:
    it = group[0]
    periods = periods_text([g.period for g in group if g.period is not None])
    top = max(g.bound for g in group)
    if it.constraint == "stock floor":
        return (f"Inventory row {it.excel_row} asks for {tonnes(top)} t of {it.material} at "
                f"{it.site} by the end of {periods}")
    if it.constraint == "offer minimum quantity":
        return (f"Supply row {it.excel_row} (offer {it.id}) must deliver at least {tonnes(top)} t "
                f"if used, in {periods}")
    if it.unit == "share":
        return (f"Policies row {it.excel_row} ({it.id}) asks for at least {percent(it.bound)} of "
                f"{it.material} arrivals from {it.detail} in {periods}")
    return it.meaning


def _limit_phrase(group) -> str:
    it = group[0]
    if it.excel_row is None:      # no workbook row of its own (an investment target's capacity)
        return it.meaning
    if it.sheet in ("Supply", "Processes"):
        what = "offer" if it.sheet == "Supply" else "process"
        verb = "can deliver" if it.sheet == "Supply" else "can run"
        return f"{it.sheet} row {it.excel_row} ({what} {it.id}) {verb} at most {_amount(group)}"
    if it.sheet == "Lanes":
        return f"Lanes row {it.excel_row} (lane {it.id}) can carry at most {_amount(group)}"
    if it.sheet == "ExportControls":
        periods = periods_text([g.period for g in group if g.period is not None])
        what = f"{it.id}: {it.detail}" if it.detail else it.id
        if it.constraint.endswith(" ban"):
            return f"ExportControls row {it.excel_row} ({what}) closes that way in {periods}"
        return (f"ExportControls row {it.excel_row} ({what}) lets at most {_amount(group)} "
                f"through")
    if it.constraint == "stock ceiling":
        return (f"Inventory row {it.excel_row} allows at most {tonnes(it.bound)} t of "
                f"{it.material} at {it.site}")
    if it.unit == "share":
        periods = periods_text([g.period for g in group if g.period is not None])
        return (f"Policies row {it.excel_row} ({it.id}) allows at most {percent(it.bound)} of "
                f"{it.material} arrivals from {it.detail} in {periods}")
    if it.sheet == "Policies":        # a clean-chain or qualified-only rule, in tonnes
        periods = periods_text([g.period for g in group if g.period is not None])
        return (f"Policies row {it.excel_row} ({it.id}: {it.detail}) allows none of the barred "
                f"material to be delivered in {periods}")
    return it.meaning


def summary_sentence(items: list[Item], data) -> str:
    req = [it for it in items if it.role == REQUIREMENT]
    lim = [it for it in items if it.role == LIMIT]
    opening = {}
    for it in items:
        if it.constraint == "material balance" and "opening stock" in it.meaning:
            st = data.stock
            hit = st[(st["site"] == it.site) & (st["material"] == it.material)]
            if len(hit):
                opening[(it.site, it.material)] = float(hit["initial"].iloc[0])
    plus = ""
    if opening:
        plus = " (plus " + join_words([f"{tonnes(v)} t of {k} in stock at {s} at the start"
                                       for (s, k), v in opening.items()]) + ")"
    if not req and not lim:
        return ("The workbook is infeasible: the rows listed below cannot all hold together.")
    req_groups = _group(req)
    lim_groups = _group(lim)
    if not req:
        return ("The workbook is infeasible: " + join_words([_limit_phrase(g) for g in
                                                               lim_groups.values()])
                + plus + ", and these limits cannot all hold together.")
    head = join_words([_requirement_phrase(g) for g in req_groups.values()])
    if not lim:
        return (f"The workbook is infeasible: {head}, which nothing in the model can "
                f"provide{plus}.")
    sites = list(dict.fromkeys(it.site for it in req if it.site))
    where = join_words(sites) or "where it is needed"
    supply_only = all(it.sheet == "Supply" and it.unit == "t" for it in lim)
    if supply_only:
        offers = sheet_rows("Supply", [it.excel_row for it in lim])
        periods = sorted(set(int(it.period) for it in lim if it.period is not None))
        total = sum(it.bound for it in lim)
        when = f" in {periods_text(periods)}" if periods else ""
        offer_ids = join_words(list(dict.fromkeys(it.id for it in lim)))
        return (f"{head}, but the only supply reaching {where}, {offers} (offer"
                f"{'s' if len(set(it.id for it in lim)) > 1 else ''} {offer_ids}), can deliver "
                f"{tonnes(total)} t{when}{plus}.")
    return (f"{head}, but what can reach {where} is limited: "
            + join_words([_limit_phrase(g) for g in lim_groups.values()]) + plus + ".")
