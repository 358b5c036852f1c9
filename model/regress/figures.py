"""The figures a baseline holds: aggregates of a solve, never single decisions.

Alternative optima move individual purchases and shipments around without
changing what an analyst reads off the report, so a baseline keeps only
aggregates (the solve's canonical pass makes decisions repeatable as well,
but a baseline must not depend on it):

| section | unit | key | source table |
|---|---|---|---|
| cost | currency | category | CostByCategory, undiscounted, summed over the horizon |
| discounted_cost | currency | category | CostByCategory, discounted (sums to the objective) |
| cost_by_period | currency | category\\|period | CostByCategory, undiscounted |
| arrivals_t | t | material\\|country | ArrivalsByCountry, summed over the horizon |
| unmet_t | t | material | Demand.unmet_t, summed over the horizon |
| unmet_t_by_period | t | material\\|period | Demand.unmet_t |
| end_stock_t | t | site\\|material\\|period | Stock.stock_t (end of period) |

A figure absent on one side counts as 0 there. Values are rounded to 6
decimals, far below the tolerances, so repeated updates do not churn files.
"""

from __future__ import annotations

from dataclasses import dataclass

T, MONEY = "t", "currency"
DECIMALS = 6
SEP = "|"


@dataclass(frozen=True)
class Section:
    name: str
    unit: str          # T or MONEY: picks the absolute tolerance
    key: str           # what the keys are made of
    meaning: str


SECTIONS = (
    Section("cost", MONEY, "category", "undiscounted cost over the horizon"),
    Section("discounted_cost", MONEY, "category", "discounted cost over the horizon (sums to the objective)"),
    Section("cost_by_period", MONEY, "category|period", "undiscounted cost per period"),
    Section("arrivals_t", T, "material|country", "arrivals at demand sites over the horizon, by origin country"),
    Section("unmet_t", T, "material", "unmet demand over the horizon"),
    Section("unmet_t_by_period", T, "material|period", "unmet demand per period"),
    Section("end_stock_t", T, "site|material|period", "end-of-period stock"),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}


def number(v) -> float:
    """A stable float for a baseline file: rounded, no negative zero."""
    return round(float(v), DECIMALS) + 0.0


def _key(*parts) -> str:
    out = []
    for p in parts:
        if isinstance(p, float) and p.is_integer():
            p = int(p)
        elif hasattr(p, "item"):   # numpy scalar
            p = p.item()
        out.append(str(p))
    return SEP.join(out)


def _sum(frame, keys, value) -> dict[str, float]:
    if frame is None or len(frame) == 0:
        return {}
    grouped = frame.groupby(list(keys), sort=True, dropna=False)[value].sum()
    return {_key(*(k if isinstance(k, tuple) else (k,))): number(v) for k, v in grouped.items()}


def figures(tables: dict) -> dict[str, dict[str, float]]:
    """{section: {key: value}} from a run's result tables (empty if no solution)."""
    if not tables:
        return {s.name: {} for s in SECTIONS}
    cost = tables.get("CostByCategory")
    demand = tables.get("Demand")
    out = {
        "cost": _sum(cost, ["category"], "cost"),
        "discounted_cost": _sum(cost, ["category"], "discounted_cost"),
        "cost_by_period": _sum(cost, ["category", "period"], "cost"),
        "arrivals_t": _sum(tables.get("ArrivalsByCountry"), ["material_id", "country"], "arrivals_t"),
        "unmet_t": _sum(demand, ["material_id"], "unmet_t"),
        "unmet_t_by_period": _sum(demand, ["material_id", "period"], "unmet_t"),
        "end_stock_t": _sum(tables.get("Stock"), ["site_id", "material_id", "period"], "stock_t"),
    }
    # cost keys in the model's category order, the rest sorted
    from model.formulation.costs import CATEGORIES
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    for name in ("cost", "discounted_cost", "cost_by_period"):
        out[name] = dict(sorted(out[name].items(),
                                key=lambda kv: (rank.get(kv[0].split(SEP)[0], len(rank)), kv[0])))
    return out
