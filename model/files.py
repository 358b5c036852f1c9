"""Writing the files a command produces: one home for every output (reports,
the JSON summary, the web page, the template, baselines, workbooks from CSV).

    problem(path)            before a run: why ``path`` cannot be written, or None
    write_file(path, fill)   fill(handle) writes the content to a binary handle
    write_text(path, text)   UTF-8 text

A new or regular file is written to a temporary file beside it,
``.NAME.PID.XXXXXXXX.tmp``, flushed to disk and then renamed over the target,
so a reader never sees a half-written file; on any error or interrupt the
temporary file is removed (``model.stop`` turns Ctrl-C and SIGTERM into an
exception, so a signal removes it too), and the temporary files a killed run
(SIGKILL) left are removed by the next write of the same file
(``remove_stale``). The file gets the mode of any new file (0666 less
the umask): a report, a summary and a web page alike. A target that exists
and is not a regular file (a device such as ``/dev/stdout``, a pipe) is
written in place: renaming over it would replace the device itself.

Every ``OSError`` becomes an ``OutputError`` whose message is one line naming
the file and the reason (``cannot write r.xlsx: No space left on device``).
"""

from __future__ import annotations

import gc
import glob
import logging
import os
import stat
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable

log = logging.getLogger(__name__)


class OutputError(Exception):
    """A file cannot be written (missing folder, not a folder, read-only, disk full)."""


def _in_place(path: Path) -> bool:
    """The target exists and is neither a regular file nor a folder (a device, a pipe)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def problem(path) -> str | None:
    """Why ``path`` cannot be written, checked before anything runs (None: it can be)."""
    path = Path(path)
    if path.is_dir():
        return f"{path} is a folder"
    if _in_place(path):
        return None if os.access(path, os.W_OK) else f"{path} is not writable"
    folder = path.parent
    if not folder.exists():
        return f"folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"folder {folder} is not writable"
    return None


def _mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def temp_prefix(path: Path) -> str:
    """Temporary files of ``path`` written by this process start with this."""
    return f".{path.name}.{os.getpid()}."


def _log_unraisable(u) -> None:
    log.debug("after a failed write, %s: %s", getattr(u.object, "__qualname__", u.object),
              u.exc_value)


@contextmanager
def _collected_on_failure():
    """A write that fails part-way leaves openpyxl's half-run generators and
    archives behind; collected later, each prints an 'Exception ignored in ...'
    traceback after the real message. On failure, drop the failed frames and
    collect them here, logging (debug) what they say."""
    hook = sys.unraisablehook
    sys.unraisablehook = _log_unraisable
    try:
        yield
    except BaseException as exc:
        seen = exc
        while seen is not None:
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__cause__ or seen.__context__
        gc.collect()
        raise
    finally:
        sys.unraisablehook = hook


def write_file(path, fill: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` atomically (see the module): fill(handle) writes the content."""
    path = Path(path)
    with _collected_on_failure():
        _write(path, fill)
    log.debug("wrote %s", path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:            # another user's process: alive
        return True
    return True


def remove_stale(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` left by runs that were killed
    (SIGKILL, a power cut): named for a process that no longer exists. A
    temporary file of a run still going is left alone."""
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        try:
            tmp.unlink()
        except OSError:
            continue
        removed.append(tmp)
        log.warning("removed %s, left by an earlier run that was killed while writing %s",
                    tmp, path.name)
    return removed


def _write(path: Path, fill) -> None:
    try:
        if _in_place(path):
            with open(path, "wb") as handle:
                fill(handle)
            return
        if not path.parent.is_dir():
            raise OutputError(f"cannot write {path}: {problem(path)}")
        remove_stale(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _mode())   # mkstemp makes 0600: make it an ordinary file
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())             # a full disk shows here, not after the rename
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:       # an error of the content, or an interrupt: nothing left behind
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> None:
    write_file(path, lambda handle: handle.write(text.encode("utf-8")))
