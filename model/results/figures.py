"""What the Dashboard and the web page show, computed once: one value, rendered twice.

    f = figures(summary, run)                            # once the run's tables are final
    build_workbook(summary, run, problems, figures=f)    # Dashboard and KPI sheets
    write_html(run, path, summary, figures=f)            # the web page

``model/report/dashboard.py`` and ``model/report/html.py`` only lay these
blocks out (cells or HTML); neither computes a figure. The blocks, in the
Dashboard's order:

    context      scenario, status, gap, horizon, solver, software version
    bent         the warning a bent plan (status elastic) carries, or None
    tiles        the headline: total cost = spent + penalties (discounted), unmet t and
                 share met, highest HHI of foreign origins, warnings (red when wrong)
    unmet        what is unmet, in words (model.results.headline), and whether it can be
                 closed (model.analysis.shortfall)
    where_from   per demanded material over the horizon (KPIs rows of period all)
    suppliers    the three largest origin companies of each material
    cost         cost by category over the horizon, its total and the discounted total;
                 cost_lines (contract v1.2: sales, take-or-pay); cost_by_period
    cost_per_t   per demanded material over the horizon (CostPerTonne)
    risks        what is at risk (``risks``), in order
    binding      binding export controls and policies, largest |change_per_t| first
    ties         which choices are ties (sheet Robustness, --robustness), or None
    build        what to build (sheet Investments, contract v1.2), or None
    kpis         the KPI sheets (model.results.kpi_table.all_kpis)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from model.analysis.robustness import THRESHOLD     # sheet Robustness's, when its table does not say
from model.results.contracts import dashboard_lines
from model.results.headline import TOL            # unmet tonnes below it are met
from model.results.kpi_table import all_kpis, top_suppliers
from model.results.kpis import ALL, CONTROLLED_HIGH, HHI_HIGH, arrivals
from model.text import periods_text
from model.schema import SETTING_DEFAULTS

MAX_RISKS = 12
MAX_BENT_NAMED = 6

# the unit of a figure, which each renderer turns into its own number format
MONEY, TONNES, HHI, SHARE, COUNT = "money", "t", "hhi", "share", "count"


@dataclass(frozen=True)
class Tile:
    label: str
    value: object
    unit: str
    bad: bool


@dataclass(frozen=True)
class Risk:
    issue: str
    where: str
    periods: str
    value: float
    unit: str


@dataclass(frozen=True)
class Ties:
    """Which choices of the plan are ties (sheet Robustness)."""
    threshold: float
    used: int
    ties: pd.DataFrame            # id, kind, cost_change, alternatives
    firmest: pd.DataFrame         # id, change_share: the three costliest choices to undo


@dataclass(frozen=True)
class Figures:
    name: str                     # the input file's name
    currency: str
    context: list[str]
    bent: str | None
    solved: bool                  # False: no plan; only the header and the reason are shown
    tiles: list[Tile] = field(default_factory=list)
    unmet: str = ""
    unclosable: str = ""
    where_from: pd.DataFrame = field(default_factory=pd.DataFrame)
    suppliers: pd.DataFrame = field(default_factory=pd.DataFrame)
    cost: pd.DataFrame = field(default_factory=pd.DataFrame)     # category, cost, share, discounted
    cost_total: float | None = None
    cost_discounted: float | None = None
    cost_lines: list[str] = field(default_factory=list)
    cost_by_period: pd.DataFrame = field(default_factory=pd.DataFrame)   # period x category
    cost_per_t: pd.DataFrame = field(default_factory=pd.DataFrame)
    risks: list[Risk] = field(default_factory=list)
    binding: pd.DataFrame = field(default_factory=pd.DataFrame)
    ties: Ties | None = None
    build: pd.DataFrame | None = None
    kpis: dict = field(default_factory=dict)

    @property
    def risks_shown(self) -> tuple[list[Risk], int]:
        """The risk rows the Dashboard and the web page show, and how many more there are."""
        return self.risks[:MAX_RISKS], max(0, len(self.risks) - MAX_RISKS)


def has_results(run) -> bool:
    """Whether the run has a plan's result tables (Demand is one)."""
    return bool(run is not None and run.tables and "Demand" in run.tables)


def figures(summary: dict, run, *, kpis: bool = True) -> Figures:
    """Every figure of the Dashboard and the web page (``kpis=False``: no key figures, for a
    quick look at a huge run)."""
    data = run.data if run is not None else None
    cur = (data.settings if data is not None else SETTING_DEFAULTS)["currency"]
    name = str(summary.get("input_file") or "").replace("\\", "/").rsplit("/", 1)[-1]
    head = dict(name=name, currency=cur, context=context(summary, data), bent=bent_banner(summary, run))
    if not has_results(run):
        return Figures(**head, solved=False)
    tables = run.tables
    detail = arrivals(tables, data) if kpis and data is not None else None   # once, for both
    k = all_kpis(tables, data, detail) if detail is not None else {}
    kpi = k.get("KPIs")
    horizon = kpi[kpi["period"] == ALL].reset_index(drop=True) if kpi is not None and len(kpi) \
        else pd.DataFrame()
    cost, total, discounted, by_period = _cost(tables.get("CostByCategory"),
                                               list(data.periods) if data is not None else [])
    cpt = k.get("CostPerTonne")
    return Figures(
        **head, solved=True,
        tiles=tiles(summary, horizon, cur),
        unmet=summary.get("unmet") or "", unclosable=summary.get("unclosable") or "",
        where_from=horizon,
        suppliers=top_suppliers(tables, data, 3, detail) if k else pd.DataFrame(),
        cost=cost, cost_total=total, cost_discounted=discounted,
        cost_lines=dashboard_lines(tables, cur), cost_by_period=by_period,
        cost_per_t=cpt[cpt["period"] == ALL].reset_index(drop=True) if cpt is not None
        else pd.DataFrame(),
        risks=risks(k, tables), binding=binding_rules(tables.get("RuleMarginals")),
        ties=ties(tables.get("Robustness")), build=tables.get("Investments"), kpis=k)


def context(summary: dict, data) -> list[str]:
    """The line under the title: scenario, status, gap, horizon, solver, software."""
    bits = [f"scenario {summary.get('scenario') or 'base'}", f"status {summary.get('status') or 'error'}"]
    if summary.get("mip_gap") is not None:
        bits.append(f"gap {summary['mip_gap']:.3%}")
    if data is not None and data.periods:
        bits.append(f"horizon {data.periods[0]}-{data.periods[-1]}")
    bits.append(f"{summary.get('solver')} {summary.get('solver_version') or ''}".strip())
    bits.append(f"secure-sourcing {summary.get('software_version')}")
    return bits


def above(v, limit) -> bool:
    """v is a number above limit (False for None, NaN or text)."""
    try:
        return v is not None and v == v and float(v) > limit
    except (TypeError, ValueError):
        return False


def tiles(summary: dict, horizon: pd.DataFrame, cur: str) -> list[Tile]:
    """The headline tiles, red when something is wrong: the Summary's figures (total,
    spent, penalty, demand and unmet t, warnings) and the highest foreign HHI."""
    demand_t, unmet_t = summary["demand_t"], summary["unmet_demand_t"]
    worst = (float(horizon["hhi_foreign"].astype(float).max())
             if len(horizon) and horizon["hhi_foreign"].notna().any() else None)
    penalty = summary.get("penalty")
    n_warn = int(summary.get("warnings") or 0)
    met = f"; {(demand_t - unmet_t) / demand_t:.1%} met" if demand_t else ""
    return [Tile(f"total cost ({cur}, discounted)", summary.get("objective"), MONEY, False),
            Tile(f"spent ({cur}, discounted)", summary.get("spent"), MONEY, False),
            Tile(f"penalties ({cur}, discounted)", penalty, MONEY, above(penalty, 0)),
            Tile(f"unmet demand (t{met})", unmet_t, TONNES, unmet_t > TOL),
            Tile("top HHI, foreign origins", worst, HHI, above(worst, HHI_HIGH)),
            Tile("warnings", n_warn, COUNT, n_warn > 0)]


def _cost(cost: pd.DataFrame | None, periods: list):
    """(category, cost, share, discounted) over the horizon, the total, the discounted total,
    and cost by period and category (undiscounted, every period; the categories with a cost)
    for the charts of the Dashboard and the web page."""
    if cost is None or not len(cost):
        return pd.DataFrame(columns=["category", "cost", "share", "discounted"]), None, None, \
            pd.DataFrame()
    by = cost.groupby("category", sort=False)[["cost", "discounted_cost"]].sum()
    by = by[by["cost"].abs() > 0]
    total = float(by["cost"].sum())
    out = pd.DataFrame({"category": by.index, "cost": by["cost"].astype(float).to_numpy(),
                        "share": (by["cost"] / total).to_numpy() if total else None,
                        "discounted": by["discounted_cost"].astype(float).to_numpy()})
    wide = cost.pivot_table(index="period", columns="category", values="cost", aggfunc="sum",
                            sort=False).reindex(pd.Index(periods, name="period")).fillna(0.0)
    wide = wide[[c for c in cost["category"].drop_duplicates() if wide[c].abs().sum() > 0]]
    return out, total, float(by["discounted_cost"].sum()), wide


def binding_rules(marginals: pd.DataFrame | None) -> pd.DataFrame:
    """One row per binding rule: its periods, its largest |change_per_t| and meaning, largest
    effect first."""
    cols = ["rule_id", "sheet", "kind", "material_id", "periods", "change_per_t", "meaning"]
    if marginals is None or marginals.empty or "binding" not in marginals:
        return pd.DataFrame(columns=cols)
    b = marginals[marginals["binding"] == True].copy()  # noqa: E712
    if b.empty:
        return pd.DataFrame(columns=cols)
    b["_abs"] = b["change_per_t"].abs()
    rows = []
    for rule, g in b.groupby("rule_id", sort=True):
        top = g.sort_values(["_abs", "period"], ascending=[False, True], kind="stable").iloc[0]
        mats = sorted({str(m) for m in g["material_id"] if isinstance(m, str) and m})
        rows.append((rule, top["sheet"], top["kind"], ", ".join(mats),
                     periods_text(g["period"]), float(top["change_per_t"]), top["meaning"]))
    out = pd.DataFrame(rows, columns=cols)
    out["_abs"] = out["change_per_t"].abs()
    out = out.sort_values(["_abs", "rule_id"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def risks(kpis: dict, tables: dict | None = None) -> list[Risk]:
    """The rows of 'What is at risk'.

    Concentration is the HHI of foreign origins (``hhi_foreign``): what comes from the
    buyer's own country is no supply risk. A stock floor is a risk only when it is broken
    (a bent plan) or held while the same site goes short of the same material: a floor
    held exactly when nothing is short is the plan's choice (holding costs), not a risk."""
    out = []
    k = kpis.get("KPIs")
    if k is not None and len(k):
        per = k[k["period"] != ALL]
        for m, g in per.groupby("material_id", sort=True):
            u = g[g["unmet_t"] > TOL]
            if len(u):
                out.append(Risk("unmet demand (t)", m, periods_text(u["period"]),
                                float(u["unmet_t"].sum()), TONNES))
        for m, g in per.groupby("material_id", sort=True):
            h = g[g["hhi_foreign"].astype(float) > HHI_HIGH]
            if len(h):
                out.append(Risk("HHI of foreign origins > 2,500", m, periods_text(h["period"]),
                                float(h["hhi_foreign"].max()), HHI))
        for m, g in per.groupby("material_id", sort=True):
            c = g[g["controlled_share"].astype(float) > CONTROLLED_HIGH]
            if len(c):
                out.append(Risk("> 50% from controlled countries", m, periods_text(c["period"]),
                                float(c["controlled_share"].max()), SHARE))
    s = kpis.get("StockCheck")
    if s is not None and len(s):
        below = s[s["status"] == "below floor"]
        for (site, m), g in below.groupby(["site_id", "material_id"], sort=True):
            out.append(Risk("stock below its floor (t short)", f"{m} at {site}",
                            periods_text(g["period"]), float(-g["above_floor_t"].min()), TONNES))
        at = s[s["status"] == "at floor"].merge(_short_sites(tables),
                                                on=["site_id", "material_id", "period"])
        for (site, m), g in at.groupby(["site_id", "material_id"], sort=True):
            out.append(Risk("stock at floor, demand short (t)", f"{m} at {site}",
                            periods_text(g["period"]), float(g["min_stock_t"].max()), TONNES))
    return out


def _short_sites(tables: dict | None) -> pd.DataFrame:
    """(site_id, material_id, period) where demand goes unmet."""
    dem = (tables or {}).get("Demand")
    keys = ["site_id", "material_id", "period"]
    if dem is None or dem.empty:
        return pd.DataFrame(columns=keys)
    return dem.loc[dem["unmet_t"] > TOL, keys].drop_duplicates()


def ties(rob: pd.DataFrame | None) -> Ties | None:
    """The choices used that can be replaced for less than the tie threshold, and the three
    firmest findings (sheet Robustness); None without --robustness."""
    if rob is None:
        return None
    used = rob[rob["used"]]
    firm = used[~used["interchangeable"]].sort_values("cost_change", ascending=False).head(3)
    return Ties(rob.attrs.get("threshold", THRESHOLD), len(used),
                used[used["interchangeable"]].reset_index(drop=True), firm.reset_index(drop=True))


def bent_banner(summary: dict, run) -> str | None:
    """The warning a bent (elastic) plan carries at the top of the Dashboard and
    the web page: what bent, by sheet row and id; None for any other plan."""
    if summary.get("status") != "elastic":
        return None
    table = run.tables.get("Elastic") if run is not None and run.tables else None
    named = []
    if table is not None and len(table):
        for rec in table.to_dict("records"):
            what = f"{rec['sheet']} row {rec['excel_row']}" + (f" ({rec['id']})" if rec["id"] else "")
            if what not in named:
                named.append(what)
    more = f" and {len(named) - MAX_BENT_NAMED} more" if len(named) > MAX_BENT_NAMED else ""
    n = summary.get("elastic_bends") or (len(table) if table is not None else 0)
    return (f"BENT PLAN (--elastic): not a plan that keeps every rule. {n} bend(s) in "
            f"{len(named)} workbook row(s): {', '.join(named[:MAX_BENT_NAMED])}{more}. Sheet "
            "Elastic says by how much; RuleMarginals marks them bent.")
