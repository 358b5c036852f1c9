"""Processes with a fixed cost: running at all switches on the binary.

    run[q,p] <= cap[q,p] * on[q,p]               (process_on)

Recipes enter the balance (in/out per run); plain capacities are the upper
bounds of run[q,p].

| math | code | sheet.column |
|---|---|---|
| cap[q,p] | processes.cap | Processes.capacity, CapacityProfile.capacity |
| on[q,p] | m.run_on | (binary; fixed_cost charged when 1) |
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.data.columns import lists
from model.formulation.rowspec import LIMIT, Item, RowSpec, model_item, second
from model.text import tonnes


def add(m, data) -> int:
    q = data.processes[data.processes["binary"]]
    rows = {key: (None, [(1.0, m.run[key]), (-cap, m.run_on[key])], 0.0)
            for key, cap in zip(zip(*lists(q, "process", "period")), q["cap"].tolist())}
    return add_constraint(m, "process_on", rows, "run only when switched on")


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.processes[key[0], int(key[1])]
    return Item("Processes", int(r["row"]), key[0], "process capacity (when on)", key[1],
                r["site"], "", "at most", float(r["cap"]), "runs", LIMIT,
                model_item("process_on", key),
                f"Processes row {r['row']} (process {key[0]}) can run at most "
                f"{tonnes(r['cap'])} times at {r['site']} in {key[1]}, and only when "
                f"switched on")


ROWS = (RowSpec("process_on", describe, sheet="Processes", period=second,
                capacity_of="run"),)
