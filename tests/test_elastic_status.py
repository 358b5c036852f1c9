"""Issue 12, case 6: an elastic (bent) plan must say so wherever a reader looks
first: its status, the terminal line, the Dashboard header, RuleMarginals and
the exit code.

Workbook (hand-worked): BUYER (US) needs 30 t of OX in 2025 (unmet penalty
1,000/t) and must hold a stock floor of 50 t at the end of 2025. MINE (AU)
sells at most 20 t at 10/t, freight 5/t; CNX (CN) sells 100 t at 5/t, freight
1/t, but China bans OX exports to the US. Infeasible: at most 20 t can reach
BUYER and the floor alone asks for 50 t.

With only the ban allowed to bend (``--elastic-relax export_limit``), at the
default penalty of 10 x 1,000 = 10,000 per t bent: the floor needs 30 t more
than AU's 20 t, so the ban bends by exactly 30 t (20 t AU + 30 t CN into
stock); every further tonne through the ban would cost 10,000 + 6 to save a
1,000 penalty, so the 30 t of demand go unmet. Plan cost without penalties:
20 x (10 + 5) + 30 x (5 + 1) + 30 x 1,000 = 300 + 180 + 30,000 = 30,480.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from conftest import BAN, CN
from model.cli import EXIT_ELASTIC, EXIT_OK, main
from model.results.kpis import stock_check


FLOOR_50 = """
    site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
    BUYER,OX,0,0,50,
"""
AU_20 = """
    offer_id,site_id,material_id,capacity,unit_cost
    MINE_OX,MINE,OX,20,10
    CN_OX,CNX,OX,100,5
"""


def _dashboard_text(ws) -> list[tuple[int, int, str]]:
    return [(c.row, c.column, str(c.value)) for row in ws.iter_rows() for c in row
            if c.value is not None]


def _what_binds_rules(ws) -> list[str]:
    """Rule ids listed under the Dashboard's 'What binds' heading."""
    cells = _dashboard_text(ws)
    head = next(r for r, c, v in cells if v.startswith("What binds"))
    out = []
    for r in range(head + 2, ws.max_row + 1):
        v = ws.cell(row=r, column=2).value
        if v is None or str(v).startswith(("every row", "no export")) or "more:" in str(v):
            break
        out.append(str(v))
    return out


@pytest.mark.component
def test_case6_elastic_plan_is_not_reported_as_optimal(make_workbook, tmp_path, capsys):
    wb = make_workbook(dict(CN, Supply=AU_20, Inventory=FLOOR_50, ExportControls=BAN))
    report, js, page = tmp_path / "bent.xlsx", tmp_path / "bent.json", tmp_path / "bent.html"
    rc = main(["solve", str(wb), "-o", str(report), "--summary-json", str(js), "--html", str(page),
               "--elastic", "--elastic-relax", "export_limit"])
    out = capsys.readouterr().out
    summary = json.loads(js.read_text())

    # status and exit code: a bent plan is neither optimal nor exit 0
    assert summary["status"] == "elastic"
    assert summary["base_status"] == "infeasible"
    assert rc == EXIT_ELASTIC and EXIT_ELASTIC not in (EXIT_OK, 1, 2, 3, 4, 5)
    assert summary["objective"] == pytest.approx(30_480)           # see the docstring
    assert summary["elastic_bends"] == 1

    # the terminal line says so
    first = out.splitlines()[0]
    assert first.startswith("elastic: objective 30,480.00")
    assert "bent" in first and "sheet Elastic" in first

    book = openpyxl.load_workbook(report)
    # the Dashboard header: status elastic and a banner naming what bent
    dash = book["Dashboard"]
    header = " ".join(str(dash.cell(row=r, column=2).value or "") for r in (1, 2, 3))
    assert "status elastic" in header
    assert "bent" in header and "BAN" in header
    # the ban is not listed as 'binding' while 30 t go through it
    assert "BAN" not in _what_binds_rules(dash)
    # the web page carries the same warning at its top
    text = page.read_text()
    assert "status elastic" in text and "BENT PLAN" in text
    assert text.index("BENT PLAN") < text.index("<h2>")

    # RuleMarginals: the ban's real activity, not binding, marked bent
    rm = {ws_row[1]: ws_row for ws_row in book["RuleMarginals"].iter_rows(min_row=2, values_only=True)}
    head = [c.value for c in book["RuleMarginals"][1]]
    ban = dict(zip(head, rm["BAN"]))
    assert ban["activity"] == pytest.approx(30)
    assert ban["binding"] is False
    assert ban["change_from"] == "bent"
    assert "bent by 30 t" in ban["meaning"]

    # Summary and About agree
    keys = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert keys["status"] == "elastic"


@pytest.mark.component
def test_case6_elastic_with_nothing_bent_stays_optimal(make_workbook, tmp_path, capsys):
    # no floor and no ban: nothing has to bend, so the plan is the optimum, exit 0
    wb = make_workbook(dict(CN, Supply=AU_20))
    report, js = tmp_path / "ok.xlsx", tmp_path / "ok.json"
    rc = main(["solve", str(wb), "-o", str(report), "--summary-json", str(js), "--elastic"])
    summary = json.loads(js.read_text())
    assert (rc, summary["status"], summary["elastic_bends"]) == (EXIT_OK, "optimal", 0)
    # 30 t from CN at 5 + 1: 180
    assert summary["objective"] == pytest.approx(180)


@pytest.mark.component
def test_case6_a_bent_stock_floor_is_below_it_not_at_it(make_workbook, tmp_path):
    # Same class: the floor may bend (default relax). The floor of 50 t is bent, not
    # the ban (bending the ban costs 6/t more than bending the floor): 20 t AU in
    # stock, 30 t short of the floor. StockCheck must say 'below floor', and the
    # Dashboard's risks must not call it 'at its floor'.
    wb = make_workbook(dict(CN, Supply=AU_20, Inventory=FLOOR_50, ExportControls=BAN))
    report, js = tmp_path / "floor.xlsx", tmp_path / "floor.json"
    rc = main(["solve", str(wb), "-o", str(report), "--summary-json", str(js), "-q", "--elastic"])
    assert rc == EXIT_ELASTIC
    book = openpyxl.load_workbook(report)
    head = [c.value for c in book["StockCheck"][1]]
    rows = [dict(zip(head, r)) for r in book["StockCheck"].iter_rows(min_row=2, values_only=True)]
    assert [(r["stock_t"], r["min_stock_t"], r["status"]) for r in rows] == [(20, 50, "below floor")]
    text = " ".join(v for _, _, v in _dashboard_text(book["Dashboard"]))
    assert "stock below its floor" in text and "stock at its floor" not in text


@pytest.mark.unit
def test_case6_stock_check_statuses_unit():
    import pandas as pd
    stock = pd.DataFrame({"site_id": ["S"] * 4, "material_id": ["M"] * 4,
                          "period": [1, 2, 3, 4], "stock_t": [5.0, 10.0, 12.0, 25.0],
                          "min_stock_t": [10.0, 10.0, 10.0, 10.0],
                          "max_stock_t": [20.0, 20.0, 20.0, 20.0]})
    got = stock_check({"Stock": stock})["status"].tolist()
    assert got == ["below floor", "at floor", "above floor", "above ceiling"]
