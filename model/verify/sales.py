"""Sales (contract v1.2, section 3): every sale recorded on the report's Sales
sheet is a Sales row that is enabled and active in the period, within its
capacity of the period (Profiles, else the cell; blank: unlimited), and earns
its price of the period: revenue enters the cost as category ``sales``,
negative. The balance (``balance.py``) counts what is sold as an outflow.
"""

from __future__ import annotations

from model.verify.text import q


def check(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    for (sale, p), x in d.sell.items():
        ck.nonnegative("Sales", (sale, p), x, f"quantity_t of sale {sale} in {p}")
        ck.checks += 1
        rec = inp.sales.get(sale)
        if rec is None:
            ck.fail(f"{ck.rrow('Sales', (sale, p))}: sale {sale} is not in the input's Sales")
            continue
        if not ck.in_horizon("Sales", (sale, p), p):
            continue
        where = f"Sales row {rec['row']} (sale {sale}) {p}"
        if x > tol.t(x) and not rec["enabled"]:
            ck.fail(f"{where}: sold {q(x)} t, but the row is disabled (enabled FALSE)")
        elif x > tol.t(x) and p not in rec["periods"]:
            ck.fail(f"{where}: sold {q(x)} t outside the sale's periods")
        cap, src = inp.cell("Sales", sale, "capacity", p, rec["capacity"])
        ck.within_capacity(where, f"sold {q(x)} t", x, cap, src)
        price = inp.cell("Sales", sale, "price", p, rec["price"])[0]
        ck.add_cost("sales", p, -price, x)
        report = d.where.get(("Sales", (sale, p)))
        if report is not None:
            ck.same(report, "Sales", "price", price, f"Sales row {rec['row']}", money=True)
            ck.same(report, "Sales", "revenue", price * x, "quantity_t x price", money=True)
