"""The report's contract-v1.2 sheets against their recomputation from the input
(report consistency, listed after the constraints like every ``Checker.same``):

- ``TakeOrPay``: take_or_pay_t is the offer's quantity of the period (Profiles,
  else the cell), bought_t the Purchases figure, shortfall_t = max(0,
  take_or_pay_t - bought_t), shortfall_cost = price paid x shortfall_t;
- ``PricesPaid``: price_paid = min(max(unit_cost_p, price_floor_p), price_cap_p).

The costs themselves are recomputed where the decisions are met (``sources.py``,
``sales.py``); these sheets only explain them, so a wrong row is a consistency
finding, never a changed objective.
"""

from __future__ import annotations

from model.verify.decisions import REPORT_ROW


def check(ck) -> None:
    inp, d = ck.inp, ck.dec
    top = d.sheets.get("TakeOrPay")
    for rec in (top.rows if top is not None else []):
        o, p = rec["offer_id"], rec["period"]
        off = inp.offers.get(o)
        if off is None or p not in inp.delta:
            ck.fail(f"TakeOrPay row {rec[REPORT_ROW]}: offer {o} in {p} is not an offer of "
                    "the input's Supply in the horizon")
            continue
        qty = inp.cell("Supply", o, "take_or_pay", p, off["take_or_pay"])[0]
        bought = d.buy.get((o, p), 0.0)
        short = max(0.0, qty - bought)
        price = inp.price(o, p)
        src = f"Supply row {off['row']}"
        ck.same(rec, "TakeOrPay", "take_or_pay_t", qty, src)
        ck.same(rec, "TakeOrPay", "bought_t", bought, "Purchases")
        ck.same(rec, "TakeOrPay", "shortfall_t", short, "max(0, take_or_pay_t - bought_t)")
        ck.same(rec, "TakeOrPay", "price", price, f"{src} (after Profiles, floor and cap)",
                money=True)
        ck.same(rec, "TakeOrPay", "shortfall_cost", price * short, "shortfall_t x price",
                money=True)
    paid = d.sheets.get("PricesPaid")
    for rec in (paid.rows if paid is not None else []):
        o, p = rec["offer_id"], rec["period"]
        if o in inp.offers and p in inp.delta:
            ck.same(rec, "PricesPaid", "price_paid", inp.price(o, p),
                    f"Supply row {inp.offers[o]['row']} (after Profiles, floor and cap)",
                    money=True)
