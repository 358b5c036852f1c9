"""Provenance classes: the flows split by class c (touched groups, qualified
segments), with a balance per class. Added only when rules follow the
material (``data.provenance``); the contract-v1 variables stay and are tied
to their class splits, so every other family is unchanged.

    sum_{o at s,k: cls(o)=c} buy[o,p] + sum_q out[q,k] runc[q,c,p] + sum_{l into s} shipc[l,k,c,p]
      + stockc[s,k,c,p-1] (+ initial stock of class c in the first period)
      = sum_{q,c'} consc[q,k,c,c',p] + sum_{l out of s} shipc[l,k,c,p] + stockc[s,k,c,p]
        + sum_{d at s,k,p} metc[d,c] + sum_{sales at s,k} sellc[a,c,p] + discardc[s,k,c,p]
                                                                            (class_balance)

    sum_{c_in: touched(c_in) <= touched(c)} consc[q,k,c_in,c,p] = in[q,k] runc[q,c,p]   (consumption)

    run[q,p] = sum_c runc[q,c,p];  ship[l,k,p] = sum_c shipc[l,k,c,p];  stock, discard, met likewise (links)

| math | code | meaning |
|---|---|---|
| c | provenance.classes.cls | touched groups + qualified segments |
| runc[q,c,p] | m.runc | runs whose outputs are of class c |
| consc[q,k,c_in,c,p] | m.consc | input k of class c_in consumed by runs of class c |
| shipc, stockc, discardc, metc | m.shipc, ... | the v1 flows split by class |
"""

from __future__ import annotations

from dataclasses import replace

from model.formulation import sales
from model.formulation.expr import add_constraint, grouped
from model.formulation.variables import declare
from model.data.columns import keys
from model.problems import WARNING, Problem
from model.formulation.rowspec import structure


def without(data):
    """The data as the model sees it when this family is left out (--skip-family):
    no provenance classes, so the rules that follow the material are not
    modelled, and what that loses, as warnings."""
    pv = data.provenance
    if pv is None:
        return data, []
    lost = []
    if not pv.content_tariff.empty:
        lost.append(Problem("ExportControls", None, "scope", "content",
                            "the content-scope tariffs are not charged: they are charged on the "
                            "provenance classes that --skip-family provenance leaves out",
                            WARNING))
    return replace(data, provenance=None), lost


def add(m, data) -> int:
    pv = data.provenance
    if pv is None:
        return 0
    declare(m, "runc", keys(pv.runc, ["process", "cls", "period"]))
    declare(m, "consc", keys(pv.consc, ["process", "material", "cls_in", "cls_out", "period"]))
    declare(m, "shipc", keys(pv.shipc, ["lane", "material", "cls", "period"]))
    declare(m, "stockc", keys(pv.stockc, ["site", "material", "cls", "period"]))
    declare(m, "discardc", keys(pv.balc, ["site", "material", "cls", "period"]))
    declare(m, "metc", keys(pv.metc, ["d", "cls"]))
    sellc = sales.class_split(data, pv)
    declare(m, "sellc", keys(sellc, ["sale", "cls", "period"]))

    rows = {k: [] for k in keys(pv.balc, ["site", "material", "cls", "period"])}
    o = data.offers
    for key, s, k, p in zip(zip(o["offer"], o["period"]), o["site"], o["material"], o["period"]):
        rows[s, k, pv.offer_cls[key[0]], p].append((1.0, m.buy[key]))
    site = dict(zip(data.processes["process"], data.processes["site"]))
    outs = data.recipe[data.recipe["output"] > 0]
    made = pv.runc.merge(outs, on="process")
    for q, c, p, k, b in zip(made["process"], made["cls"], made["period"], made["material"],
                             made["output"]):
        rows[site[q], k, c, p].append((b, m.runc[q, c, p]))
    use = {}
    for q, k, ci, co, p, a in pv.consc.itertuples(index=False):
        v = m.consc[q, k, ci, co, p]
        rows[site[q], k, ci, p].append((-1.0, v))
        use.setdefault((q, k, co, p), [(-a, m.runc[q, co, p])]).append((1.0, v))
    for lane, k, c, p, a, b in pv.shipc.itertuples(index=False):
        v = m.shipc[lane, k, c, p]
        rows[a, k, c, p].append((-1.0, v))
        rows[b, k, c, p + data.lead.get(lane, 0)].append((1.0, v))   # provenance kept in transit
    first = data.periods[0]
    rhs = dict.fromkeys(rows, 0.0)
    for (s, k), (c, qty) in pv.initial.items():
        if (s, k, c, first) in rhs:
            rhs[s, k, c, first] -= qty
    for s, k, c, p in pv.stockc.itertuples(index=False):
        rows[s, k, c, p].append((-1.0, m.stockc[s, k, c, p]))
        if p != first:
            rows[s, k, c, p].append((1.0, m.stockc[s, k, c, p - 1]))
    dem = data.demand.set_index("d")
    for d, c in pv.metc.itertuples(index=False):
        rows[dem.at[d, "site"], dem.at[d, "material"], c, int(dem.at[d, "period"])].append(
            (-1.0, m.metc[d, c]))
    for sale, c, p, s, k in sellc.itertuples(index=False):
        rows[s, k, c, p].append((-1.0, m.sellc[sale, c, p]))     # a sale takes any class
    for key in rows:
        rows[key].append((-1.0, m.discardc[key]))
    n = add_constraint(m, "class_balance", {k: (rhs[k], t, rhs[k]) for k, t in rows.items()},
                       "material balance per provenance class")
    n += add_constraint(m, "consumption", {k: (0.0, t, 0.0) for k, t in use.items()},
                        "inputs of a class-c run come from classes it may contain")
    return n + _links(m, data, pv, sellc)


def _links(m, data, pv, sellc) -> int:
    """Each contract-v1 flow equals the sum of its class splits."""
    n = 0
    specs = [
        ("link_run", m.run, pv.runc, ["process", "period"], "runc", ["process", "cls", "period"]),
        ("link_ship", m.ship, pv.shipc, ["lane", "material", "period"], "shipc",
         ["lane", "material", "cls", "period"]),
        ("link_stock", m.stock, pv.stockc, ["site", "material", "period"], "stockc",
         ["site", "material", "cls", "period"]),
        ("link_discard", m.discard, pv.balc, ["site", "material", "period"], "discardc",
         ["site", "material", "cls", "period"]),
        ("link_met", m.met, pv.metc, ["d"], "metc", ["d", "cls"]),
        ("link_sell", m.sell, sellc, ["sale", "period"], "sellc", ["sale", "cls", "period"]),
    ]
    for name, total, frame, agg, part, full in specs:
        split = getattr(m, part)
        terms = grouped((a if len(agg) > 1 else a[0], 1.0, split[f])
                        for a, f in zip(keys(frame, agg) if len(agg) > 1 else
                                        [(x,) for x in keys(frame, agg)], keys(frame, full)))
        rows = {}
        for key in total:
            rows[key] = (0.0, [(1.0, total[key])] + [(-1.0, v) for _, v in terms.get(key, [])], 0.0)
        n += add_constraint(m, name, rows, f"{total.local_name} = sum over classes")
    return n


ROWS = (structure("class_balance", "material balance of one provenance class"),
        structure("consumption", "inputs of a provenance class"),
        structure("link_run", "runs = sum over classes"),
        structure("link_ship", "shipments = sum over classes"),
        structure("link_stock", "stock = sum over classes"),
        structure("link_discard", "discards = sum over classes"),
        structure("link_met", "met = sum over classes"),
        structure("link_sell", "sales = sum over classes"))
