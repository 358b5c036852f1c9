"""Provenance and qualification classes (contract v1.1, docs/provenance.md).

A tonne carries a *class*: the set of country groups its chain has touched
and the set of demand segments it is qualified for. Only groups and segments
that rules name are tracked:

- groups of ``clean_chain`` policies (``CountryGroups``), and for each
  ``content``-scope export control the one-country group ``country:XX`` of
  its exporter;
- segments of ``qualified_only`` policies.

Classes are created only where material of that class can actually be
(forward reachability from offers, initial stock, process runs and lanes),
so the model grows with the classes that exist, not with 2^(groups+segments).

Rules of touching: an offer's material touches the groups of its site's
country and is qualified for its ``qualified_for``; a process run's outputs
touch the site's groups plus every group any consumed input had touched, and
are qualified exactly for the process's ``qualified_for``; shipping and
storage change nothing; initial stock touches every group unless
``initial_clean`` and is qualified for the segments of ``initial_qualified_for``
(extension; default none).

With no such rule, ``prepare_provenance`` returns None and the model is
exactly the contract-v1 model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.problems import Problems
from model.read.workbook import ROW
from model.validate.rules import active, active_periods, split_list

Class = tuple[frozenset, frozenset]   # (touched groups, qualified segments)


@dataclass
class Provenance:
    groups: dict[str, frozenset]      # tracked group -> member countries
    segments: list[str]               # tracked segments
    classes: pd.DataFrame             # cls, touched, qualified, label
    offer_cls: dict                   # offer -> cls
    runc: pd.DataFrame                # process, cls, period
    consc: pd.DataFrame               # process, material, cls_in, cls_out, period, coef
    shipc: pd.DataFrame               # lane, material, cls, period, from_site, to_site
    stockc: pd.DataFrame              # site, material, cls, period
    initial: dict                     # (site, material) -> (cls, t)
    balc: pd.DataFrame                # site, material, cls, period (also the discard index)
    metc: pd.DataFrame                # d, cls
    chain_limits: pd.DataFrame        # rule, period, kind, row
    chain_cover: pd.DataFrame         # rule, period, d, cls
    content_limits: pd.DataFrame      # rule, period, measure, limit, row
    content_cover: pd.DataFrame       # rule, period, lane, material, cls
    content_tariff: pd.DataFrame      # lane, material, cls, period, tariff


def label(touched, qualified) -> str:
    parts = [f"touched {g}" for g in sorted(touched)] or ["clean"]
    parts += [f"qualified {s}" for s in sorted(qualified)]
    return ", ".join(parts)


def prepare_provenance(wb, data, problems: Problems) -> Provenance | None:
    t = {name: active(frame) for name, frame in wb.tables.items()}
    members: dict[str, set] = {}
    for rec in wb.tables["CountryGroups"].to_dict("records"):
        members.setdefault(rec["group_id"], set()).add(rec["country"])
    chain = t["Policies"][t["Policies"]["kind"].isin(["clean_chain", "qualified_only"])]
    content = t["ExportControls"][t["ExportControls"]["scope"] == "content"]
    groups: dict[str, frozenset] = {}
    for g in chain.loc[chain["kind"] == "clean_chain", "group"]:
        if g in members:
            groups[g] = frozenset(members[g])
    for x in content["exporter"]:
        groups[f"country:{x}"] = frozenset([x])
    segments = sorted(set(chain.loc[chain["kind"] == "qualified_only", "segment"].dropna()))
    if not groups and not segments:
        return None

    country = data.sites["country"].to_dict()
    site_groups = {s: frozenset(g for g, m in groups.items() if c in m) for s, c in country.items()}
    ids: dict[Class, int] = {}

    def cls_of(touched, qualified) -> int:
        return ids.setdefault((frozenset(touched), frozenset(qualified)), len(ids))

    qual = {}
    for sheet, key in (("Supply", "offer_id"), ("Processes", "process_id")):
        for rec in t[sheet].to_dict("records"):
            qual[rec[key]] = frozenset(s for s in split_list(rec.get("qualified_for")) if s in segments)
    reach: dict[tuple, set] = {}
    offer_cls = {}
    for o, s in data.offers[["offer", "site"]].drop_duplicates().itertuples(index=False):
        offer_cls[o] = cls_of(site_groups[s], qual.get(o, frozenset()))
    for o, s, k in data.offers[["offer", "site", "material"]].drop_duplicates().itertuples(index=False):
        reach.setdefault((s, k), set()).add(offer_cls[o])
    initial = {}
    for rec in t["Inventory"].to_dict("records"):
        if rec["initial_stock"] > 0:
            touched = frozenset() if rec["initial_clean"] else frozenset(groups)
            quals = frozenset(x for x in split_list(rec.get("initial_qualified_for")) if x in segments)
            c = cls_of(touched, quals)
            initial[rec["site_id"], rec["material_id"]] = (c, rec["initial_stock"])
            reach.setdefault((rec["site_id"], rec["material_id"]), set()).add(c)

    recipe = data.recipe
    ins = recipe[recipe["input"] > 0].groupby("process")["material"].apply(list).to_dict()
    outs = recipe[recipe["output"] > 0].groupby("process")["material"].apply(list).to_dict()
    proc_site = dict(zip(data.processes["process"], data.processes["site"]))
    lanes = data.ship[["lane", "material", "from_site", "to_site"]].drop_duplicates()
    touched_of = lambda c: next(k for k, v in ids.items() if v == c)[0]  # noqa: E731
    run_classes: dict[str, set] = {}
    changed = True
    while changed:
        changed = False
        for q, s in proc_site.items():
            options = [{touched_of(c) for c in reach.get((s, k), ())} for k in ins.get(q, [])]
            if any(not o for o in options):
                continue
            unions = {site_groups[s]}
            for opt in options:
                unions = {u | o for u in unions for o in opt}
            for u in unions:
                c = cls_of(u, qual.get(q, frozenset()))
                if c not in run_classes.setdefault(q, set()):
                    run_classes[q].add(c)
                    changed = True
                for k in outs.get(q, []):
                    if c not in reach.setdefault((s, k), set()):
                        reach[s, k].add(c)
                        changed = True
        for _lane, k, a, b in lanes.itertuples(index=False):
            new = reach.get((a, k), set()) - reach.get((b, k), set())
            if new:
                reach.setdefault((b, k), set()).update(new)
                changed = True

    inv_ids = {v: k for k, v in ids.items()}
    classes = pd.DataFrame([(c, tq[0], tq[1], label(*tq)) for c, tq in sorted(inv_ids.items())],
                           columns=["cls", "touched", "qualified", "label"])
    periods = data.periods
    proc = data.processes
    runc = pd.DataFrame([(q, c, p) for q, p in zip(proc["process"], proc["period"])
                         for c in sorted(run_classes.get(q, ()))],
                        columns=["process", "cls", "period"])
    cons = []
    for q, c_out, p in runc.itertuples(index=False):
        s = proc_site[q]
        for k, coef in recipe.loc[(recipe["process"] == q) & (recipe["input"] > 0),
                                  ["material", "input"]].itertuples(index=False):
            for c_in in sorted(reach.get((s, k), ())):
                if touched_of(c_in) <= touched_of(c_out):
                    cons.append((q, k, c_in, c_out, p, coef))
    consc = pd.DataFrame(cons, columns=["process", "material", "cls_in", "cls_out", "period", "coef"])
    sh = data.ship
    shipc = pd.DataFrame([(lane, k, c, p, a, b) for lane, k, p, a, b in
                          zip(sh["lane"], sh["material"], sh["period"], sh["from_site"], sh["to_site"])
                          for c in sorted(reach.get((a, k), ()))],
                         columns=["lane", "material", "cls", "period", "from_site", "to_site"])
    st = data.stock
    stockc = pd.DataFrame([(s, k, c, p) for s, k, p in zip(st["site"], st["material"], st["period"])
                           for c in sorted(reach.get((s, k), ()))],
                          columns=["site", "material", "cls", "period"])
    balc = pd.DataFrame([(s, k, c, p) for (s, k), cs in sorted(reach.items()) for c in sorted(cs)
                         for p in periods], columns=["site", "material", "cls", "period"])
    d = data.demand[data.demand["reachable"]]
    metc = pd.DataFrame([(i, c) for i, s, k in zip(d["d"], d["site"], d["material"])
                         for c in sorted(reach.get((s, k), ()))], columns=["d", "cls"])

    chain_limits, chain_cover = _chain_rules(chain, data, classes, metc, problems)
    content_limits, content_cover, content_tariff = _content_rules(content, data, shipc, classes,
                                                                   country, problems)
    return Provenance(groups, segments, classes, offer_cls, runc, consc, shipc, stockc, initial,
                      balc, metc, chain_limits, chain_cover, content_limits, content_cover,
                      content_tariff)


def _chain_rules(rules, data, classes, metc, problems):
    dem = data.demand.set_index("d")
    touched = dict(zip(classes["cls"], classes["touched"]))
    qualified = dict(zip(classes["cls"], classes["qualified"]))
    limits, cover = [], []
    for rec in rules.to_dict("records"):
        periods = set(active_periods(rec, data.periods))
        if rec["kind"] == "clean_chain":
            bad = lambda c: rec["group"] in touched[c]  # noqa: E731, B023 - used in this iteration
        else:
            bad = lambda c: rec["segment"] not in qualified[c]  # noqa: E731, B023 - used in this iteration
        rows = [(rec["rule_id"], int(dem.at[d, "period"]), d, c) for d, c in metc.itertuples(index=False)
                if dem.at[d, "segment"] == rec["segment"] and dem.at[d, "period"] in periods
                and (not rec["material_id"] or dem.at[d, "material"] == rec["material_id"]) and bad(c)]
        covered = dem[(dem["segment"] == rec["segment"]) & dem["period"].isin(periods)]
        if rec["material_id"]:
            covered = covered[covered["material"] == rec["material_id"]]
        if covered.empty:
            problems.warn("Policies", rec[ROW], "rule_id", rec["rule_id"],
                          "covers no Demand row in any period")
        for p in sorted({r[1] for r in rows}):
            limits.append((rec["rule_id"], p, rec["kind"], rec[ROW]))
        cover += rows
    return (pd.DataFrame(limits, columns=["rule", "period", "kind", "row"]),
            pd.DataFrame(cover, columns=["rule", "period", "d", "cls"]))


def _content_rules(rules, data, shipc, classes, country, problems):
    touched = dict(zip(classes["cls"], classes["touched"]))
    c_from, c_to = shipc["from_site"].map(country), shipc["to_site"].map(country)
    limits, cover, tariffs = [], [], []
    for rec in rules.to_dict("records"):
        group = f"country:{rec['exporter']}"
        mask = (c_from != c_to) & shipc["period"].isin(active_periods(rec, data.periods))
        mask &= shipc["cls"].map(lambda c: group in touched[c])  # noqa: B023 - called here
        if rec["importer"]:
            mask &= c_to == rec["importer"]
        if rec["material_id"]:
            mask &= shipc["material"] == rec["material_id"]
        hit = shipc.loc[mask, ["lane", "material", "cls", "period"]]
        if hit.empty:
            problems.warn("ExportControls", rec[ROW], "rule_id", rec["rule_id"],
                          "covers no shipment of material that can have touched "
                          f"{rec['exporter']} in any period")
            continue
        if rec["measure"] == "tariff":
            part = hit.copy()
            part["tariff"] = rec["value"] * np.array(data.material_price(
                "reference_price", part["material"].tolist(), part["period"].tolist()))
            tariffs.append(part)
            continue
        limit = 0.0 if rec["measure"] == "ban" else rec["value"]
        for p in sorted(hit["period"].unique()):
            limits.append((rec["rule_id"], p, rec["measure"], limit, rec[ROW]))
        part = hit.copy()
        part.insert(0, "rule", rec["rule_id"])
        cover.append(part)
    tariff = (pd.concat(tariffs).groupby(["lane", "material", "cls", "period"], as_index=False)["tariff"].sum()
              if tariffs else pd.DataFrame(columns=["lane", "material", "cls", "period", "tariff"]))
    return (pd.DataFrame(limits, columns=["rule", "period", "measure", "limit", "row"]),
            pd.concat(cover, ignore_index=True) if cover
            else pd.DataFrame(columns=["rule", "lane", "material", "cls", "period"]),
            tariff)
