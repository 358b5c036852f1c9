"""Stress test: knock out each entity in turn and rank the damage.

For every country, company, site or offer: its supply, its processing and
its outbound lanes are shut for the chosen periods, the model is re-solved
warm (``Session``), and entities are ranked by cost increase, then by the
demand left unmet. *Time to survive* is the number of knocked-out periods
that pass before demand goes unmet beyond the base case (stock and other
sources cover the gap until then); blank when demand never goes short.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import progress
from model.whatif.session import Session

BY = ("country", "company", "site", "offer")
TOL = 1e-6


def entities(data, by: str) -> dict[str, dict[str, list]]:
    if by not in BY:
        raise ValueError(f"--by must be one of {', '.join(BY)}")
    offers = data.offers[["offer", "site"]].drop_duplicates()
    procs = data.processes[["process", "site"]].drop_duplicates()
    lanes = data.ship[["lane", "from_site"]].drop_duplicates()
    if by == "offer":
        return {o: {"offers": [o], "processes": [], "lanes": []} for o in offers["offer"]}
    group = data.sites[by] if by != "site" else pd.Series(data.sites.index, index=data.sites.index)
    out: dict[str, dict[str, list]] = {}
    for site, name in group.items():
        e = out.setdefault(name, {"offers": [], "processes": [], "lanes": []})
        e["offers"] += offers.loc[offers["site"] == site, "offer"].tolist()
        e["processes"] += procs.loc[procs["site"] == site, "process"].tolist()
        e["lanes"] += lanes.loc[lanes["from_site"] == site, "lane"].tolist()
    return {k: v for k, v in out.items() if any(v.values())}


def _unmet_by_period(session: Session, x) -> pd.Series:
    c = session.compiled
    d = session.data.demand.set_index("d")["period"]
    idx = [j for j, v in enumerate(c.col_var) if v == "unmet"]
    periods = [d[c.col_key[j]] for j in idx]
    return pd.Series(np.asarray(x)[idx], index=periods).groupby(level=0).sum()


def home_countries(data) -> list[str]:
    """Countries of the sites that have demand: the buyer's own."""
    return sorted(set(data.demand_sites["site"].map(data.sites["country"])))


def stress(workbook, by: str = "country", periods=None, scenario: str | None = None,
           session: Session | None = None, include_home: bool = False) -> pd.DataFrame:
    """Rank entities by damage. With ``by="country"`` the buyer's own countries
    (those with demand sites) are left out unless ``include_home``: shutting a
    whole home industry is a different question from losing a supplier country."""
    with progress.stage("read, validate and build"):
        s = session or Session(workbook, scenario)
    window = sorted(periods) if periods else list(s.data.periods)
    with progress.stage("solve the base"):
        base = s.solve()
    if not base.has_solution:
        raise RuntimeError(f"the base case has no solution ({base.status}); nothing to stress")
    base_unmet = _unmet_by_period(s, base.x)
    rows = []
    skipped = home_countries(s.data) if by == "country" and not include_home else []
    todo = {name: e for name, e in entities(s.data, by).items() if name not in skipped}
    with progress.stage(f"knock out each {by}", total=len(todo)) as step:
        for name, e in todo.items():
            rows.append(_knocked_out(s, name, e, by, window, base, base_unmet))
            step.advance(name)
    s.reset()
    out = pd.DataFrame(rows, columns=[
        "entity", "by", "offers", "processes", "lanes", "status", "objective", "cost_increase",
        "unmet_t", "extra_unmet_t", "first_shortfall_period", "periods_survived"])
    out = out.sort_values(["cost_increase", "extra_unmet_t", "entity"],
                          ascending=[False, False, True], na_position="first").reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.attrs.update(base_objective=base.objective, window=window, by=by, excluded=skipped,
                     currency=s.data.settings["currency"], scenario=scenario or "base")
    return out


def _knocked_out(s: Session, name: str, e: dict, by: str, window, base, base_unmet) -> tuple:
    """One row of the ranking: the plan with this entity shut in the window."""
    s.reset()
    s.knock_out(e["offers"], e["processes"], e["lanes"], window)
    sol = s.solve()
    counts = (name, by, len(e["offers"]), len(e["processes"]), len(e["lanes"]), sol.status)
    if not sol.has_solution:
        return counts + (None,) * 6
    unmet = _unmet_by_period(s, sol.x)
    extra = (unmet - base_unmet.reindex(unmet.index, fill_value=0)).clip(lower=0)
    short = [p for p in window if extra.get(p, 0.0) > TOL]
    first = short[0] if short else None
    return counts + (sol.objective, sol.objective - base.objective, float(unmet.sum()),
                     float(extra.sum()), first, window.index(first) if first is not None else None)
