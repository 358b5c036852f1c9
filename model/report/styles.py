"""Look of the report: colours, number formats, and what each column means.

Column names are the machine-readable contract (tests, ``sourcing verify``
and scripts read sheets by them) and never change; the unit and meaning of
each column are shown in a comment on its header cell and by its number
format. ``column_info(sheet, column, currency)`` answers both.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as _Font

FONT = "Calibri"


def Font(**kw) -> _Font:  # noqa: N802 - the house font unless told otherwise
    kw.setdefault("name", FONT)
    kw.setdefault("size", 11)
    return _Font(**kw)


# Palette (colour-blind safe blue/orange pair, greys for structure).
NAVY = "1F4E78"
BLUE = "2E75B6"
LIGHT = "DDEBF7"
GREY = "595959"
PALE = "F2F2F2"
RED_FILL = PatternFill("solid", fgColor="F8CBAD")      # a breach
RED_FONT = Font(color="9C0006", bold=True)
AMBER_FILL = PatternFill("solid", fgColor="FFE699")    # at a limit
GREEN_FILL = PatternFill("solid", fgColor="C6EFCE")

TABLE_STYLE = "TableStyleMedium2"
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16, color=NAVY)
SUBTITLE_FONT = Font(italic=True, size=10, color=GREY)
SECTION_FONT = Font(bold=True, size=12, color=NAVY)
LABEL_FONT = Font(size=9, color=GREY)
TILE_FONT = Font(bold=True, size=14, color=NAVY)
BOLD = Font(bold=True)
SMALL_HEADER_FONT = Font(bold=True, color=NAVY)
SMALL_HEADER_FILL = PatternFill("solid", fgColor=LIGHT)
TILE_FILL = PatternFill("solid", fgColor=PALE)
THIN = Side(style="thin", color="BFBFBF")
UNDER = Border(bottom=Side(style="medium", color=NAVY))
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Number formats (the house rule: t with 2 decimals, money without, shares as %).
TONNES = "#,##0.00"
MONEY = "#,##0"
SHARE = "0.0%"
HHI = "#,##0"
PERIOD = "0"
INTEGER = "0"
RATE = "0.00"

# Series colours for charts (Okabe-Ito, then greys).
SERIES = ["0072B2", "E69F00", "009E73", "D55E00", "56B4E9", "CC79A7", "F0E442", "000000",
          "999999", "7F7F7F", "B3B3B3", "4D4D4D"]

# Cost categories keep their colour in every chart (unknown ones take SERIES colours).
CATEGORY_COLOURS = {"purchase": "0072B2", "offer_fixed": "56B4E9", "reservation": "9ECAE1",
                    "processing": "E69F00", "process_fixed": "F5C46B", "freight": "009E73",
                    "tariff": "D55E00", "holding": "7F7F7F", "disposal": "BFBFBF",
                    "unmet_penalty": "CC79A7", "take_or_pay_shortfall": "004C7A",
                    "sales": "F0E442", "capex": "8C564B", "investment_fixed": "C49C94"}


def category_colours(categories) -> dict[str, str]:
    """Each cost category's colour (hex, no '#'): its own, or the next SERIES colour for a
    category without one, in the order given. The Dashboard's chart and the page's take
    their colours from here, so a category looks the same in both."""
    others = [c for c in categories if c not in CATEGORY_COLOURS]
    return {c: CATEGORY_COLOURS.get(c) or SERIES[others.index(c) % len(SERIES)]
            for c in categories}

# unit kind -> (number format, unit text; {cur} is the workbook currency)
UNITS = {
    "t": (TONNES, "t"),
    "t/period": (TONNES, "t per period"),
    "runs": (TONNES, "runs"),
    "money": (MONEY, "{cur}"),
    "money/t": (MONEY, "{cur} per t"),
    "money/run": (MONEY, "{cur} per run"),
    "share": (SHARE, "share of arrivals, %"),
    "pct": (SHARE, "%"),
    "hhi": (HHI, "0-10,000"),
    "period": (PERIOD, "year"),
    "row": (INTEGER, "Excel row of the input workbook"),
    "count": (INTEGER, "count"),
    "limit": (TONNES, "t for quotas, share 0..1 for policies"),
    "number": (None, ""),
    "text": (None, ""),
}

# (sheet or "*", column) -> (unit kind, meaning). Looked up by sheet first.
_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("*", "offer_id"): ("text", "Supply.offer_id"),
    ("*", "process_id"): ("text", "Processes.process_id"),
    ("*", "lane_id"): ("text", "Lanes.lane_id"),
    ("*", "site_id"): ("text", "Sites.site_id"),
    ("*", "material_id"): ("text", "Materials.material_id"),
    ("*", "demand_id"): ("text", "Demand.demand_id"),
    ("*", "rule_id"): ("text", "ExportControls or Policies rule_id"),
    ("*", "company"): ("text", "company of the site (Sites.company)"),
    ("*", "country"): ("text", "ISO country code of the site"),
    ("*", "from_site"): ("text", "origin site"),
    ("*", "to_site"): ("text", "destination site"),
    ("*", "from_country"): ("text", "country of the origin site"),
    ("*", "to_country"): ("text", "country of the destination site"),
    ("*", "period"): ("period", "year"),
    ("*", "excel_row"): ("row", "row of this record in the input workbook"),
    ("*", "segment"): ("text", "demand segment"),
    ("*", "category"): ("text", "cost category (see CostByCategory)"),
    ("*", "quantity_t"): ("t", "tonnes in the period"),
    ("*", "capacity_t"): ("t", "capacity in the period"),
    ("*", "unit_cost"): ("money/t", "unit cost"),
    ("*", "cost"): ("money", "cost in the period, undiscounted"),
    ("*", "discounted_cost"): ("money", "cost times the discount factor of the period; sums to the objective"),
    ("*", "runs"): ("runs", "process runs in the period"),
    ("*", "capacity_runs"): ("runs", "most runs in the period"),
    ("*", "consumed_t"): ("t", "t consumed by the runs"),
    ("*", "produced_t"): ("t", "t produced by the runs"),
    ("*", "freight_per_t"): ("money/t", "freight per t shipped (Lanes.unit_cost)"),
    ("*", "tariff_per_t"): ("money/t", "lane and export-control tariffs per t shipped"),
    ("*", "stock_t"): ("t", "stock at the end of the period"),
    ("*", "min_stock_t"): ("t", "floor on end-of-period stock (strategic stockpile)"),
    ("*", "max_stock_t"): ("t", "ceiling on stock (blank: unlimited)"),
    ("*", "holding_cost_per_t"): ("money/t", "holding cost per t held at the end of the period"),
    ("*", "met_t"): ("t", "demand delivered"),
    ("*", "unmet_t"): ("t", "demand left unmet"),
    ("*", "unmet_penalty_per_t"): ("money/t", "penalty per t unmet"),
    ("*", "penalty_cost"): ("money", "unmet t times the penalty"),
    ("*", "discarded_t"): ("t", "t discarded (disposal cost applies)"),
    ("*", "arrivals_t"): ("t", "t reaching demand sites (bought, made or shipped there)"),
    ("*", "share"): ("share", "share of all arrivals of the material in the period"),
    ("*", "delivered_t"): ("t", "demand met (t delivered to demand)"),
    ("*", "demand_t"): ("t", "demand (Demand.quantity)"),
    ("*", "unmet_penalty"): ("money", "penalty cost of unmet demand"),
    ("*", "allocated_cost"): ("money", "supply-chain cost allocated to the material (see docs/report.md)"),
    ("*", "cost_per_t"): ("money/t", "allocated cost per t delivered (see docs/report.md)"),
    ("*", "hhi_country"): ("hhi", "Herfindahl-Hirschman index of arrivals by country (>2,500: highly concentrated)"),
    ("*", "hhi_company"): ("hhi", "Herfindahl-Hirschman index of arrivals by company (>2,500: highly concentrated)"),
    ("*", "top_country"): ("text", "country with the largest arrivals"),
    ("*", "top_country_share"): ("share", "its share of arrivals"),
    ("*", "top_company"): ("text", "company with the largest arrivals"),
    ("*", "top_company_share"): ("share", "its share of arrivals"),
    ("*", "controlled_t"): ("t", "arrivals shipped from a country with an active export ban or quota on the material"),
    ("*", "controlled_share"): ("share", "share of arrivals from countries with an active export ban or quota on the material"),
    ("*", "controlled_countries"): ("text", "countries with an active export ban or quota on the material"),
    ("*", "domestic_t"): ("t", "arrivals from the demand site's own country"),
    ("*", "domestic_share"): ("share", "share of arrivals from the demand site's own country"),
    ("*", "hhi_foreign"): ("hhi", "HHI of foreign origins: sum over countries other than the demand site's of (100 x share of all arrivals)^2; domestic supply is no supply risk (>2,500: flagged)"),
    ("*", "sites_at_floor"): ("count", "stock points at (or, in a bent plan, below) their floor at the end of the period"),
    ("*", "above_floor_t"): ("t", "stock minus floor"),
    ("*", "floor_cover"): ("pct", "stock as a share of the floor"),
    ("*", "status"): ("text", "at floor / above floor / at ceiling / no floor; below floor / "
                              "above ceiling: a bent plan (elastic mode) breaks it"),
    ("*", "origin_site"): ("text", "site the arrival comes from (shipping site, or the site itself)"),
    ("*", "via"): ("text", "purchase, process output or lane"),
    ("*", "key"): ("text", "name of the figure"),
    ("*", "value"): ("number", "value"),
    ("ArrivalsByCountry", "country"): ("text", "origin country: the shipping site's country, or the demand site's own for material bought or made there"),
    ("ArrivalsByCompany", "company"): ("text", "origin company: the shipping site's company, or the demand site's own"),
    ("Purchases", "unit_cost"): ("money/t", "price per t (Supply.unit_cost)"),
    ("Investments", "units"): ("count", "units decided in the period"),
    ("Investments", "online_from"): ("period", "first period the units add capacity"),
    ("Investments", "capex"): ("money", "capex paid in the decision period"),
    ("Investments", "added_capacity"): ("t", "capacity the units add per period once online "
                                             "(t or runs)"),
    ("Investments", "fixed_cost_per_period"): ("money", "fixed O&M per period once online"),
    ("Shipments", "departure_period"): ("period", "period the shipment leaves (= period)"),
    ("Shipments", "arrival_period"): ("period", "period it arrives (period + Lanes.lead_time)"),
    ("Purchases", "quantity_t"): ("t", "t bought in the period"),
    ("Purchases", "cost"): ("money", "quantity times unit cost (fixed costs are in CostByCategory)"),
    ("ProcessRuns", "unit_cost"): ("money/run", "cost per run (Processes.unit_cost)"),
    ("Shipments", "quantity_t"): ("t", "t shipped in the period"),
    ("Shipments", "cost"): ("money", "quantity times (freight + tariff)"),
    ("Demand", "quantity_t"): ("t", "demand (Demand.quantity)"),
    ("RuleMarginals", "sheet"): ("text", "input sheet of the rule"),
    ("RuleMarginals", "kind"): ("text", "ban, quota, or policy kind"),
    ("RuleMarginals", "who"): ("text", "country or company the share rule limits"),
    ("RuleMarginals", "limit"): ("limit", "the rule's limit"),
    ("RuleMarginals", "activity"): ("limit", "t through the rule (quotas, bans); for share rules the "
                                             "row's value, arrivals from who minus limit x all arrivals, in t"),
    ("RuleMarginals", "binding"): ("text", "TRUE: the rule is at its limit (a rule an elastic plan "
                                           "bent is FALSE, change_from bent)"),
    ("RuleMarginals", "dual"): ("money/t", "dual value of the constraint row"),
    ("RuleMarginals", "change_per_t"): ("money/t", "change in total cost if the limit were one t looser (negative: it would save)"),
    ("RuleMarginals", "meaning"): ("text", "the marginal in words"),
    ("Shortfall", "least_t"): ("t", "least unmet t of the group over every plan the workbook allows "
                                    "(costs ignored, integer decisions relaxed: a lower bound)"),
    ("Shortfall", "unclosable_t"): ("t", "t no plan with the workbook's options can meet (= least_t)"),
    ("Shortfall", "closable_t"): ("t", "t left unmet by choice: a plan could meet them at a higher total cost"),
    ("Shortfall", "periods"): ("text", "periods with unmet t"),
    ("Shortfall", "status"): ("text", "status of the least-shortfall re-solve"),
    ("Robustness", "kind"): ("text", "offer (Supply) or process (Processes)"),
    ("Robustness", "id"): ("text", "offer_id or process_id"),
    ("Robustness", "used"): ("text", "TRUE: the plan buys from it or runs it in some period"),
    ("Robustness", "activity"): ("number", "t bought (offer) or runs (process) over the horizon in the plan"),
    ("Robustness", "unit"): ("text", "unit of activity"),
    ("Robustness", "test"): ("text", "forced out (used: no activity at all) or forced in (unused: at least "
                                     "this much over the horizon, the solver choosing when)"),
    ("Robustness", "cost_change"): ("money", "total discounted cost of the re-solved plan minus the plan's "
                                             "(exact: a re-solve; a MIP within its gap)"),
    ("Robustness", "change_share"): ("pct", "cost_change as a share of the objective"),
    ("Robustness", "interchangeable"): ("text", "TRUE: a tie, not a finding - undoing it costs less than "
                                                "the tie threshold (used), or nothing (unused)"),
    ("Robustness", "alternatives"): ("text", "what takes over when it is forced out (largest growth first)"),
    ("Robustness", "status"): ("text", "solver status of the re-solve"),
    ("Changes", "row"): ("row", "Excel row of the changed record"),
    # sourcing compare (sheet keys "Compare:<sheet>"; scenario columns fall to (key, "*"))
    ("Compare:Overview", "scenario"): ("text", "scenario (base: the workbook as it stands)"),
    ("Compare:Overview", "status"): ("text", "solver status of the scenario's solve"),
    ("Compare:Overview", "objective"): ("money", "total cost, discounted: the objective, penalties "
                                                 "for unmet demand included"),
    ("Compare:Overview", "delta_vs_base"): ("money", "objective minus base's (negative: cheaper)"),
    ("Compare:Overview", "delta_pct"): ("pct", "delta_vs_base as a share of base's objective"),
    ("Compare:Overview", "unmet_demand_t"): ("t", "demand left unmet over the horizon"),
    ("Compare:Overview", "delta_unmet_t"): ("t", "unmet_demand_t minus base's"),
    ("Compare:Overview", "changes_applied"): ("count", "cells the scenario changed (sheet InputChanges)"),
    ("Compare:Overview", "error"): ("text", "why the scenario could not be solved (blank: solved)"),
    ("Compare:CostByCategory", "basis"): ("text", "undiscounted (money as spent in each period) or "
                                                  "discounted (times the period's discount factor; "
                                                  "the discounted total is the objective)"),
    ("Compare:CostByCategory", "*"): ("money", "cost of the category over the horizon in this "
                                               "scenario; 'NAME - base': minus base's"),
    ("Compare:Arrivals", "*"): ("t", "t reaching demand sites from the country over the horizon in "
                                     "this scenario; 'NAME - base': minus base's"),
    ("Compare:Concentration", "*"): ("hhi", "HHI of arrivals by country over the horizon (>2,500: "
                                            "highly concentrated); 'NAME - base': minus base's"),
    ("Compare:Unmet", "*"): ("t", "demand left unmet over the horizon in this scenario; "
                                  "'NAME - base': minus base's"),
    ("Compare:Stock", "*"): ("t", "stock at the end of the last period in this scenario; "
                                  "'NAME - base': minus base's"),
    ("Compare:DecisionChanges", "decision"): ("text", "purchase (Supply offer) or shipment (lane)"),
    ("Compare:DecisionChanges", "id"): ("text", "offer_id or lane_id"),
    ("Compare:DecisionChanges", "scenario"): ("text", "scenario compared with base"),
    ("Compare:DecisionChanges", "delta_t"): ("t", "t bought or shipped over the horizon, scenario "
                                                  "minus base (largest moves first)"),
    ("Compare:InputChanges", "row"): ("row", "Excel row of the changed record"),
    # sourcing stress
    ("Stress", "rank"): ("count", "1: the knock-out that costs most"),
    ("Stress", "entity"): ("text", "country, company, site or offer knocked out"),
    ("Stress", "by"): ("text", "what kind of entity (--by)"),
    ("Stress", "offers"): ("count", "Supply offers shut"),
    ("Stress", "processes"): ("count", "processes shut"),
    ("Stress", "lanes"): ("count", "outbound lanes shut"),
    ("Stress", "status"): ("text", "solver status of the re-solve without the entity"),
    ("Stress", "objective"): ("money", "total discounted cost without the entity (penalties included)"),
    ("Stress", "cost_increase"): ("money", "objective minus the base objective"),
    ("Stress", "unmet_t"): ("t", "demand left unmet over the horizon without the entity"),
    ("Stress", "extra_unmet_t"): ("t", "unmet demand beyond the base plan's, in the knocked-out periods and after"),
    ("Stress", "first_shortfall_period"): ("period", "first period demand goes short beyond base "
                                                     "(blank: never)"),
    ("Stress", "periods_survived"): ("count", "knocked-out periods before demand goes short beyond "
                                              "base (blank: never goes short)"),
    ("Warnings", "row"): ("row", "Excel row of the input workbook"),
}



def register(columns: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Add the column meanings of another report (e.g. model/risk/columns.py)."""
    _COLUMNS.update(columns)


_SUFFIXES = [("_share", "share"), ("_t", "t"), ("_per_t", "money/t"), ("_cost", "money"),
             ("cost", "money"), ("penalty", "money"), ("_runs", "runs")]


def column_info(sheet: str, column: str, currency: str = "USD") -> tuple[str | None, str]:
    """(number format, header comment text) of a report column."""
    kind, meaning = (_COLUMNS.get((sheet, column)) or _COLUMNS.get(("*", column))
                     or _COLUMNS.get((sheet, "*")) or (None, ""))
    if kind is None:
        low = column.lower()
        kind = next((k for suffix, k in sorted(_SUFFIXES, key=lambda s: -len(s[0]))
                     if low.endswith(suffix)), "text")
    fmt, unit = UNITS[kind]
    unit = unit.format(cur=currency)
    text = column + (f": {meaning}" if meaning else "") + (f" [{unit}]" if unit else "")
    return fmt, text
