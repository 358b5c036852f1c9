"""What does each rule cost? Re-solve with every policy and export-control
rule switched off in turn.

``price_rules(path, scenario=None, enable=(), disable=()) -> DataFrame`` (one
row per ExportControls and Policies row) and ``price_rules_for(run)`` for a run
already built (the CLI's ``--price-rules``).

cost of a rule = base objective - objective with only that rule switched off:
what the rule adds to total cost over the horizon, discounted like the
objective. Removing a rule can only widen the choice, so for an LP the cost is
never negative; for a MIP each objective is known to within the MIP gap and
the table gives the interval [cost_low, cost_high] the true cost lies in.

Two methods give the same numbers (the tests check it):

- ``warm`` (default): one highspy model, kept alive; a ban, quota or share
  rule is switched off by freeing its rows' bounds (-inf..inf), a tariff by
  taking its per-tonne amount off the covered shipments' costs; then a re-solve
  from the previous basis, and the change undone. A MIP re-solve starts from a
  cleared solver state (measured faster than from the previous state or with
  the base plan offered as an incumbent), so it saves only the rebuild.
- ``cold``: the rule's own row is switched off in a copy of the workbook
  (by sheet and Excel row, so a rule id shared by the two sheets, or with an
  offer or lane, switches off only that row), and the model is prepared,
  built, compiled and solved from scratch.

Rules switched off already (``enabled`` FALSE, ``--disable`` or a scenario) are
listed as skipped, not priced; rules that cover nothing in the model cost
nothing and are not re-solved.
"""

from __future__ import annotations

import copy
import time

import numpy as np
import pandas as pd

from model.formulation import registry
from model.text import money, periods_text, rule_phrase
from model.read.workbook import ROW
from model.run import formulate, hand_over, model_data, options_of, prepare_run
from model.solve.handover import INF
from model.solve.confirm import read_checked
from model.solve.highs import SolveOptions, new_highs, solve
from model.validate.rules import active, active_periods

COLUMNS = ["sheet", "rule_id", "excel_row", "kind", "material_id", "who", "value", "periods",
           "status", "base_objective", "objective_without", "cost_of_rule", "cost_low",
           "cost_high", "seconds", "meaning"]


# ---------------------------------------------------------------- solving options

PRICE_MIP_GAP = 1e-6


def pricing_options(run, options=None, mip_gap=None):
    """Solver options for the re-solves: the run's time limit (``options``, else
    the run's own, else its workbook's), no duals, no canonical pass, and a MIP
    gap no wider than ``PRICE_MIP_GAP`` (a rule whose cost is below gap x
    objective is otherwise invisible: at the default 1e-4 and a 2 bn objective,
    anything under 200 k)."""
    base = options_of(run, options)
    gap = min(float(base.mip_gap), PRICE_MIP_GAP) if mip_gap is None else float(mip_gap)
    return SolveOptions(mip_gap=gap, time_limit_s=base.time_limit_s, want_duals=False,
                        canonical=False)


# ---------------------------------------------------------------- the rules

def rule_rows(run) -> list[dict]:
    """Every ExportControls and Policies row of the (scenario-applied) workbook."""
    out = []
    for sheet in registry.rule_sheets():
        frame = run.workbook.tables.get(sheet)
        if frame is None or frame.empty:
            continue
        on = set(active(frame)[ROW])
        for rec in frame.to_dict("records"):
            rec = dict(rec)
            rec["_sheet"] = sheet
            rec["_active"] = rec[ROW] in on
            out.append(rec)
    return out


def _rows_of(run, sheet, rule_id) -> np.ndarray:
    """Rows of one rule: the rule rows of its sheet (``registry.rules``) that the
    rule id owns."""
    c = run.compiled
    specs = {name: registry.spec(name) for name in registry.rules(sheet)}
    return np.array([i for i, (n, k) in enumerate(zip(c.row_con, c.row_key))
                     if n in specs and specs[n].owner(k) == rule_id], dtype=np.int32)


def _is_tariff(rec) -> bool:
    return rec["_sheet"] == "ExportControls" and rec.get("measure") == "tariff"


def _content_scope(rec) -> bool:
    return rec["_sheet"] == "ExportControls" and rec.get("scope") == "content"


def _tariff_cost_change(run, rec) -> dict[int, float]:
    """{column: objective coefficient removed} when a tariff rule is switched off.

    The covered shipments are found exactly as ``model_data._export_controls``
    finds them: origin in the exporter, destination in the importer (blank: any
    other country), the countries differ, the material matches, the period is
    one of the rule's."""
    data, c = run.data, run.compiled
    country = data.sites["country"].to_dict()
    rule_periods = set(active_periods(rec, data.periods))
    col = {k: j for j, (v, k) in enumerate(zip(c.col_var, c.col_key)) if v == "ship"}
    out: dict[int, float] = {}
    for lane, k, p, fs, ts in zip(data.ship["lane"], data.ship["material"], data.ship["period"],
                                  data.ship["from_site"], data.ship["to_site"]):
        cf, ct = country[fs], country[ts]
        if cf != rec["exporter"] or cf == ct or p not in rule_periods:
            continue
        if rec.get("importer") and ct != rec["importer"]:
            continue
        if rec.get("material_id") and k != rec["material_id"]:
            continue
        j = col.get((lane, k, p))
        if j is not None:
            ref = data.material_price("reference_price", [k], [p])[0]   # of the period (v1.2)
            out[j] = out.get(j, 0.0) + float(rec["value"] or 0.0) * ref * data.delta[p]
    return out


def _describe(rec) -> tuple:
    sheet = rec["_sheet"]
    if sheet == "ExportControls":
        who = f"{rec.get('exporter')} -> {rec.get('importer') or 'any'}"
        return sheet, rec["rule_id"], rec[ROW], rec.get("measure"), rec.get("material_id") or "", \
            who, rec.get("value")
    who = rec.get("company") if rec.get("kind") == "max_company_share" else rec.get("country")
    return sheet, rec["rule_id"], rec[ROW], rec.get("kind"), rec.get("material_id") or "", \
        who or "", rec.get("value")


# ---------------------------------------------------------------- solving

class _Warm:
    """One highspy model kept alive for all re-solves."""

    def __init__(self, run, options):
        self.run, self.options = run, options
        self.h = new_highs(options)
        self.h.passModel(run.compiled.lp)
        self.cold = _Cold(run, options)

    def solve(self):
        h = self.h
        if self.run.compiled.integer.any():
            # Measured on the small benchmark: a MIP re-solve from the previous
            # run's state, or with the base plan offered as an incumbent, took
            # 3-7 s; after clearSolver() 1-2 s. An LP keeps its basis (warm).
            h.clearSolver()
        h.run()
        _, sol = read_checked(h, self.run.compiled, self.options)   # "no solution" re-solved
        if sol.has_solution:
            return sol.status, sol.objective, sol.bound
        return sol.status, None, None

    def base(self):
        return self.solve()

    def without(self, rec):
        h, lp = self.h, self.run.compiled.lp
        if _is_tariff(rec) and _content_scope(rec):
            # a content-scope tariff is a cost on class-split shipments, summed
            # over rules when prepared: rebuild without it
            return self.cold.without(rec)
        if _is_tariff(rec):
            change = _tariff_cost_change(self.run, rec)
            if not change:
                return None
            idx = np.array(sorted(change), dtype=np.int32)
            old = np.asarray(lp.col_cost_, dtype=float)[idx]
            h.changeColsCost(len(idx), idx, old - np.array([change[j] for j in idx]))
            try:
                return self.solve()
            finally:
                h.changeColsCost(len(idx), idx, old)
        rows = _rows_of(self.run, rec["_sheet"], rec["rule_id"])
        if not len(rows):
            return None
        lo = np.asarray(lp.row_lower_, dtype=float)[rows]
        hi = np.asarray(lp.row_upper_, dtype=float)[rows]
        h.changeRowsBounds(len(rows), rows, np.full(len(rows), -INF), np.full(len(rows), INF))
        try:
            return self.solve()
        finally:
            h.changeRowsBounds(len(rows), rows, lo, hi)


class _Cold:
    """Prepare, build, compile and solve from scratch for every rule."""

    def __init__(self, run, options):
        self.run, self.options = run, options

    def _solve(self, wb):
        # the stages of model.run after load, as the run's own model was made
        data = model_data(wb, merge_demand=self.run.data.demand_rows is not None)
        built = formulate(data, self.run.built.skipped if self.run.built else ())
        sol = solve(hand_over(built), self.options)
        return sol.status, sol.objective, sol.bound

    def base(self):
        return self._solve(self.run.workbook)

    def without(self, rec):
        if not self._covers_something(rec):
            return None
        wb = copy.copy(self.run.workbook)
        wb.tables = dict(wb.tables)
        frame = wb.tables[rec["_sheet"]].copy()
        frame.loc[frame[ROW] == rec[ROW], "enabled"] = False
        wb.tables[rec["_sheet"]] = frame
        return self._solve(wb)

    def _covers_something(self, rec):
        if _is_tariff(rec) and _content_scope(rec):
            # summed over rules when prepared: re-solve (if it covers nothing,
            # the re-solve says so with a cost of 0)
            return self.run.data.provenance is not None
        if _is_tariff(rec):
            return bool(_tariff_cost_change(self.run, rec))
        return bool(len(_rows_of(self.run, rec["_sheet"], rec["rule_id"])))


# ---------------------------------------------------------------- the table

def price_rules(path, scenario=None, enable=(), disable=(), method: str = "warm",
                options=None, mip_gap=None, skip_families=()) -> pd.DataFrame:
    """Price every policy and export-control rule of a workbook (see the module doc)."""
    return price_rules_for(prepare_run(path, scenario, enable, disable, skip_families),
                           method=method, options=options, mip_gap=mip_gap)


def price_rules_for(run, method: str = "warm", options=None, mip_gap=None) -> pd.DataFrame:
    """Price the rules of a run already built (solved or not): the CLI path.

    options: a ``SolveOptions`` whose time limit and MIP gap replace the
    workbook's; mip_gap: the relative gap of the re-solves (default: the
    smaller of the workbook's and ``PRICE_MIP_GAP``)."""
    if method not in ("warm", "cold"):
        raise ValueError(f"method must be 'warm' or 'cold', not {method!r}")
    opts = pricing_options(run, options, mip_gap)
    engine = _Warm(run, opts) if method == "warm" else _Cold(run, opts)
    t0 = time.perf_counter()
    base_status, base, base_bound = engine.base()
    base_seconds = time.perf_counter() - t0
    is_mip = bool(run.compiled.integer.any())
    settings = run.data.settings
    cur = settings["currency"]
    horizon = run.data.periods
    over = f"over {periods_text(horizon)}"
    rate = settings["discount_rate"]
    if rate:
        over += f" (discounted at {rate * 100:g}% a year)"
    rows = []
    for rec in rule_rows(run):
        sheet, rule_id, excel_row, kind, material, who, value = _describe(rec)
        phrase = rule_phrase(sheet, rec, horizon)
        name = f"{sheet} row {excel_row} ({rule_id}: {phrase})"
        rule_periods = _rule_periods(rec, horizon)
        head = [sheet, rule_id, int(excel_row), kind, material, who, value, rule_periods]
        if not rec["_active"]:
            rows.append(head + ["skipped: disabled", base, None, None, None, None, 0.0,
                                f"{name} is switched off, so it is not priced."])
            continue
        t1 = time.perf_counter()
        result = engine.without(rec)
        seconds = time.perf_counter() - t1
        if result is None:
            cost = 0.0 if base is not None else None
            rows.append(head + ["covers nothing", base, base, cost, cost, cost, seconds,
                                f"{name} covers nothing in the model, so it costs nothing."])
            continue
        status, obj, bound = result
        rows.append(head + [status, base, obj, *_cost(base, base_bound, obj, bound, is_mip),
                            seconds, _sentence(name, base_status, base, base_bound, status, obj,
                                               bound, is_mip, cur, over)])
    table = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("base_objective", "objective_without", "cost_of_rule", "cost_low", "cost_high"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    table.attrs.update({"method": method, "base_status": base_status, "base_objective": base,
                        "base_seconds": base_seconds, "is_mip": is_mip})
    return table


def _rule_periods(rec, horizon) -> str:
    return periods_text(active_periods(rec, horizon)) or "none in the horizon"


def _cost(base, base_bound, obj, bound, is_mip):
    if base is None or obj is None:
        return None, None, None
    cost = base - obj
    if not is_mip:
        return cost, cost, cost
    # true optimum of each lies in [bound, objective]
    low = (base_bound if base_bound is not None else base) - obj
    high = base - (bound if bound is not None else obj)
    return cost, min(low, cost), max(high, cost)


def _tol(x):
    return 1e-6 * max(1.0, abs(x or 0.0))


def _sentence(name, base_status, base, base_bound, status, obj, bound, is_mip, cur, over):
    if base is None:
        if obj is not None:
            return (f"The workbook is {base_status} with all rules; without {name} it solves, at a "
                    f"total cost of {money(obj, cur)} {over}.")
        return f"The workbook is {base_status} with all rules, and still {status} without {name}."
    if obj is None:
        return f"{name} could not be priced: the re-solve without it ended {status}."
    cost, low, high = _cost(base, base_bound, obj, bound, is_mip)
    if abs(cost) <= _tol(base) and (not is_mip or high <= _tol(base)):
        return f"{name} costs nothing {over}: it does not bind."
    if is_mip and low <= _tol(base):
        return (f"{name} costs at most {money(high, cur)} {over}; within the MIP gap it may cost "
                f"nothing.")
    text = f"{name} costs {money(cost, cur)} {over}"
    if is_mip and money(low, cur) != money(high, cur):
        text += f" (between {money(low, cur)} and {money(high, cur)} within the MIP gap)"
    if status != "optimal":
        text += f"; the re-solve without it stopped early ({status})"
    return text + "."
