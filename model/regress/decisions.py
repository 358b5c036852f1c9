"""What deciding otherwise costs, for the headline decisions of the example's base case.

docs/analysis.md carries a table between ``<!-- decisions begin -->`` and
``<!-- decisions end -->``: for each decision of ``HEADLINE``, the base plan's
choice (used or not), the test (forced out, or forced in), what it costs over
the horizon (discounted) and whether that makes it a tie; then for each rule of
``RULES`` what lifting it changes (negative: what the rule costs). The figures come from
``model.analysis.robustness`` on a warm ``Session`` of ``inputs/example.xlsx``
(re-solves within a relative MIP gap of ``GAP``), never typed by hand.

    python -m model.regress.decisions      # rewrite the table (after changing the example)

``tests/test_docs.py`` re-solves and fails while the table differs (money
within ``MONEY_TOL``).
"""

from __future__ import annotations

import re
import sys

from model.regress.doc_figures import REPO, WORKBOOK

PAGE = REPO / "docs" / "analysis.md"
BEGIN, END = "<!-- decisions begin -->", "<!-- decisions end -->"
GAP = 1e-6
MONEY_TOL = 0.02e6       # USD: the re-solves' own gap on a 2 bn objective is about 2,000
# (id, what the decision is in the example's story)
HEADLINE = (
    ("STIBNITE_CONC", "Stibnite concentrate for USAC's smelter (from 2028)"),
    ("USAC_MX_FEED", "third-party ore through Madero (2027-2030)"),
    ("HILLGROVE_CONC", "Hillgrove concentrate through Wogen (2027-2030)"),
    ("ANZOB_METAL", "Anzob (Tajik) metal (2027-2030)"),
    ("TALCO_METAL", "TALCO (Tajik, Chinese JV) metal (2027-2030)"),
    ("CN_SB_METAL_2025_26", "China's licensed 1,000 t of metal in 2026 (commercial use only)"),
    ("USAC_SB2S3", "USAC's qualified Sb2S3 line (5 t/yr, plus what USAC_SB2S3_EXP builds)"),
    ("NOVA_SB2S3", "Nova's unqualified Sb2S3 (holds the stock floor)"),
    ("PERPETUA_SB2S3", "Perpetua's Sb2S3 pilot (unqualified)"),
    ("MP_MAG", "MP Independence magnets (DFARS-clean)"),
    ("HYPROMAG_L1", "HyProMag short-loop recycled magnets"),
    ("EVAC_MAG", "e-VAC magnets"),
    ("USAR_MAG", "USA Rare Earth Stillwater magnets"),
    ("CAREMAG_HRE", "Caremag heavy-RE refining (Dy/Tb for clean magnets)"),
    ("LYNAS_MY_HRE", "Lynas Malaysia heavy-RE circuit"),
    ("MP_HRE", "MP Mountain Pass heavy-RE circuit"),
    ("EF_HRE", "Energy Fuels heavy-RE circuit"),
    ("ILUKA_REF", "Iluka Eneabba refinery"),
    ("IONIC_RECYC", "Ionic Belfast magnet recycling"),
    ("CAREMAG_RECYC", "Caremag magnet recycling"),
    ("NEO_MAG", "Neo Narva magnets (Chinese oxide)"),
    ("JP_MAG", "Japanese magnets (Chinese oxide)"),
    ("CN_MAG", "Chinese magnets (commercial demand)"),
    ("CN_DY", "Chinese Dy oxide (licensed)"),
)
# the rules of the base case whose price the table gives: (id, what it is)
RULES = (
    ("DFARS_2027", "DFARS clean chain for defense magnets (2027-)"),
    ("CN_SB_MIL_ENDUSE", "China's ban on antimony for US military end users"),
    ("QUAL_SB2S3", "only qualified Sb2S3 for munitions"),
    ("POL_US_SB_MIN", "at least 50 % US antimony metal (2026-)"),
    ("CN_DY_LIC_2027_30", "China's Dy licences to the buyer's network (2027-2030)"),
)
HEADER = ["decision", "in the example", "base plan", "deciding otherwise", "costs (USD, discounted)",
          "tie?", "what takes over"]


def table():
    """The robustness rows of HEADLINE, in its order (a warm Session of the example)."""
    from dataclasses import replace

    from model.analysis.robustness import robustness
    from model.solve.highs import SolveOptions
    from model.whatif.session import Session
    session = Session(REPO / WORKBOOK, options=replace(
        SolveOptions(mip_gap=GAP), want_duals=False, canonical=False))
    ids = [i for i, _ in HEADLINE]
    result = robustness(session, ids=set(ids))
    rob = result.table.set_index("id")
    rob = rob.loc[[i for i in ids if i in rob.index]]
    for rule, _ in RULES:            # a rule lifted: what the plan saves without it
        session.disable(rule)
        sol = session.solve()
        session.reset()
        change = sol.objective - result.objective if sol.has_solution else float("nan")
        rob.loc[rule, ["kind", "used", "test", "cost_change", "interchangeable", "alternatives"]] = [
            "rule", True, "lifted", change, abs(change) < 1.0, ""]
    return rob


def rows(rob) -> list[list[str]]:
    what = dict(HEADLINE + RULES)
    out = []
    for ident, r in rob.iterrows():
        if r["kind"] == "rule":
            out.append([f"`{ident}`", what[ident], "in force", "lifted",
                        f"{r['cost_change'] / 1e6:,.2f} M",
                        "does not bind" if r["interchangeable"] else "binds", ""])
            continue
        used = bool(r["used"])
        plan = f"used: {r['activity']:,.0f} {r['unit']}" if used else "not used"
        cost = f"{r['cost_change'] / 1e6:,.2f} M" if used else f"{r['cost_change']:,.0f}"
        verdict = ("tie" if r["interchangeable"] else "finding") if used else (
            "alternative optimum" if r["interchangeable"] else "not chosen")
        out.append([f"`{ident}`", what[ident], plan, r["test"], cost, verdict,
                    r["alternatives"] or ""])
    return out


def render(body_rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in body_rows]
    return "\n".join(lines)


def _match(text: str) -> re.Match:
    m = re.search(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), text, flags=re.S)
    if not m:
        raise ValueError(f"{PAGE.name} has no {BEGIN} ... {END} block")
    return m


def block(text: str) -> str:
    return _match(text).group(1)


def parse(markdown: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in markdown.splitlines()[2:]]


def same(a: list[list[str]], b: list[list[str]]) -> list[str]:
    """Cells that differ (money within MONEY_TOL counts as equal)."""
    def money(cell):
        m = re.fullmatch(r"(-?[\d,.]+)( M)?", cell)
        return None if not m else float(m.group(1).replace(",", "")) * (1e6 if m.group(2) else 1)
    diff = [] if len(a) == len(b) else [f"{len(a)} rows against {len(b)}"]
    for ra, rb in zip(a, b):
        for ca, cb in zip(ra, rb):
            va, vb = money(ca), money(cb)
            if (va is None or vb is None) and ca != cb or (
                    va is not None and vb is not None and abs(va - vb) > MONEY_TOL):
                diff.append(f"{ra[0]}: {ca!r} != {cb!r}")
    return diff


def main() -> int:
    text = PAGE.read_text(encoding="utf-8")
    m = _match(text)
    new = text[:m.start(1)] + render(rows(table())) + text[m.end(1):]
    if new != text:
        PAGE.write_text(new, encoding="utf-8")
        print(f"updated {PAGE.relative_to(REPO)}")
    else:
        print("the decisions table is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
