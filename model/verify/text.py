"""The words and numbers of the verifier's sentences, shared by its families
(the family modules import these, never ``checks``, which imports them)."""

from __future__ import annotations

CATEGORIES = ("purchase", "reservation", "offer_fixed", "processing", "process_fixed", "freight", "tariff",
              "holding", "disposal", "unmet_penalty", "take_or_pay_shortfall", "sales",
              "capex", "investment_fixed")


def q(x: float) -> str:
    """A quantity for a message: thousands separators, at most 6 decimals."""
    if x is None:
        return "-"
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(x: float) -> str:
    return f"{100 * x:.4g}%"


def span(periods: list[int]) -> str:
    if not periods:
        return "in no period of the horizon"
    return f"only in {periods[0]}-{periods[-1]}" if len(periods) > 1 else f"only in {periods[0]}"
