"""Stopping a run cleanly: Ctrl-C (SIGINT) and SIGTERM.

    with stop.handling():          # the CLI wraps every command in it
        ...                        # a signal raises Stopped here (a KeyboardInterrupt)

While ``handling()`` is active, both signals raise ``Stopped`` in the main
thread, so every ``finally`` and ``except BaseException`` runs: a file being
written loses its temporary file (``model.files``), and ``sourcing solve``
writes a report that says the run was interrupted.

Python runs a signal handler only between bytecodes of the main thread, never
inside HiGHS. So every HiGHS object (``model.solve.highs.new_highs``) listens
on HiGHS's simplex, IPM and MIP interrupt callbacks: a stop requested during a
solve makes HiGHS return at its next callback, and ``Stopped`` is raised as
soon as it has (``holding()`` around the run, then ``check()``). The CLI holds
signals the same way while a command's modules load; the command checks
first thing, so a run stopped at any moment after its arguments were read
still writes its report.

Exit code of a stopped run: 128 + the signal number (130 for Ctrl-C, 143 for
SIGTERM), as a shell reports a process killed by it.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
NAMES = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}

_state = {"requested": None, "holding": 0}


class Stopped(KeyboardInterrupt):
    """The run was stopped by a signal."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(NAMES.get(signum, f"signal {signum}"))
        self.signum = int(signum)


def exit_code(exc: BaseException) -> int:
    """128 + the signal number (a plain KeyboardInterrupt counts as Ctrl-C)."""
    return 128 + int(getattr(exc, "signum", signal.SIGINT))


def describe(exc: BaseException) -> str:
    return NAMES.get(getattr(exc, "signum", signal.SIGINT), str(exc))


def _handler(signum, frame) -> None:
    _state["requested"] = signum
    if _state["holding"]:
        return            # inside HiGHS (it stops at its next interrupt callback), or loading
    raise Stopped(signum)


@contextmanager
def handling():
    """Turn SIGINT and SIGTERM into ``Stopped`` for the duration (main thread
    only; elsewhere a no-op; a signal ignored at start stays ignored). The
    previous handlers come back afterwards."""
    try:     # a signal ignored when we started (nohup, a background job) stays ignored
        previous = {s: signal.signal(s, _handler) for s in SIGNALS
                    if signal.getsignal(s) is not signal.SIG_IGN}
    except ValueError:         # not the main thread: leave signals alone
        yield
        return
    _state["requested"] = None
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        _state["requested"] = None


def interrupt_callback(event) -> None:
    """HiGHS interrupt callback: ask HiGHS to stop when a stop was requested."""
    if _state["requested"] is not None:
        event.interrupt()


@contextmanager
def holding():
    """A signal meanwhile only records the request (no exception inside HiGHS,
    or half-way through an import); ``check()`` raises it afterwards."""
    _state["holding"] += 1
    try:
        yield
    finally:
        _state["holding"] -= 1


def check() -> None:
    """Raise ``Stopped`` if a stop was requested while held."""
    if _state["requested"] is not None and not _state["holding"]:
        raise Stopped(_state["requested"])
