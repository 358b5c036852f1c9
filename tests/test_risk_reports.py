"""Issue 16 item 4 (second half): the risk, frontier and sample reports are
first-class - Dashboard first with the figures explained, every other sheet an
Excel Table with header notes and number formats, charts from zero.

The Dashboard figures are checked against values worked by hand on the
two-scenario newsvendor of tests/test_risk.py (one buyer, 100 t with p = 0.6
or 200 t with p = 0.4; reserved offer RES at 10/t, spot SPOT at 20/t):

    RP: reserve q = 100 (critical ratio 10/20 = 0.5 < P(D > 100) only up to 100)
        scenario totals: base 10 x 100 = 1000; HIGH 1000 + 20 x 100 = 3000
        expected 0.6 x 1000 + 0.4 x 3000 = 1800; CVaR_0.95 = the worst, 3000
        first-stage cost 10 x 100 = 1000 in both scenarios
    EV: one scenario of 140 t: reserve 140, EV = 1400
    EEV: q = 140: base 1400, HIGH 1400 + 20 x 60 = 2600; 0.6 x 1400 + 0.4 x 2600 = 1880
    WS: base 1000, HIGH 2000; 0.6 x 1000 + 0.4 x 2000 = 1400
    VSS = 1880 - 1800 = 80; EVPI = 1800 - 1400 = 400
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from model.commands.risk import frontier_command, risk_command, sample_command
from model.report import styles as st
from test_risk import EVENTS, NEWSVENDOR, run

APPROX = dict(abs=1e-3)

# The sampled fixture: ore from MINE (10/t + 2/t reserved) or MINE2 (30/t, spot), through
# lane (1/t) to the plant SEP (5/run, 1 t ore -> 1 t oxide), lane (1/t) to the buyer, 60 t a
# year in 2025-2027. One event, certain (probability 1) in its window 2026, shuts MINE that
# year. Every scenario is therefore the same:
#   2025, 2027: MINE,  10 + 2 + 1 + 5 + 1 = 19 per t  -> 60 x 19 = 1140 each
#   2026:       MINE2, 30 + 1 + 5 + 1    = 37 per t  -> 60 x 37 = 2220
#   total 1140 + 2220 + 1140 = 4500; reserved 60 t in 2025 and 2027: first stage 2 x 60 x 2 = 240
#   the mean of identical totals is 4500 with a 95 % half-width of 0, in and out of sample;
#   the optimism gap is 0 and the event strikes in every scenario (share 1).
CERTAIN = {**EVENTS,       # the sampled workbook of test_risk.py, with one certain event
    "Events": """
        event_id,entity,id,probability,capacity_factor,duration,first_period,last_period
        MINE_SHUT,offer,MINE_ORE,1,0,1,2026,2026
    """,
}


# --- reading a Dashboard as a reader does: labels and the figures beside or below them ------

def tiles(ws) -> dict:
    """Tile label (row 4) -> figure (row 5)."""
    return {ws.cell(4, c).value: ws.cell(5, c).value for c in range(2, 17)
            if isinstance(ws.cell(4, c).value, str)}


def beside(ws, label, col: int | None = None):
    """The figure right of the first cell whose text is ``label``."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == label and (col is None or c.column == col):
                return ws.cell(c.row, c.column + 1).value
    raise AssertionError(f"{label!r} not on the Dashboard")


def table_below(ws, first_header: str, width: int = 12) -> list[dict]:
    """Rows of the small Dashboard table whose first header is ``first_header`` (headers on
    the light-blue band; the rows end at a blank or at the grey 9-pt note under the table)."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == first_header and str(c.fill.fgColor.rgb).endswith(st.LIGHT):
                heads = [ws.cell(c.row, c.column + j).value for j in range(width)]
                out, r = [], c.row + 1
                while ws.cell(r, c.column).value is not None and ws.cell(r, c.column).font.sz != 9:
                    out.append({h: ws.cell(r, c.column + j).value
                                for j, h in enumerate(heads) if h})
                    r += 1
                return out
    raise AssertionError(f"no table headed {first_header!r}")


def assert_tables_with_notes(path, skip=("Dashboard", "ChartData")) -> openpyxl.Workbook:
    """Every sheet but the Dashboard is an Excel Table over its header, whose header cells
    carry a note with the column's meaning."""
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Dashboard"
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        assert len(ws.tables) == 1, ws.title
        table = next(iter(ws.tables.values()))
        assert table.ref.startswith("A1:"), ws.title
        for c in ws[1]:
            if c.value is None:
                continue
            assert c.comment is not None and c.comment.text.startswith(str(c.value)), \
                (ws.title, c.value)
        assert ws.print_title_rows in ("1:1", "$1:$1"), ws.title
    return wb


def column_format(ws, name: str) -> str:
    header = [c.value for c in ws[1]]
    return ws.cell(2, header.index(name) + 1).number_format


# --- sourcing solve --risk --------------------------------------------------------------

@pytest.fixture(scope="module")
def risk_report(tmp_path_factory):
    from conftest import BASE_SHEETS, write_workbook
    sheets = dict(BASE_SHEETS)
    sheets.update(NEWSVENDOR)
    wb = write_workbook(tmp_path_factory.mktemp("risk"), sheets, "news.xlsx")
    rc, info, report = run(risk_command, wb)
    assert rc == 0
    return info, report


@pytest.mark.component
def test_risk_dashboard_figures_are_the_hand_worked_ones(risk_report):
    _, report = risk_report
    ws = openpyxl.load_workbook(report)["Dashboard"]
    t = tiles(ws)
    assert t["expected cost (USD)"] == pytest.approx(1800, **APPROX)
    assert t["CVaR 0.95: worst 5% (USD)"] == pytest.approx(3000, **APPROX)
    assert t["first-stage cost (USD)"] == pytest.approx(1000, **APPROX)
    assert t["VSS (USD)"] == pytest.approx(80, **APPROX)
    assert t["EVPI (USD)"] == pytest.approx(400, **APPROX)
    assert t["expected unmet demand (t)"] == pytest.approx(0, abs=1e-6)
    # key figures, each with its meaning in words beside it
    assert beside(ws, "RP, the objective") == pytest.approx(1800, **APPROX)
    assert beside(ws, "EV") == pytest.approx(1400, **APPROX)
    assert beside(ws, "EEV") == pytest.approx(1880, **APPROX)
    assert beside(ws, "WS") == pytest.approx(1400, **APPROX)
    assert beside(ws, "VSS = EEV - RP") == pytest.approx(80, **APPROX)
    assert beside(ws, "EVPI = RP - WS") == pytest.approx(400, **APPROX)
    row = next(c.row for c in ws["B"] if c.value == "VSS = EEV - RP")
    assert "instead of their average" in ws.cell(row, 4).value
    # the first-stage decision: reserve 100 t of RES in 2025, for 1000
    decision = table_below(ws, "decision")
    assert [(d["decision"], d["offer / process"], d["periods"]) for d in decision] == \
        [("reserve", "RES", "2025")]
    assert decision[0]["t reserved"] == pytest.approx(100, abs=1e-5)
    assert decision[0]["cost (USD)"] == pytest.approx(1000, **APPROX)
    # every scenario
    scen = {s["scenario"]: s for s in table_below(ws, "scenario")}
    assert set(scen) == {"base", "HIGH"}
    assert scen["base"]["probability"] == pytest.approx(0.6)
    assert scen["base"]["total cost"] == pytest.approx(1000, **APPROX)
    assert scen["HIGH"]["total cost"] == pytest.approx(3000, **APPROX)
    assert scen["HIGH"]["second stage"] == pytest.approx(2000, **APPROX)
    assert scen["HIGH"]["under the EV plan"] == pytest.approx(2600, **APPROX)
    assert scen["HIGH"]["known in advance"] == pytest.approx(2000, **APPROX)
    assert scen["HIGH"]["unmet (t)"] == pytest.approx(0, abs=1e-6)


@pytest.mark.component
def test_risk_sheets_are_tables_with_notes_and_formats(risk_report):
    _, report = risk_report
    wb = assert_tables_with_notes(report)
    assert wb.sheetnames[:3] == ["Dashboard", "Summary", "Warnings"]
    assert {"Scenarios", "Reservations", "Commitments", "ReservedUse", "StochasticValue",
            "CostByScenario", "UnmetByScenario", "ArrivalsByScenario"} <= set(wb.sheetnames)
    assert column_format(wb["Scenarios"], "total_cost") == st.MONEY
    assert column_format(wb["Scenarios"], "probability") == st.SHARE
    assert column_format(wb["Reservations"], "reserved_t") == st.TONNES
    assert column_format(wb["Reservations"], "reservation_cost_discounted") == st.MONEY
    assert column_format(wb["CostByScenario"], "cost_discounted") == st.MONEY
    assert column_format(wb["StochasticValue"], "value") == st.MONEY
    note = {c.value: c.comment.text for c in wb["Scenarios"][1]}
    assert "EEV" in note["total_cost_ev_decision"] and "[USD]" in note["total_cost"]
    # the Summary explains the risk figures, not a plain solve's
    summary = {r[0].value: r[2].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert "EEV - RP" in summary["VSS"] and "CVaR" in summary["objective"]


@pytest.mark.component
def test_risk_charts_start_at_zero(risk_report):
    _, report = risk_report
    ws = openpyxl.load_workbook(report)["Dashboard"]
    # openpyxl reads charts back only through the file's XML: look there
    import zipfile
    with zipfile.ZipFile(report) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(xml) == 2
    for chart in xml:
        assert re.search(r'<(c:)?min val="0(\.0)?"', chart)
    assert ws.page_setup.fitToHeight == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.unit
def test_failed_risk_run_still_gets_a_dashboard(make_workbook):
    """Probabilities summing to 0.9: exit 2, nothing solved; the report opens on a Dashboard
    that says the workbook has errors and names the row."""
    bad = dict(NEWSVENDOR)
    bad["Settings"] = NEWSVENDOR["Settings"].replace("base_probability,0.6", "base_probability,0.5")
    rc, info, report = run(risk_command, make_workbook(bad))
    assert rc == 2
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames[0] == "Dashboard"
    text = [c.value for row in wb["Dashboard"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "No solution" in text
    assert any("sum to 1" in t and "Settings row" in t for t in text)


# --- sourcing frontier ------------------------------------------------------------------

@pytest.mark.component
def test_frontier_dashboard(make_workbook):
    """Frontier of the newsvendor (tests/test_risk.py::test_frontier_newsvendor): reserving q
    in [100, 200] gives E = 2 q + 1600 and CVaR = 4000 - 10 q; three points q = 100, 150, 200:
    (E, CVaR) = (1800, 3000), (1900, 2500), (2000, 2000). Against the cheapest: extra expected
    cost 0, 100, 200 for CVaR removed 0, 500, 1000. The decision that changes: RES 2025
    reserved 100 -> 150 -> 200."""
    rc, info, report = run(frontier_command, make_workbook(NEWSVENDOR), points=3)
    assert rc == 0
    wb = assert_tables_with_notes(report)
    ws = wb["Dashboard"]
    t = tiles(ws)
    assert t["cheapest: expected (USD)"] == pytest.approx(1800, **APPROX)
    assert t["cheapest: CVaR (USD)"] == pytest.approx(3000, **APPROX)
    assert t["safest: expected (USD)"] == pytest.approx(2000, **APPROX)
    assert t["safest: CVaR (USD)"] == pytest.approx(2000, **APPROX)
    assert t["price of safety (USD)"] == pytest.approx(200, **APPROX)
    assert t["CVaR removed (USD)"] == pytest.approx(1000, **APPROX)
    points = table_below(ws, "point")
    assert [p["extra expected"] for p in points] == pytest.approx([0, 100, 200], abs=1e-3)
    assert [p["CVaR removed"] for p in points] == pytest.approx([0, 500, 1000], abs=1e-3)
    assert [p["risk weight"] for p in points][1:] == pytest.approx([0.2, 0.2], rel=1e-4)
    change = table_below(ws, "kind")
    assert [(c["kind"], c["offer / process"], c["period"]) for c in change] == \
        [("reserve", "RES", 2025)]
    assert [change[0][f"point {k}"] for k in range(3)] == pytest.approx([100, 150, 200], abs=1e-5)
    front = wb["Frontier"]
    assert column_format(front, "extra_expected_cost") == st.MONEY
    assert column_format(front, "expected_cost") == st.MONEY
    # both charts plot the price of safety against the risk removed, both axes from zero
    import zipfile
    with zipfile.ZipFile(report) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(xml) == 2
    for chart in xml:
        assert len(re.findall(r'<(c:)?min val="0(\.0)?"', chart)) == 2
        assert "'Frontier'!$H$2:$H$4" in chart and "'Frontier'!$I$2:$I$4" in chart


# --- sourcing sample --------------------------------------------------------------------

@pytest.mark.component
def test_sample_dashboard(make_workbook):
    """The CERTAIN fixture (above): every scenario costs 4500, in and out of sample."""
    rc, info, report = run(sample_command, make_workbook(CERTAIN), n=3, seed=5, n_out=2)
    assert rc == 0
    wb = assert_tables_with_notes(report)
    ws = wb["Dashboard"]
    t = tiles(ws)
    assert t["in sample: expected (USD)"] == pytest.approx(4500, **APPROX)
    assert t["out of sample: expected (USD)"] == pytest.approx(4500, **APPROX)
    assert t["out of sample: 95% CI ± (USD)"] == pytest.approx(0, abs=1e-3)
    assert t["optimism gap (USD)"] == pytest.approx(0, abs=1e-3)
    assert t["first-stage cost (USD)"] == pytest.approx(240, **APPROX)
    est = {e["estimate"].split(" (")[0]: e for e in table_below(ws, "estimate")}
    assert est["in sample"]["scenarios"] == 3 and est["out of sample"]["scenarios"] == 2
    for e in est.values():
        assert e["mean"] == pytest.approx(4500, **APPROX)
        assert e["low"] == pytest.approx(4500, **APPROX) and e["high"] == pytest.approx(4500, **APPROX)
    decision = table_below(ws, "decision")
    assert [(d["offer / process"], d["periods"]) for d in decision] == [("MINE_ORE", "2025, 2027")]
    assert decision[0]["t reserved"] == pytest.approx(120, abs=1e-5)
    events = table_below(ws, "event")
    assert events[0]["event"] == "MINE_SHUT" and events[0]["in sample"] == pytest.approx(1.0)
    assert column_format(wb["InSample"], "total_cost") == st.MONEY
    assert column_format(wb["Events"], "in_sample_share") == st.SHARE
