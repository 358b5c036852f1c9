"""What travels between the launcher (``decomposed.py``) and the MPI program
(``sppy_job.py``): the job, plain data pickled to a file, and the outcome,
pickled and base64-encoded after the line ``MARKER`` on rank 0's standard
output. A module of its own so that the program and the engines
(``sppy_engines.py``) both import it and not each other."""

from __future__ import annotations

import base64
import pickle
from dataclasses import dataclass, field

MARKER = "SOURCING-DECOMPOSED-OUTCOME"


@dataclass
class Job:
    engine: str                  # "ph" or "lshaped"
    ids: list[str]
    probs: list[float]
    datas: list                  # ModelData per scenario
    tables: list                 # cost table per scenario (None: computed from its data)
    first: object                # extensive.FirstStage (the union over the scenarios)
    costs: dict                  # scenario_models.commitment_costs
    risk_weight: float
    alpha: float
    gap: float                   # stop at this certified relative gap
    max_iterations: int
    time_limit: float | None
    mip_gap: float               # of each scenario's MIP
    lagrangian_every: int = 1    # PH: a Lagrangian bound every k iterations (0: never)


@dataclass
class Outcome:
    status: str                  # optimal (gap reached), feasible (a decision, gap not reached), ...
    message: str
    engine: str
    processes: int
    lower: float | None = None   # certified lower bound of min E[T] + lambda CVaR
    upper: float | None = None   # objective of the decision found
    iterations: int = 0
    decision: dict = field(default_factory=dict)       # nonant name -> value
    totals: dict = field(default_factory=dict)         # scenario -> (T_s, C_s, unmet t)
    history: list = field(default_factory=list)        # (iteration, seconds, lower, upper)
    seconds: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.lower, self.upper)


def relative_gap(lower, upper) -> float | None:
    """(upper - lower) / |upper|, the certified relative gap (0 when both are 0)."""
    if lower is None or upper is None:
        return None
    if upper == lower:
        return 0.0
    return (upper - lower) / max(abs(upper), 1e-10)


def encode(outcome: Outcome) -> str:
    return base64.b64encode(pickle.dumps(outcome)).decode("ascii")


def decode(text: str) -> Outcome:
    return pickle.loads(base64.b64decode(text))
