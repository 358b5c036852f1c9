"""What a long command is doing, while it does it.

    with progress.showing(enabled):            # the CLI, around every command
        with progress.stage("build"):           # anywhere: a named stage
            ...
        with progress.stage("solve scenarios", total=5) as s:
            s.advance("scarcity")               # a counted stage: one step done

On a terminal (``enabled``: stderr is a terminal and no ``-q``) each stage is
a line drawn by rich while it runs: spinner, name, elapsed time; a counted
stage has a bar and n/total. When one of the command's own stages ends, its
line becomes "done NAME (1.2 s)" and the display stops until the next stage,
so the command's result lines (stdout) never mix with it. During a HiGHS solve the line shows the solver's time, objective
and, for a MIP, the gap: ``model.solve.highs.Highs`` hands HiGHS's interrupt
callbacks (to which it listens anyway, for Ctrl-C) to ``solver_event``, which
only reads what HiGHS reports, so the solver's path and answer do not change.

Every stage is also logged (INFO when it starts and ends, with its seconds;
solver progress at DEBUG every few seconds), so ``--verbose`` shows the same
story as log lines, in CI too. Without ``showing`` (the API, a worker
process, tests) only the log lines remain.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)
SOLVER_REFRESH_S = 0.25       # the terminal line, at most this often
SOLVER_LOG_S = 5.0            # a DEBUG line, at most this often

_state: dict = {"display": None, "pid": None, "stack": [], "shown": 0.0, "logged": 0.0}


class Stage:
    """One running stage; ``advance`` marks a step of a counted stage done."""

    def __init__(self, name: str, total: int | None, task):
        self.name, self.total, self.task, self.done = name, total, task, 0

    def advance(self, label: str = "") -> None:
        self.done += 1
        log.info("%s: %d/%s %s", self.name, self.done, self.total or "?", label)
        display = _display()
        if display is not None and self.task is not None:
            display.update(self.task, advance=1, detail=label, counted=f"{self.done}/{self.total}")


def _display():
    """The terminal display, in the process that started it (not a forked worker)."""
    return _state["display"] if _state["pid"] == os.getpid() else None


def active() -> bool:
    """True when anyone listens to solver progress (a terminal display or DEBUG logging)."""
    return _display() is not None or log.isEnabledFor(logging.DEBUG)


@contextmanager
def stage(name: str, total: int | None = None):
    display = _display()
    depth = len(_state["stack"])
    task = None
    if display is not None:
        if not depth:
            display.start()
        task = display.add_task("  " * depth + name, total=total, detail="",
                                counted=f"0/{total}" if total else "")
    current = Stage(name, total, task)
    _state["stack"].append(current)
    log.info("%s ...", name)
    start = time.perf_counter()
    try:
        yield current
    finally:
        _state["stack"].pop()
        seconds = time.perf_counter() - start
        log.info("%s: done in %.1f s", name, seconds)
        if display is not None and task is not None:
            display.remove_task(task)      # inner stages go; the command's own leave a line
            if not depth:                  # and the display stops, so that the command's
                display.stop()             # own lines (stdout) never mix with it
                counted = f": {current.done}/{total}" if total else ""
                display.console.print(f"[green]done[/] {name}{counted} ({seconds:.1f} s)",
                                      highlight=False)


def solver_event(event) -> None:
    """HiGHS interrupt callback: show the running solve's time, objective and gap."""
    now = time.perf_counter()
    display = _display()
    show = display is not None and now - _state["shown"] >= SOLVER_REFRESH_S
    write = log.isEnabledFor(logging.DEBUG) and now - _state["logged"] >= SOLVER_LOG_S
    if not (show or write):
        return
    text = solver_text(event.data_out)
    if show and _state["stack"] and _state["stack"][-1].task is not None:
        _state["shown"] = now
        display.update(_state["stack"][-1].task, detail=text)
    if write:
        _state["logged"] = now
        log.debug("HiGHS: %s", text)


def solver_text(out) -> str:
    """'HiGHS 12.3 s, objective 1,416,080,390, gap 0.41 %' from HiGHS's callback data."""
    parts = [f"HiGHS {out.running_time:.1f} s"]
    bound, gap = out.mip_primal_bound, out.mip_gap
    objective = bound if _finite(bound) else out.objective_function_value
    if _finite(objective) and objective != 0.0:
        parts.append(f"objective {objective:,.0f}")
    if _finite(gap) and _finite(bound):
        parts.append(f"gap {100 * gap:.2f} %")
    return ", ".join(parts)


def _finite(v) -> bool:
    return v is not None and abs(v) < 1e30


@contextmanager
def showing(enabled: bool):
    """Draw the stages on stderr for the duration when ``enabled``; the lines
    of the stages that finished stay on screen, above the command's result."""
    if not enabled:
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    display = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=20),
                       TextColumn("{task.fields[counted]}"), TimeElapsedColumn(),
                       TextColumn("{task.fields[detail]}"), console=Console(stderr=True),
                       transient=True, redirect_stdout=False, redirect_stderr=False)
    previous = dict(_state)
    _state.update(display=display, pid=os.getpid(), stack=[])
    try:
        yield
    finally:
        display.stop()
        _state.update(previous)


def log_handler() -> logging.Handler:
    """Where log lines go: above the stage lines while they are drawn, else stderr."""
    display = _display()
    if display is None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        return handler
    from rich.logging import RichHandler
    return RichHandler(console=display.console, show_path=False, markup=False)
