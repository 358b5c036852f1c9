"""The package's shape: no import circles between its modules (issue 13).

A circle means two modules each need the other, so neither can be read,
tested or moved alone; the usual dodge, an import inside a function, hides it
without removing it. The graph below counts every import, at module level or
inside a function; ``from package import submodule`` is an edge to the
submodule, and, since Python runs them first, to every package ``__init__``
on its way that imports anything (``model.run`` importing
``model.analysis.marginals`` runs ``model/analysis/__init__.py``)."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

pytestmark = pytest.mark.unit

PACKAGE = REPO / "model"



def modules() -> dict[str, ast.Module]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(), filename=str(path))
    return out


def import_graph(mods: dict[str, ast.Module]) -> dict[str, set[str]]:
    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, tree in mods.items():
        is_package = (PACKAGE / "/".join(name.split(".")[1:]) / "__init__.py").exists()
        package = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods]
                targets = subs if len(subs) == len(node.names) else [base, *subs]
            else:
                continue
            graph[name] |= {t for t in map(known, targets) if t and t != name}
    for name in graph:          # a package __init__ that imports something runs first
        graph[name] |= {p for t in list(graph[name]) for p in _packages_of(t, mods)
                        if p != name and not name.startswith(p + ".")}
    return graph


def _packages_of(module: str, mods: dict[str, ast.Module]) -> list[str]:
    """The packages above ``module`` whose ``__init__`` imports something."""
    parts = module.split(".")
    out = []
    for i in range(1, len(parts)):
        pkg = ".".join(parts[:i])
        tree = mods.get(pkg)
        if tree is not None and any(isinstance(n, (ast.Import, ast.ImportFrom))
                                    for n in ast.walk(tree)):
            out.append(pkg)
    return out


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [{"a", "b", "c"}]
    tree = {"model.x": ast.parse("from model import y"), "model.y": ast.parse("import model.x"),
            "model": ast.parse("")}
    assert import_graph(tree)["model.x"] == {"model.y"}    # a submodule, not the package


def test_no_import_circle():
    assert not [sorted(c) for c in circles(import_graph(modules()))]


MAX_LINES = 400


def test_no_module_over_400_lines():
    """A module that grows past ~400 lines is doing two jobs (issue 13): split it by what
    it does, as infeasibility.py (IIS / how rows read / text) and html.py (page / parts /
    static files) were."""
    long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long
