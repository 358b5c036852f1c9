"""Every constraint of the contract and the objective, recomputed in plain
Python from the input rows and the report's decisions (docs/verification.md).

``Checker(inputs, decisions, tolerance).run(summary, problems)`` fills
``violations`` (one sentence each, naming the workbook row it breaks) and
``checks`` (the number of constraints evaluated). The families are checked
one module each, in this order:

| module | what |
|---|---|
| ``investments`` | units, capex, O&M and added capacity; lanes' lead times (contract v1.2) |
| ``sources`` | offers and processes: references, capacities, minimum quantities |
| ``network`` | lanes, stock, discards, demand |
| ``balance`` | every site, material and period |
| ``rules`` | export bans and quotas, share policies |
| ``sheets`` | ArrivalsByCountry and ProcessFlows against the recomputation |
| ``provenance`` | clean_chain, qualified_only and content-scope rules (contract v1.1) |
| ``sales`` | Sales rows: capacity, periods, revenue (contract v1.2) |
| ``contracts`` | TakeOrPay and PricesPaid against the recomputation (contract v1.2) |
| ``objective`` | the objective and CostByCategory |

The families add the cost terms they meet to ``Checker.cost``; violations of
derived report columns (``Checker.same``) are listed after the others.
"""

from __future__ import annotations

from collections import defaultdict

from model.verify import (balance, contracts, investments, network, objective, provenance, rules,
                          sales, sheets, sources)
from model.verify.decisions import REPORT_ROW, Decisions, as_number
from model.verify.inputs import Inputs
from model.verify.text import q
from model.verify.verdict import Tolerance


class Checker:
    def __init__(self, inp: Inputs, dec: Decisions, tol: Tolerance):
        self.inp, self.dec, self.tol = inp, dec, tol
        self.violations: list[str] = []
        self.consistency: list[str] = []   # derived report columns, listed after the constraints
        self.checks = 0
        self.cost: dict[tuple[str, int], float] = defaultdict(float)
        self.objective: float | None = None
        self.horizon = set(inp.periods)
        self.reported: float | None = None
        self.slack = 0.0                   # money: report rounding x cost coefficients
        self.content_paid: dict[tuple, float] = defaultdict(float)  # content-scope tariffs per lane, k, p
        self.ship_costs: list[tuple] = []  # (rec, (lane, k, p), freight, tariff, x), checked last

    # -- helpers ---------------------------------------------------------------
    def fail(self, text: str) -> None:
        self.violations.append(text)

    def over(self, value: float, limit: float, *magnitudes: float) -> float | None:
        """The excess of value above limit when beyond tolerance, else None."""
        excess = value - limit
        tol = self.tol.t(limit, value, *magnitudes)
        return excess if excess > tol else None

    def tol_note(self, *magnitudes: float, unit: str = "t") -> str:
        return f"tolerance {self.tol.t(*magnitudes):.3g} {unit}"

    def within_capacity(self, where: str, used: str, x: float, cap, src: str,
                        unit: str = "t") -> None:
        """One capacity check: '{where}: {used} > capacity ...' when x exceeds cap
        (None: unlimited) beyond the tolerance; src names a CapacityProfile row."""
        self.checks += 1
        if cap is None:          # unlimited (a blank capacity, contract v1.2)
            return
        excess = self.over(x, cap)
        if excess is not None:
            self.fail(f"{where}: {used} > capacity {q(cap)} {unit}"
                      f"{' (' + src + ')' if src else ''} "
                      f"[excess {q(excess)} {unit}, {self.tol_note(cap, x, unit=unit)}]")

    def rrow(self, sheet: str, key) -> str:
        rec = self.dec.where.get((sheet, key))
        return f"{sheet} row {rec[REPORT_ROW]}" if rec else sheet

    def in_horizon(self, sheet: str, key, period) -> bool:
        if period in self.horizon:
            return True
        self.fail(f"{self.rrow(sheet, key)}: period {period} is outside the horizon "
                  f"{self.inp.periods[0]}-{self.inp.periods[-1]}")
        return False

    def nonnegative(self, sheet: str, key, value: float, what: str) -> None:
        self.checks += 1
        if value < -self.tol.t(value):
            self.fail(f"{self.rrow(sheet, key)}: {what} {q(value)} is negative "
                      f"({self.tol_note(value)})")

    # -- the whole check -------------------------------------------------------
    def run(self, summary: dict, problems: list[str]) -> None:
        self.violations.extend(problems)
        self.checks += len(problems)
        investments.check(self)
        investments.lead_times(self)
        sources.check(self)
        sales.check(self)
        network.check(self)
        balance.check(self)
        rules.check(self)
        sheets.flows_sheet(self)
        contracts.check(self)
        provenance.check(self)
        self.shipment_costs()
        objective.check(self, summary)
        self.violations.extend(self.consistency)

    def shipment_costs(self) -> None:
        """Shipments' tariff_per_t and cost, once content-scope tariffs are known."""
        for rec, key, freight, tariff, x in self.ship_costs:
            paid = self.content_paid.get(key, 0.0)
            per_t = tariff + (paid / x if x > 0 else 0.0)
            self.same(rec, "Shipments", "tariff_per_t", per_t,
                      "tariff_rate, tariff rules and content-scope tariffs x reference_price",
                      money=True)
            self.same(rec, "Shipments", "cost", freight * x + tariff * x + paid,
                      "quantity_t x (freight + tariff)", money=True)

    # -- shared by the families -------------------------------------------------
    def lane_tariff(self, lane: str, k: str, p: int) -> float:
        """Tariff per t: the lane's tariff_rate and every covering tariff rule."""
        ln = self.inp.lanes[lane]
        ref = self.inp.ref(k, p)          # the reference price of the period of shipment
        rate = self.inp.cell("Lanes", lane, "tariff_rate", p, ln["tariff_rate"])[0]
        for r in self.inp.export_rules:
            if r["measure"] == "tariff" and self.covers(r, lane, k, p):
                rate += r["value"] or 0.0
        return rate * ref

    def covers(self, rule: dict, lane: str, k: str, p: int) -> bool:
        ln = self.inp.lanes[lane]
        a = self.inp.sites.get(ln["from"], {}).get("country")
        b = self.inp.sites.get(ln["to"], {}).get("country")
        return (a is not None and b is not None and a == rule["exporter"] and a != b
                and (rule["importer"] is None or rule["importer"] == b)
                and (rule["material"] is None or rule["material"] == k)
                and p in rule["periods"])

    def add_cost(self, category: str, p: int, coef: float, x: float) -> None:
        """coef x x into (category, p), and its share of the rounding slack."""
        if coef:
            self.cost[(category, p)] += coef * x
            self.slack_for(coef, p)

    def slack_for(self, coef: float, p: int) -> None:
        self.slack += abs(coef) * self.inp.delta.get(p, 1.0) * self.tol.report_rounding / 2

    def money_tol(self) -> float:
        """objective_rel x max(1, |objective|), plus the report's rounding
        allowance capped at as much again: a cost coefficient, however large,
        never widens the tolerance beyond twice the relative one."""
        scale = max([1.0] + [abs(v) for v in (self.objective, self.reported) if v is not None])
        relative = self.tol.objective_rel * scale
        return relative + min(self.slack, relative)

    def same(self, rec: dict, sheet: str, col: str, want, source: str, money: bool = False,
             label: str | None = None) -> None:
        """A derived report column against its recomputation (report consistency)."""
        if col not in rec:
            return
        got = as_number(rec[col])
        if got is None and want is not None:
            return                     # a derived cell left blank (a row added by hand)
        self.checks += 1
        if want is None and got is None:
            return
        if want is not None:
            tol = (self.tol.objective_rel if money else self.tol.quantity_abs) * max(
                1.0, abs(want), abs(got))
            if abs(got - want) <= tol:
                return
        where = f"{label or sheet} row {rec[REPORT_ROW]}"
        self.consistency.append(f"{where}: {col} {q(got)} in the report, "
                                f"{'(blank)' if want is None else q(want)} from {source}")
