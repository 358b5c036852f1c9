"""Meaning checks of contract v1.2's Investments sheet and Lanes lead_time.

Errors (all collected): a target_id that is no offer_id, process_id or lane_id;
one that names rows in two sheets; a lane target whose capacity cell is blank
(unlimited: nothing to add to, even if profiles give it a number in some
periods). A lead_time or max_units that is not a whole number is refused by its
range in the schema (``rules.py``). Warnings: a decision window outside the
horizon, a lead time that puts every unit past the horizon (capex without capacity: the model will not
build it), a lane whose lead time is as long as the horizon (nothing can
arrive), a capacity of 0.
"""

from __future__ import annotations

from model.problems import did_you_mean
from model.read.workbook import ROW

SHEET_IDS = (("Supply", "offer_id"), ("Processes", "process_id"), ("Lanes", "lane_id"))


def check(wb, err, warn) -> None:
    t = wb.tables
    first, last = wb.settings.get("first_period"), wb.settings.get("last_period")
    horizon = first is not None and last is not None and first <= last
    for rec in t["Lanes"].to_dict("records"):
        lead = rec["lead_time"]       # a whole number >= 0: the schema's range (rules.py)
        if horizon and lead > last - first and rec["enabled"] is not False and \
                float(lead).is_integer():
            warn("Lanes", rec[ROW], "lead_time", lead, f"longer than the horizon {first}-{last}: "
                 "nothing shipped on the lane can arrive in it")
    inv = t.get("Investments")
    if inv is None or inv.empty:
        return
    where: dict[str, list] = {}
    for sheet, col in SHEET_IDS:
        for rec in t[sheet].to_dict("records"):
            if rec[col] is not None:
                where.setdefault(rec[col], []).append((sheet, rec))
    ids = list(where)
    for rec in inv.to_dict("records"):
        row, target = rec[ROW], rec["target_id"]
        if target is None:
            continue
        hits = where.get(target, [])
        sheets = sorted({s for s, _ in hits})
        if not hits:
            err("Investments", row, "target_id", target, "no offer_id, process_id or lane_id "
                "has this id" + did_you_mean(target, ids))
            continue
        if len(sheets) > 1:
            err("Investments", row, "target_id", target, f"names rows in {' and '.join(sheets)}: "
                "a target must be one offer, process or lane")
            continue
        sheet, trec = hits[0]
        if sheet == "Lanes" and trec["capacity"] is None:
            err("Investments", row, "target_id", target, f"lane {target} (Lanes row "
                f"{trec[ROW]}) has a blank capacity (unlimited): there is nothing to add to; "
                "give the lane a capacity (0 for a lane that does not exist yet)")
        if rec["enabled"] is False or not horizon:
            continue
        if rec["capacity"] == 0:
            warn("Investments", row, "capacity", 0, "adds nothing")
        a = first if rec["first_period"] is None else rec["first_period"]
        b = last if rec["last_period"] is None else rec["last_period"]
        if b < first or a > last or a > b:
            warn("Investments", row, "first_period", rec["first_period"],
                 f"the decision window {a}-{b} has no period in the horizon {first}-{last}: "
                 "the investment cannot be decided")
        elif max(a, first) + int(rec["lead_time"]) > last:
            warn("Investments", row, "lead_time", rec["lead_time"],
                 f"a unit decided at the earliest ({max(a, first)}) comes online in "
                 f"{max(a, first) + int(rec['lead_time'])}, after the horizon ends in "
                 f"{last}: it would pay capex and add nothing")
        if trec.get("enabled") is False:
            warn("Investments", row, "target_id", target, f"its target ({sheet} row "
                 f"{trec[ROW]}) is disabled: the investment is ignored")
