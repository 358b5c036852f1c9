"""docs/contract.md is the promise to analysts: every sheet, column and setting it
names exists in the schema the reader, template and guide are generated from."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from model.schema import SETTINGS, SHEETS

pytestmark = pytest.mark.unit

CONTRACT = (REPO / "docs" / "contract.md").read_text()
INPUT = CONTRACT.split("## Input sheets")[1].split("## The model")[0]


def sections() -> dict[str, str]:
    """'### Processes (optional) and Recipes' -> {'Processes': body, 'Recipes': body}."""
    out = {}
    for head, body in re.findall(r"^### (.+)\n((?:(?!^### ).*\n)*)", INPUT, flags=re.M):
        for name in re.findall(r"\b([A-Z][A-Za-z]+)\b", head.split("—")[0]):
            out[name] = body
    return out


def test_contract_names_the_sheets_we_read():
    names = set(sections())
    assert {"Settings", "Materials", "Sites", "Supply", "Processes", "Recipes", "CapacityProfile",
            "Lanes", "Demand", "Inventory", "ExportControls", "Policies", "Scenarios",
            "ScenarioChanges"} <= names
    assert names <= {s.name for s in SHEETS}


VALUES = {"set", "scale", "ban", "quota", "tariff", "all"}     # in backticks, but values


def columns_named(sheet: str, body: str) -> set[str]:
    """The backticked names of the section's first sentence (from 'Sheet:' where a
    section describes two sheets)."""
    if f"{sheet}: " in body:
        body = body.split(f"{sheet}: ", 1)[1]
    sentence = re.split(r"\.\s+[A-Z]", body, maxsplit=1)[0]
    return set(re.findall(r"`([a-z_]+)`", sentence)) - VALUES


def test_every_contract_column_is_in_the_schema():
    schema = {s.name: set(s.column_names) for s in SHEETS}
    named = {sheet: columns_named(sheet, body) for sheet, body in sections().items()
             if sheet != "Settings"}
    assert named["Supply"] >= {"offer_id", "capacity", "min_quantity", "enabled"}
    assert named["Recipes"] == {"process_id", "material_id", "input", "output"}
    assert named["ScenarioChanges"] == {"scenario_id", "sheet", "id", "column", "op", "value"}
    missing = sorted(f"{sheet}.{c}" for sheet, cols in named.items() for c in cols - schema[sheet])
    assert not missing


def test_every_contract_setting_is_in_the_schema():
    keys = re.findall(r"^\| (\w+) \|", sections()["Settings"], flags=re.M)
    assert set(keys) - {"key"} <= {s.key for s in SETTINGS}
    assert "first_period" in keys and "time_limit_s" in keys


V12 = (REPO / "docs" / "contract-v1.2.md").read_text()


def _v12_section(number: int) -> str:
    return V12.split(f"\n## {number}. ")[1].split("\n## ")[0]


def test_contract_v12_profiled_columns_are_the_schema_s():
    """Section 1's table: every sheet and column that may be profiled, exactly."""
    from model.schema import PROFILED
    table = {}
    for line in _v12_section(1).splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]   # an escaped \| is no border
        if len(cells) == 3 and cells[0] not in ("sheet", "---"):
            table[cells[0]] = tuple(c.strip() for c in cells[2].split(","))
    assert table == PROFILED
    schema = {s.name: set(s.column_names) for s in SHEETS}
    assert all(set(cols) <= schema[sheet] for sheet, cols in table.items())
    assert set(schema["Profiles"]) == set(re.findall(r"`(\w+)`", _v12_section(1).split(".")[0]))


def test_contract_v12_supply_sales_and_settings_columns_are_in_the_schema():
    schema = {s.name: set(s.column_names) for s in SHEETS}
    assert set(re.findall(r"^- `(\w+)`", _v12_section(2), flags=re.M)) | {"price_cap"} <= \
        schema["Supply"]
    sales = set(re.findall(r"`(\w+)`", _v12_section(3).split("\n\n")[1]))
    assert sales == schema["Sales"]
    assert "period_years" in {s.key for s in SETTINGS}


def test_contract_v12_investments_and_lane_lead_time_are_in_the_schema():
    """Section 4's Investments columns and section 5's Lanes lead_time (issue 15)."""
    section = V12.split("## 4. Investments")[1].split("\n- ")[0]
    named = set(re.findall(r"`([a-z_]+)`", section))
    schema = {s.name: s for s in SHEETS}
    assert named >= {"investment_id", "target_id", "capacity", "capex", "lead_time",
                     "first_period", "last_period", "fixed_cost", "max_units", "enabled"}
    assert named <= set(schema["Investments"].column_names)
    inv = schema["Investments"]
    assert inv.column("capacity").required and inv.column("max_units").default == 1.0
    assert inv.column("lead_time").default == 0.0 and inv.column("capex").default == 0.0
    assert "Lanes `lead_time`" in V12 and "lead_time" in schema["Lanes"].column_names
    assert schema["Lanes"].column("lead_time").default == 0.0
