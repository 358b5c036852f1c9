"""``sourcing template``: a blank workbook generated from the schema, with help
comments, drop-downs from named ranges and a Guide; filled with a minimal
example it reads and solves."""

from __future__ import annotations


import openpyxl
import pytest

from conftest import solve_cli
from model.cli import arguments
from model.commands.template import build_template, template_command
from model.countries import countries
from model.schema import COUNTRY, POLICY_KINDS, SETTINGS, SHEETS


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    assert template_command(arguments("template", output=str(path))) == 0
    return path


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def _validations(ws) -> dict[str, object]:
    """Column letter -> its data validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[openpyxl.utils.get_column_letter(rng.min_col)] = dv
    return out


def _resolve(book, name: str) -> tuple[str, str]:
    """(sheet, column letter) a defined name points at."""
    dn = book.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    return sheet, ref.split(":")[0].strip("$").rstrip("0123456789").strip("$")


@pytest.mark.unit
def test_every_schema_sheet_and_column_in_order(book):
    assert book.sheetnames[0] == "Guide" and book.sheetnames[-1] == "Lists"
    assert book.sheetnames[1:-1] == [s.name for s in SHEETS]
    for sheet in SHEETS:
        ws = book[sheet.name]
        assert [c.value for c in ws[1]] == sheet.column_names, sheet.name
        assert ws.freeze_panes == "A2"
        for cell, col in zip(ws[1], sheet.columns):
            assert cell.comment is not None and cell.comment.text.startswith(f"{col.name}: {col.help}")
            if col.required:
                assert "required" in cell.comment.text


@pytest.mark.unit
def test_settings_keys_are_filled_in(book):
    ws = book["Settings"]
    keys = [ws.cell(row=i, column=1).value for i in range(2, 2 + len(SETTINGS))]
    assert keys == [s.key for s in SETTINGS]
    assert all(ws.cell(row=i, column=2).value is None for i in range(2, 2 + len(SETTINGS)))


@pytest.mark.unit
def test_references_drop_down_the_id_column_of_their_sheet(book):
    seen = 0
    for sheet in SHEETS:
        ws = book[sheet.name]
        dvs = _validations(ws)
        for j, col in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(j)
            if not col.ref:
                continue
            dv = dvs[letter]
            assert dv.type == "list"
            target_sheet, target_col = _resolve(book, dv.formula1)
            ref_sheet = next(s for s in SHEETS if s.name == col.ref[0])
            assert target_sheet == col.ref[0]
            assert target_col == openpyxl.utils.get_column_letter(
                ref_sheet.column_names.index(col.ref[1]) + 1)
            seen += 1
    assert seen >= 10
    for name in ("ids_Sites_site_id", "ids_Materials_material_id", "ids_Supply_offer_id",
                 "ids_Processes_process_id", "ids_Lanes_lane_id", "ids_Scenarios_scenario_id"):
        assert name in book.defined_names


@pytest.mark.unit
def test_countries_kinds_booleans_drop_downs(book):
    codes = [c for c, _ in countries()]
    assert len(codes) == len(set(codes)) == 249
    assert {"US", "CN", "MY", "AU", "GB", "CD", "TW"} <= set(codes)
    lists = book["Lists"]
    sheet, col = _resolve(book, "list_countries")
    assert sheet == "Lists"
    column = [c.value for c in lists[col]][1:]
    assert column == codes
    for sheet in SHEETS:
        dvs = _validations(book[sheet.name])
        for j, c in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(j)
            if c.type == COUNTRY:
                assert dvs[letter].formula1 == "list_countries"
            if c.name == "enabled":
                assert dvs[letter].formula1 == "list_booleans"
    ec = _validations(book["ExportControls"])
    measure = openpyxl.utils.get_column_letter(
        next(s for s in SHEETS if s.name == "ExportControls").column_names.index("measure") + 1)
    assert ec[measure].formula1 == "list_measures" and ec[measure].errorStyle == "stop"
    pol = next(s for s in SHEETS if s.name == "Policies")
    kind = openpyxl.utils.get_column_letter(pol.column_names.index("kind") + 1)
    assert _validations(book["Policies"])[kind].formula1 == "list_policy_kinds"
    values = [c.value for c in book["Lists"][_resolve(book, "list_policy_kinds")[1]]][1:]
    assert [v for v in values if v] == list(POLICY_KINDS)


@pytest.mark.unit
def test_guide_describes_every_sheet_and_column(book):
    text = "\n".join(str(v) for row in book["Guide"].iter_rows(values_only=True) for v in row
                     if v is not None)
    for sheet in SHEETS:
        assert sheet.name in text
        for c in sheet.columns:
            assert c.name in text
    assert "sourcing solve" in text


@pytest.mark.unit
def test_template_command_refuses_to_overwrite(tmp_path, template):
    assert template_command(arguments("template", output=str(template))) == 2
    assert template_command(arguments("template", output=str(tmp_path / "t.csv"))) == 2
    assert template_command(arguments("template", output=str(template), force=True)) == 0


def _fill(book, name: str, rows: list[dict]) -> None:
    ws = book[name]
    header = [c.value for c in ws[1]]
    for i, rec in enumerate(rows, start=2):
        for k, v in rec.items():
            ws.cell(row=i, column=header.index(k) + 1, value=v)


@pytest.mark.component
def test_filled_template_reads_and_solves(template, tmp_path):
    book = openpyxl.load_workbook(template)
    settings = book["Settings"]
    for i in range(2, 2 + len(SETTINGS)):
        key = settings.cell(row=i, column=1).value
        value = {"first_period": 2025, "last_period": 2025, "unmet_penalty": 1000}.get(key)
        if value is not None:
            settings.cell(row=i, column=2, value=value)
    _fill(book, "Materials", [dict(material_id="OX", name="oxide", reference_price=1000)])
    _fill(book, "Sites", [dict(site_id="MINE", name="Mine", company="MineCo", country="AU"),
                          dict(site_id="BUYER", name="Buyer", company="BuyCo", country="US")])
    _fill(book, "Supply", [dict(offer_id="MINE_OX", site_id="MINE", material_id="OX",
                                capacity=100, unit_cost=10, enabled=True)])
    _fill(book, "Lanes", [dict(lane_id="L1", from_site="MINE", to_site="BUYER", material_id="OX",
                               unit_cost=5)])
    _fill(book, "Demand", [dict(demand_id="D1", site_id="BUYER", material_id="OX", period=2025,
                                quantity=30)])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    s = solve_cli(path)
    assert s.rc == 0 and s.status == "optimal"
    assert s.objective == pytest.approx(30 * (10 + 5))
    warnings = s.table("Warnings")
    # the only tolerated warnings are about the template's own helper sheets
    assert set(warnings["sheet"].astype(str)) <= {"Guide", "Lists"}


@pytest.mark.unit
def test_build_template_is_deterministic():
    a, b = build_template(), build_template()
    assert a.sheetnames == b.sheetnames
    assert list(a.defined_names) == list(b.defined_names)


@pytest.mark.unit
def test_sourcing_template_command(tmp_path):
    from model.cli import main
    out = tmp_path / "blank.xlsx"
    assert main(["template", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[1:-1] == [s.name for s in SHEETS]
    assert main(["template", str(out)]) == 2                 # no silent overwrite
    assert main(["template", str(out), "--force"]) == 0
