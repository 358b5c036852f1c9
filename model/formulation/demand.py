"""Demand: each Demand row is met or left unmet (at its penalty).

    met[d] + unmet[d] = quantity[d]              (demand)

A row no supply can ever reach has no met[d]: unmet[d] = quantity[d].

| math | code | sheet.column |
|---|---|---|
| quantity[d] | demand.quantity | Demand.quantity |
| penalty[d] | demand.penalty | Demand.unmet_penalty, Settings.unmet_penalty |
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.data.columns import lists
from model.formulation.rowspec import LINK, Item, RowSpec, model_item
from model.text import tonnes


def add(m, data) -> int:
    rows = {}
    for d, qty, reach in zip(*lists(data.demand, "d", "quantity", "reachable")):
        terms = [(1.0, m.unmet[d])] + ([(1.0, m.met[d])] if reach else [])
        rows[d] = (qty, terms, qty)
    return add_constraint(m, "demand", rows, "demand met or unmet")


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.demand[int(key)]
    did = r["demand_id"] or f"row {r['row']}"
    return Item("Demand", int(r["row"]), str(did), "demand met or unmet", r["period"],
                r["site"], r["material"], "equals", float(r["quantity"]), "t", LINK,
                model_item("demand", key),
                f"Demand row {r['row']} asks for {tonnes(r['quantity'])} t of "
                f"{r['material']} at {r['site']} in {r['period']} (met, or left unmet at "
                f"its penalty)")


ROWS = (RowSpec("demand", describe),)
