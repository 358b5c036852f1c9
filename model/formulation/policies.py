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
