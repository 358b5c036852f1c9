"""Recipe loops that create material (issue 12, case 5).

The recipe graph has a node per material and, for every active process q
with an input i and an output o, an edge i -> o of gain

    g(q, i, o) = output[q, o] / input[q, i]      t of o made per t of i consumed

A loop of edges whose gains multiply to more than 1 gives back more of a
material than went in: run around it, the processes create material that no
offer sold (the rest of a multi-input process's inputs aside). Such a loop is
found as a negative cycle of the weights -log g (Bellman-Ford). A process
with outputs and no input makes material from nothing on its own (primary
production is a Supply offer, with its capacity and price). Both are legal
input, so each is a warning that names the processes and their Recipes
rows, never a refusal (the contract refuses only what leaves the model
undefined); with every cost non-negative and every capacity finite the model
stays bounded and simply uses the loop.

| symbol | code | sheet.column |
|---|---|---|
| input[q, i] | ``Edge.gain`` denominator | Recipes.input |
| output[q, o] | ``Edge.gain`` numerator | Recipes.output |
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from model.read.workbook import ROW

MAX_LOOPS = 10            # loops reported per workbook; fixing them shows the next
LOG_TOLERANCE = 1e-9      # a loop must gain more than a factor 1 + 1e-9 (not float noise)


@dataclass(frozen=True)
class Edge:
    process: str
    source: str          # input material
    target: str          # output material
    gain: float          # t of target per t of source
    rows: tuple[int, int]  # Recipes rows of the input and the output


@dataclass(frozen=True)
class Loop:
    edges: tuple[Edge, ...]

    @property
    def gain(self) -> float:
        return math.prod(e.gain for e in self.edges)

    @property
    def rows(self) -> list[int]:
        return sorted({r for e in self.edges for r in e.rows})

    def describe(self) -> str:
        steps = ", ".join(f"{e.source} -> {e.target} ({e.process}: {e.gain:.4g} t per t)"
                          for e in self.edges)
        first = self.edges[0].source
        processes = ", ".join(dict.fromkeys(e.process for e in self.edges))
        return (f"recipe loop creates material: {steps}; 1 t of {first} comes back as "
                f"{self.gain:.4g} t (Recipes rows {', '.join(map(str, self.rows))}; processes "
                f"{processes}): check the input and output quantities")


def _sides(recipes: pd.DataFrame, processes: set[str]):
    """({process: [(material, t per run, row)]} of inputs, the same of outputs)."""
    ins, outs = {}, {}
    for rec in recipes.to_dict("records"):
        q, k = rec["process_id"], rec["material_id"]
        i, o = rec["input"], rec["output"]
        if q not in processes or k is None or (i > 0) == (o > 0):
            continue          # both or neither: an error or a warning of its own
        (ins if i > 0 else outs).setdefault(q, []).append((k, i or o, rec[ROW]))
    return ins, outs


def edges_of(recipes: pd.DataFrame, processes: set[str]) -> list[Edge]:
    """Every (input, output) pair of the processes named, from their Recipes rows."""
    ins, outs = _sides(recipes, processes)
    return [Edge(q, a, b, y / x, (ra, rb))
            for q in ins for a, x, ra in ins[q] for b, y, rb in outs.get(q, [])]


def without_input(recipes: pd.DataFrame, processes: set[str]) -> dict[str, list[int]]:
    """{process: its Recipes rows} for the processes named that have outputs and
    no input: an edge from nowhere, of unbounded gain."""
    ins, outs = _sides(recipes, processes)
    return {q: [row for _, _, row in rows] for q, rows in outs.items() if q not in ins}


def gaining_loops(edges: list[Edge]) -> list[Loop]:
    """Loops of gain above 1, at most MAX_LOOPS; each found loop's edges are
    then set aside, so every loop reported is a different one."""
    edges = list(edges)
    found = []
    while len(found) < MAX_LOOPS:
        loop = _negative_cycle(edges)
        if loop is None:
            break
        found.append(loop)
        used = set(loop.edges)
        edges = [e for e in edges if e not in used]
    return found


def _negative_cycle(edges: list[Edge]) -> Loop | None:
    """Bellman-Ford from a virtual source joined to every node, on -log gain."""
    if not edges:
        return None
    nodes = sorted({e.source for e in edges} | {e.target for e in edges})
    dist = dict.fromkeys(nodes, 0.0)       # the source's edges, relaxed
    pred: dict[str, Edge] = {}
    changed = None
    for _ in range(len(nodes)):            # a change in pass n: a negative cycle
        changed = None
        for e in edges:
            d = dist[e.source] - math.log(e.gain)
            if d < dist[e.target] - LOG_TOLERANCE:
                dist[e.target], pred[e.target] = d, e
                changed = e.target
        if changed is None:
            return None
    node = changed
    for _ in range(len(nodes)):        # step back onto the cycle
        node = pred[node].source
    cycle, at = [], node
    while True:
        edge = pred[at]
        cycle.append(edge)
        at = edge.source
        if at == node:
            break
    cycle.reverse()
    start = min(range(len(cycle)), key=lambda j: cycle[j].rows)   # read from its first row
    return Loop(tuple(cycle[start:] + cycle[:start]))
