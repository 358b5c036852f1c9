"""Baseline files: one small TOML file per workbook and scenario.

    tests/baselines/<workbook stem>/<scenario>.toml

Top-level keys describe the solve (workbook path relative to the repository
root, scenario, status, objective, MIP or LP, Settings mip_gap, solver and
version), ``[tolerances]`` the allowed differences, ``[[history]]`` one entry
per change (date, reason, what changed), then one table per figure section
(see ``figures.py``). Read with ``tomllib``; written here by hand so the
layout (order, comments, number format) stays stable and diff-friendly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from model.files import write_text
from model.regress.figures import SECTIONS, T, MONEY, number

FORMAT = 1
SUFFIX = ".toml"


class BaselineError(Exception):
    """A baseline file cannot be read or makes no sense (exit code 2)."""


@dataclass
class Tolerances:
    objective_rel: float = 1e-6     # LP; a MIP allows max(objective_rel, its mip_gap)
    t_abs: float = 1e-4             # t, for every tonnage figure
    currency_abs: float = 1.0       # currency, for every cost figure (solver noise on costs of 1e9 is ~1)

    def for_unit(self, unit: str) -> float:
        return self.t_abs if unit == T else self.currency_abs


@dataclass
class Baseline:
    workbook: str                   # path relative to the repository root (POSIX)
    scenario: str
    status: str
    objective: float | None
    is_mip: bool
    mip_gap: float                  # Settings mip_gap of the solve
    solution_gap: float | None      # the gap HiGHS reported
    solver: str
    solver_version: str
    currency: str
    figures: dict[str, dict[str, float]]
    tolerances: Tolerances = field(default_factory=Tolerances)
    history: list[dict] = field(default_factory=list)

    def same_result(self, other: "Baseline") -> bool:
        """Nothing recorded about the solve differs (history and tolerances aside)."""
        keys = ("status", "objective", "is_mip", "mip_gap", "solver", "solver_version", "currency")
        return (all(getattr(self, k) == getattr(other, k) for k in keys)
                and _nonzero(self.figures) == _nonzero(other.figures))


def _nonzero(figs):
    return {s: {k: v for k, v in d.items() if v != 0} for s, d in figs.items()}


def file_name(scenario: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", scenario) + SUFFIX


def path_for(baselines: Path, workbook: Path, scenario: str) -> Path:
    return Path(baselines) / Path(workbook).stem / file_name(scenario)


# -- reading -------------------------------------------------------------------

def read(path: Path) -> Baseline:
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BaselineError(f"{path}: not valid TOML: {exc}") from None
    try:
        if doc.get("format", FORMAT) != FORMAT:
            raise BaselineError(f"{path}: baseline format {doc.get('format')} is not {FORMAT}")
        tol = Tolerances(**{f.name: float(doc.get("tolerances", {}).get(f.name, f.default))
                            for f in fields(Tolerances)})
        figs = {}
        for s in SECTIONS:
            table = doc.get(s.name, {})
            if not isinstance(table, dict):
                raise BaselineError(f"{path}: [{s.name}] must be a table of numbers")
            figs[s.name] = {str(k): float(v) for k, v in table.items()}
        history = []
        for h in doc.get("history", []):
            entry = dict(h)
            if isinstance(entry.get("date"), (dt.date, dt.datetime)):
                entry["date"] = entry["date"].isoformat()
            history.append(entry)
        obj = doc.get("objective")
        gap = doc.get("solution_gap")
        return Baseline(
            workbook=str(doc["workbook"]), scenario=str(doc["scenario"]), status=str(doc["status"]),
            objective=None if obj is None else float(obj), is_mip=bool(doc.get("is_mip", False)),
            mip_gap=float(doc.get("mip_gap", 1e-4)), solution_gap=None if gap is None else float(gap),
            solver=str(doc.get("solver", "HiGHS")), solver_version=str(doc.get("solver_version", "")),
            currency=str(doc.get("currency", "")), figures=figs, tolerances=tol, history=history)
    except BaselineError:
        raise
    except KeyError as exc:
        raise BaselineError(f"{path}: missing key {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise BaselineError(f"{path}: {exc}") from None


# -- writing -------------------------------------------------------------------

def _s(text) -> str:
    return json.dumps(str(text), ensure_ascii=False)     # a valid TOML basic string


def _f(v) -> str:
    text = repr(number(v))
    return text if any(c in text for c in ".en") else text + ".0"


def render(b: Baseline) -> str:
    lines = [
        "# Regression baseline for `sourcing regress` (docs/regression.md).",
        "# Written by `sourcing regress --update --reason ...`: change figures only that way;",
        "# [tolerances] may be edited by hand and are kept by updates.",
        f"format = {FORMAT}",
        f"workbook = {_s(b.workbook)}",
        f"scenario = {_s(b.scenario)}",
        f"status = {_s(b.status)}",
    ]
    if b.objective is not None:
        lines.append(f"objective = {_f(b.objective)}")
    lines += [f"is_mip = {'true' if b.is_mip else 'false'}",
              f"mip_gap = {_f(b.mip_gap)}   # Settings mip_gap"]
    if b.solution_gap is not None:
        lines.append(f"solution_gap = {_f(b.solution_gap)}")
    lines += [f"solver = {_s(b.solver)}", f"solver_version = {_s(b.solver_version)}",
              f"currency = {_s(b.currency)}", "",
              "[tolerances]",
              f"objective_rel = {_f_exact(b.tolerances.objective_rel)}   "
              "# relative; a MIP allows max(objective_rel, mip_gap)",
              f"t_abs = {_f_exact(b.tolerances.t_abs)}   # t",
              f"currency_abs = {_f_exact(b.tolerances.currency_abs)}   # {b.currency or 'currency'}"]
    for h in b.history:
        lines += ["", "[[history]]"]
        date = str(h.get("date", ""))
        lines.append(f"date = {date}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else f"date = {_s(date)}")
        for k, v in h.items():
            if k != "date":
                lines.append(f"{k} = {_s(v)}")
    for s in SECTIONS:
        unit = s.unit if s.unit == T else (b.currency or MONEY)
        lines += ["", f"[{s.name}]   # {unit} by {s.key}: {s.meaning}"]
        lines += [f"{_s(k)} = {_f(v)}" for k, v in b.figures.get(s.name, {}).items()]
    return "\n".join(lines) + "\n"


def _f_exact(v: float) -> str:
    text = repr(float(v))
    return text if any(c in text for c in ".en") else text + ".0"


def write(b: Baseline, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render(b))
