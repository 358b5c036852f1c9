"""Seeded random workbooks that follow contract v1 and use every feature.

`write_random_workbook(path, seed)` draws a small supply network (3-5
periods, 5-10 materials, 5-8 sites in several countries and companies) with
offers (capacity profiles, fixed costs, minimum quantities, windows, disabled
rows), multi-output processes, lanes (blank material, capacities, tariffs),
demand in segments, inventory, export controls, policies of every kind and
scenarios, and writes it with openpyxl. Data are integers or have at most two
decimals so objectives are well-conditioned; every instance solves in well
under a second.

The same seed always gives the same file. `formatting=True` (the default)
also exercises the reader's side of the contract, all of it legal: header
case and padding, blank rows between records, booleans spelt TRUE / yes / 1,
ids padded with spaces, an unknown extra column, and some sheets written as
Excel Tables.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.worksheet.table import Table

COUNTRIES = ["US", "CN", "AU", "MY", "GB", "CA", "JP"]
COMPANIES = ["Acme", "Borealis", "Cobalt Co", "Delta", "Evergreen"]
KINDS = ["mine", "processor", "recycler", "warehouse", "customer"]
FIRST = 2026


class _Draw:
    """Thin helpers over a numpy Generator so the generator below reads plainly."""

    def __init__(self, seed):
        self.g = np.random.default_rng(seed)

    def chance(self, p) -> bool:
        return bool(self.g.random() < p)

    def int(self, lo, hi) -> int:          # inclusive
        return int(self.g.integers(lo, hi + 1))

    def pick(self, seq):
        return seq[int(self.g.integers(len(seq)))]

    def sample(self, seq, k):
        idx = self.g.choice(len(seq), size=min(k, len(seq)), replace=False)
        return [seq[i] for i in sorted(idx)]

    def money(self, lo, hi, decimals=0) -> float | int:
        x = round(float(self.g.uniform(lo, hi)), decimals)
        return int(x) if decimals == 0 else x


def _window(r: _Draw, periods, p_set=0.3):
    """(first_period, last_period), either possibly blank."""
    if not r.chance(p_set):
        return None, None
    a, b = sorted([r.pick(periods), r.pick(periods)])
    first = a if r.chance(0.7) else None
    last = b if r.chance(0.7) else None
    if first is None and last is None:
        first = a
    return first, last


def _enabled_flag(r: _Draw, p_off):
    """enabled: FALSE with probability p_off, else TRUE or blank."""
    return False if r.chance(p_off) else (True if r.chance(0.5) else None)


def random_tables(seed, *, size="small") -> dict[str, tuple[list, list]]:
    """The workbook as {sheet: (header, rows)} with Python values (None = blank).

    Every demand target has a backbone that can meet it: an offer (or an
    always-on process whose inputs have such offers) with room to spare, and
    an enabled lane from there, so most demand is met and the optimum is
    decided by costs, capacities and rules rather than by unmet-demand
    penalties. Around the backbone: offers and lanes in windows, disabled,
    with outages; lanes with capacities near the flow they carry (they bind);
    policies that name countries and companies the material arrives from.
    """
    if size != "small":
        raise ValueError("only size='small' is provided")
    r = _Draw(seed)
    n_periods = r.int(3, 5)
    periods = list(range(FIRST, FIRST + n_periods))
    countries = r.sample(COUNTRIES, r.int(3, 5))
    companies = r.sample(COMPANIES, r.int(3, 5))
    mats = [f"M{i + 1}" for i in range(r.int(5, 10))]
    sites = [f"S{i + 1}" for i in range(r.int(5, 8))]
    site_country = {s: countries[i % len(countries)] if i < len(countries) else r.pick(countries)
                    for i, s in enumerate(sites)}
    site_company = {s: r.pick(companies) for s in sites}
    t = {}

    # Settings
    t["Settings"] = (["key", "value"], [
        ["first_period", periods[0]], ["last_period", periods[-1]], ["currency", "USD"],
        ["unmet_penalty", r.money(300, 1200)],
        ["discount_rate", r.pick([0, 0.03, 0.05, 0.1])],
        ["mip_gap", 1e-9]])

    # Materials
    t["Materials"] = (["material_id", "name", "reference_price", "disposal_cost"], [
        [k, f"material {k}", r.money(50, 500), None if r.chance(0.2) else r.money(0, 20)]
        for k in mats])

    # Sites
    t["Sites"] = (["site_id", "name", "company", "country", "kind"], [
        [s, f"site {s}", site_company[s], site_country[s], r.pick(KINDS)] for s in sites])

    # Processes and Recipes. The first process is always on (no window, never
    # disabled): it is the backbone of the demand for its outputs.
    procs, recipes = [], []
    for i in range(r.int(1, 4)):
        q = f"P{i + 1}"
        first, last = _window(r, periods, 0.25) if i else (None, None)
        procs.append([q, r.pick(sites), r.int(20, 100), r.money(1, 20), first, last,
                      r.money(50, 300) if r.chance(0.35) else None,
                      _enabled_flag(r, 0.08 if i else 0.0)])
        chosen = r.sample(mats, r.int(1, 2) + r.int(1, 3))
        n_in = r.int(1, min(2, len(chosen) - 1))
        for k in chosen[:n_in]:
            recipes.append([q, k, r.pick([0.5, 1, 1, 1.5, 2]), None])
        for k in chosen[n_in:]:
            recipes.append([q, k, None, r.pick([0.5, 1, 1, 1.5])])
    t["Processes"] = (["process_id", "site_id", "capacity", "unit_cost", "first_period",
                       "last_period", "fixed_cost", "enabled"], procs)
    t["Recipes"] = (["process_id", "material_id", "input", "output"], recipes)
    inputs_of = {p[0]: [row for row in recipes if row[0] == p[0] and row[2]] for p in procs}
    outputs_of = {p[0]: [row for row in recipes if row[0] == p[0] and row[3]] for p in procs}
    backbone_proc = procs[0]

    # Demand targets: (site, material), half of them an output of the backbone
    # process so processes matter; rows drawn per period, some in segments.
    made = [row[1] for row in outputs_of[backbone_proc[0]]]
    targets = sorted({(r.pick(sites), r.pick(made) if r.chance(0.5) else r.pick(mats))
                      for _ in range(r.int(3, 6))})
    demand, n_id = [], 0
    for s, k in targets:
        for p in r.sample(periods, r.int(1, len(periods))):
            segments = ["defense", "commercial"] if r.chance(0.2) else [None]
            for seg in segments:
                did = None
                if r.chance(0.6):
                    n_id += 1
                    did = f"D{n_id}"
                demand.append([did, s, k, p, 0 if r.chance(0.03) else r.int(5, 40),
                               r.money(200, 2000) if r.chance(0.3) else None, seg])
    t["Demand"] = (["demand_id", "site_id", "material_id", "period", "quantity",
                    "unmet_penalty", "segment"], demand)
    peak = {}                       # (site, material) -> largest demand in one period
    per_period = {}
    for row in demand:
        per_period[(row[1], row[2], row[3])] = per_period.get((row[1], row[2], row[3]), 0) + row[4]
    for (s, k, p), qty in per_period.items():
        peak[(s, k)] = max(peak.get((s, k), 0), qty)

    # The backbone process runs enough to make its demanded outputs.
    need_runs = max([peak[(s, k)] / row[3] for (s, k) in peak for row in outputs_of[backbone_proc[0]]
                     if row[1] == k] or [0])
    backbone_proc[2] = max(backbone_proc[2], int(need_runs) + r.int(5, 30))

    # Supply. Each material the backbone needs (demanded and not made by the
    # backbone process; an input of any process) gets one backbone offer:
    # always on, room to spare. Then more offers, with windows, disabled rows,
    # fixed costs and minimum quantities.
    wanted = sorted({k for _, k in targets if k not in made}
                    | {row[1] for rows in inputs_of.values() for row in rows})
    extra = [r.pick(mats) for _ in range(r.int(2, 5))]
    offers, source = [], {}
    for k in wanted + extra:
        i = len(offers)
        backbone = k not in source
        first, last = (None, None) if backbone else _window(r, periods)
        offers.append([f"O{i + 1}", r.pick(sites), k,
                       r.int(120, 250) if backbone else r.int(20, 120), r.money(5, 60),
                       first, last,
                       r.money(50, 500) if r.chance(0.3) else None,
                       r.int(5, 30) if r.chance(0.25) else None,
                       _enabled_flag(r, 0.0 if backbone else 0.08)])
        source.setdefault(k, offers[-1][1])
    for row in outputs_of[backbone_proc[0]]:
        source.setdefault(row[1], backbone_proc[1])
    # A dearer second source of each demanded material in another country
    # (and company where there is one), so that a share policy or a ban has
    # somewhere else to turn to.
    second = {}
    for k in sorted({k for _, k in targets}):
        a = source.get(k)
        away = [s for s in sites if a is None or site_country[s] != site_country[a]]
        if not away:
            continue
        other = [s for s in away if a is None or site_company[s] != site_company[a]] or away
        second[k] = r.pick(other)
        offers.append([f"O{len(offers) + 1}", second[k], k, r.int(60, 150), r.money(40, 100),
                       None, None, None, None, _enabled_flag(r, 0.0)])
    t["Supply"] = (["offer_id", "site_id", "material_id", "capacity", "unit_cost",
                    "first_period", "last_period", "fixed_cost", "min_quantity", "enabled"],
                   offers)

    # CapacityProfile: ramp-ups and outages of offers and processes
    ids = [o[0] for o in offers] + [p[0] for p in procs]
    profile, seen = [], set()
    for _ in range(r.int(1, 3)):
        key = (r.pick(ids), r.pick(periods))
        if key not in seen:
            seen.add(key)
            profile.append([key[0], key[1], r.pick([0, r.int(5, 120)])])
    t["CapacityProfile"] = (["id", "period", "capacity"], profile)

    # Lanes. Every need (a demand target, a process input) has a backbone
    # lane from its source: enabled, and with a capacity (75 %) between a
    # quarter of the peak it carries and that peak, so that it often
    # binds; a demand target also has a lane from its second source.
    # Other producers feed it now and then; then random lanes.
    made_at = {}
    for o in offers:
        made_at.setdefault(o[2], []).append(o[1])
    for p in procs:
        for row in outputs_of[p[0]]:
            made_at.setdefault(row[1], []).append(p[1])
    needs = [(b, k, peak[(b, k)]) for b, k in targets]
    needs += [(p[1], row[1], None) for p in procs for row in inputs_of[p[0]]]
    links = []
    for b, k, flow in needs:
        if flow is not None and second.get(k, b) != b:
            links.append((second[k], b, k if r.chance(0.6) else None, True, None))
        a = source.get(k)
        if a is not None and a != b:
            cap = None
            if r.chance(0.75):
                flow = flow or r.int(20, 120)
                cap = r.int(max(5, flow // 4), flow)
            links.append((a, b, k if r.chance(0.6) else None, True, cap))
        for a in sorted(set(made_at.get(k, []))):
            if a not in (b, source.get(k)) and r.chance(0.5):
                links.append((a, b, k if r.chance(0.6) else None, False, None))
    for _ in range(r.int(3, 8)):
        a, b = r.sample(sites, 2)
        if r.chance(0.5):
            a, b = b, a
        links.append((a, b, None if r.chance(0.3) else r.pick(mats), False, None))
    lanes, pairs = [], set()
    for a, b, k, backbone, cap in links:
        if (a, b, k) in pairs:
            continue
        pairs.add((a, b, k))
        lanes.append([f"L{len(lanes) + 1}", a, b, k, r.money(1, 15),
                      r.pick([0.05, 0.1, 0.25]) if r.chance(0.3) else None,
                      cap if backbone else (None if r.chance(0.6) else r.int(20, 150)),
                      _enabled_flag(r, 0.0 if backbone else 0.08)])
    t["Lanes"] = (["lane_id", "from_site", "to_site", "material_id", "unit_cost",
                   "tariff_rate", "capacity", "enabled"], lanes)

    # Inventory
    inv = []
    reach = _reachable(offers, procs, recipes, lanes, mats)
    inv_pairs = sorted({r.pick(reach) if (reach and r.chance(0.5)) else (r.pick(sites), r.pick(mats))
                        for _ in range(r.int(2, 5))})
    build_up = None                       # a stockpile that must be built up:
    if r.chance(0.15):                    # where it can be (feasible) or anywhere (may not be)
        build_up = r.pick(([pair for pair in inv_pairs if pair in reach] if r.chance(0.4) else [])
                          or inv_pairs)
    for s, k in inv_pairs:
        init = r.pick([0, r.int(5, 40)])
        lo = None
        if r.chance(0.3):
            lo = r.int(0, init) if init else 0
        if (s, k) == build_up:
            lo = init + r.int(1, 10)
        hi = None if r.chance(0.5) else max(init, lo or 0) + r.int(5, 50)
        inv.append([s, k, init or None, r.int(0, 5), lo, hi])
    unreachable = [(s, k) for s in sites for k in mats
                   if (s, k) not in reach and (s, k) not in inv_pairs]
    if unreachable and r.chance(0.15):    # a stockpile nothing can fill: infeasible
        s, k = r.pick(unreachable)
        init = r.int(0, 10)
        inv.append([s, k, init or None, r.int(0, 5), init + r.int(1, 10), None])
    t["Inventory"] = (["site_id", "material_id", "initial_stock", "holding_cost", "min_stock",
                       "max_stock"], inv)

    # Where each demanded material can arrive from: the origin of every
    # enabled lane into one of its demand sites that can carry it from there,
    # and the demand site itself where it is bought or made there
    # (docs/model.md, arrivals).
    demanded = sorted({row[2] for row in demand})
    origins = {k: set() for k in demanded}
    reach = set(reach)
    for k in demanded:
        at = {row[1] for row in demand if row[2] == k}
        for lane in lanes:
            if lane[2] in at and lane[3] in (None, k) and lane[7] is not False \
                    and (lane[1], k) in reach:
                origins[k].add(lane[1])
        origins[k] |= at & set(made_at.get(k, []))

    # ExportControls: every measure, some blank importer / material
    rules = []
    measures = ["ban", "quota", "tariff"] + [r.pick(["ban", "quota", "tariff"])
                                             for _ in range(r.int(0, 2))]
    for i, measure in enumerate(measures):
        exporter = r.pick(sorted(set(site_country.values())))
        others = [c for c in countries if c != exporter]
        importer = None if r.chance(0.4) else r.pick(others)
        k = None if r.chance(0.3) else r.pick(mats)
        first, last = _window(r, periods, 0.3)
        value = {"ban": None, "quota": r.int(5, 50), "tariff": r.pick([0.05, 0.1, 0.2, 0.3])}[measure]
        rules.append([f"X{i + 1}", exporter, k, importer, first, last, measure, value,
                      _enabled_flag(r, 0.1)])
    t["ExportControls"] = (["rule_id", "exporter", "material_id", "importer", "first_period",
                            "last_period", "measure", "value", "enabled"], rules)

    # Policies: all three kinds. A rule names a country or company the
    # material arrives from, preferably one of several, so that it bites
    # without cutting the material off altogether; blank scopes are rarer.
    pol = []
    kinds = ["max_country_share", "min_country_share", "max_company_share"]
    kinds += [r.pick(kinds) for _ in range(r.int(0, 1))]
    several = [k for k in demanded if len({site_country[s] for s in origins[k]}) > 1] or demanded
    for i, kind in enumerate(kinds):
        k = r.pick(several) if kind == "min_country_share" or r.chance(0.75) else None
        came = sorted(origins[k] if k else set().union(*origins.values())) or sites
        country = company = None
        if kind == "max_country_share":
            country = None if r.chance(0.25) else site_country[r.pick(came)]
            value = r.pick([0.5, 0.6, 0.75, 0.9]) if country else r.pick([0.75, 0.9])
        elif kind == "min_country_share":
            country = site_country[r.pick(came)]
            value = r.pick([0.1, 0.2, 0.25, 0.3])
        else:
            company = None if r.chance(0.25) else site_company[r.pick(came)]
            value = r.pick([0.6, 0.7, 0.8, 0.9]) if company else r.pick([0.8, 0.9])
        first, last = _window(r, periods, 0.3)
        pol.append([f"R{i + 1}", kind, k, country, company, value, first, last,
                    _enabled_flag(r, 0.1)])
    t["Policies"] = (["rule_id", "kind", "material_id", "country", "company", "value",
                      "first_period", "last_period", "enabled"], pol)

    # Scenarios: s1 always; s2 and s3 sometimes
    changes = []
    ids_d = [row[0] for row in demand if row[0]]
    s1 = [
        ["Supply", "*", "unit_cost", "scale", r.pick([0.8, 1.1, 1.25])],
        ["Supply", r.pick(offers)[0], "capacity", None, r.int(10, 80)],
        ["Settings", "discount_rate", "value", "set", r.pick([0, 0.04, 0.08])],
        ["Lanes", r.pick(lanes)[0], "enabled", "set", r.pick([False, "no", 0])],
        ["Demand", "*", "quantity", "scale", r.pick([0.5, 1.2, 1.5])],
    ]
    if ids_d:
        s1.append(["Demand", r.pick(ids_d), "quantity", "set", r.int(10, 70)])
    changes += [["s1"] + c for c in s1]
    s2 = [
        ["ExportControls", r.pick(rules)[0], "enabled", "set", r.pick([True, False])],
        _move_start(r, r.pick(rules), periods),
        ["Materials", r.pick(mats), "reference_price", "scale", 2],
        ["Policies", r.pick(pol)[0], "value", "set", r.pick([0.3, 0.5, 0.9])],
        ["Sites", r.pick(sites), "country", "set", r.pick(countries)],
        ["Lanes", "*", "unit_cost", "scale", r.pick([0.5, 2])],
        ["Settings", "unmet_penalty", "value", "set", r.money(500, 3000)],
    ]
    if procs:
        s2.append(["Processes", "*", "capacity", "scale", r.pick([0.5, 0.8, 1.5])])
    changes += [["s2"] + c for c in r.sample(s2, r.int(3, len(s2)))]
    scen = [["s1", "costlier offers, more demand", None], ["s2", "policy shifts", 0.3]]
    if r.chance(0.5):
        changes += [["s3", "Processes", r.pick(procs)[0], "fixed_cost", "set", r.money(0, 400)],
                    ["s3", "Supply", r.pick(offers)[0], "min_quantity", "set", r.int(0, 20)],
                    ["s3", "Supply", r.pick(offers)[0], "fixed_cost", "set", r.money(100, 300)]]
        scen.append(["s3", "binaries", 0.2])
    if r.chance(0.5):
        s4 = [["Supply", "*", "fixed_cost", "scale", 2],
              ["Settings", "unmet_penalty", "value", "scale", 1.5],
              ["Sites", r.pick(sites), "company", "set", r.pick(companies)],
              ["Materials", r.pick(mats), "disposal_cost", "set", r.int(0, 30)],
              ["Inventory", "*", "holding_cost", "scale", 3]]
        for sheet, rows in (("Supply", offers), ("Lanes", lanes), ("ExportControls", rules)):
            off = [row[0] for row in rows if row[-1] is False]
            if off:
                s4.append([sheet, r.pick(off), "enabled", "set", r.pick([True, "yes", 1])])
        if ids_d:
            s4.append(["Demand", r.pick(ids_d), "quantity", "set", 0])
        changes += [["s4"] + c for c in s4]
        scen.append(["s4", "odds and ends", None])
    t["Scenarios"] = (["scenario_id", "description", "probability"], scen)
    t["ScenarioChanges"] = (["scenario_id", "sheet", "id", "column", "op", "value"], changes)
    return t


def _move_start(r: _Draw, rule, periods):
    """A change of an export rule's first_period that keeps first <= last."""
    last = rule[5] if rule[5] is not None else periods[-1]
    return ["ExportControls", rule[0], "first_period", "set",
            r.pick([p for p in periods if p <= last])]


def _reachable(offers, procs, recipes, lanes, mats) -> list[tuple[str, str]]:
    """(site, material) pairs that material can ever reach, ignoring periods."""
    enabled = lambda v: v not in (False,)
    have = {(o[1], o[2]) for o in offers if enabled(o[-1])}
    changed = True
    while changed:
        changed = False
        for p in procs:
            if not enabled(p[-1]):
                continue
            ins = [row[1] for row in recipes if row[0] == p[0] and row[2]]
            if all((p[1], k) in have for k in ins):
                for row in recipes:
                    if row[0] == p[0] and row[3] and (p[1], row[1]) not in have:
                        have.add((p[1], row[1]))
                        changed = True
        for lane in lanes:
            if not enabled(lane[-1]):
                continue
            for k in ([lane[3]] if lane[3] else mats):
                if (lane[1], k) in have and (lane[2], k) not in have:
                    have.add((lane[2], k))
                    changed = True
    return sorted(have)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _boolean_spelling(r: _Draw, v):
    if not isinstance(v, bool):
        return v
    return r.pick([v, "TRUE" if v else "FALSE", "yes" if v else "no", "Yes" if v else "No",
                   1 if v else 0])


ID_COLUMNS = {"offer_id", "site_id", "material_id", "process_id", "lane_id", "from_site",
              "to_site", "demand_id", "rule_id", "id"}


def _id_spelling(r: _Draw, column, v):
    """Ids are trimmed: now and then pad one with spaces."""
    if column in ID_COLUMNS and isinstance(v, str) and r.chance(0.05):
        return r.pick([f"{v} ", f" {v}", f" {v}  "])
    return v


def _header_spelling(r: _Draw, h):
    return r.pick([h, h.upper(), h.title(), f" {h} ", h.capitalize()])


def write_tables(tables, path, *, seed=0, formatting=True) -> None:
    r = _Draw(seed + 7919)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n_table, (name, (header, rows)) in enumerate(tables.items()):
        ws = wb.create_sheet(name)
        plain = list(header)
        as_table = formatting and name not in ("Settings",) and rows and r.chance(0.2)
        if formatting and not as_table:
            header = [_header_spelling(r, h) for h in header]
        extra = formatting and not as_table and rows and r.chance(0.15)
        ws.append(header + (["notes"] if extra else []))
        for row in rows:
            if formatting and not as_table and r.chance(0.08):
                ws.append([None] * len(header))
            cells = [_id_spelling(r, h, _boolean_spelling(r, v)) if formatting else v
                     for h, v in zip(plain, row)]
            if name == "ScenarioChanges":
                cells = list(row)   # values are data, written as drawn
            ws.append(cells + (["free text"] if extra else []))
        if as_table:
            ref = f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
            ws.add_table(Table(displayName=f"T_{name}_{n_table}", ref=ref))
    wb.save(path)


def write_random_workbook(path, seed, *, size="small", formatting=True) -> None:
    """Write the seed's random contract-v1 workbook to `path` (.xlsx)."""
    write_tables(random_tables(seed, size=size), Path(path), seed=seed, formatting=formatting)


def scenario_ids(seed, *, size="small") -> list[str]:
    """The scenario ids the seed's workbook defines (without `base`)."""
    header, rows = random_tables(seed, size=size)["Scenarios"]
    return [row[0] for row in rows]
