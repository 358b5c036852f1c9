"""Stage 5: the formulation: build the model from prepared data, one family at a time.

The builder reads like a table of contents: variables, then each constraint
family in ``FAMILIES`` (a module with ``add(m, data) -> rows added``), then the
objective from the cost table. A family can be switched off by name; the skip
is logged and shown in the report.

A family module may declare

    REQUIRES = ("other",)       families it is written on (they come first in FAMILIES)
    WHY = "..."                 why, in a phrase
    without(data) -> (data, warnings)   the data as the model sees it when the
                                family is left out, and what that loses

Leaving out a family that a kept family requires is refused (``skip_problems``:
an input error, exit 2, naming both); leave both out, or neither.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field

from model.formulation.arrays import ArrayModel
from model.problems import InputError, Problem, did_you_mean
from model.formulation import (balance, chain_rules, costs, demand, export_controls, investments,
                               lanes, objective, offers, policies, processes, provenance,
                               take_or_pay, variables)

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
    "take_or_pay": take_or_pay,
    "investments": investments,
}


BACKENDS = ("arrays", "pyomo")


@dataclass
class Built:
    model: ArrayModel | object          # or a pyomo ConcreteModel
    costs: object                       # the cost table (DataFrame)
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)   # what the skipped families lose


def requires(name: str) -> tuple[str, ...]:
    """The families the family ``name`` is written on."""
    return tuple(getattr(FAMILIES[name], "REQUIRES", ()))


def skip_problems(skip) -> list[Problem]:
    """Every reason to refuse a list of families to leave out: an unknown name,
    or a family left out that a kept family requires."""
    out = [Problem("--skip-family", None, None, name,
                   f'no constraint family "{name}"{did_you_mean(name, FAMILIES)}; the families '
                   f"are {', '.join(FAMILIES)}") for name in skip if name not in FAMILIES]
    for name, family in FAMILIES.items():
        for need in requires(name):
            if need in skip and name not in skip:
                out.append(Problem("--skip-family", None, None, need,
                                   f"{name} needs {need} ({getattr(family, 'WHY', '')}): leave "
                                   f"out {name} too (--skip-family {name}), or keep {need}"))
    return out


def modelled(data, skip=()) -> tuple[object, list[Problem]]:
    """The data as the model sees it with the families ``skip`` left out
    (their ``without`` hooks), and the warnings of what that loses."""
    lost = []
    for name in skip:
        hook = getattr(FAMILIES.get(name), "without", None)
        if hook is not None:
            data, more = hook(data)
            lost.extend(more)
    return data, lost


def build(data, skip: tuple[str, ...] = (), backend: str = "arrays") -> Built:
    """backend "arrays" (default): the families write HiGHS arrays directly
    (``model/formulation/arrays.py``); "pyomo": a Pyomo ConcreteModel, compiled by
    Pyomo's standard-form compiler. Both give the same LP (tests/test_backends.py)."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    problems = skip_problems(skip)
    if problems:
        raise InputError(problems)
    data, lost = modelled(data, skip)
    for p in lost:
        log.info("%s", p)
    gc_was = gc.isenabled()
    gc.disable()   # Pyomo builds millions of small objects; the collector only slows it
    try:
        if backend == "arrays":
            m = ArrayModel("secure_sourcing")
        else:
            import pyomo.environ as pyo     # imported only when asked for (0.3 s)
            m = pyo.ConcreteModel(name="secure_sourcing")
        variables.add(m, data)
        built = Built(m, costs.cost_table(data), warnings=lost)
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
