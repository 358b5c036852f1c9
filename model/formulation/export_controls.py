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
from model.formulation.rowspec import LIMIT, Head, Item, RowSpec, first, model_item, second
from model.text import rule_phrase, tonnes


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


def limit_spec(name: str, records: str, scope: str) -> RowSpec:
    """The spec of a ban or quota row of ExportControls: ``records`` names the
    ``Lookup`` table of its prepared rows (lane scope: limits; content scope:
    content)."""
    def row_of(look, key):
        return getattr(look, records)[key[0], int(key[1])]

    def describe(look, key, lower, upper, side=None) -> Item:
        r = row_of(look, key)
        rec = look.rule_record("ExportControls", int(r["row"]))
        what = f"{key[0]}: {rule_phrase('ExportControls', rec)}" if rec else key[0]
        allows = ("allows no covered shipment" if r["measure"] == "ban"
                  else f"allows at most {tonnes(r['limit'])} t of covered shipments")
        return Item("ExportControls", int(r["row"]), key[0], f"{scope} {r['measure']}", key[1],
                    "", rec.get("material_id") or "", "at most", float(r["limit"]), "t", LIMIT,
                    model_item(name, key),
                    f"ExportControls row {r['row']} ({what}) {allows} in {key[1]}",
                    rule_phrase("ExportControls", rec) if rec else "")

    def head(look, key) -> Head:
        r = row_of(look, key)
        return Head("ExportControls", key[0], int(r["row"]), r["measure"], "", key[1], "",
                    float(r["limit"]), f"{r['measure']} {key[0]}", "through it")

    return RowSpec(name, describe, sheet="ExportControls", owner=first, period=second, rule=True,
                   head=head, relax=lambda key: "export_limit")


ROWS = (limit_spec("export_limit", "limits", "export"),)
