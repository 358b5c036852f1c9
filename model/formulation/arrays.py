"""The array backend: the constraint families write straight into HiGHS arrays.

Every family is written once, against three calls: ``variables.declare`` (a
sparse indexed variable), ``expr.add_constraint`` (indexed rows as
(lower, [(coef, var)], upper)) and ``objective.add``. Given a Pyomo model they
create Pyomo components (the two-stage risk model, which nests scenario
blocks, and the cross-check in tests/test_backends.py); given an
``ArrayModel`` they number columns and collect (row, column, value) triples,
and ``compile`` hands HiGHS a ``HighsLp`` without one Pyomo object per
variable and per row. Measured at the benchmarks' large size (1 M columns,
benchmarks/README.md): build plus hand-over 20 s -> 5.2 s, and the peak
memory after the hand-over 2.1 GB -> 0.9 GB.

An ``ArrayVar`` is a dict {index: column}, so ``m.buy[key]``, ``for key in
m.ship``, ``m.component("shipc")`` read as they do on a Pyomo model.

Conventions follow Pyomo's standard-form compiler in mixed form, so both
backends give the same ``Compiled``: rows in the order the families add them
(an equality is one row of sense 0, ``<=`` sense 1, ``>=`` sense -1, a range
two rows); repeated variables in a row are summed; a row without terms is
left out. Unlike the compiler, a column that appears in no row and no cost is
kept (HiGHS's presolve removes it; its value is 0).
"""

from __future__ import annotations

from itertools import chain

import highspy
import numpy as np

from model.solve.handover import Compiled

INF = highspy.kHighsInf


class ArrayVar(dict):
    """{index: column number} for one indexed variable (a family of rows is
    registered as a plain {index: row number})."""

    def __init__(self, name: str, columns: dict):
        super().__init__(columns)
        self.local_name = name


class ArrayModel:
    def __init__(self, name: str = ""):
        self.name = name
        self.n = 0
        self.variables: dict[str, ArrayVar] = {}
        self.constraints: dict[str, dict] = {}       # {name: {index: row number}}
        self._bounds: list[tuple[np.ndarray, np.ndarray, bool]] = []
        self.col_var: list[str] = []
        self.col_key: list = []
        self.row_con: list[str] = []
        self.row_key: list = []
        self._sense: list[int] = []
        self._rhs: list[float] = []
        self._row_len: list[int] = []
        self._cols: list[np.ndarray] = []     # one array per family: its Python lists go at once
        self._vals: list[np.ndarray] = []
        self._cost: tuple[list[int], list[float]] = ([], [])
        self._compiled = None

    def _register(self, name: str, component) -> None:
        kind = self.variables if isinstance(component, ArrayVar) else self.constraints
        kind[name] = component
        if name not in type(self).__dict__ and name not in self.__dict__:
            self.__dict__[name] = component     # m.buy, as on a Pyomo model

    def component(self, name: str):
        return self.variables.get(name, self.constraints.get(name))

    # -- the three calls the families make ------------------------------------------
    def add_var(self, name: str, index: list, lb=None, ub=None, binary: bool = False,
                integer: bool = False) -> ArrayVar:
        size = len(index)
        var = ArrayVar(name, zip(index, range(self.n, self.n + size)))
        if len(var) != size:
            raise ValueError(f"variable {name}: repeated index")
        lower = np.zeros(size) if lb is None else np.array(
            [float(v) if v else 0.0 for v in lb], dtype=float)
        upper = np.full(size, 1.0 if binary else INF) if ub is None else np.array(
            [INF if v is None else float(v) for v in ub], dtype=float)
        if binary:
            upper = np.minimum(upper, 1.0)
        self._bounds.append((lower, upper, binary or integer))
        self.col_var.extend([name] * size)
        self.col_key.extend(index)
        self.n += size
        self._register(name, var)
        return var

    def add_rows(self, name: str, rows: dict) -> int:
        """rows: {index: (lower, [(coef, column)], upper)}; None bounds are open."""
        index: dict = {}        # {key: row number}, registered under the name
        lists, lens = [], self._row_len
        for key, (lo, terms, hi) in rows.items():
            if not terms or (lo is None and hi is None):
                continue
            index[key] = len(lens)
            if lo is not None and hi is not None and lo == hi:
                parts = ((0, lo),)
            else:
                parts = tuple(p for p in ((-1, lo), (1, hi)) if p[1] is not None)
            for sense, rhs in parts:
                lists.append(terms)
                lens.append(len(terms))
                self._sense.append(sense)
                self._rhs.append(float(rhs))
                self.row_con.append(name)
                self.row_key.append(key)
        # coef, col, coef, col, ... read at C speed (columns < 2**53 are exact as floats)
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(lists)), dtype=float)
        self._vals.append(flat[0::2].copy())
        self._cols.append(flat[1::2].astype(np.int64))
        self._register(name, index)
        return len(index)

    def set_objective(self, terms) -> int:
        cols, vals = self._cost
        for coef, col in terms:
            cols.append(col)
            vals.append(coef)
        return len(cols)

    # -- hand-over ------------------------------------------------------------------
    def compile(self):
        """The ``Compiled`` model; the triples are released afterwards (the
        result is kept, so a second call returns the same object)."""
        if self._compiled is None:
            self._compiled = self._compile()
            self._cols = self._vals = self._row_len = self._cost = None
        return self._compiled

    def _compile(self):
        n, m = self.n, len(self._row_len)
        rows = np.repeat(np.arange(m, dtype=np.int64), np.asarray(self._row_len, dtype=np.int64))
        start, index, value = _csc(rows, np.concatenate(self._cols or [np.zeros(0, np.int64)]),
                                   np.concatenate(self._vals or [np.zeros(0)]), n)
        lower = np.concatenate([b[0] for b in self._bounds]) if self._bounds else np.zeros(0)
        upper = np.concatenate([b[1] for b in self._bounds]) if self._bounds else np.zeros(0)
        integer = (np.concatenate([np.full(len(b[0]), b[2]) for b in self._bounds])
                   if self._bounds else np.zeros(0, dtype=bool))
        sense = np.asarray(self._sense, dtype=int)
        rhs = np.asarray(self._rhs, dtype=float)
        cost = np.bincount(np.asarray(self._cost[0], dtype=np.int64),
                           weights=np.asarray(self._cost[1], dtype=float), minlength=n)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = cost
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.where(sense == 1, -INF, rhs)
        lp.row_upper_ = np.where(sense == -1, INF, rhs)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.offset_ = 0.0
        if integer.any():
            kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
            lp.integrality_ = [kinds[i] for i in integer.tolist()]
        return Compiled(lp, self.col_var, self.col_key, self.row_con, self.row_key, sense,
                        integer.astype(bool), 0.0, None)


def _csc(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int):
    """(start, index, value) of the column-wise matrix with entries (rows, cols,
    vals): sorted by column then row, repeated entries summed, zeros dropped.
    Plain numpy: importing scipy after Pyomo would pull in scipy.stats (1 s)."""
    m = int(rows.max()) + 1 if len(rows) else 0
    key = cols * max(m, 1) + rows
    order = np.argsort(key, kind="stable")
    key, vals = key[order], vals[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    summed = np.add.reduceat(vals, first) if len(first) else np.zeros(0)
    key = key[first]
    keep = summed != 0.0
    key, summed = key[keep], summed[keep]
    col = key // max(m, 1)
    start = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(col, minlength=n), out=start[1:])
    return start, (key % max(m, 1)).astype(np.int32), summed
