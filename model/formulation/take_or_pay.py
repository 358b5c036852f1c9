"""Take-or-pay (contract v1.2, section 2): the buyer pays for at least the
take-or-pay quantity in every period the offer is active, taken or not.

    buy[o,p] + short[o,p] >= take_or_pay[o,p]       (take_or_pay)

short[o,p] >= 0 is costed at the period's price paid (after floor and cap,
without reservation_cost: clarification 7.5), category take_or_pay_shortfall.
Minimising cost makes short = max(0, take_or_pay - buy). In a period without a
buy variable (capacity 0 there) short is fixed at the quantity (its bounds).

| math | code | sheet.column |
|---|---|---|
| take_or_pay[o,p] | take_or_pay.qty | Supply.take_or_pay, Profiles |
| short[o,p] | m.short | (reported per offer and period) |
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.data.columns import lists
from model.formulation.rowspec import REQUIREMENT, Item, RowSpec, first, model_item, second
from model.text import tonnes


def add(m, data) -> int:
    top = data.take_or_pay
    rows = {}
    for o_, p, qty, has_buy in zip(*lists(top, "offer", "period", "qty", "has_buy")):
        if has_buy:
            rows[o_, p] = (qty, [(1.0, m.buy[o_, p]), (1.0, m.short[o_, p])], None)
    return add_constraint(m, "take_or_pay", rows, "take-or-pay quantity paid")


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.take_or_pay[key[0], int(key[1])]
    return Item("Supply", int(r["row"]), key[0], "take-or-pay quantity", key[1], "", "",
                "at least", float(r["qty"]), "t", REQUIREMENT, model_item("take_or_pay", key),
                f"Supply row {r['row']} (offer {key[0]}) is paid for at least "
                f"{tonnes(r['qty'])} t in {key[1]}, taken or not (take_or_pay)")


# switching an offer off (a what-if) frees its take-or-pay: its owner is the offer
ROWS = (RowSpec("take_or_pay", describe, sheet="Supply", owner=first, period=second),)
