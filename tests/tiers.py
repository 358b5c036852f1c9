"""Test tiers, enforced: every test carries exactly one of the markers `unit`
(no solver, fast), `component` (small HiGHS solves) and `regression` (the
example workbook), and a `unit` test never runs HiGHS.

tests/conftest.py imports these hooks; another session can load them with
``-p tiers`` (tests/ on the path). A test without a tier, or with two, errors
at setup, before its fixtures run. A `unit` test fails when HiGHS runs while
its fixtures are set up or while it runs: `highspy.Highs.run` and
`Highs.solve` are watched (every solve of the product and of the independent
formulations goes through them), and so is the start of another Python
process (or a fork), where a solve could not be seen.
"""

from __future__ import annotations

import sys

import highspy
import pytest

TIERS = ("unit", "component", "regression")
WATCHED = ("run", "solve")


def tiers_of(item) -> list[str]:
    return sorted({m.name for m in item.iter_markers() if m.name in TIERS})


class _Watch:
    """Counts HiGHS solves and Python subprocesses while switched on."""

    def __init__(self):
        self.on = False
        self.seen: list[str] = []
        self._saved = {}
        sys.addaudithook(self._audit)

    def _audit(self, event, args):
        if not self.on:
            return
        if event == "subprocess.Popen" and _is_python(args):
            self.seen.append(f"started a Python process ({str(args[1])[:80]})")
        elif event == "os.fork":
            self.seen.append("forked a process")

    def __enter__(self):
        self.seen = []
        for name in WATCHED:
            self._saved[name] = highspy.Highs.__dict__.get(name)
            original = getattr(highspy.Highs, name)

            def watched(h, *args, _original=original, _name=name, **kwargs):
                self.seen.append(f"highspy.Highs.{_name}()")
                return _original(h, *args, **kwargs)
            setattr(highspy.Highs, name, watched)
        self.on = True
        return self

    def __exit__(self, *exc):
        self.on = False
        for name, saved in self._saved.items():
            if saved is None:
                delattr(highspy.Highs, name)
            else:
                setattr(highspy.Highs, name, saved)
        return False


def _is_python(args) -> bool:
    """Whether a subprocess.Popen audit event (executable, args, cwd, env) starts Python."""
    executable, argv = args[0], args[1]
    first = argv[0] if isinstance(argv, (list, tuple)) and argv else argv
    names = [str(executable or ""), str(first or "")]
    return any(n == sys.executable or "python" in n.rsplit("/", 1)[-1].lower() for n in names)


_watch = None


def _watcher() -> _Watch:
    global _watch
    if _watch is None:
        _watch = _Watch()
    return _watch


def _check_unit(item, phase: str):
    """The body of a hook wrapper: run the phase, watched if the test is a unit test."""
    if "unit" not in tiers_of(item):
        return (yield)
    with _watcher() as watch:
        result = yield
    if watch.seen:
        pytest.fail(f"{item.nodeid} is marked unit (no solver) but {phase} ran HiGHS or a "
                    f"process: {', '.join(sorted(set(watch.seen)))}. Mark it component, or "
                    f"take the solve out.", pytrace=False)
    return result


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    tiers = tiers_of(item)
    if len(tiers) != 1:
        what = "no tier marker" if not tiers else f"{len(tiers)} tier markers ({', '.join(tiers)})"
        pytest.fail(f"{item.nodeid} has {what}: give it exactly one of "
                    f"pytest.mark.unit (no solver), pytest.mark.component (small HiGHS solves) "
                    f"or pytest.mark.regression (the example workbook)", pytrace=False)
    return (yield from _check_unit(item, "its setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _check_unit(item, "it"))
