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


def add(m, data) -> int:
    top = data.take_or_pay
    rows = {}
    for o_, p, qty, has_buy in zip(*lists(top, "offer", "period", "qty", "has_buy")):
        if has_buy:
            rows[o_, p] = (qty, [(1.0, m.buy[o_, p]), (1.0, m.short[o_, p])], None)
    return add_constraint(m, "take_or_pay", rows, "take-or-pay quantity paid")
