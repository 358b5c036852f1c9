"""docs/walkthrough.md, done as an analyst would: its tables typed into a blank
template, validated and solved with the real commands; every figure the page
quotes is checked against the solve and against the hand calculation below."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from conftest import REPO
from model.cli import main

pytestmark = pytest.mark.component

PAGE = (REPO / "docs" / "walkthrough.md").read_text()

# By hand (the page's own arithmetic):
#   Lynas delivered 65,000 + 1,000 = 66,000/t; China 55,000 + 800 + 0.25 x 60,000 = 70,800/t.
#   no stock:  2025: 60 x 66,000 + 40 x 70,800 = 6,792,000
#              2026: 60 x 66,000 + 40 x 200,000 unmet = 11,960,000          total 18,752,000
#   stock:     2025: 60 x 66,000 + 80 x 70,800 + 40 x 2,000 holding = 9,704,000
#              2026: 60 x 66,000 = 3,960,000                                 total 13,664,000
#   no ban:    2 x 6,792,000                                                 total 13,584,000
HAND = {"no_stock": 18_752_000, "stock": 13_664_000, "no_ban": 13_584_000}


def quoted(tag: str) -> float:
    m = re.search(rf"<!-- walkthrough:{tag} -->([\d,]+)<!-- /walkthrough -->", PAGE)
    assert m, f"docs/walkthrough.md quotes no figure {tag}"
    return float(m.group(1).replace(",", ""))


def tables(until: str | None = None) -> dict[str, list[dict]]:
    """Every '### Sheet' table of the page (up to the heading ``until``)."""
    text = PAGE.split(f"## {until}")[0] if until else PAGE
    out = {}
    for name, body in re.findall(r"^### (\w+)\n\n((?:\|.*\n)+)", text, flags=re.M):
        lines = [ln.strip().strip("|").split("|") for ln in body.strip().splitlines()]
        header = [h.strip() for h in lines[0]]
        out[name] = [dict(zip(header, (c.strip() for c in row))) for row in lines[2:]]
    return out


def typed(value: str):
    if value == "":
        return None
    if value in ("TRUE", "FALSE"):
        return value == "TRUE"
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


def fill_in(path, sheets: dict[str, list[dict]]):
    """Type the rows into the workbook (a new template the first time)."""
    if not path.exists():
        assert main(["template", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    for name, rows in sheets.items():
        ws = wb[name]
        header = [c.value for c in ws[1]]
        if name == "Settings":
            keys = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
            for row in rows:
                ws.cell(keys[row["key"]], 2).value = typed(row["value"])
            continue
        for i, row in enumerate(rows, start=2):
            for col, value in row.items():
                ws.cell(i, header.index(col) + 1).value = typed(value)
    wb.save(path)


def solve(tmp_path, wb, name, *extra) -> dict:
    summary = tmp_path / f"{name}.json"
    rc = main(["solve", str(wb), "-o", str(tmp_path / f"{name}.xlsx"),
               "--summary-json", str(summary), "-q", *extra])
    assert rc == 0
    return json.loads(summary.read_text())


def test_walkthrough_figures_are_the_hand_calculation():
    for tag, value in HAND.items():
        assert quoted(tag) == value


def test_walkthrough_step_by_step(tmp_path):
    wb = tmp_path / "my-first.xlsx"
    fill_in(wb, tables(until="4."))
    assert main(["validate", str(wb)]) == 0
    first = solve(tmp_path, wb, "no_stock")
    assert first["status"] == "optimal"
    assert first["objective"] == pytest.approx(quoted("no_stock"), abs=0.01)
    assert first["unmet_demand_t"] == pytest.approx(40, abs=1e-6)

    fill_in(wb, tables(until="5."))
    assert solve(tmp_path, wb, "stock")["objective"] == pytest.approx(quoted("stock"), abs=0.01)
    stock = openpyxl.load_workbook(tmp_path / "stock.xlsx")["Stock"]
    rows = list(stock.values)
    head = rows[0]
    end_2025 = [r for r in rows[1:] if r[head.index("period")] == 2025]
    assert sum(r[head.index("stock_t")] for r in end_2025) == pytest.approx(40, abs=1e-6)

    fill_in(wb, tables())
    no_ban = solve(tmp_path, wb, "no_ban", "--scenario", "NO_BAN")
    assert no_ban["objective"] == pytest.approx(quoted("no_ban"), abs=0.01)
