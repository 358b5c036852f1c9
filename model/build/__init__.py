"""Stage 5: build the Pyomo model from prepared data, one family at a time.

The builder reads like a table of contents: variables, then each constraint
family in ``FAMILIES`` (a module with ``add(m, data) -> rows added``), then the
objective from the cost table. A family can be switched off by name; the skip
is logged and shown in the report.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field

from model.build.arrays import ArrayModel
from model.build import (balance, chain_rules, costs, demand, export_controls, lanes, objective,
                         offers, policies, processes, provenance, variables)

log = logging.getLogger(__name__)

FAMILIES = {
    "balance": balance,
    "offers": offers,
    "processes": processes,
    "lanes": lanes,
    "demand": demand,
    "export_controls": export_controls,
    "policies": policies,
    "provenance": provenance,
    "chain_rules": chain_rules,
}


BACKENDS = ("arrays", "pyomo")


@dataclass
class Built:
    model: ArrayModel | object          # or a pyomo ConcreteModel
    costs: object                       # the cost table (DataFrame)
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def build(data, skip: tuple[str, ...] = (), backend: str = "arrays") -> Built:
    """backend "arrays" (default): the families write HiGHS arrays directly
    (``model/build/arrays.py``); "pyomo": a Pyomo ConcreteModel, compiled by
    Pyomo's standard-form compiler. Both give the same LP (tests/test_backends.py)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    unknown = set(skip) - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown constraint families: {sorted(unknown)}")
    gc_was = gc.isenabled()
    gc.disable()   # Pyomo builds millions of small objects; the collector only slows it
    try:
        if backend == "arrays":
            m = ArrayModel("secure_sourcing")
        else:
            import pyomo.environ as pyo     # imported only when asked for (0.3 s)
            m = pyo.ConcreteModel(name="secure_sourcing")
        variables.add(m, data)
        built = Built(m, costs.cost_table(data))
        for name, family in FAMILIES.items():
            if name in skip:
                log.info("family %s switched off", name)
                built.skipped.append(name)
                continue
            built.rows[name] = family.add(m, data)
        objective.add(m, data, built.costs)
    finally:
        if gc_was:
            gc.enable()
    return built
