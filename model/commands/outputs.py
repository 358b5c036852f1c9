"""Every path a command writes, checked once before anything runs, and
written together at the end.

``refusals(src, args)`` looks at every output argument a command has (the
report ``-o``, ``--summary-json``, ``--html``, ``--solver-log``): none may be
the input workbook (under any spelling: a relative path, a detour through
``..``, a link), no two may be the same file, and each must be writable (its
folder exists, is a folder and may be written: ``model.files.problem``). The
commands print every refusal at once and exit 2 before solving anything.

``write_all(writes)`` runs the writes of a command's outputs, each even when
another failed (a full disk that refuses the report may still take the
summary), printing one line per failure; False when any failed.
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path
from typing import Callable

from model.files import OutputError, problem

OUTPUTS = (("output", "the report", "-o"), ("summary_json", "the summary", "--summary-json"),
           ("html", "the web page", "--html"), ("solver_log", "the solver log", "--solver-log"))


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def outputs_of(args) -> list[tuple[str, str, Path]]:
    """(label, option, path) of every output the command's arguments name."""
    return [(label, flag, Path(v)) for name, label, flag in OUTPUTS
            if (v := getattr(args, name, None))]


def refusals(src, args) -> list[str]:
    """Every reason to refuse the command's output paths (empty: go ahead)."""
    src = Path(src)
    outs = outputs_of(args)
    out = [f"refusing to write {label} over the input workbook {src} ({flag} {path})"
           for label, flag, path in outs if same_file(src, path)]
    for (la, fa, a), (lb, fb, b) in combinations(outs, 2):
        if same_file(a, b):
            out.append(f"refusing to write {la} ({fa}) and {lb} ({fb}) to the same file {a}")
    for label, flag, path in outs:
        why = problem(path)
        if why:
            out.append(f"cannot write {label} ({flag} {path}): {why}")
    return out


def refused(src, args) -> bool:
    """Print every refusal (stderr); True when there is one."""
    out = refusals(src, args)
    if out:
        print("\n".join(out), file=sys.stderr)
    return bool(out)


def write_all(writes: list[Callable[[], None]]) -> bool:
    """Run every write; print each failure (one line); True when all succeeded."""
    ok = True
    for write in writes:
        try:
            write()
        except OutputError as exc:
            print(str(exc), file=sys.stderr)
            ok = False
    return ok
