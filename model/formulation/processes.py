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


def add(m, data) -> int:
    q = data.processes[data.processes["binary"]]
    rows = {key: (None, [(1.0, m.run[key]), (-cap, m.run_on[key])], 0.0)
            for key, cap in zip(zip(*lists(q, "process", "period")), q["cap"].tolist())}
    return add_constraint(m, "process_on", rows, "run only when switched on")
