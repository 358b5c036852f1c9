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

This module also holds the vocabulary the other analyses share: how a model
row or column bound reads in workbook terms (``Describer``), how a rule reads
(``rule_phrase``), and how tonnes and money are written.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from model.read.workbook import ROW
from model.text import join_words, percent, periods_text, sheet_rows, tonnes
from model.solve.confirm import relaxed_highs
from model.solve.highs import SolveOptions

INF = highspy.kHighsInf
IIS_STRATEGY = 6          # kIisStrategyFromLp (2) + kIisStrategyIrreducible (4)
BOUND = highspy.IisBoundStatus

COLUMNS = ["sheet", "excel_row", "id", "constraint", "period", "site", "material", "side",
           "bound", "unit", "role", "model_item", "meaning"]

# Rows of the provenance extension (contract v1.1) that only tie flows together.
STRUCTURE = {"class_balance": "material balance of one provenance class",
             "consumption": "inputs of a provenance class", "link_run": "runs = sum over classes",
             "link_ship": "shipments = sum over classes", "link_stock": "stock = sum over classes",
             "link_discard": "discards = sum over classes", "link_met": "met = sum over classes"}

# role: requirement = asks for something (a floor, a minimum); limit = caps
# what can happen (capacities, bans, ceilings); link = structure that ties
# them together (balances, non-negativity, demand met-or-unmet).
REQUIREMENT, LIMIT, LINK = "requirement", "limit", "link"


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v == ""


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


# ---------------------------------------------------------------- vocabulary

@dataclass
class Item:
    """One model row or column bound, in workbook terms."""
    sheet: str
    excel_row: int | None
    id: str
    constraint: str
    period: int | None
    site: str
    material: str
    side: str             # "at least", "at most", "equals"
    bound: float
    unit: str             # "t", "runs", "share"
    role: str             # requirement, limit, link
    model_item: str
    meaning: str
    detail: str = ""      # a few words on the rule (not a column of the table)

    def as_tuple(self):
        return tuple(getattr(self, c) for c in COLUMNS)


def _model_item(name, key) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return f"{name}[{','.join(str(p) for p in parts)}]"


class Describer:
    """Turns (constraint or variable name, index) into workbook terms."""

    def __init__(self, data, workbook=None):
        self.data = data
        self.wb = workbook
        o = data.offers
        self.offers = {(a, int(p)): r for a, p, r in zip(o["offer"], o["period"],
                                                        o.to_dict("records"))}
        q = data.processes
        self.processes = {(a, int(p)): r for a, p, r in zip(q["process"], q["period"],
                                                           q.to_dict("records"))}
        lc = data.lane_caps
        self.lane_caps = {(a, int(p)): r for a, p, r in zip(lc["lane"], lc["period"],
                                                           lc.to_dict("records"))}
        sh = data.ship.drop_duplicates("lane")
        self.lanes = {r["lane"]: r for r in sh.to_dict("records")}
        st = data.stock
        self.stock = {(s, k, int(p)): r for s, k, p, r in zip(st["site"], st["material"],
                                                             st["period"], st.to_dict("records"))}
        d = data.demand
        self.demand = {int(i): r for i, r in zip(d["d"], d.to_dict("records"))}
        el = data.export_limits
        self.limits = {(a, int(p)): r for a, p, r in zip(el["rule"], el["period"],
                                                        el.to_dict("records"))}
        pol = data.policy_rows
        self.policies = dict(zip(pol["key"], pol.to_dict("records")))
        pv = getattr(data, "provenance", None)
        self.content, self.chain = {}, {}
        if pv is not None:
            self.content = {(a, int(p)): r for a, p, r in zip(
                pv.content_limits["rule"], pv.content_limits["period"],
                pv.content_limits.to_dict("records"))}
            self.chain = {(a, int(p)): r for a, p, r in zip(
                pv.chain_limits["rule"], pv.chain_limits["period"],
                pv.chain_limits.to_dict("records"))}
        self.first = data.periods[0]
        self.initial = {(s, k): (r["initial"] or 0.0) for (s, k, p), r in self.stock.items()
                        if p == self.first}

    def rule_record(self, sheet: str, excel_row) -> dict:
        if self.wb is None or excel_row is None:
            return {}
        frame = self.wb.tables.get(sheet)
        if frame is None or frame.empty:
            return {}
        hit = frame[frame[ROW] == excel_row]
        return hit.iloc[0].to_dict() if len(hit) else {}

    def rule_text(self, sheet: str, excel_row, rule_id: str) -> str:
        rec = self.rule_record(sheet, excel_row)
        return f"{rule_id}: {rule_phrase(sheet, rec)}" if rec else rule_id

    # rows ---------------------------------------------------------------
    def row(self, name: str, key, lower: float, upper: float, side: str | None = None) -> Item:
        mi = _model_item(name, key)
        if name == "balance":
            s, k, p = key
            init = self.initial.get((s, k), 0.0) if p == self.first else 0.0
            extra = f" (with {tonnes(init)} t of opening stock)" if init > 0 else ""
            return Item("", None, "", "material balance", p, s, k, "equals", 0.0, "t", LINK, mi,
                        f"material balance of {k} at {s} in {p}{extra}: what comes in (bought, "
                        f"made, shipped in, from stock) equals what goes out (used, shipped out, "
                        f"stocked, delivered, discarded)")
        if name == "offer_use":
            r = self.offers[(key[0], int(key[1]))]
            return Item("Supply", int(r["row"]), key[0], "offer capacity (when used)", key[1],
                        r["site"], r["material"], "at most", float(r["cap"]), "t", LIMIT, mi,
                        f"Supply row {r['row']} (offer {key[0]}) can deliver at most "
                        f"{tonnes(r['cap'])} t of {r['material']} at {r['site']} in {key[1]}, "
                        f"and only in a period in which it is used")
        if name == "offer_min":
            r = self.offers[(key[0], int(key[1]))]
            return Item("Supply", int(r["row"]), key[0], "offer minimum quantity", key[1],
                        r["site"], r["material"], "at least", float(r["minq"]), "t", REQUIREMENT,
                        mi, f"Supply row {r['row']} (offer {key[0]}) must deliver at least "
                        f"{tonnes(r['minq'])} t in {key[1]} if it is used at all")
        if name == "process_on":
            r = self.processes[(key[0], int(key[1]))]
            return Item("Processes", int(r["row"]), key[0], "process capacity (when on)", key[1],
                        r["site"], "", "at most", float(r["cap"]), "runs", LIMIT, mi,
                        f"Processes row {r['row']} (process {key[0]}) can run at most "
                        f"{tonnes(r['cap'])} times at {r['site']} in {key[1]}, and only when "
                        f"switched on")
        if name == "lane_capacity":
            r = self.lane_caps[(key[0], int(key[1]))]
            lane = self.lanes.get(key[0], {})
            route = f", {lane.get('from_site')} to {lane.get('to_site')}" if lane else ""
            return Item("Lanes", int(r["row"]), key[0], "lane capacity", key[1],
                        lane.get("to_site", ""), "", "at most", float(r["cap"]), "t", LIMIT, mi,
                        f"Lanes row {r['row']} (lane {key[0]}{route}) can carry at most "
                        f"{tonnes(r['cap'])} t in {key[1]}")
        if name == "demand":
            r = self.demand[int(key)]
            did = r["demand_id"] or f"row {r['row']}"
            return Item("Demand", int(r["row"]), str(did), "demand met or unmet", r["period"],
                        r["site"], r["material"], "equals", float(r["quantity"]), "t", LINK, mi,
                        f"Demand row {r['row']} asks for {tonnes(r['quantity'])} t of "
                        f"{r['material']} at {r['site']} in {r['period']} (met, or left unmet at "
                        f"its penalty)")
        if name in ("export_limit", "content_limit"):       # lane scope / content scope
            r = (self.limits if name == "export_limit" else self.content)[(key[0], int(key[1]))]
            what = self.rule_text("ExportControls", int(r["row"]), key[0])
            allows = ("allows no covered shipment" if r["measure"] == "ban"
                      else f"allows at most {tonnes(r['limit'])} t of covered shipments")
            rec = self.rule_record("ExportControls", int(r["row"]))
            scope = "export" if name == "export_limit" else "content"
            return Item("ExportControls", int(r["row"]), key[0], f"{scope} {r['measure']}", key[1],
                        "", rec.get("material_id") or "", "at most", float(r["limit"]), "t", LIMIT,
                        mi, f"ExportControls row {r['row']} ({what}) {allows} in {key[1]}",
                        rule_phrase("ExportControls", rec) if rec else "")
        if name == "chain_rule":
            r = self.chain[(key[0], int(key[1]))]
            rec = self.rule_record("Policies", int(r["row"]))
            phrase = rule_phrase("Policies", rec) if rec else r["kind"]
            return Item("Policies", int(r["row"]), key[0], r["kind"], key[1], "",
                        rec.get("material_id") or "", "at most", 0.0, "t", LIMIT, mi,
                        f"Policies row {r['row']} ({key[0]}: {phrase}) allows none of the barred "
                        f"material to be delivered in {key[1]}", phrase)
        if name in STRUCTURE:
            return Item("", None, "", STRUCTURE[name], None, "", "", "equals", 0.0, "t", LINK, mi,
                        f"{STRUCTURE[name]} {mi}")
        if name == "policy_share":
            r = self.policies[key]
            kind = r["kind"]
            minimum = kind.startswith("min")
            whose = f"from {r['who']}"
            share = f"{'at least' if minimum else 'at most'} {percent(r['value'])}"
            return Item("Policies", int(r["row"]), r["rule"], kind, r["period"], "", r["material"],
                        "at least" if minimum else "at most", float(r["value"]), "share",
                        REQUIREMENT if minimum else LIMIT, mi,
                        f"Policies row {r['row']} ({r['rule']}) requires {share} of the arrivals "
                        f"of {r['material']} at its demand sites to come {whose} in {r['period']}",
                        str(r["who"]))
        if name.startswith("invest_"):             # contract v1.2 (model/analysis/investment_items.py)
            from model.analysis.investment_items import row_item
            return row_item(Item, self, name, key, mi, lower, upper)
        # an unknown or future family: say what we can
        return Item("", None, "", name, None, "", "", side or "", float("nan"), "", LINK, mi,
                    f"model row {mi} (bounds {lower:g} .. {upper:g})")

    # column bounds ------------------------------------------------------
    def bound(self, var: str, key, side: str, value: float) -> Item:
        """side: 'lower' or 'upper'."""
        mi = _model_item(var, key)
        at = "at least" if side == "lower" else "at most"
        if side == "lower" and value == 0.0 and var != "stock":
            return self._nonneg(var, key, mi)
        if var in ("buy", "run"):
            from model.analysis.investment_items import capacity_note
            note = capacity_note(self.data, "offer" if var == "buy" else "process", key[0])
        if var == "buy":
            r = self.offers[(key[0], int(key[1]))]
            return Item("Supply", int(r["row"]), key[0], "offer capacity", key[1], r["site"],
                        r["material"], at, float(value), "t", LIMIT, mi,
                        f"Supply row {r['row']} (offer {key[0]}) can deliver at most "
                        f"{tonnes(value)} t of {r['material']} at {r['site']} in {key[1]}{note}")
        if var == "run":
            r = self.processes[(key[0], int(key[1]))]
            return Item("Processes", int(r["row"]), key[0], "process capacity", key[1], r["site"],
                        "", at, float(value), "runs", LIMIT, mi,
                        f"Processes row {r['row']} (process {key[0]}) can run at most "
                        f"{tonnes(value)} times at {r['site']} in {key[1]}{note}")
        if var == "stock":
            s, k, p = key
            r = self.stock[(s, k, int(p))]
            if side == "lower":
                if value <= 0:
                    return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock cannot be negative",
                                p, s, k, at, 0.0, "t", LINK, mi,
                                f"stock of {k} at {s} (Inventory row {r['row']}) cannot be "
                                f"negative in {p}")
                return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock floor", p, s, k, at,
                            float(value), "t", REQUIREMENT, mi,
                            f"Inventory row {r['row']} asks for at least {tonnes(value)} t of {k} "
                            f"at {s} at the end of {p}")
            return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock ceiling", p, s, k, at,
                        float(value), "t", LIMIT, mi,
                        f"Inventory row {r['row']} allows at most {tonnes(value)} t of {k} at {s} "
                        f"at the end of {p}")
        if var in ("met", "unmet"):
            r = self.demand[int(key)]
            return Item("Demand", int(r["row"]), str(r["demand_id"] or ""), f"{var} demand bound",
                        r["period"], r["site"], r["material"], at, float(value), "t", LINK, mi,
                        f"{'met' if var == 'met' else 'unmet'} demand of Demand row {r['row']} is "
                        f"{at} {tonnes(value)} t")
        if var in ("use_offer", "run_on"):
            what = "offer" if var == "use_offer" else "process"
            return Item("", None, str(key[0]), f"{what} on/off decision", key[1], "", "", at,
                        float(value), "", LINK, mi,
                        f"the on/off decision of {what} {key[0]} in {key[1]} is {at} "
                        f"{tonnes(value)} (relaxed to 0..1)")
        if var == "units":
            from model.analysis.investment_items import bound_item
            return bound_item(Item, self, var, key, mi, at, value)
        return Item("", None, "", f"{var} bound", None, "", "", at, float(value), "", LINK, mi,
                    f"{mi} is {at} {tonnes(value)}")

    def _nonneg(self, var, key, mi) -> Item:
        sheet, row, ident, period, site, material, what = "", None, "", None, "", "", var
        if var in ("buy", "use_offer") and (key[0], int(key[1])) in self.offers:
            r = self.offers[(key[0], int(key[1]))]
            sheet, row, ident, period, site, material = ("Supply", int(r["row"]), key[0], key[1],
                                                         r["site"], r["material"])
            what = f"purchases from Supply row {row} (offer {ident}) in {period}"
        elif var in ("run", "run_on") and (key[0], int(key[1])) in self.processes:
            r = self.processes[(key[0], int(key[1]))]
            sheet, row, ident, period, site = "Processes", int(r["row"]), key[0], key[1], r["site"]
            what = f"runs of Processes row {row} (process {ident}) in {period}"
        elif var == "ship":
            lane = self.lanes.get(key[0], {})
            sheet, row, ident, period, material = ("Lanes", int(lane["row"]) if lane else None,
                                                   key[0], key[2], key[1])
            site = lane.get("to_site", "")
            what = f"shipments of {material} on lane {ident} in {period}"
        elif var == "discard":
            site, material, period = key
            what = f"discards of {material} at {site} in {period}"
        elif var in ("met", "unmet") and int(key) in self.demand:
            r = self.demand[int(key)]
            sheet, row, ident = "Demand", int(r["row"]), str(r["demand_id"] or "")
            period, site, material = r["period"], r["site"], r["material"]
            what = f"{var} demand of Demand row {row}"
        return Item(sheet, row, ident, f"{var} cannot be negative", period, site, material,
                    "at least", 0.0, "t", LINK, mi, f"{what} cannot be negative")


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
    text, rows, cols = compute_iis(run.compiled)
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
    if it.sheet == "Policies":
        return (f"Policies row {it.excel_row} ({it.id}) asks for at least {percent(it.bound)} of "
                f"{it.material} arrivals from {it.detail} in {periods}")
    return it.meaning


def _limit_phrase(group) -> str:
    it = group[0]
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
    if it.sheet == "Policies":
        periods = periods_text([g.period for g in group if g.period is not None])
        return (f"Policies row {it.excel_row} ({it.id}) allows at most {percent(it.bound)} of "
                f"{it.material} arrivals from {it.detail} in {periods}")
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
                opening[(it.site, it.material)] = float(hit["initial"].iloc[0] or 0.0)
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
