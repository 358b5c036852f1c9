"""Compile a Pyomo model to arrays (Pyomo's standard-form compiler) and pass
them to a highspy ``Highs`` object: measured about three times faster than
Pyomo's default HiGHS interface and it keeps HiGHS in our hands (duals,
reduced costs, irreducible infeasible subsystems, bound changes for re-solves).

``Compiled`` keeps the map both ways: column j <-> (variable name, index) and
row i <-> (constraint name, index, sense).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

INF = highspy.kHighsInf


@dataclass
class Compiled:
    lp: highspy.HighsLp
    col_var: list[str]          # component name per column
    col_key: list[object]       # index per column
    row_con: list[str]
    row_key: list[object]
    row_sense: np.ndarray       # 0 equality, 1 <=, -1 >=
    integer: np.ndarray         # bool per column
    offset: float
    columns: list | None        # the Pyomo VarData per column (None from the array backend)
    rows: list | None = None    # the Pyomo ConstraintData per row (None from the array backend)


def compile_model(model) -> Compiled:
    """A built model as HiGHS arrays: an ``ArrayModel`` compiles itself; a Pyomo
    model goes through Pyomo's standard-form compiler."""
    if hasattr(model, "compile"):
        return model.compile()
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
    info = LinearStandardFormCompiler().write(model, mixed_form=True)
    A = info.A.tocsc()
    n_rows, n_cols = A.shape
    cols = info.columns
    lower = np.array([-INF if v.lb is None else v.lb for v in cols], dtype=float)
    upper = np.array([INF if v.ub is None else v.ub for v in cols], dtype=float)
    integer = np.array([v.is_integer() for v in cols], dtype=bool)
    sense = np.array([r[1] for r in info.rows], dtype=int)
    rhs = np.asarray(info.rhs, dtype=float)
    row_lower = np.where(sense == 1, -INF, rhs)
    row_upper = np.where(sense == -1, INF, rhs)
    cost = np.asarray(info.c.todense()).ravel() if info.c.shape[0] else np.zeros(n_cols)

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    if integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in integer]
    col_var, col_key = [], []
    for v in cols:
        col_var.append(v.parent_component().local_name)
        col_key.append(v.index())
    row_con, row_key = [], []
    for con, _ in info.rows:
        row_con.append(con.parent_component().local_name)
        row_key.append(con.index())
    return Compiled(lp, col_var, col_key, row_con, row_key, sense, integer, lp.offset_, cols,
                    [con for con, _ in info.rows])
