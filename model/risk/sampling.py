"""Scenarios sampled from the Events sheet, and out-of-sample evaluation.

An event hits an entity (``offer``, ``process``, ``lane``, ``site`` or
``country``). In each period of its active window (``first_period`` ..
``last_period``) it starts with ``probability``, independently of other
periods and events; once started it lasts ``duration`` periods (clipped at
the end of the horizon), during which the capacity of every row it hits is
multiplied by ``capacity_factor``. A site event hits the site's offers, its
processes and its outbound lanes; a country event hits every site in the
country. Where several events hit one row in one period, the smallest factor
applies (the worst disruption, not the product, so a site and a country event
describing one outage do not count twice).

A scenario is a list of ((kind, id, period), factor) with kind offer, process
or lane, applied to the prepared data of the workbook (``apply_factors``):

    cap[o,p] *= f                                                      offers
    cap[q,p] *= f                                                      processes
    cap[l,p] *= f   (an uncapped lane is shut by f = 0, untouched by f > 0)   lanes

A committed offer (first-stage use = 1) must still take its minimum, or what
the supplier can still deliver if that is less: the two-stage model clips
min_quantity to the capacity in every scenario, sampled or from the workbook
(``model.risk.extensive.deliverable``).

Random numbers: ``numpy.random.default_rng(seed).random((n, events, periods))``,
one draw per scenario, event and horizon period, in Events row order, whether
or not the period is in the event's window: a changed window or probability
moves no other event's draws. Every scenario has probability 1/n.

Out of sample: a fresh sample (seed + 1), each scenario solved with the
first stage fixed at the in-sample decision. The solves are independent and
deterministic, so they run serially, in worker processes
(``concurrent.futures.ProcessPoolExecutor``, ``workers``) or on a Dask
cluster (``dask``), with identical results: each worker rebuilds its model
from plain data (ModelData frames and the fixed decision), never from solver
objects.
"""

from __future__ import annotations

import copy
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.formulation import costs
from model.problems import Problems, did_you_mean
from model.read.workbook import ROW, Workbook
from model.risk.extensive import Fixed, FirstStage
from model.risk.outcome import solve_extensive
from model.solve.highs import SolveOptions
from model.validate.rules import active, active_periods

KINDS = ("offer", "process", "lane")


@dataclass
class Event:
    id: str
    row: int
    entity: str
    target: str
    probability: float
    factor: float
    duration: int
    window: list[int]                   # periods in which it may start
    hits: list[tuple[str, str]]         # (kind, id) rows it changes


def read_events(wb: Workbook, problems: Problems) -> list[Event]:
    """The enabled Events rows of a validated workbook; warnings go to ``problems``."""
    t = wb.tables
    s = wb.settings
    periods = list(range(s["first_period"], s["last_period"] + 1))
    supply, procs, lanes, sites = t["Supply"], t["Processes"], t["Lanes"], t["Sites"]
    pools = {"offer": list(supply["offer_id"]), "process": list(procs["process_id"]),
             "lane": list(lanes["lane_id"]), "site": list(sites["site_id"])}
    countries = list(dict.fromkeys(sites["country"]))
    events = []
    for rec in active(t["Events"]).to_dict("records"):
        row, entity, target = rec[ROW], rec["entity"], str(rec["id"]).strip()
        dur = rec["duration"]          # a whole number: the schema's range (validate/rules.py)
        if entity == "country":
            hit_sites = [x for x, c in zip(sites["site_id"], sites["country"]) if c == target]
            if not hit_sites:
                problems.warn("Events", row, "id", target, "no site is in this country: the event "
                              "hits nothing" + did_you_mean(target, countries))
        elif target not in pools[entity]:
            continue            # reported by the checks (model/validate/events.py)
        else:
            hit_sites = [target] if entity == "site" else []
        hits = [(entity, target)] if entity in KINDS else []
        for site in hit_sites:
            for kind, frame, ident, at in (("offer", supply, "offer_id", "site_id"),
                                           ("process", procs, "process_id", "site_id"),
                                           ("lane", lanes, "lane_id", "from_site")):
                hits += [(kind, i) for i, x in zip(frame[ident], frame[at]) if x == site]
        factor = float(rec["capacity_factor"])
        if dur == 0:
            problems.warn("Events", row, "duration", 0, "an event lasting 0 periods has no effect")
        window = active_periods(rec, periods)
        if entity == "lane" and 0 < factor < 1:
            cap = lanes.loc[lanes["lane_id"] == target, "capacity"]
            if len(cap) and cap.iloc[0] is None:
                problems.warn("Events", row, "capacity_factor", factor,
                              f"lane {target} has no capacity (unlimited): only a factor of 0 "
                              "changes it")
        events.append(Event(rec["event_id"], row, entity, target, float(rec["probability"]),
                            factor, int(dur), window, hits))
    return events


def sample(events: list[Event], periods: list[int], n: int, seed: int) -> list[list]:
    """n scenarios, each a sorted list of ((kind, id, period), factor)."""
    rng = np.random.default_rng(seed)
    draws = rng.random((n, len(events), len(periods)))
    scenarios = []
    for i in range(n):
        hit: dict = {}
        for e, ev in enumerate(events):
            for q in _active_periods(draws[i, e], ev, periods):
                for kind, ident in ev.hits:
                    key = (kind, ident, q)
                    hit[key] = min(hit.get(key, math.inf), ev.factor)
        scenarios.append(sorted(hit.items()))
    return scenarios


def _active_periods(draws, ev: Event, periods: list[int]) -> list[int]:
    on = set()
    for j, p in enumerate(periods):
        if p in ev.window and draws[j] < ev.probability:
            on.update(periods[j:j + ev.duration])
    return sorted(on)


def event_activity(events, periods, n, seed) -> np.ndarray:
    """Bool [scenario, event]: the event is active in some period of the scenario."""
    draws = np.random.default_rng(seed).random((n, len(events), len(periods)))
    return np.array([[bool(_active_periods(draws[i, e], ev, periods)) for e, ev in enumerate(events)]
                     for i in range(n)], dtype=bool).reshape(n, len(events))


def _scaled(cap, f):
    """Capacities times factors; a blank (unlimited, NaN) capacity stays unlimited unless
    the factor shuts it (0)."""
    cap = cap.to_numpy(float)
    return np.where(np.isnan(cap) & (f == 0), 0.0, cap * f)


def apply_factors(data, factors):
    """A copy of ModelData with the capacity factors of one sampled scenario applied."""
    if not factors:
        return data
    by = {k: {} for k in KINDS}
    for (kind, ident, p), f in factors:
        by[kind][ident, p] = f
    out = copy.copy(data)
    if by["offer"]:
        o = data.offers.copy()
        f = np.array([by["offer"].get(k, 1.0) for k in zip(o["offer"], o["period"])], dtype=float)
        o["cap"] = _scaled(o["cap"], f)
        out.offers = o
    if by["process"]:
        q = data.processes.copy()
        f = np.array([by["process"].get(k, 1.0) for k in zip(q["process"], q["period"])], dtype=float)
        q["cap"] = _scaled(q["cap"], f)
        out.processes = q
    if by["lane"]:
        lc = data.lane_caps.copy()
        f = np.array([by["lane"].get(k, 1.0) for k in zip(lc["lane"], lc["period"])], dtype=float)
        lc["cap"] = lc["cap"].to_numpy(float) * f
        capped = set(zip(lc["lane"], lc["period"]))
        open_ = dict(zip(zip(data.ship["lane"], data.ship["period"]), data.ship["row"]))
        shut = [(lane, p, 0.0, open_[lane, p]) for (lane, p), f_ in by["lane"].items()
                if f_ == 0 and (lane, p) not in capped and (lane, p) in open_]
        if shut:
            lc = pd.concat([lc, pd.DataFrame(shut, columns=lc.columns)], ignore_index=True)
        out.lane_caps = lc
    return out


# --- out-of-sample evaluation -----------------------------------------------------------

_PAYLOAD = None


def _init(payload) -> None:
    global _PAYLOAD
    _PAYLOAD = payload


def evaluate_one(payload, factors) -> tuple:
    """(status, first-stage cost, second-stage cost, total, unmet t) of one scenario."""
    base, table, first, fixed, options = payload
    data = apply_factors(base, factors)
    r = solve_extensive(first, ["s"], [1.0], [data], options, fixed=fixed, cost_tables=[table])
    if not r.has_solution:
        return (r.status, math.nan, math.nan, math.nan, math.nan)
    unmet = sum(r.value(0, "unmet", d) for d in data.demand["d"])
    return (r.status, r.first_cost, float(r.second[0]), float(r.totals[0]), float(unmet))


def _context():
    """Never fork this process (it may hold HiGHS threads): a fork server that has imported
    the model once (Linux, macOS), else fresh interpreters (Windows)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["model.risk.sampling", "scipy.sparse"])
        return context
    return multiprocessing.get_context("spawn")


def _chunk(items) -> list:
    return [(i, evaluate_one(_PAYLOAD, f)) for i, f in items]


def evaluate_chunk(payload, items) -> list:
    """For Dask: the payload comes with the call (scattered once to every worker)."""
    return [(i, evaluate_one(payload, f)) for i, f in items]


def _chunks(scenarios, parts: int) -> list:
    items = list(enumerate(scenarios))
    size = max(1, math.ceil(len(items) / max(1, parts)))
    return [items[k:k + size] for k in range(0, len(items), size)]


def evaluate_fixed(base, first: FirstStage, fixed: Fixed, scenarios, options: SolveOptions,
                   workers: int = 1, dask: str | None = None) -> pd.DataFrame:
    """Solve every scenario with the first stage fixed; one row per scenario, in order."""
    payload = (base, costs.cost_table(base), first, fixed, options)
    if dask:
        from dask.distributed import Client   # optional dependency, imported only when asked
        with Client(dask) as client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            shared = client.scatter([payload], broadcast=True)[0]
            futures = [client.submit(evaluate_chunk, shared, c, pure=False)
                       for c in _chunks(scenarios, 4 * n_workers)]
            results = [r for part in client.gather(futures) for r in part]
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init,
                                 initargs=(payload,)) as pool:
            results = [r for part in pool.map(_chunk, _chunks(scenarios, 4 * workers)) for r in part]
    else:
        results = [(i, evaluate_one(payload, f)) for i, f in enumerate(scenarios)]
    results.sort(key=lambda r: r[0])
    return pd.DataFrame([(i, *r) for i, r in results],
                        columns=["scenario", "status", "first_stage_cost", "second_stage_cost",
                                 "total_cost", "unmet_t"])


def confidence_interval(values, level: float = 0.95) -> tuple[float, float, float, float]:
    """(mean, half-width, low, high) of the mean, Student t with n - 1 degrees of freedom."""
    from scipy.stats import t as student
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n == 0:
        return (math.nan,) * 4
    mean = float(v.mean())
    if n < 2 or not np.all(np.isfinite(v)):
        return mean, math.nan, math.nan, math.nan
    half = float(student.ppf(0.5 + level / 2, n - 1) * v.std(ddof=1) / math.sqrt(n))
    return mean, half, mean - half, mean + half
