"""Frame columns as Python lists, for the loops that build rows and read results.

With pandas 3 string columns are ``StringDtype``; iterating one element by
element is about ten times slower than ``tolist()`` first (benchmarks/README.md).
"""

from __future__ import annotations


def lists(frame, *cols) -> list[list]:
    """[frame[c].tolist() for c in cols]: zip(*lists(f, "a", "b")) walks rows fast."""
    return [frame[c].tolist() for c in cols]


def keys(frame, cols) -> list:
    """The index of each row: the value of one column, or a tuple of several."""
    if len(cols) == 1:
        return frame[cols[0]].tolist()
    return list(zip(*lists(frame, *cols)))
