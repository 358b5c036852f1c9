"""Analyses on top of a run (issue 4): what each rule costs, why a workbook
is infeasible, and which hard constraints would have to bend.

| function | returns | report sheet |
|---|---|---|
| ``marginals.rule_marginals(...)`` | DataFrame, a row per rule row | RuleMarginals |
| ``price_rules(path, ...)``, ``price_rules_for(run)`` | DataFrame, a row per rule | RulePrices |
| ``explain(run)`` | (DataFrame, [sentence]) | Infeasibility |
| ``elastic(path, ...)``, ``elastic_for(run)`` | (Run of the bent plan, DataFrame) | Elastic |

Definitions and limits: ``docs/analysis.md``. Import the modules themselves
(``model.analysis.price_rules`` ...): the package imports nothing, so that the
pipeline (``model.run``) can use ``model.analysis.marginals`` and ``shortfall``.
"""
