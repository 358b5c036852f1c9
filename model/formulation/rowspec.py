"""What the rest of the product needs to know about one kind of model row.

Each family module declares ``ROWS``: one ``RowSpec`` per row name it adds.
RuleMarginals (``model.analysis.marginals``), what-if sessions, rule pricing,
elastic mode and the infeasibility explanation loop over these specs
(``model.formulation.registry``) instead of knowing families by name:

| field | used by | meaning |
|---|---|---|
| ``name`` | everyone | the row name (``Compiled.row_con``) |
| ``sheet`` | rule pricing | the input sheet whose rows switch these rows off |
| ``owner(key)`` | sessions, rule pricing | the id whose switch-off frees the row (rule id, offer id); None: none |
| ``period(key)`` | sessions | the row's period |
| ``rule`` | RuleMarginals, rule pricing | a rule with a marginal: ``head`` says how it reads |
| ``relax(key)`` | elastic mode | the elastic family that may bend the row (None: cannot bend) |
| ``describe(look, key, lower, upper, side)`` | IIS, elastic | the row as an ``Item`` in workbook terms |
| ``share(look, key, value_of)`` | elastic | a share row's achieved share and limit (None: tonnes) |
| ``capacity_of`` | elastic | the variable whose capacity the row carries (an offer's ``buy`` when it has an on/off decision) |

``Lookup`` hands the describers the prepared rows they need, by key, built on
first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from model.read.workbook import ROW

COLUMNS = ["sheet", "excel_row", "id", "constraint", "period", "site", "material", "side",
           "bound", "unit", "role", "model_item", "meaning"]

# role: requirement = asks for something (a floor, a minimum); limit = caps
# what can happen (capacities, bans, ceilings); link = structure that ties
# them together (balances, non-negativity, demand met-or-unmet).
REQUIREMENT, LIMIT, LINK = "requirement", "limit", "link"


@dataclass
class Item:
    """One model row or column bound, in workbook terms."""
    sheet: str
    excel_row: int | None
    id: str
    constraint: str
    period: int | None
    site: str
    material: str
    side: str             # "at least", "at most", "equals"
    bound: float
    unit: str             # "t", "runs", "share", "units"
    role: str             # requirement, limit, link
    model_item: str
    meaning: str
    detail: str = ""      # a few words on the rule (not a column of the table)

    def as_tuple(self):
        return tuple(getattr(self, c) for c in COLUMNS)


@dataclass(frozen=True)
class Head:
    """How a rule row reads in RuleMarginals: its workbook row and limit, and
    the words of its sentence ("<what> binds in <period>: one more tonne
    <through> would ...")."""
    sheet: str
    rule_id: str
    excel_row: int
    kind: str
    material: str
    period: int
    who: str
    limit: float
    what: str
    through: str


def model_item(name, key) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return f"{name}[{','.join(str(p) for p in parts)}]"


def first(key):
    return key[0] if isinstance(key, tuple) else key


def second(key):
    return key[1]


@dataclass(frozen=True)
class RowSpec:
    name: str
    describe: Callable
    sheet: str = ""
    owner: Callable | None = None
    period: Callable | None = None
    rule: bool = False
    head: Callable | None = None
    relax: Callable | None = None
    share: Callable | None = None
    capacity_of: str = ""     # the variable whose capacity this row carries (with an on/off column)


def structure(name: str, words: str) -> RowSpec:
    """A row that only ties flows together (no workbook row of its own)."""
    def describe(look, key, lower, upper, side=None):
        mi = model_item(name, key)
        return Item("", None, "", words, None, "", "", "equals", 0.0, "t", LINK, mi, f"{words} {mi}")
    return RowSpec(name, describe)


def unknown(name: str) -> RowSpec:
    """A row no family declares (elastic's added rows, the risk model's CVaR cap)."""
    def describe(look, key, lower, upper, side=None):
        mi = model_item(name, key)
        return Item("", None, "", name, None, "", "", side or "", float("nan"), "", LINK, mi,
                    f"model row {mi} (bounds {lower:g} .. {upper:g})")
    return RowSpec(name, describe)


def _by(frame, *cols) -> dict:
    """{key: row as a dict}; the key one column or a tuple; periods as int; first row wins."""
    out: dict = {}
    recs = frame.to_dict("records")
    for rec in recs:
        key = tuple(int(rec[c]) if c == "period" else rec[c] for c in cols)
        out.setdefault(key if len(cols) > 1 else key[0], rec)
    return out


class Lookup:
    """The prepared rows (``ModelData``) and the workbook's rule rows, by key."""

    def __init__(self, data, workbook=None):
        self.data = data
        self.wb = workbook

    @cached_property
    def offers(self) -> dict:
        return _by(self.data.offers, "offer", "period")

    @cached_property
    def processes(self) -> dict:
        return _by(self.data.processes, "process", "period")

    @cached_property
    def lane_caps(self) -> dict:
        return _by(self.data.lane_caps, "lane", "period")

    @cached_property
    def lanes(self) -> dict:
        return _by(self.data.ship.drop_duplicates("lane"), "lane")

    @cached_property
    def stock(self) -> dict:
        return _by(self.data.stock, "site", "material", "period")

    @cached_property
    def demand(self) -> dict:
        return {int(k): v for k, v in _by(self.data.demand, "d").items()}

    @cached_property
    def limits(self) -> dict:
        return _by(self.data.export_limits, "rule", "period")

    @cached_property
    def policies(self) -> dict:
        return _by(self.data.policy_rows, "key")

    @cached_property
    def content(self) -> dict:
        pv = getattr(self.data, "provenance", None)
        return {} if pv is None else _by(pv.content_limits, "rule", "period")

    @cached_property
    def chain(self) -> dict:
        pv = getattr(self.data, "provenance", None)
        return {} if pv is None else _by(pv.chain_limits, "rule", "period")

    @cached_property
    def investments(self) -> dict:
        inv = getattr(self.data, "investments", None)
        return {} if inv is None else _by(inv.options, "investment")

    def investments_on(self, kind: str, target: str) -> list[str]:
        """The investments that add capacity to one offer, process or lane."""
        return sorted(i for i, r in self.investments.items()
                      if r["target"] == target and r["kind"] == kind)

    @cached_property
    def take_or_pay(self) -> dict:
        return _by(self.data.take_or_pay, "offer", "period")

    @cached_property
    def initial(self) -> dict:
        p0 = self.data.periods[0]
        return {(s, k): r["initial"] for (s, k, p), r in self.stock.items() if p == p0}

    @property
    def currency(self) -> str:
        return self.data.settings["currency"]

    def rule_record(self, sheet: str, excel_row) -> dict:
        """The workbook row itself (Excel row ``excel_row`` of ``sheet``), or {}."""
        if self.wb is None or excel_row is None:
            return {}
        frame = self.wb.tables.get(sheet)
        if frame is None or frame.empty:
            return {}
        hit = frame[frame[ROW] == excel_row]
        return hit.iloc[0].to_dict() if len(hit) else {}
