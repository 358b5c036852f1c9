"""The README's sheet guide is generated from the schema and must be current;
CI runs exactly the README's test command."""

import pytest

from conftest import REPO
from model.guide import render_into
from model.schema import SHEETS

pytestmark = pytest.mark.unit


def test_readme_sheet_guide_is_current():
    text = (REPO / "README.md").read_text()
    assert render_into(text) == text, "run: python -m model.guide"
    for sheet in SHEETS:
        assert f"#### {sheet.name} (" in text


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    command = next(line.strip() for line in ci.splitlines() if line.startswith("python3 -m venv"))
    assert command in readme
