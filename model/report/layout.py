"""What a report holds and how its pages print: the catalogue of result sheets
(name and what each shows, in report order), the order of a report's sheets,
and the page setup every sheet shares. The writers (``workbook.py``, ``about.py``,
``dashboard.py``, ``command_report.py``) import this module; it imports none of them."""

from __future__ import annotations

from model.results.figures import has_results

# Result tables of the contract and its extensions (name, what the sheet shows), in report order.
SHEETS = [
    ("ArrivalsByCountry", "arrivals at demand sites by origin country, with shares"),
    ("CostByCategory", "cost by category and period (undiscounted and discounted)"),
    ("RuleMarginals", "marginal value of each export-control and policy row"),
    ("Purchases", "what is bought from each offer, per period"),
    ("ProcessRuns", "runs of each process, per period"),
    ("ProcessFlows", "t consumed and produced by each process run"),
    ("Shipments", "lane shipments per material and period, with freight and tariffs"),
    ("Stock", "end-of-period stock against floors and ceilings"),
    ("Demand", "demand met and unmet per Demand row"),
    ("Discards", "material discarded (unsellable co-products)"),
]
# Key figures computed from them (model/results/kpis.py).
KPI_SHEETS = [
    ("KPIs", "per demanded material and period ('all': horizon): unmet, cost per t, HHI, "
             "controlled and domestic shares, stock"),
    ("ArrivalsByCompany", "arrivals at demand sites by origin company, with shares"),
    ("CostPerTonne", "cost allocated to each demanded material and cost per t delivered"),
    ("CostAllocation", "the allocation behind CostPerTonne, by cost category"),
    ("StockCheck", "each stock point against its floor and ceiling"),
]
FRONT = [
    ("Dashboard", "where from, at what cost, what binds, what is at risk - on one screen"),
    ("Summary", "status, objective, gap, scenario, input hash, solver and versions (key/value)"),
    ("About", "input, scenario, changes, rules switched off, solver, warnings; sheet index"),
    ("Changes", "every cell a scenario or --enable/--disable changed"),
    ("Warnings", "legal but suspicious input (and the errors of an invalid input)"),
    ("Charts", "cost, arrivals by country, unmet demand, stock"),
]
DATA_ORDER = ["KPIs", "ArrivalsByCountry", "ArrivalsByCompany", "CostByCategory", "CostPerTonne",
              "CostAllocation", "RuleMarginals", "StockCheck", "Purchases", "ProcessRuns",
              "ProcessFlows", "Shipments", "Stock", "Demand", "Discards"]
DESCRIPTIONS = dict(FRONT + SHEETS + KPI_SHEETS + [
    ("ChartData", "the figures the charts plot"),
    ("Investments", "units built per investment and decision period: online from, capex, "
                    "capacity added (contract v1.2; only when the workbook has investments)"),
    ("Verification", "the solution checked against the input, independently of the model"),
    ("Sales", "t sold and revenue per sale and period (contract v1.2)"),
    ("Unbounded", "why the cost can fall without limit: the uncapped sales and their sources"),
    ("TakeOrPay", "take-or-pay quantity, bought and shortfall paid per offer and period"),
    ("PricesPaid", "price paid per offer and period where it differs from the Supply cell "
                   "(Profiles, floor, cap)"),
    ("Infeasibility", "why no plan exists: the rules and requirements that conflict, in workbook terms"),
    ("Shortfall", "for each group of unmet demand: how much no plan within the workbook can meet "
                  "(least shortfall, re-solved) and how much is left unmet by choice"),
    ("Robustness", "what each offer and process costs to undo (forced out) or add (forced in); "
                   "ties flagged")])


def page_setup(ws, landscape: bool = True, title_rows: str | None = "1:1",
                width: float | None = None, columns: int = 0) -> None:
    """Landscape, header row repeated; shrunk to the page width only when the
    columns are wider than a page (``width`` in characters), two pages wide
    for tables of many columns (keys repeated)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if width is None or width > 100:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        two = (width or 0) > 280 and columns > 16
        ws.page_setup.fitToWidth = 2 if two else 1
        ws.page_setup.fitToHeight = 0
        if two:
            ws.print_title_cols = "A:B"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A - page &P of &N"
    ws.oddFooter.center.size = 8


def extra_tables(run) -> list[str]:
    """Result tables beyond the report's own (provenance, analyses), in their order."""
    known = {n for n, _ in SHEETS + KPI_SHEETS}
    return [n for n in (run.tables if run else {}) if n not in known]


def report_order(run=None) -> list[str]:
    """Sheet names of a report, in order."""
    names = [n for n, _ in FRONT]
    if not has_results(run):
        return [*names[:5], *extra_tables(run)]
    return [*names, *DATA_ORDER, *extra_tables(run), "ChartData"]
