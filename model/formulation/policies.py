"""The buyer's sourcing policies: shares of arrivals at demand sites.

    sum_{a in A(k,p), who(a) = w} coef[a] x[a]  <=  value * sum_{a in A(k,p)} coef[a] x[a]   (max_*_share)
    sum_{a in A(k,p), who(a) = w} coef[a] x[a]  >=  value * sum_{a in A(k,p)} coef[a] x[a]   (min_country_share)

A(k,p), the arrivals of material k in period p: shipments into a demand site
of k (attributed to the origin site), purchases and process outputs at a
demand site of k (attributed to that site). who(a) is the country or company.
One row per rule, material, period and country or company (key).

| math | code | sheet.column |
|---|---|---|
| w | policy_rows.who | Policies.country / company (blank: each one) |
| value | policy_rows.value | Policies.value |
| x[a], coef[a] | arrivals.var, key, coef | buy, run (x output per run), ship |
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.data.columns import lists
from model.formulation.rowspec import LIMIT, REQUIREMENT, Head, Item, RowSpec, first, model_item
from model.text import percent


def add(m, data) -> int:
    pol = data.policy_rows
    if pol.empty:
        return 0
    arr = data.arrivals
    by_kp: dict = {}
    for var, key, coef, k, p, country, company in zip(*lists(arr, "var", "key", "coef", "material",
                                                              "period", "country", "company")):
        by_kp.setdefault((k, p), []).append((getattr(m, var)[key], coef, country, company))
    rows = {}
    for key, kind, k, p, by, who, value in zip(*lists(pol, "key", "kind", "material", "period",
                                                      "by", "who", "value")):
        terms = []
        for var, coef, country, company in by_kp[k, p]:
            own = (country if by == "country" else company) == who
            terms.append(((1.0 if own else 0.0) * coef - value * coef, var))
        terms = [(c, v) for c, v in terms if c != 0.0]
        rows[key] = (None, terms, 0.0) if kind.startswith("max") else (0.0, terms, None)
    return add_constraint(m, "policy_share", rows, "sourcing policy share")


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.policies[key]
    minimum = r["kind"].startswith("min")
    share = f"{'at least' if minimum else 'at most'} {percent(r['value'])}"
    return Item("Policies", int(r["row"]), r["rule"], r["kind"], r["period"], "", r["material"],
                "at least" if minimum else "at most", float(r["value"]), "share",
                REQUIREMENT if minimum else LIMIT, model_item("policy_share", key),
                f"Policies row {r['row']} ({r['rule']}) requires {share} of the arrivals "
                f"of {r['material']} at its demand sites to come from {r['who']} in "
                f"{r['period']}", str(r["who"]))


def head(look, key) -> Head:
    r = look.policies[key]
    return Head("Policies", r["rule"], int(r["row"]), r["kind"], r["material"], int(r["period"]),
                r["who"], float(r["value"]),
                f"{r['rule']} ({r['who']}'s share of {r['material']})", "beyond the share")


def share(look, key, value_of) -> tuple[float, float]:
    """(the share ``who`` has of the arrivals of the row's material and period
    in a plan, the rule's value); NaN share when nothing arrives. value_of:
    {(variable, key): value}."""
    r = look.policies[key]
    arr = look.data.arrivals
    arr = arr[(arr["material"] == r["material"]) & (arr["period"] == r["period"])]
    total = own = 0.0
    for var, k, coef, who in zip(arr["var"], arr["key"], arr["coef"], arr[r["by"]]):
        v = coef * value_of.get((var, k), 0.0)
        total += v
        if who == r["who"]:
            own += v
    return (own / total if total > 1e-9 else float("nan")), float(r["value"])


ROWS = (RowSpec("policy_share", describe, sheet="Policies", owner=first,
                period=lambda key: key[2], rule=True, head=head, relax=lambda key: "policy",
                share=share),)
