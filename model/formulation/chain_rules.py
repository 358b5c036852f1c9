"""Rules that follow the material (contract v1.1): clean chains, qualified
sources, and export controls of ``content`` scope.

    sum_{d covered by r in p} sum_{c bad for r} metc[d,c] <= 0        (chain_rule[r,p])
        clean_chain:    c is bad when it has touched the rule's group
        qualified_only: c is bad when it is not qualified for the segment

    sum_{(l,k,c) covered by r in p} shipc[l,k,c,p] <= limit[r]        (content_limit[r,p])
        covered: crosses a border into `importer` (blank: any country), material
        matches, and class c has touched the exporter's country; limit 0 for a
        ban, `value` for a quota; tariffs are cost terms on shipc.

| math | code | sheet.column |
|---|---|---|
| r | chain_limits.rule / content_limits.rule | Policies.rule_id / ExportControls.rule_id |
| d covered | chain_cover | Demand.segment, material_id, period |

Needs the family ``provenance``: its rows are written on the class flows
(metc, shipc) that provenance declares.
"""

from __future__ import annotations

from model.formulation.expr import add_constraint, grouped
from model.formulation.export_controls import limit_spec
from model.formulation.rowspec import LIMIT, Head, Item, RowSpec, first, model_item, second
from model.text import rule_phrase

REQUIRES = ("provenance",)
WHY = "its rules are written on the provenance classes of the material"


def add(m, data) -> int:
    pv = data.provenance
    if pv is None:
        return 0
    n = 0
    if not pv.chain_limits.empty:
        terms = grouped(((r, p), 1.0, m.metc[d, c]) for r, p, d, c in pv.chain_cover.itertuples(index=False))
        rows = {(r, p): (None, terms[r, p], 0.0)
                for r, p in zip(pv.chain_limits["rule"], pv.chain_limits["period"])}
        n += add_constraint(m, "chain_rule", rows, "clean chain / qualified source")
    if not pv.content_limits.empty:
        c = pv.content_cover
        terms = grouped(((r, p), 1.0, m.shipc[lane, k, cl, p])
                        for r, lane, k, cl, p in zip(c["rule"], c["lane"], c["material"], c["cls"],
                                                     c["period"]))
        lim = pv.content_limits
        rows = {(r, p): (None, terms[r, p], limit)
                for r, p, limit in zip(lim["rule"], lim["period"], lim["limit"])}
        n += add_constraint(m, "content_limit", rows, "content-scope export ban or quota")
    return n


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.chain[key[0], int(key[1])]
    rec = look.rule_record("Policies", int(r["row"]))
    phrase = rule_phrase("Policies", rec) if rec else r["kind"]
    return Item("Policies", int(r["row"]), key[0], r["kind"], key[1], "",
                rec.get("material_id") or "", "at most", 0.0, "t", LIMIT,
                model_item("chain_rule", key),
                f"Policies row {r['row']} ({key[0]}: {phrase}) allows none of the barred "
                f"material to be delivered in {key[1]}", phrase)


def head(look, key) -> Head:
    r = look.chain[key[0], int(key[1])]
    return Head("Policies", key[0], int(r["row"]), r["kind"], "", key[1], "", 0.0,
                f"{r['kind']} {key[0]}", "of barred material")


ROWS = (RowSpec("chain_rule", describe, sheet="Policies", owner=first, period=second, rule=True,
                head=head, relax=lambda key: "policy"),
        limit_spec("content_limit", "content", "content"))
