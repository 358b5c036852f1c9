"""Investments (contract v1.2, section 4): capacity that can be built.

Prepared in two steps around ``model_data.prepare``:

1. ``Options.of(tables, periods)``: the investment options that count (enabled,
   on an enabled target; an investment on a disabled target is ignored), their
   decision windows clipped to the horizon, and the most capacity they can add
   to each target in each period (``extra``). ``prepare`` adds ``extra`` to the
   target's own capacity, so the target has a decision variable (bounded by
   own + extra, the big-M of its on/off binary) in every period an investment
   can reach, also where its own capacity is 0 or it is outside its own periods
   (its own capacity then counts 0: clarification 7.8).
2. ``frames(options, own)``: the index sets and terms the family
   ``model/formulation/investments.py`` and the cost table read.

| math | code | sheet.column |
|---|---|---|
| i | options.investment | Investments.investment_id |
| W_i | options.window | first_period..last_period, clipped to the horizon |
| cap_i | options.capacity | Investments.capacity |
| L_i | options.lead | Investments.lead_time |
| U_i | options.max_units | Investments.max_units |
| own[x,t] | caps.own | the target's capacity in t (0 outside its own periods) |
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.read.workbook import ROW
from model.validate.rules import active, active_periods

KINDS = {"Supply": ("offer", "offer_id"), "Processes": ("process", "process_id"),
         "Lanes": ("lane", "lane_id")}
OPTION_COLUMNS = ["investment", "target", "kind", "capacity", "capex", "lead", "fixed",
                  "max_units", "window", "row"]


def window(rec, periods) -> list[int]:
    """The decision periods of an Investments row: its first..last period, clipped."""
    return active_periods(rec, periods)


def whole(v) -> int:
    return int(round(float(v)))


@dataclass
class Options:
    options: pd.DataFrame           # OPTION_COLUMNS, one row per counted investment
    periods: list[int]

    @classmethod
    def of(cls, tables: dict, periods: list[int]) -> "Options":
        """tables: the workbook's tables (all rows); disabled rows are left out here."""
        inv = tables.get("Investments")
        rows = []
        if inv is not None and not inv.empty:
            kind_of = {}
            for sheet, (kind, col) in KINDS.items():
                for tid in active(tables[sheet])[col]:
                    kind_of.setdefault(tid, kind)
            for rec in active(inv).to_dict("records"):
                kind = kind_of.get(rec["target_id"])
                if kind is None or rec["capacity"] is None:
                    continue        # disabled (or unknown: validation refuses it) target
                rows.append((rec["investment_id"], rec["target_id"], kind, float(rec["capacity"]),
                             float(rec["capex"]), whole(rec["lead_time"]),
                             float(rec["fixed_cost"]), whole(rec["max_units"]),
                             window(rec, periods), rec[ROW]))
        return cls(pd.DataFrame(rows, columns=OPTION_COLUMNS), periods)

    def __bool__(self) -> bool:
        return not self.options.empty

    def extra(self, target: str) -> dict[int, float]:
        """{t: most capacity the investments on target can add in t} (t with some)."""
        out: dict[int, float] = {}
        for rec in self.options[self.options["target"] == target].to_dict("records"):
            if not rec["window"] or rec["max_units"] <= 0 or rec["capacity"] <= 0:
                continue
            start = rec["window"][0] + rec["lead"]
            for t in self.periods:
                if t >= start:
                    out[t] = out.get(t, 0.0) + rec["capacity"] * rec["max_units"]
        return out

    def targets(self) -> set[str]:
        return set(self.options["target"])


@dataclass
class Investments:
    options: pd.DataFrame   # OPTION_COLUMNS
    units: pd.DataFrame     # investment, period (decision), max_units, capex, row
    fixed: pd.DataFrame     # investment, decision, period (online t), fixed  (O&M cost terms)
    adds: pd.DataFrame      # kind, target, period t, investment, decision, capacity
    caps: pd.DataFrame      # kind, target, period t, own (capacity rows' right-hand side)


def frames(opts: Options, own: dict) -> Investments | None:
    """own: {(kind, target, t): own capacity} for the target periods that have a
    decision variable (``model_data.prepare``)."""
    if not opts:
        return None
    o, periods = opts.options, opts.periods
    units, fixed, adds = [], [], []
    for rec in o.to_dict("records"):
        for p in rec["window"]:
            units.append((rec["investment"], p, rec["max_units"], rec["capex"], rec["row"]))
            for t in periods:
                if t < p + rec["lead"]:
                    continue
                if rec["fixed"]:
                    fixed.append((rec["investment"], p, t, rec["fixed"]))
                if (rec["kind"], rec["target"], t) in own and rec["capacity"] > 0:
                    adds.append((rec["kind"], rec["target"], t, rec["investment"], p,
                                 rec["capacity"]))
    adds = pd.DataFrame(adds, columns=["kind", "target", "period", "investment", "decision",
                                       "capacity"])
    pairs = sorted(set(zip(adds["kind"], adds["target"], adds["period"])))
    caps = pd.DataFrame([(k, x, t, own[k, x, t]) for k, x, t in pairs],
                        columns=["kind", "target", "period", "own"])
    return Investments(
        o, pd.DataFrame(units, columns=["investment", "period", "max_units", "capex", "row"]),
        pd.DataFrame(fixed, columns=["investment", "decision", "period", "fixed"]), adds, caps)


def capacities(opts: Options | None, own: dict, kind: str, target: str, own_periods,
               own_cap) -> list[tuple[int, float]]:
    """[(t, capacity)] of a target row: its own periods at ``own_cap(t)``, plus the
    periods an investment can reach (own capacity 0 outside its own periods), with
    the most the investments can add; records the own capacity of those in ``own``."""
    own_periods = list(own_periods)
    extra = opts.extra(target) if opts and target in opts.targets() else {}
    if not extra:
        return [(t, own_cap(t)) for t in own_periods]
    mine = set(own_periods)
    out = []
    for t in opts.periods:
        if t not in mine and t not in extra:
            continue
        base = own_cap(t) if t in mine else 0.0
        if base is None:                # an unlimited lane (a scenario blanked it)
            out.append((t, None))
            continue
        if t in extra:
            own[kind, target, t] = base
        out.append((t, base + extra.get(t, 0.0)))
    return out


def mean(datas, probs) -> Investments | None:
    """The mean-value scenario's investments (VSS, model/risk/value.py): options, decision
    periods and capex as they stand (first stage, the same in every scenario); each
    coefficient a scenario may change at its mean: the capacity a unit decided in p adds
    in t (so a lead time that differs by scenario spreads the capacity over the periods it
    may come online in), the target's own capacity and the fixed O&M per online period."""
    invs = [(d.investments, float(w)) for d, w in zip(datas, probs)]
    first = next((inv for inv, _ in invs if inv is not None), None)
    if first is None:
        return None

    def merged(attr, key, value):
        parts = []
        for inv, w in invs:
            if inv is not None and len(getattr(inv, attr)):
                f = getattr(inv, attr)[[*key, value]].copy()
                f[value] = f[value].astype(float) * w
                parts.append(f)
        if not parts:
            return getattr(first, attr).iloc[0:0]
        out = pd.concat(parts, ignore_index=True).groupby(key, as_index=False, sort=True)[value]
        return out.sum()
    adds = merged("adds", ["kind", "target", "period", "investment", "decision"], "capacity")
    fixed = merged("fixed", ["investment", "decision", "period"], "fixed")
    caps = merged("caps", ["kind", "target", "period"], "own")
    return Investments(first.options, first.units, fixed, adds, caps)
