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
