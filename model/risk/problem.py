"""Load a workbook for a risk solve: the scenarios, their probabilities and the
first-stage terms.

Which scenarios take part: ``base`` (the workbook as it stands) when Settings
``base_probability`` > 0, and every Scenarios row whose ``probability`` is
given and > 0. Their probabilities must sum to 1 (within 1e-6); otherwise the
run stops with one error that lists every probability counted (exit code 2).
A Scenarios row with a blank probability is a what-if only: it is left out,
with a warning, as is a row with probability 0.

First-stage terms come from the workbook as it stands, since they are agreed
before the scenario is known: Supply ``reservation_cost`` (blank: a spot
offer), Settings ``risk_weight`` (lambda) and ``cvar_alpha``. A scenario that
changes one of them gets a warning saying the change is ignored.

| math | code | sheet.column |
|---|---|---|
| s, p_s | Scenario.id, Scenario.probability | Scenarios.scenario_id / probability, Settings.base_probability |
| r[o] | RiskProblem.reservation | Supply.reservation_cost |
| lambda | RiskProblem.risk_weight | Settings.risk_weight |
| alpha | RiskProblem.alpha | Settings.cvar_alpha |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from model.data import scenario as scen
from model.data.model_data import ModelData, discount
from model.problems import Problem, Problems
from model.read.workbook import ROW, Workbook
from model.run import model_data, read
from model.validate.scenarios import validate_scenarios

TOLERANCE = 1e-6
FIRST_STAGE_SETTINGS = ("base_probability", "risk_weight", "cvar_alpha")


@dataclass
class Scenario:
    id: str
    probability: float
    data: ModelData
    row: int | None = None          # Scenarios row (None: base or sampled)
    changes: list = field(default_factory=list)
    workbook: Workbook | None = None


@dataclass
class RiskProblem:
    path: Path | None
    sha256: str
    settings: dict                  # of the workbook as it stands
    delta: dict[int, float]         # discount factors (first-stage costs)
    scenarios: list[Scenario]
    reservation: dict[str, float]   # offer -> reservation cost (currency/t/period)
    risk_weight: float
    alpha: float
    warnings: list[Problem] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)   # (scenario, why)
    base_workbook: Workbook | None = None

    @property
    def probabilities(self) -> list[float]:
        return [s.probability for s in self.scenarios]


def reservation_costs(wb: Workbook) -> dict[str, float]:
    """Offers with a reservation cost (any row, enabled or not: a scenario may enable it)."""
    sup = wb.tables["Supply"]
    return {o: float(r) for o, r in zip(sup["offer_id"], sup["reservation_cost"]) if r is not None}


def risk_settings(wb: Workbook) -> tuple[float, float]:
    """(risk_weight, cvar_alpha) of the workbook; the reader checked their ranges
    (``model/schema.py``)."""
    return float(wb.settings["risk_weight"]), float(wb.settings["cvar_alpha"])


def probability_plan(wb: Workbook, problems: Problems) -> tuple[list, list]:
    """[(scenario id, probability, Scenarios row)] in the risk solve, and [(id, why)] left out.

    Adds one error to ``problems`` when the probabilities do not sum to 1."""
    base_p = float(wb.settings["base_probability"])      # 0..1: checked by the reader
    base_row = wb.setting_rows.get("base_probability")
    plan, left_out, counted = [], [], []
    if base_p > 0:
        plan.append((scen.BASE, base_p, None))
    where = f"Settings row {base_row}" if base_row else "Settings, default"
    counted.append(f"base_probability {base_p:g} ({where})")
    frame = wb.tables["Scenarios"]
    for sid, p, row in zip(frame["scenario_id"], frame["probability"], frame[ROW]):
        if not sid:
            continue
        if p is None:
            left_out.append((sid, "no probability: a what-if only"))
            problems.warn("Scenarios", row, "probability", None,
                          f'scenario "{sid}" has no probability and is left out of the risk solve')
            continue
        counted.append(f'"{sid}" {float(p):g} (Scenarios row {row})')
        if p > 0:
            plan.append((sid, float(p), row))
        else:
            left_out.append((sid, "probability 0"))
    total = sum(p for _, p, _ in plan)
    if not plan:
        problems.error("Scenarios", None, "probability", None,
                       "no scenario has a probability: give Scenarios.probability and/or Settings "
                       "base_probability (the workbook as it stands) so that they sum to 1")
    elif abs(total - 1.0) > TOLERANCE:
        problems.error("Scenarios", None, "probability", round(total, 9),
                       f"the probabilities of the scenarios in a risk solve must sum to 1, "
                       f"they sum to {total:.6g}: " + " + ".join(counted))
    return plan, left_out


# Investments columns a risk scenario may change (contract v1.2, 7.9); the rest (capex,
# window, max_units, target, enabled) are first stage, as the workbook stands
SECOND_STAGE_INVESTMENT = ("capacity", "lead_time", "fixed_cost")


def first_stage_investments(wb: Workbook, changed: Workbook, sid: str, changes,
                            problems: Problems) -> None:
    """Put back the first-stage columns of Investments in a scenario's workbook, with a
    warning for each change of one (as for reservation_cost)."""
    for c in changes:
        if c.sheet == "Investments" and c.column not in SECOND_STAGE_INVESTMENT:
            problems.warn("ScenarioChanges", None, "column", c.column,
                          f'scenario "{sid}" changes Investments {c.id} {c.column}: ignored in '
                          "a risk solve (capex and timing are first stage, as the workbook "
                          "stands; a scenario may change capacity, lead_time and fixed_cost)")
    base, mine = wb.tables.get("Investments"), changed.tables.get("Investments")
    if base is None or mine is None or base.empty or mine is base:
        return
    frame = mine.copy()
    cols = [c for c in base.columns if c not in SECOND_STAGE_INVESTMENT]
    frame[cols] = base[cols].to_numpy()
    changed.tables["Investments"] = frame


def load_problem(path) -> RiskProblem:
    """Read, apply and validate every scenario of the risk solve; prepare their data.

    Raises InputError (exit code 2) listing every problem found."""
    wb, problems = read(path)       # the stages of model.run: every problem at once, raised below
    weight, alpha = risk_settings(wb)
    plan, left_out = probability_plan(wb, problems)
    checked, applied = validate_scenarios(wb, [sid for sid, _, _ in plan])
    problems.extend(checked)
    problems.extend(wb.problems.warnings)
    problems.raise_if_errors()
    scenarios = []
    for sid, p, row in plan:
        changed, changes = applied[sid]
        for c in changes:
            if (c.sheet == "Supply" and c.column == "reservation_cost") or (
                    c.sheet == "Settings" and c.id in FIRST_STAGE_SETTINGS):
                problems.warn("ScenarioChanges", None, "column", c.column,
                              f'scenario "{sid}" changes {c.sheet} {c.id} {c.column}: ignored in a '
                              "risk solve (first-stage terms are those of the workbook as it stands)")
        first_stage_investments(wb, changed, sid, changes, problems)
        scenarios.append(Scenario(sid, p, None, row, changes, changed))
    problems.raise_if_errors()
    for s in scenarios:
        s.data = model_data(s.workbook, merge_demand=False)   # one model row per Demand row
        problems.extend(s.data.problems.warnings)
    periods = {tuple(s.data.periods) for s in scenarios}
    if len(periods) > 1:
        problems.error("ScenarioChanges", None, "value", None,
                       "scenarios in a risk solve must share the horizon (first_period, last_period)")
        problems.raise_if_errors()
    warnings = list(dict.fromkeys(problems.warnings))    # the same warning from every scenario once
    return RiskProblem(Path(path), wb.sha256, dict(wb.settings), discount(wb.settings), scenarios,
                       reservation_costs(wb), weight, alpha, warnings, left_out, wb)
