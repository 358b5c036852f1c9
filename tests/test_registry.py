"""The family registry is complete (issue 13).

Every row a family adds is declared in its ``ROWS`` (``model.formulation.rowspec``),
and the modules that used to know families by name (rule marginals, what-if
sessions, rule pricing, elastic mode, the infeasibility explanation) name no
row. The proof that they need no per-family code: a family they have never
seen, added with one line (``FAMILIES["toy_cap"] = toy``), appears in all of
them with the answers worked by hand below.
"""

from __future__ import annotations

import ast
import re
import types
from pathlib import Path

import pytest

from conftest import BASE_SHEETS, REPO, near, with_cn, write_workbook
from model.formulation import FAMILIES, build, registry
from model.formulation.expr import add_constraint
from model.formulation.rowspec import LIMIT, Head, Item, RowSpec, first, model_item, second

FORMULATION = REPO / "model" / "formulation"
CONSUMERS = ["model/analysis/marginals.py", "model/analysis/price_rules.py",
             "model/analysis/elastic.py", "model/analysis/infeasibility.py",
             "model/analysis/describe.py", "model/whatif/session.py"]


def _literal_row_names(path: Path) -> set[str]:
    """Row names a family module passes to add_constraint as string literals, and
    the names in provenance's link table."""
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "add_constraint":
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                out.add(name.value)
        if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Constant) \
                and isinstance(node.elts[0].value, str) and node.elts[0].value.startswith("link_"):
            out.add(node.elts[0].value)
    return out


@pytest.mark.unit
def test_every_row_a_family_adds_is_declared_by_that_family():
    for name, family in FAMILIES.items():
        added = _literal_row_names(Path(family.__file__))
        declared = {spec.name for spec in family.ROWS}
        assert added == declared, (name, added ^ declared)


@pytest.mark.unit
def test_no_analysis_names_a_row():
    import model.analysis.elastic as elastic
    names = set(registry.specs())
    for rel in CONSUMERS:
        tree = ast.parse((REPO / rel).read_text())
        # elastic's own vocabulary (the --elastic choices) shares two words with row names
        own = set(elastic.FAMILIES) if rel.endswith("elastic.py") else set()
        named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                 and isinstance(n.value, str) and n.value in names - own}
        assert not named, f"{rel} names the rows {sorted(named)}: ask model.formulation.registry"


@pytest.mark.component
def test_every_row_of_the_example_has_a_spec(example_compiled):
    known = set(registry.specs())
    assert set(example_compiled.row_con) <= known, set(example_compiled.row_con) - known


@pytest.fixture(scope="module")
def example_compiled():
    from model.data.model_data import prepare
    from model.run import load
    from model.solve.handover import compile_model
    wb, _, _ = load(REPO / "inputs" / "example.xlsx")
    return compile_model(build(prepare(wb)).model)


# ---------------------------------------------------------------- a new family

def toy_family(lower=None, upper=None):
    """buy[CN_OX, p] within [lower, upper]: a rule owned by the Policies row TOY."""
    def add(m, data) -> int:
        rows = {("TOY", p): (lower, [(1.0, m.buy["CN_OX", p])], upper) for p in data.periods
                if ("CN_OX", p) in m.buy}
        return add_constraint(m, "toy_cap", rows, "toy rule")

    def describe(look, key, lo, hi, side=None) -> Item:
        return Item("Policies", 2, "TOY", "toy rule", key[1], "CNX", "OX",
                    "at least" if lower is not None else "at most", lower or upper, "t", LIMIT,
                    model_item("toy_cap", key), f"the toy rule holds CN_OX in {key[1]}")

    def head(look, key) -> Head:
        return Head("Policies", "TOY", 2, "toy rule", "OX", key[1], "", upper, "toy TOY",
                    "through it")

    spec = RowSpec("toy_cap", describe, sheet="Policies", owner=first, period=second, rule=True,
                   head=head, relax=lambda key: "policy")
    return types.SimpleNamespace(add=add, ROWS=(spec,), __file__=__file__)


# The workbook: 30 t of OX at BUYER. CN_OX costs 5 + 1 freight = 6/t, MINE_OX
# 10 + 5 = 15/t. The Policies row TOY (a 100% share cap: it never binds by
# itself) owns the toy family's rows.
TOY_POLICY = """
    rule_id,kind,material_id,country,value
    TOY,max_country_share,OX,CN,1
"""


@pytest.fixture
def toy_workbook(tmp_path):
    return write_workbook(tmp_path, {**BASE_SHEETS, **with_cn(Policies=TOY_POLICY)})


@pytest.mark.component
def test_a_new_family_appears_in_marginals_sessions_and_rule_pricing(toy_workbook, monkeypatch):
    # toy: buy[CN_OX] <= 10. By hand: 10 t from CN at 6 + 20 t from MINE at 15 = 360;
    # without the toy rule all 30 t from CN = 180; one more tonne of the cap saves 15 - 6 = 9.
    monkeypatch.setitem(FAMILIES, "toy_cap", toy_family(upper=10.0))
    from model.analysis.price_rules import price_rules
    from model.run import run
    from model.whatif.session import Session
    solved = run(toy_workbook)
    assert near(solved.solution.objective, 360.0)
    rm = solved.tables["RuleMarginals"]
    toy = rm[rm["kind"] == "toy rule"].iloc[0]
    assert toy["rule_id"] == "TOY" and bool(toy["binding"])
    assert near(toy["change_per_t"], -9.0)
    assert toy["meaning"] == "toy TOY binds in 2025: one more tonne through it would save 9 USD"

    session = Session(toy_workbook)
    assert near(session.solve().objective, 360.0)
    # a session keeps no LP to re-solve on: the binding toy row gets the dual rate of
    # its LP (-9), not "does not bind"
    rm = session.tables()["RuleMarginals"]
    toy = rm[rm["kind"] == "toy rule"].iloc[0]
    assert toy["change_from"] == "dual" and bool(toy["binding"])
    assert near(toy["change_per_t"], -9.0)
    session.disable("TOY")                      # frees the toy row (and TOY's share rows)
    assert near(session.solve().objective, 180.0)

    priced = price_rules(toy_workbook).set_index("rule_id")
    assert near(priced.loc["TOY", "cost_of_rule"], 180.0)      # 360 - 180


@pytest.mark.component
def test_a_rule_at_its_limit_in_a_mip_session_is_not_called_slack(tmp_path, monkeypatch):
    # A MIP (fixed costs of 1 on both offers) in a what-if session, which keeps neither
    # duals nor an LP to re-solve on: by hand 10 t from CN at 6 + 20 t from MINE at 15
    # + 2 fixed = 362. The toy row is at its limit; what a tonne is worth is not known,
    # and the table says so instead of "does not bind".
    monkeypatch.setitem(FAMILIES, "toy_cap", toy_family(upper=10.0))
    from model.whatif.session import Session
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost
        MINE_OX,MINE,OX,100,10,1
        CN_OX,CNX,OX,100,5,1
    """
    wb = write_workbook(tmp_path, {**BASE_SHEETS, **with_cn(Policies=TOY_POLICY, Supply=supply)})
    session = Session(wb)
    assert near(session.solve().objective, 362.0)
    rm = session.tables()["RuleMarginals"]
    toy = rm[rm["kind"] == "toy rule"].iloc[0]
    assert toy["change_from"] == "not computed" and bool(toy["binding"])
    assert "was not computed" in toy["meaning"]


@pytest.mark.component
def test_a_new_family_appears_in_elastic_mode_and_the_iis(toy_workbook, monkeypatch):
    # toy: buy[CN_OX] >= 150, but CN_OX can sell at most 100 t: infeasible.
    monkeypatch.setitem(FAMILIES, "toy_cap", toy_family(lower=150.0))
    from model.analysis.elastic import elastic
    from model.analysis.infeasibility import explain
    from model.run import run
    solved = run(toy_workbook)
    assert solved.status == "infeasible"
    table, sentences = explain(solved)
    assert "the toy rule holds CN_OX in 2025" in set(table["meaning"])
    assert any("toy rule" in s or "toy" in s for s in sentences)

    # Elastic with "policy" soft: the toy row (relax -> "policy") bends by 150 - 100 = 50 t.
    _, bends = elastic(toy_workbook, relax=("policy",))
    toy = bends[bends["constraint"] == "toy rule"]
    assert len(toy) == 1 and near(float(toy["bend_t"].iloc[0]), 50.0)
    assert re.search(r"the toy rule holds CN_OX in 2025", toy["meaning"].iloc[0])
