"""Numbers quoted in the docs, filled in from the committed regression baselines.

A figure in a Markdown page is written between two comments that say where it
comes from::

    <!-- fig base objective int -->1,416,080,391<!-- /fig -->
    <!-- fig HRE_LOCKOUT objective-base M+ -->+144.1 M<!-- /fig -->
    <!-- fig base unmet_t[SB2S3] t -->100 t<!-- /fig -->
    <!-- fig base discounted_cost[unmet_penalty] M -->124.9 M<!-- /fig -->

``SCENARIO FIELD FORMAT``: the scenario's baseline of the example workbook
(``tests/baselines/example/SCENARIO.toml``); the field ``objective``,
``spent`` (the objective less the discounted unmet-demand penalties) or
``SECTION[KEY]`` of its figures (a key with ``*`` sums the keys it matches,
e.g. ``arrivals_t[NDFEB|*]``), with ``-base`` for the difference to the base
run, and a leading ``-`` for its negative (``-cost[sales]``: revenue, which the
baselines keep as a negative cost); the format ``int`` (whole units), ``M`` (millions, one decimal), ``M+``
(signed millions), ``t`` or ``t+`` (signed tonnes).

``python -m model.regress.doc_figures`` rewrites every figure of the docs from
the baselines (run it after ``sourcing regress --update``);
``tests/test_docs.py`` fails while a page quotes a figure that differs.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from functools import cache
from pathlib import Path

from model.regress.baseline import path_for, read

REPO = Path(__file__).resolve().parents[2]
PAGES = ("README.md", "docs/*.md", "inputs/README.md", "benchmarks/README.md")
WORKBOOK = Path("inputs/example.xlsx")
BASELINES = REPO / "tests" / "baselines"
MARK = re.compile(r"<!-- fig ([A-Za-z0-9_.-]+) (\S+) (int|M\+|M|t\+|t) -->(.*?)<!-- /fig -->")
FORMATS = {
    "int": lambda v: f"{v:,.0f}",
    "M": lambda v: f"{v / 1e6:,.1f} M",
    "M+": lambda v: "0" if round(v / 1e6, 1) == 0 else f"{'+' if v > 0 else '−'}{abs(v) / 1e6:,.1f} M",
    "t": lambda v: f"{v:,.0f} t",
    "t+": lambda v: "0 t" if round(v) == 0 else f"{'+' if v > 0 else '−'}{abs(v):,.0f} t",
}


class FigureError(ValueError):
    pass


@cache
def _baseline(scenario: str):
    path = path_for(BASELINES, WORKBOOK, scenario)
    if not path.exists():
        raise FigureError(f"no baseline {path.relative_to(REPO)}")
    return read(path)


def value(scenario: str, field: str) -> float:
    if field.startswith("-"):
        return -value(scenario, field[1:])
    if field.endswith("-base"):
        return value(scenario, field[:-5]) - value("base", field[:-5])
    b = _baseline(scenario)
    if field == "objective":
        return b.objective
    if field == "spent":
        return b.objective - b.figures["discounted_cost"].get("unmet_penalty", 0.0)
    m = re.fullmatch(r"(\w+)\[(.+)\]", field)
    if not m or m.group(1) not in b.figures:
        raise FigureError(f"unknown field {field!r} (objective or SECTION[KEY])")
    section = b.figures[m.group(1)]
    if "*" in m.group(2):
        return sum(v for k, v in section.items() if fnmatch.fnmatchcase(k, m.group(2)))
    if m.group(2) not in section:
        raise FigureError(f"{scenario}: no figure {field}")
    return section[m.group(2)]


def render(text: str) -> str:
    def one(m: re.Match) -> str:
        scenario, field, fmt, _ = m.groups()
        return f"<!-- fig {scenario} {field} {fmt} -->{FORMATS[fmt](value(scenario, field))}<!-- /fig -->"
    return MARK.sub(one, text)


def pages() -> list[Path]:
    return sorted(p for pattern in PAGES for p in REPO.glob(pattern))


def main() -> int:
    changed = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(str(page.relative_to(REPO)))
    print(f"updated {', '.join(changed)}" if changed else "every figure is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
