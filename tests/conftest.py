"""Shared fixtures: workbooks are written from text at test time (CSV per sheet)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.read.from_csv import csv_folder_to_workbook
from tiers import pytest_runtest_call, pytest_runtest_setup  # noqa: F401  (hooks: one tier per test)

REPO = Path(__file__).resolve().parents[1]
# OR-Library cap41: shared/reference-data sits next to the repository (CI places a copy there)
CAP41 = REPO.parent / "shared" / "reference-data" / "orlib" / "cap41.txt"


def needed(path: Path) -> Path:
    """A data file the tests need: missing, the test fails (never skips) and says which."""
    if not path.exists():
        pytest.fail(f"{path} is missing; the tests need it (shared/reference-data is placed next "
                    f"to the repository, inputs/example.xlsx is built by `sourcing from-csv "
                    f"inputs/example inputs/example.xlsx`)", pytrace=False)
    return path

BASE_SHEETS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,AU,mine
        BUYER,Buyer,BuyCo,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,MINE,BUYER,OX,5
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
    """,
}


# A second source: CNX (China) sells OX at 5/t, freight 1/t to BUYER.
CN = {
    "Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,AU,mine
        BUYER,Buyer,BuyCo,US,customer
        CNX,China exporter,CnCo,CN,processor
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        CN_OX,CNX,OX,100,5
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost,tariff_rate
        L1,MINE,BUYER,OX,5,
        L2,CNX,BUYER,,1,
    """,
}


def with_cn(**extra):
    sheets = dict(CN)
    sheets.update(extra)
    return sheets


def near(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


BAN = """
    rule_id,exporter,material_id,importer,measure,value
    BAN,CN,OX,US,ban,
"""


def write_workbook(folder: Path, sheets: dict[str, str], name: str = "wb.xlsx") -> Path:
    """Write CSV texts (dedented) to folder/csv/ and build folder/name from them."""
    src = folder / f"csv_{name}"
    src.mkdir(parents=True, exist_ok=True)
    for sheet, text in sheets.items():
        if text is None:
            continue
        (src / f"{sheet}.csv").write_text(textwrap.dedent(text).strip() + "\n")
    out = folder / name
    csv_folder_to_workbook(src, out)
    return out


@pytest.fixture
def make_workbook(tmp_path):
    def make(overrides: dict[str, str | None] | None = None, name: str = "wb.xlsx") -> Path:
        sheets = dict(BASE_SHEETS)
        sheets.update(overrides or {})
        return write_workbook(tmp_path, sheets, name)
    return make


class Solved:
    def __init__(self, rc: int, summary: dict, report: Path):
        self.rc, self.summary, self.report = rc, summary, report
        self._tables = None

    @property
    def objective(self) -> float:
        return self.summary["objective"]

    @property
    def status(self) -> str:
        return self.summary["status"]

    def table(self, name: str) -> pd.DataFrame:
        if self._tables is None:
            self._tables = pd.read_excel(self.report, sheet_name=None, engine="openpyxl")
        return self._tables[name]


def solve_cli(workbook: Path, *args: str) -> Solved:
    """Run the real ``sourcing solve`` entry point in-process."""
    report = workbook.with_name(workbook.stem + "_report.xlsx")
    js = workbook.with_name(workbook.stem + "_summary.json")
    rc = main(["solve", str(workbook), "-o", str(report), "--summary-json", str(js), "-q", *args])
    return Solved(rc, json.loads(js.read_text()), report)


# Two identical mines, each a 60 t/yr offer at 10/t, reaching BUYER through
# identical lanes (5/t direct, or 2 + 3 through HUB, where storage is free):
# every split of each year's demand between the mines and the routes costs the
# same, 15/t, so the LP has a face of optima, and the answer reported is the
# canonical one (ties broken by a fixed name order, not by the row order).
# Optimum: 30 + 30 + 45 = 105 t at 15/t = 1,575.
TWIN_MINES = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2027
        unmet_penalty,1000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        MINE_A,Mine A,TwinCo,AU,mine
        MINE_B,Mine B,TwinCo,AU,mine
        HUB,Hub,HubCo,SG,warehouse
        BUYER,Buyer,BuyCo,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        A_OX,MINE_A,OX,60,10
        B_OX,MINE_B,OX,60,10
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        A_HUB,MINE_A,HUB,OX,2
        B_HUB,MINE_B,HUB,OX,2
        A_BUY,MINE_A,BUYER,,5
        B_BUY,MINE_B,BUYER,,5
        HUB_BUY,HUB,BUYER,OX,3
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D25,BUYER,OX,2025,30
        D26,BUYER,OX,2026,30
        D27,BUYER,OX,2027,45
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,0,0,0,100
        HUB,OX,0,0,0,100
    """,
}
# Fixed costs make it a MIP with the same ties (each mine open or not, 20 a year).
TWIN_MINES_MIP = {**TWIN_MINES, "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,min_quantity
        A_OX,MINE_A,OX,60,10,20,5
        B_OX,MINE_B,OX,60,10,20,5
    """}


def reversed_rows(sheets: dict, names=("Sites", "Supply", "Lanes", "Demand", "Inventory")) -> dict:
    """The workbook with the data rows of the sheets ``names`` in reverse order (a plan
    must not depend on row order)."""
    out = dict(sheets)
    for sheet in names:
        head, *rows = sheets[sheet].strip().splitlines()
        out[sheet] = "\n".join([head, *rows[::-1]])
    return out


def by_content(frame: pd.DataFrame) -> pd.DataFrame:
    """A result table in an order of its own content (row order and Excel rows aside), to
    compare two plans row for row."""
    frame = frame.drop(columns=[c for c in ("excel_row",) if c in frame.columns])
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)
