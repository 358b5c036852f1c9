"""The input workbook's schema, declared once as data.

The reader, the validator, the scenario engine, the blank template and the
sheet guide in the README are all generated from the tables below. A column is
described by its name, type, default, unit, help text, valid range and
(optionally) the sheet/column it must refer to; a setting likewise. Defaults
and ranges live here only: the reader fills every default (a column or
setting with a default is never blank downstream) and checks every setting's
range, the checks test every column's range, and the template and the guide
print both. Contract v1 lives in
``docs/contract.md``; anything here beyond it is an
extension and is marked ``ext=True`` (documented in ``docs/extensions.md``).
"""

from __future__ import annotations

from model.schema_types import (ANY, BOOL, CHOICE, COUNTRY, ID, NUMBER, PERIOD, TEXT,  # noqa: F401
                                 Column, Range, Setting, Sheet)

MEASURES = ("ban", "quota", "tariff")
POLICY_KINDS = ("max_country_share", "min_country_share", "max_company_share",
                "clean_chain", "qualified_only")
CHAIN_KINDS = ("clean_chain", "qualified_only")
SCOPES = ("shipment", "content")
# Profiles (contract v1.2, section 1): the sheets and columns a Profiles row may override
PROFILED: dict[str, tuple[str, ...]] = {
    "Supply": ("capacity", "unit_cost", "fixed_cost", "min_quantity", "reservation_cost",
               "take_or_pay", "price_floor", "price_cap"),
    "Processes": ("capacity", "unit_cost", "fixed_cost"),
    "Lanes": ("capacity", "unit_cost", "tariff_rate"),
    "Materials": ("reference_price", "disposal_cost"),
    "Sales": ("capacity", "price"),
    "Inventory": ("min_stock", "max_stock", "holding_cost"),
}
CHANGE_OPS = ("set", "scale")

# Smallest tonnage the solve resolves (t). HiGHS works to absolute tolerances
# (MIP feasibility 1e-6, primal feasibility 1e-7): a quantity within a few
# tolerances of zero can be misjudged (issue 12, case 2: Demand rows of a few
# 1e-7 t made HiGHS call a solvable workbook infeasible). Ten times the MIP
# tolerance leaves a margin. A Demand row below it is left unmet at its
# penalty (model/data/model_data.py); any other positive tonnage below it is
# kept and flagged (model/validate/rules.py). docs/model.md, "Tiny quantities".
RESOLUTION_T = 1e-5
TONNAGE_UNITS = ("t", "t/period", "t or runs/period")


def _enabled() -> Column:
    return Column("enabled", BOOL, "FALSE: the row is treated as absent", default=True)


def _qualified_for() -> Column:
    return Column("qualified_for", TEXT, "demand segments this source is qualified for, "
                  "comma-separated (e.g. munitions)", ext=True)


def _periods() -> tuple[Column, Column]:
    return (Column("first_period", PERIOD, "first year the row is active (blank: horizon start)"),
            Column("last_period", PERIOD, "last year the row is active (blank: horizon end)"))


# Every period (a PERIOD cell or setting): contract v1.2, 7.2, periods need not be calendar years
PERIOD_RANGE = Range(0.0, 999_999.0, whole=True)
AT_LEAST_0 = Range(0.0)


SETTINGS: tuple[Setting, ...] = (
    Setting("first_period", PERIOD, "first year of the horizon", required=True),
    Setting("last_period", PERIOD, "last year of the horizon", required=True),
    Setting("currency", TEXT, "label for money", default="USD"),
    Setting("unmet_penalty", NUMBER, "cost per t of demand left unmet, where a Demand row gives none",
            default=1_000_000.0, unit="currency/t", range=AT_LEAST_0),
    Setting("discount_rate", NUMBER, "yearly rate r; a cost in period p is multiplied by "
            "1/(1+r)^(p - first_period)", default=0.0, range=AT_LEAST_0),
    Setting("mip_gap", NUMBER, "relative optimality gap at which a MIP solve may stop",
            default=1e-4, range=AT_LEAST_0),
    Setting("time_limit_s", NUMBER, "solver time limit in seconds (blank: none)", unit="s",
            range=AT_LEAST_0),
    Setting("base_probability", NUMBER, "probability of the workbook as it stands in a risk "
            "solve (scenario base)", default=0.0, range=Range(0.0, 1.0),
            why="(it is a probability)", ext=True),
    Setting("risk_weight", NUMBER, "lambda: weight of CVaR of total cost in a risk solve",
            default=0.0, range=AT_LEAST_0, ext=True),
    Setting("cvar_alpha", NUMBER, "CVaR confidence level in a risk solve", default=0.95,
            range=Range(0.0, 1.0, hi_open=True), why="(e.g. 0.95: the worst 5% of outcomes)",
            ext=True),
    Setting("period_years", NUMBER, "length of one period in years (0.25: quarters); the discount "
            "exponent is (p - first_period) * period_years", default=1.0, unit="years",
            range=Range(0.0, lo_open=True), why="(the length of one period in years)", ext=True),
)
SETTING_BY_KEY = {s.key: s for s in SETTINGS}
# Every setting's default: the settings of a workbook that gives none (the reader starts
# from these), and what a report shows where no workbook could be read.
SETTING_DEFAULTS: dict[str, object] = {s.key: s.default for s in SETTINGS}

SHEETS: tuple[Sheet, ...] = (
    Sheet("Settings", "Horizon, currency, penalties and solver settings, one key per row.",
          (Column("key", TEXT, "setting name", required=True,
                  choices=tuple(s.key for s in SETTINGS)),
           Column("value", ANY, "setting value")),
          required=True, key=("key",), id_column="key"),
    Sheet("Materials", "Every material that is bought, processed, shipped, stocked or demanded.",
          (Column("material_id", ID, "material id", required=True),
           Column("name", TEXT, "readable name"),
           Column("reference_price", NUMBER, "price used for ad-valorem tariffs", default=0.0,
                  unit="currency/t", nonnegative=True),
           Column("disposal_cost", NUMBER, "cost per t discarded (any site)", default=0.0,
                  unit="currency/t", nonnegative=True)),
          required=True, key=("material_id",), id_column="material_id"),
    Sheet("Sites", "Mines, processors, recyclers, warehouses and customers.",
          (Column("site_id", ID, "site id", required=True),
           Column("name", TEXT, "readable name"),
           Column("company", TEXT, "owning company (for company-share policies)"),
           Column("country", COUNTRY, "ISO 3166-1 alpha-2 country code", required=True),
           Column("kind", TEXT, "free text: mine, processor, recycler, warehouse, customer")),
          required=True, key=("site_id",), id_column="site_id"),
    Sheet("Supply", "Purchases and primary production: material appears at the offer's site.",
          (Column("offer_id", ID, "offer id", required=True),
           Column("site_id", ID, "site where the material appears", required=True,
                  ref=("Sites", "site_id")),
           Column("material_id", ID, "material sold", required=True,
                  ref=("Materials", "material_id")),
           Column("capacity", NUMBER, "most that can be bought per period (blank: unlimited; "
                  "then no fixed_cost or min_quantity)", unit="t/period", nonnegative=True,
                  header=True),
           Column("unit_cost", NUMBER, "price", default=0.0, unit="currency/t", nonnegative=True),
           *_periods(),
           Column("fixed_cost", NUMBER, "charged in each period the offer is used", default=0.0,
                  unit="currency/period", nonnegative=True),
           Column("min_quantity", NUMBER, "if used in a period, at least this much", default=0.0,
                  unit="t/period", nonnegative=True),
           _enabled(),
           _qualified_for(),
           Column("reservation_cost", NUMBER, "risk solve: cost per t reserved per period; the "
                  "offer can then be bought only up to the reserved quantity (blank: spot offer)",
                  unit="currency/t/period", nonnegative=True, ext=True),
           Column("take_or_pay", NUMBER, "t per period paid for at the period's price whether "
                  "taken or not, in every period the offer is active", default=0.0,
                  unit="t/period", nonnegative=True, ext=True),
           Column("price_floor", NUMBER, "lowest price paid: price = min(max(unit_cost, floor), "
                  "cap) (blank: none)", unit="currency/t", nonnegative=True, ext=True),
           Column("price_cap", NUMBER, "highest price paid (blank: none)", unit="currency/t",
                  nonnegative=True, ext=True)),
          required=True, key=("offer_id",), id_column="offer_id"),
    Sheet("Processes", "Separation, refining, metal-making, magnet-making, recycling, smelting.",
          (Column("process_id", ID, "process id", required=True),
           Column("site_id", ID, "site where it runs", required=True, ref=("Sites", "site_id")),
           Column("capacity", NUMBER, "most runs per period (blank: unlimited; then no "
                  "fixed_cost)", unit="runs/period", nonnegative=True, header=True),
           Column("unit_cost", NUMBER, "cost per run", default=0.0, unit="currency/run",
                  nonnegative=True),
           *_periods(),
           Column("fixed_cost", NUMBER, "charged in each period the process runs", default=0.0,
                  unit="currency/period", nonnegative=True),
           _enabled(),
           _qualified_for()),
          key=("process_id",), id_column="process_id"),
    Sheet("Recipes", "What one run of a process consumes and produces (one row per material).",
          (Column("process_id", ID, "process", required=True, ref=("Processes", "process_id")),
           Column("material_id", ID, "material", required=True, ref=("Materials", "material_id")),
           Column("input", NUMBER, "t consumed per run", default=0.0, unit="t/run",
                  nonnegative=True),
           Column("output", NUMBER, "t produced per run", default=0.0, unit="t/run",
                  nonnegative=True)),
          key=("process_id", "material_id"), id_column="process_id"),
    Sheet("CapacityProfile", "Per-period capacity overrides (ramp-ups, outages).",
          (Column("id", ID, "an offer_id or process_id (or lane_id: extension)", required=True),
           Column("period", PERIOD, "year", required=True),
           Column("capacity", NUMBER, "capacity in that period", required=True,
                  unit="t or runs/period", nonnegative=True)),
          key=("id", "period"), id_column="id"),
    Sheet("Lanes", "Transport links; material moves between sites only along lanes.",
          (Column("lane_id", ID, "lane id", required=True),
           Column("from_site", ID, "origin site", required=True, ref=("Sites", "site_id")),
           Column("to_site", ID, "destination site", required=True, ref=("Sites", "site_id")),
           Column("material_id", ID, "material carried (blank: any)",
                  ref=("Materials", "material_id")),
           Column("unit_cost", NUMBER, "freight", default=0.0, unit="currency/t",
                  nonnegative=True),
           Column("tariff_rate", NUMBER, "fraction of reference_price paid per t shipped",
                  default=0.0, nonnegative=True),
           Column("capacity", NUMBER, "all materials together (blank: unlimited)",
                  unit="t/period", nonnegative=True),
           _enabled(),
           Column("lead_time", NUMBER, "whole periods from shipment to arrival (contract v1.2)",
                  default=0.0, unit="periods", nonnegative=True, whole=True, ext=True)),
          key=("lane_id",), id_column="lane_id"),
    Sheet("Demand", "What the buyer needs, where and when.",
          (Column("demand_id", ID, "optional id (needed to address the row in a scenario)"),
           Column("site_id", ID, "delivery site", required=True, ref=("Sites", "site_id")),
           Column("material_id", ID, "material", required=True,
                  ref=("Materials", "material_id")),
           Column("period", PERIOD, "year", required=True),
           Column("quantity", NUMBER, "t needed", required=True, unit="t", nonnegative=True),
           Column("unmet_penalty", NUMBER, "cost per t unmet (blank: Settings)",
                  unit="currency/t", nonnegative=True),
           Column("segment", TEXT, "demand segment, e.g. defense, commercial", default="all")),
          required=True, key=("demand_id",), id_column="demand_id"),
    Sheet("Inventory", "Where stock may be held; floors are strategic stockpiles.",
          (Column("site_id", ID, "site", required=True, ref=("Sites", "site_id")),
           Column("material_id", ID, "material", required=True,
                  ref=("Materials", "material_id")),
           Column("initial_stock", NUMBER, "t at the start of the first period", default=0.0,
                  unit="t", nonnegative=True),
           Column("holding_cost", NUMBER, "per t held at the end of a period", default=0.0,
                  unit="currency/t/period", nonnegative=True),
           Column("min_stock", NUMBER, "floor on end-of-period stock", default=0.0, unit="t",
                  nonnegative=True),
           Column("max_stock", NUMBER, "ceiling on stock (blank: unlimited)", unit="t",
                  nonnegative=True),
           Column("initial_clean", BOOL, "TRUE: initial stock has touched no country group "
                  "(default: it touches every group)", default=False, ext=True),
           Column("initial_qualified_for", TEXT, "demand segments the initial stock is qualified "
                  "for, comma-separated (default: none)", ext=True)),
          key=("site_id", "material_id"), id_column="site_id"),
    Sheet("ExportControls", "Measures of exporting governments on cross-border lane shipments.",
          (Column("rule_id", ID, "rule id", required=True),
           Column("exporter", COUNTRY, "exporting country", required=True),
           Column("material_id", ID, "material covered (blank: all)",
                  ref=("Materials", "material_id")),
           Column("importer", COUNTRY, "importing country (blank: every other country)"),
           *_periods(),
           Column("measure", CHOICE, "ban, quota or tariff", required=True, choices=MEASURES),
           Column("value", NUMBER, "quota: t per period; tariff: fraction of reference_price",
                  nonnegative=True),
           _enabled(),
           Column("scope", CHOICE, "shipment: shipments leaving the exporter; content: any "
                  "cross-border shipment into importer of material that has touched the exporter",
                  default="shipment", choices=SCOPES, ext=True)),
          key=("rule_id",), id_column="rule_id"),
    Sheet("Policies", "The buyer's own sourcing rules on arrivals at demand sites.",
          (Column("rule_id", ID, "rule id", required=True),
           Column("kind", CHOICE, "max_country_share, min_country_share, max_company_share, "
                  "clean_chain or qualified_only", required=True, choices=POLICY_KINDS),
           Column("material_id", ID, "material (blank: every material with demand)",
                  ref=("Materials", "material_id")),
           Column("country", COUNTRY, "country (blank: every country, max rules only)"),
           Column("company", TEXT, "company (blank: every company)"),
           Column("value", NUMBER, "share, 0..1 (share kinds)", fraction=True),
           *_periods(),
           _enabled(),
           Column("segment", TEXT, "clean_chain / qualified_only: the Demand segment covered",
                  ext=True),
           Column("group", ID, "clean_chain: the country group the chain must not touch",
                  ref=("CountryGroups", "group_id"), ext=True)),
          key=("rule_id",), id_column="rule_id"),
    Sheet("CountryGroups", "Named groups of countries (e.g. FEOC = CN, RU, KP, IR), one row per member.",
          (Column("group_id", ID, "group id", required=True),
           Column("country", COUNTRY, "member country", required=True)),
          key=("group_id", "country"), id_column="group_id", ext=True),
    Sheet("Investments", "Capacity that can be built: units decided per period, online after "
          "a lead time (contract v1.2).",
          (Column("investment_id", ID, "investment id", required=True),
           Column("target_id", ID, "the offer_id, process_id or lane_id whose capacity it adds to",
                  required=True),
           Column("capacity", NUMBER, "added to the target's capacity per unit, once online",
                  required=True, unit="t or runs/period", nonnegative=True),
           Column("capex", NUMBER, "charged once per unit in the decision period", default=0.0,
                  unit="currency/unit", nonnegative=True),
           Column("lead_time", NUMBER, "whole periods from decision to first added capacity",
                  default=0.0, unit="periods", nonnegative=True, whole=True),
           Column("first_period", PERIOD, "first period a decision may be taken (blank: horizon "
                  "start)"),
           Column("last_period", PERIOD, "last period a decision may be taken (blank: horizon "
                  "end)"),
           Column("fixed_cost", NUMBER, "per unit online, every period from decision + lead_time "
                  "on", default=0.0, unit="currency/unit/period", nonnegative=True),
           Column("max_units", NUMBER, "most units over the window", default=1.0,
                  nonnegative=True, whole=True),
           _enabled()),
          key=("investment_id",), id_column="investment_id", ext=True),
    Sheet("Events", "Random disruptions for sampled risk scenarios (sourcing sample).",
          (Column("event_id", ID, "event id", required=True),
           Column("entity", CHOICE, "what it hits: offer, process, lane, site or country",
                  required=True, choices=("offer", "process", "lane", "site", "country")),
           Column("id", TEXT, "the offer_id, process_id, lane_id, site_id or country code",
                  required=True),
           Column("probability", NUMBER, "chance that it starts in a given period", required=True,
                  fraction=True),
           Column("capacity_factor", NUMBER, "capacity multiplier while it lasts (0: shut)",
                  default=0.0, nonnegative=True),
           Column("duration", NUMBER, "periods it lasts once started", default=1.0,
                  unit="periods", nonnegative=True, whole=True),
           *_periods(),
           _enabled()),
          key=("event_id",), id_column="event_id", ext=True),
    Sheet("Sales", "Optional outflows that earn revenue: co-products and surplus sold at a site.",
          (Column("sale_id", ID, "sale id", required=True),
           Column("site_id", ID, "site where the material is sold", required=True,
                  ref=("Sites", "site_id")),
           Column("material_id", ID, "material sold", required=True,
                  ref=("Materials", "material_id")),
           Column("price", NUMBER, "received per t sold", default=0.0, unit="currency/t",
                  nonnegative=True),
           Column("capacity", NUMBER, "most that can be sold per period (blank: unlimited)",
                  unit="t/period", nonnegative=True),
           *_periods(),
           _enabled()),
          key=("sale_id",), id_column="sale_id", ext=True),
    Sheet("Profiles", "Any cost or capacity, period by period: the row overrides the named cell "
          "of the named row in that period only.",
          (Column("sheet", CHOICE, "sheet of the row: " + ", ".join(PROFILED), required=True,
                  choices=tuple(s.lower() for s in PROFILED)),
           Column("id", TEXT, "id of the row (Inventory: site_id|material_id)", required=True),
           Column("column", CHOICE, "column overridden: " + "; ".join(
                      f"{sheet}: {', '.join(cols)}" for sheet, cols in PROFILED.items()),
                  required=True, choices=tuple(sorted({c for cs in PROFILED.values() for c in cs}))),
           Column("period", PERIOD, "period it applies to", required=True),
           Column("value", NUMBER, "value in that period (blank: the column's blank meaning)",
                  nonnegative=True)),
          key=("sheet", "id", "column", "period"), id_column="id", ext=True),
    Sheet("Scenarios", "Named what-ifs.",
          (Column("scenario_id", ID, "scenario id", required=True),
           Column("description", TEXT, "what it represents"),
           Column("probability", NUMBER, "optional probability", fraction=True)),
          key=("scenario_id",), id_column="scenario_id"),
    Sheet("ScenarioChanges", "The cell edits a scenario makes.",
          (Column("scenario_id", ID, "scenario", required=True,
                  ref=("Scenarios", "scenario_id")),
           Column("sheet", TEXT, "sheet to change", required=True),
           Column("id", TEXT, "value of the sheet's id column, or * for every row",
                  required=True),
           Column("column", TEXT, "column to change", required=True),
           Column("op", CHOICE, "set (default) or scale", default="set", choices=CHANGE_OPS),
           Column("value", ANY, "new value (set) or factor (scale)")),
          ),
)

SHEET_BY_NAME = {s.name: s for s in SHEETS}
SHEET_BY_LOWER = {s.name.lower(): s for s in SHEETS}
