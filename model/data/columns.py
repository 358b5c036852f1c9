"""Frame columns as Python lists, for the loops that build rows and read results.

With pandas 3 string columns are ``StringDtype``; iterating one element by
element is about ten times slower than ``tolist()`` first (benchmarks/README.md).
"""

from __future__ import annotations


def lists(frame, *cols) -> list[list]:
    """[frame[c].tolist() for c in cols]: zip(*lists(f, "a", "b")) walks rows fast."""
    return [frame[c].tolist() for c in cols]
