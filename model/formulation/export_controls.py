"""Export bans and quotas of exporting governments on covered lane shipments.

    sum_{(l,k) covered by r in p} ship[l,k,p] <= limit[r]     for r in ban/quota rules, p in periods(r)

limit is 0 for a ban and ExportControls.value for a quota (t per period, all
covered lanes and materials together). A shipment is covered when it leaves a
site in `exporter` for a site in `importer` (blank: any other country), the
countries differ, and the material matches. Tariffs are cost terms
(``model/formulation/costs.py``). One row per rule and period, so each binding ban or
quota has a marginal value.

| math | code | sheet.column |
|---|---|---|
| r | export_limits.rule | ExportControls.rule_id |
| limit[r] | export_limits.limit | ExportControls.measure, value |
"""

from __future__ import annotations

from model.formulation.expr import grouped, add_constraint
from model.data.columns import lists


def add(m, data) -> int:
    lim = data.export_limits
    if lim.empty:
        return 0
    c = data.export_cover
    terms = grouped(((r, p), 1.0, m.ship[lane, k, p])
                    for r, lane, k, p in zip(*lists(c, "rule", "lane", "material", "period")))
    rows = {(r, p): (None, terms[r, p], limit)
            for r, p, limit in zip(*lists(lim, "rule", "period", "limit"))}
    return add_constraint(m, "export_limit", rows, "export ban or quota")
