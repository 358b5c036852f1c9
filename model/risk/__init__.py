"""Risk-aware sourcing (issue 7): decide before the scenario is known.

The stages follow the deterministic run (``model/run.py``):

    load (read, every scenario applied and validated, probabilities checked) -> RiskProblem
    prepare (one ModelData per scenario)
    build the two-stage extensive form (one Pyomo Block per scenario, the
          contract's families reused as they are) -> compile_model -> solve
    evaluate (expected cost, CVaR, VSS, EVPI; frontier; sampled scenarios)
    write the report workbook

| module | what it does |
|---|---|
| ``problem`` | read a workbook into a RiskProblem: scenarios, probabilities, reservation costs |
| ``extensive`` | the extensive-form model, its solve and the figures of every scenario |
| ``mean_value`` | the mean-value (EV) scenario of a set of discrete scenarios |
| ``value`` | RP, EV, EEV, WS, VSS and EVPI |
| ``frontier`` | the expected cost / CVaR efficient frontier (epsilon-constraint) |
| ``sampling`` | scenarios sampled from the Events sheet; out-of-sample evaluation |
| ``report`` | the report workbooks |

The mathematics is in ``docs/risk.md``.
"""

from model.risk.outcome import RiskResult, solve_extensive  # noqa: F401
from model.risk.problem import RiskProblem, Scenario, load_problem  # noqa: F401
