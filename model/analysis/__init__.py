"""Analyses on top of a run (issue 4): what each rule costs, why a workbook
is infeasible, and which hard constraints would have to bend.

| function | returns | report sheet |
|---|---|---|
| ``price_rules(path, ...)``, ``price_rules_for(run)`` | DataFrame, a row per rule | RulePrices |
| ``explain(run)`` | (DataFrame, [sentence]) | Infeasibility |
| ``elastic(path, ...)``, ``elastic_for(run)`` | (Run of the bent plan, DataFrame) | Elastic |

Definitions and limits: ``docs/analysis.md``.
"""

from model.analysis.elastic import DEFAULT_RELAX, FAMILIES, elastic, elastic_for
from model.analysis.infeasibility import explain
from model.analysis.price_rules import price_rules, price_rules_for
from model.run import prepare_run

__all__ = ["price_rules", "price_rules_for", "prepare_run", "explain", "elastic", "elastic_for",
           "DEFAULT_RELAX", "FAMILIES"]
