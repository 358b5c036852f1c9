"""The balance of every site, material and period:

    bought + produced + shipped in + stock before
        = consumed + shipped out + stock + demand met + discarded

with the Inventory row's initial_stock as the stock before the first period.
"""

from __future__ import annotations

from collections import defaultdict

from model.verify.text import q


def check(ck) -> None:
    inp, d = ck.inp, ck.dec
    IN = ("bought", "produced", "shipped in", "stock before")
    OUT = ("consumed", "shipped out", "stock", "demand met", "sold", "discarded")
    terms: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (o, p), x in d.buy.items():
        off = inp.offers.get(o)
        if off is not None:
            terms[(off["site"], off["material"], p)]["bought"] += x
    for (pr, p), x in d.runs.items():
        proc = inp.processes.get(pr)
        if proc is None:
            continue
        for k, i, o, _ in inp.recipes.get(pr, []):
            if i:
                terms[(proc["site"], k, p)]["consumed"] += i * x
            if o:
                terms[(proc["site"], k, p)]["produced"] += o * x
    for (ln_id, k, p), x in d.ship.items():
        ln = inp.lanes.get(ln_id)
        if ln is None:
            continue
        terms[(ln["from"], k, p)]["shipped out"] += x
        terms[(ln["to"], k, p + ln.get("lead", 0))]["shipped in"] += x    # at arrival
    for (s, k, p), x in d.stock.items():
        terms[(s, k, p)]["stock"] += x
        if p + 1 in ck.horizon:
            terms[(s, k, p + 1)]["stock before"] += x
    for (s, k), inv in inp.inventory.items():
        terms[(s, k, inp.first)]["stock before"] += inv["initial"]
        for p in inp.periods:
            terms[(s, k, p)]  # every period of an Inventory row is balanced
    for row, (met, _) in d.demand.items():
        dem = inp.demand[row]
        terms[(dem["site"], dem["material"], dem["period"])]["demand met"] += met
    for key, x in d.discard.items():
        terms[key]["discarded"] += x
    for (sale, p), x in d.sell.items():
        rec = inp.sales.get(sale)
        if rec is not None:
            terms[(rec["site"], rec["material"], p)]["sold"] += x
    for (s, k, p) in sorted(terms, key=lambda t: (str(t[0]), str(t[1]), t[2] or 0)):
        if p not in ck.horizon:
            continue
        t = terms[(s, k, p)]
        a, b = sum(t[n] for n in IN), sum(t[n] for n in OUT)
        ck.checks += 1
        if abs(a - b) > ck.tol.t(a, b):
            parts_in = ", ".join(f"{n} {q(t[n])}" for n in IN if t[n])
            parts_out = ", ".join(f"{n} {q(t[n])}" for n in OUT if t[n])
            ck.fail(f"balance at {s} / {k} / {p}: in {q(a)} t, out {q(b)} t "
                    f"(in: {parts_in or 'nothing'}; out: {parts_out or 'nothing'}) "
                    f"[{ck.tol_note(a, b)}]")
