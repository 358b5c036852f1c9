"""Plan, solve and compare (or update) the cases of a regression run.

A case is one workbook and one scenario; its baseline file is
``<baselines>/<workbook stem>/<scenario>.toml``. The default scenarios are
``base`` and every scenario in the workbook; a baseline file whose scenario
has left the workbook is *stale* (a failure; ``--update`` removes it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from model.problems import InputError
from model.regress import baseline as bl
from model.regress.baseline import Baseline, BaselineError
from model.regress.compare import Diff, compare, fmt, render_diffs
from model.regress.figures import figures, number
from model.schema import SETTING_DEFAULTS

BASE = "base"

# outcomes
PASS, DRIFT, MISSING, STALE, INVALID = "pass", "drift", "missing", "stale", "invalid"
CREATED, UPDATED, UNCHANGED, REMOVED = "created", "updated", "unchanged", "removed"
FAILURES = (DRIFT, MISSING, STALE)


@dataclass
class Case:
    workbook: Path
    scenario: str
    baseline: Path
    stale: bool = False
    error: str = ""        # why the case cannot even be planned (invalid input)

    @property
    def label(self) -> str:
        if self.scenario == "*":          # the workbook (or baseline folder) as a whole
            return str(self.workbook)
        return f"{self.workbook.stem}/{self.scenario}"


@dataclass
class Outcome:
    case: Case
    result: str
    message: str = ""
    diffs: list[Diff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    now: Baseline | None = None

    @property
    def failed(self) -> bool:
        return self.result in FAILURES

    @property
    def invalid(self) -> bool:
        return self.result == INVALID

    def render(self) -> str:
        head = f"{self.result.upper():9} {self.case.label}"
        if self.message:
            head += f"  {self.message}"
        lines = [head]
        lines += ["    " + line for line in render_diffs(self.diffs)]
        lines += [f"    note: {n}" for n in self.notes]
        return "\n".join(lines)


# -- where things are ------------------------------------------------------------

def repo_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (the baselines folder, which need
    not exist yet) holding .git or pyproject.toml, else the current directory:
    baseline files name workbooks relative to it."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists() or (folder / "pyproject.toml").exists():
            return folder
    return Path.cwd().resolve()


def workbook_label(workbook: Path, root: Path) -> str:
    p = Path(workbook).resolve()
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return p.name


def recorded_workbooks(baselines: Path, root: Path) -> list[tuple[Path | None, Path, str]]:
    """Every ``<baselines>/<folder>`` holding baseline files:
    [(workbook path or None if it is missing, folder, message)]."""
    out = []
    baselines = Path(baselines)
    if not baselines.is_dir():
        return out
    for folder in sorted(p for p in baselines.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*" + bl.SUFFIX))
        if not files:
            continue
        names = {bl.read(f).workbook for f in files}
        if len(names) != 1:
            raise BaselineError(f"{folder}: baseline files name different workbooks: "
                                + ", ".join(sorted(names)))
        name = names.pop()
        path = root / name
        if path.exists():
            out.append((path, folder, ""))
        else:
            out.append((None, folder, f"the baselines in {folder} are for {name}, "
                                      f"which does not exist under {root}"))
    return out


def plan(workbook: Path, baselines: Path, scenarios=None) -> list[Case]:
    """The cases of one workbook. Raises InputError if it cannot be read."""
    from model.data.scenario import scenario_ids
    from model.read.workbook import read_workbook
    from model.problems import did_you_mean
    workbook = Path(workbook)
    folder = Path(baselines) / workbook.stem
    known = [BASE] + [s for s in scenario_ids(read_workbook(workbook)) if s != BASE]
    if scenarios:
        cases = []
        for s in dict.fromkeys(scenarios):
            case = Case(workbook, s, bl.path_for(baselines, workbook, s))
            if s not in known:
                case.error = (f"{workbook} has no scenario \"{s}\"{did_you_mean(s, known)}; "
                              f"known: {', '.join(known)}")
            cases.append(case)
        return cases
    names = known
    cases = [Case(workbook, s, bl.path_for(baselines, workbook, s)) for s in names]
    wanted = {c.baseline.name for c in cases}
    for f in sorted(folder.glob("*" + bl.SUFFIX)) if folder.is_dir() else []:
        if f.name not in wanted:
            try:
                name = bl.read(f).scenario
            except BaselineError:
                name = f.stem
            cases.append(Case(workbook, name, f, stale=True))
    return cases


# -- one case ----------------------------------------------------------------------

def snapshot(workbook: Path, scenario: str, root: Path) -> Baseline:
    """Solve and summarise as a baseline (no history). Raises InputError."""
    from model.run import run
    r = run(workbook, None if scenario == BASE else scenario)
    sol = r.solution
    settings = r.workbook.settings if r.workbook is not None else SETTING_DEFAULTS
    currency = (r.data.settings.get("currency") if r.data is not None else None) or ""
    return Baseline(
        workbook=workbook_label(workbook, root), scenario=scenario, status=sol.status,
        objective=None if sol.objective is None else number(sol.objective),
        is_mip=bool(sol.is_mip),
        mip_gap=float(settings["mip_gap"]),
        solution_gap=number(sol.gap) if sol.is_mip and sol.gap is not None else None,
        solver=sol.solver, solver_version=sol.solver_version, currency=str(currency),
        figures=figures(r.tables))


def _describe(b: Baseline) -> str:
    kind = "MIP" if b.is_mip else "LP"
    if b.objective is None:
        return f"{b.status} ({kind})"
    return f"{b.status}, objective {fmt(b.objective)} {b.currency} ({kind})".replace("  ", " ")


def check(case: Case, root: Path) -> Outcome:
    if case.error:
        return Outcome(case, INVALID, case.error)
    if case.stale:
        return Outcome(case, STALE, f"{case.baseline} is for scenario \"{case.scenario}\", which "
                                    f"{case.workbook} no longer has (--update removes it)")
    if not case.baseline.exists():
        return Outcome(case, MISSING, f"no baseline {case.baseline}: create it with "
                                      f"`sourcing regress {case.workbook} --update --reason ...`")
    try:
        old = bl.read(case.baseline)
        now = snapshot(case.workbook, case.scenario, root)
    except BaselineError as exc:
        return Outcome(case, INVALID, str(exc))
    except InputError as exc:
        return Outcome(case, INVALID, exc.render())
    diffs, notes = compare(old, now)
    if old.workbook != now.workbook:
        notes.append(f"baseline recorded for {old.workbook}; solved {now.workbook}")
    if diffs:
        n = len(diffs)
        return Outcome(case, DRIFT, f"{n} difference{'s' if n != 1 else ''} from {case.baseline}:",
                       diffs, notes, now)
    return Outcome(case, PASS, _describe(now), [], notes, now)


def change_summary(old: Baseline | None, now: Baseline) -> str:
    if old is None:
        return f"new baseline: {_describe(now)}"
    diffs, _ = compare(old, now)
    parts = []
    if old.status != now.status:
        parts.append(f"status {old.status} -> {now.status}")
    if old.objective != now.objective:
        parts.append(f"objective {fmt(old.objective)} -> {fmt(now.objective)}")
    figs = [d.figure for d in diffs if d.figure not in ("status", "objective")]
    if figs:
        shown = ", ".join(figs[:3]) + (f" and {len(figs) - 3} more" if len(figs) > 3 else "")
        parts.append(f"{len(figs)} figure{'s' if len(figs) != 1 else ''} beyond tolerance ({shown})")
    if not diffs:
        parts.append("within tolerance")
    if (old.solver, old.solver_version) != (now.solver, now.solver_version):
        parts.append(f"solver {old.solver} {old.solver_version} -> {now.solver} {now.solver_version}")
    return "; ".join(parts)


def update(case: Case, reason: str, root: Path, today: dt.date | None = None) -> Outcome:
    if case.error:
        return Outcome(case, INVALID, case.error)
    if case.stale:
        case.baseline.unlink()
        return Outcome(case, REMOVED, f"removed {case.baseline}: the workbook has no scenario "
                                      f"\"{case.scenario}\" any more")
    try:
        old = bl.read(case.baseline) if case.baseline.exists() else None
        now = snapshot(case.workbook, case.scenario, root)
    except BaselineError as exc:
        return Outcome(case, INVALID, f"{exc} (fix or delete the file, then update)")
    except InputError as exc:
        return Outcome(case, INVALID, exc.render())
    if old is not None and old.same_result(now):
        return Outcome(case, UNCHANGED, f"{_describe(now)}; {case.baseline} left as it is", now=now)
    entry = {"date": (today or dt.date.today()).isoformat(), "reason": reason,
             "change": change_summary(old, now)}
    if old is not None:
        now.tolerances = old.tolerances
        now.history = list(old.history)
    now.history.append(entry)
    bl.write(now, case.baseline)
    return Outcome(case, UPDATED if old else CREATED, f"{case.baseline}: {entry['change']}", now=now)


# -- a whole run ---------------------------------------------------------------------

def plan_all(workbooks=(), baselines: Path = Path("tests/baselines"), scenarios=None) -> list[Case]:
    """Every case of a run; with no workbooks, those of every workbook that has a
    baseline folder. What cannot be planned becomes a case carrying its error."""
    baselines = Path(baselines)
    root = repo_root(baselines)
    targets: list[Path] = []
    cases: list[Case] = []
    if workbooks:
        targets = [Path(w) for w in workbooks]
    else:
        try:
            found = recorded_workbooks(baselines, root)
        except BaselineError as exc:
            return [Case(baselines, "*", baselines, error=str(exc))]
        if not found:
            return [Case(baselines, "*", baselines, error=(
                f"no baseline folders in {baselines}: name the workbooks to regress "
                f"(and create their baselines with --update --reason ...)"))]
        for path, folder, message in found:
            if path is None:
                cases.append(Case(folder, "*", folder, error=message))
            else:
                targets.append(path)
    for path in targets:
        whole = Case(path, "*", baselines / path.stem)
        if not path.exists():
            whole.error = f"{path}: no such workbook"
            cases.append(whole)
            continue
        try:
            cases.extend(plan(path, baselines, scenarios))
        except InputError as exc:
            whole.error = exc.render()
            cases.append(whole)
        except BaselineError as exc:
            whole.error = str(exc)
            cases.append(whole)
    return cases


def regress(workbooks=(), baselines: Path = Path("tests/baselines"), scenarios=None,
            do_update: bool = False, reason: str | None = None) -> list[Outcome]:
    """Check (or update) every case of ``plan_all``."""
    baselines = Path(baselines)
    root = repo_root(baselines)
    cases = plan_all(workbooks, baselines, scenarios)
    return [update(c, reason, root) if do_update else check(c, root) for c in cases]
