"""The README's sheet guide is generated from the schema and must be current;
CI runs exactly the README's test command; figures quoted in the docs are the
committed baselines; inputs/README.md counts the example's rows."""

import re

import pytest

from conftest import REPO
from model.guide import render_into
from model.regress import doc_figures
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


def test_figures_quoted_in_the_docs_are_the_baselines():
    """Every <!-- fig ... --> figure equals what the committed baselines say
    (rewrite with: python -m model.regress.doc_figures)."""
    stale = [str(p.relative_to(REPO)) for p in doc_figures.pages()
             if doc_figures.render(p.read_text()) != p.read_text()]
    assert not stale, "run: python -m model.regress.doc_figures"
    table = (REPO / "docs" / "data-sources.md").read_text()
    assert table.count("<!-- fig ") >= 25      # the results table is generated, not typed


def test_a_stale_figure_is_rewritten():
    text = "cost <!-- fig base objective M -->1.0 M<!-- /fig --> in all"
    assert doc_figures.render(text) != text
    assert doc_figures.render(doc_figures.render(text)) == doc_figures.render(text)


def test_a_negated_figure_is_the_baseline_value_with_its_sign_turned():
    """Revenue is a negative cost in the baselines: ``-cost[sales]`` quotes it
    as a positive amount. The base sells nothing and CN_CONTENT_RULE sells La/Ce,
    so the negation is checked against the baseline file itself."""
    from model.regress.baseline import path_for, read
    b = read(path_for(doc_figures.BASELINES, doc_figures.WORKBOOK, "CN_CONTENT_RULE"))
    revenue = -b.figures["cost"]["sales"]
    assert revenue > 0
    assert doc_figures.value("CN_CONTENT_RULE", "-cost[sales]") == revenue
    text = "<!-- fig CN_CONTENT_RULE -cost[sales] int -->0<!-- /fig -->"
    assert doc_figures.render(text) == (
        f"<!-- fig CN_CONTENT_RULE -cost[sales] int -->{revenue:,.0f}<!-- /fig -->")


def test_inputs_readme_counts_the_example_rows():
    readme = (REPO / "inputs" / "README.md").read_text()
    rows = {}
    for names, counts in re.findall(r"^\| ([A-Za-z, ]+) \| ([\d, ]+) \|", readme, flags=re.M):
        rows.update(zip((n.strip() for n in names.split(",")), (int(c) for c in counts.split(","))))
    for csv in sorted((REPO / "inputs" / "example").glob("*.csv")):
        lines = [ln for ln in csv.read_text().splitlines() if ln.strip()]
        if csv.stem in rows:
            assert rows[csv.stem] == len(lines) - 1, csv.stem
    assert {"Settings", "Supply", "Demand", "Recipes"} <= set(rows)


def test_the_decisions_table_names_every_headline_decision():
    """docs/analysis.md's generated table (checked against re-solves in
    tests/test_decisions_table.py) lists each headline decision and rule once."""
    from model.regress import decisions
    rows = decisions.parse(decisions.block(decisions.PAGE.read_text(encoding="utf-8")))
    assert [r[0].strip("`") for r in rows] == [i for i, _ in decisions.HEADLINE + decisions.RULES]


def test_the_docs_do_not_link_outside_the_repository():
    for page in doc_figures.pages():
        assert "](../shared" not in page.read_text(encoding="utf-8"), page.name
        assert "](../../" not in page.read_text(encoding="utf-8"), page.name


def test_the_architecture_page_names_real_files():
    """docs/architecture.md walks through the code by path: every path it names exists."""
    text = (REPO / "docs" / "architecture.md").read_text()
    paths = set(re.findall(r"`((?:model|tests)/[\w/]+(?:\.py)?)`", text))
    assert len(paths) > 20
    assert not sorted(p for p in paths if not (REPO / p).exists())
