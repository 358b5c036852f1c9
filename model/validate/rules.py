"""Meaning checks on a read (and possibly scenario-changed) workbook.

Generic checks come from the schema (each number column's range: non-negative,
0..1, whole numbers; unique keys, references); the rest are the contract's own rules. Rows with ``enabled``
FALSE are treated as absent (their references are not checked). What leaves
the model undefined is an error; what is merely suspicious is a warning.
"""

from __future__ import annotations

import pandas as pd

from model.problems import Problems, did_you_mean
from model.read.workbook import ROW, Workbook
from model import schema
from model.schema import CHAIN_KINDS, SHEETS, TONNAGE_UNITS
from model.validate.recipes import edges_of, gaining_loops, without_input


def split_list(text) -> list[str]:
    """'a, b,c' -> ['a', 'b', 'c'] (comma-separated cells such as qualified_for)."""
    if not text:
        return []
    return [part.strip() for part in str(text).split(",") if part.strip()]


def active(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows not switched off (``enabled`` FALSE means absent)."""
    if "enabled" not in frame.columns or frame.empty:
        return frame
    return frame[frame["enabled"].map(lambda v: v is not False)]


def out_of_range(col: schema.Column, v) -> str:
    """Why the number ``v`` is not in the range of column ``col``."""
    if col.fraction:
        return "is a share; expected a value between 0 and 1"
    if v < 0:
        return "must not be negative"
    return "must be a whole number" + (" of periods" if col.unit == "periods" else "")


def active_periods(rec, periods: list[int]) -> list[int]:
    """The periods of the horizon ``periods`` in which a row is active: its first_period ..
    last_period, inclusive, a blank one meaning the start / end of the horizon (contract).
    (A period may be 0: ``is None``, never ``or``.)"""
    a = periods[0] if rec.get("first_period") is None else rec["first_period"]
    b = periods[-1] if rec.get("last_period") is None else rec["last_period"]
    return [p for p in periods if a <= p <= b]


def below_resolution() -> str:
    """How a tonnage below ``schema.RESOLUTION_T`` is described in a warning."""
    r = schema.RESOLUTION_T
    return f"below {r:g} t ({r * 1e6:g} g), finer than the solve can resolve"


def _tiny_tonnages(sheet, frame, warn) -> None:
    """Warn for every positive tonnage below the resolution (Demand quantities
    are warned for where they are left unmet: model/data/model_data.py)."""
    r = schema.RESOLUTION_T
    for col in sheet.columns:
        if col.unit not in TONNAGE_UNITS or (sheet.name, col.name) == ("Demand", "quantity"):
            continue
        for row, v in zip(frame[ROW], frame[col.name]):
            if v is not None and 0 < v < r:
                warn(sheet.name, row, col.name, v, f"{below_resolution()}: HiGHS may treat it "
                     f"as 0 or miss it by that much")
    if sheet.name == "ExportControls":
        for row, m, v in zip(frame[ROW], frame["measure"], frame["value"]):
            if m == "quota" and v is not None and 0 < v < r:
                warn(sheet.name, row, "value", v, f"a quota {below_resolution()}: HiGHS may "
                     f"treat it as a ban or miss it by that much")


def check(wb: Workbook, context: str = "") -> Problems:
    """The meaning of every sheet's rows, one by one and against each other."""
    p = Problems()
    err = lambda *a: p.error(*a, context=context)  # noqa: E731
    warn = lambda *a: p.warn(*a, context=context)  # noqa: E731
    t = wb.tables
    first, last = wb.settings.get("first_period"), wb.settings.get("last_period")
    horizon_ok = first is not None and last is not None and first <= last
    if first is not None and last is not None and first > last:
        err("Settings", wb.setting_rows.get("first_period"), "value", first,
            f"first_period is after last_period ({last})")

    for sheet in SHEETS:
        frame = t[sheet.name]
        if frame.empty or sheet.name == "Settings":
            continue
        for col in sheet.columns:
            valid = col.range
            if valid is None:
                continue
            for row, v in zip(frame[ROW], frame[col.name]):
                if v is not None and not valid.holds(v):
                    err(sheet.name, row, col.name, v, out_of_range(col, v))
        _tiny_tonnages(sheet, active(frame), warn)
        if sheet.key:
            keyed = frame.dropna(subset=list(sheet.key))
            seen: dict[tuple, int] = {}
            for rec in keyed.to_dict("records"):
                k = tuple(rec[c] for c in sheet.key)
                if k in seen:
                    err(sheet.name, rec[ROW], sheet.key[-1] if len(k) > 1 else sheet.key[0],
                        "|".join(map(str, k)), f"duplicate id (also in row {seen[k]})")
                else:
                    seen[k] = rec[ROW]
        if "first_period" in frame.columns:
            for rec in frame.to_dict("records"):
                a, b = rec["first_period"], rec["last_period"]
                if a is not None and b is not None and a > b:
                    err(sheet.name, rec[ROW], "first_period", a, f"is after last_period {b}")
                elif horizon_ok and rec.get("enabled", True) is not False and (
                        (a is not None and a > last) or (b is not None and b < first)):
                    warn(sheet.name, rec[ROW], "first_period", a,
                         f"row is active in no period of the horizon {first}-{last}")

    ids = {(s, c): set(t[s][c].dropna()) for s, c in
           {col.ref for sh in SHEETS for col in sh.columns if col.ref}}
    for sheet in SHEETS:
        frame = active(t[sheet.name])
        for col in sheet.columns:
            if not col.ref or frame.empty:
                continue
            pool = ids[col.ref]
            for row, v in zip(frame[ROW], frame[col.name]):
                if v is not None and v not in pool:
                    what = col.ref[1].replace("_id", "")
                    err(sheet.name, row, col.name, v, f"no such {what} in {col.ref[0]}"
                        + did_you_mean(v, pool))

    processes = active(t["Processes"])
    recipes = t["Recipes"]
    for rec in recipes.to_dict("records"):
        i, o = rec["input"], rec["output"]
        if i > 0 and o > 0:
            err("Recipes", rec[ROW], "output", o, "a recipe row has an input or an output, not both")
        elif i == 0 and o == 0:
            warn("Recipes", rec[ROW], "input", None, "row has neither input nor output; ignored")
    outputs = set(recipes.loc[recipes["output"] > 0, "process_id"])
    listed = set(recipes["process_id"])
    for rec in processes.to_dict("records"):
        if rec["process_id"] not in listed:
            err("Processes", rec[ROW], "process_id", rec["process_id"], "has no Recipes rows")
        elif rec["process_id"] not in outputs:
            err("Processes", rec[ROW], "process_id", rec["process_id"],
                "recipe has no output (every process must produce something)")
    running = set(processes["process_id"])
    for loop in gaining_loops(edges_of(recipes, running)):
        warn("Recipes", loop.rows[0], None, None, loop.describe())
    for q, rows in without_input(recipes, running).items():
        warn("Recipes", rows[0], "input", None,
             f"process {q} has outputs but no input (Recipes rows {', '.join(map(str, rows))}): "
             "each run makes material from nothing; primary production is a Supply offer")

    owners: dict[str, list[str]] = {}      # an id -> the rows it names (one, or ambiguous)
    for name, col in (("Supply", "offer_id"), ("Processes", "process_id"), ("Lanes", "lane_id")):
        for ident, row in zip(t[name][col], t[name][ROW]):
            owners.setdefault(ident, []).append(f"{name} row {row}")
    for rec in t["CapacityProfile"].to_dict("records"):
        if rec["id"] is not None and rec["id"] not in owners:
            err("CapacityProfile", rec[ROW], "id", rec["id"], "no such offer, process or lane"
                + did_you_mean(rec["id"], owners))
        elif len(owners.get(rec["id"], ())) > 1:
            err("CapacityProfile", rec[ROW], "id", rec["id"],
                f"names {' and '.join(owners[rec['id']])}: it is not clear whose capacity it "
                "overrides; give them different ids")
        if horizon_ok and rec["period"] is not None and not first <= rec["period"] <= last:
            warn("CapacityProfile", rec[ROW], "period", rec["period"], "outside the horizon; ignored")

    for rec in active(t["Lanes"]).to_dict("records"):
        if rec["from_site"] is not None and rec["from_site"] == rec["to_site"]:
            err("Lanes", rec[ROW], "to_site", rec["to_site"], "a lane must join two different sites")

    for rec in t["Demand"].to_dict("records"):
        if horizon_ok and rec["period"] is not None and not first <= rec["period"] <= last:
            # contract: a row active in no period of the horizon is a warning, never a refusal
            warn("Demand", rec[ROW], "period", rec["period"],
                 f"outside the horizon {first}-{last}: the row is ignored")

    for rec in t["Inventory"].to_dict("records"):
        lo, hi = rec["min_stock"], rec["max_stock"]
        if hi is not None and lo > hi:
            err("Inventory", rec[ROW], "min_stock", lo, f"is above max_stock {hi}")
        if hi is not None and rec["initial_stock"] > hi:
            warn("Inventory", rec[ROW], "initial_stock", rec["initial_stock"],
                 f"is above max_stock {hi}; the excess must leave in the first period")

    for rec in active(t["ExportControls"]).to_dict("records"):
        if rec["measure"] in ("quota", "tariff") and rec["value"] is None:
            err("ExportControls", rec[ROW], "value", None, f"a {rec['measure']} needs a value")
        if rec["importer"] is not None and rec["importer"] == rec["exporter"]:
            warn("ExportControls", rec[ROW], "importer", rec["importer"],
                 "importer equals exporter: the rule covers no shipment")

    segments = set(active(t["Demand"])["segment"])
    for sheet in ("Supply", "Processes"):
        for rec in active(t[sheet]).to_dict("records"):
            for seg in split_list(rec.get("qualified_for")):
                if seg not in segments:
                    warn(sheet, rec[ROW], "qualified_for", seg, "no Demand row has this segment"
                         + did_you_mean(seg, segments))
    for rec in active(t["Policies"]).to_dict("records"):
        kind = rec["kind"]
        if kind in CHAIN_KINDS:
            if not rec["segment"]:
                err("Policies", rec[ROW], "segment", None, f"{kind} needs a segment")
            elif rec["segment"] not in segments:
                warn("Policies", rec[ROW], "segment", rec["segment"],
                     "no Demand row has this segment: the rule covers nothing"
                     + did_you_mean(rec["segment"], segments))
            if kind == "clean_chain" and not rec["group"]:
                err("Policies", rec[ROW], "group", None,
                    "clean_chain needs a group (a group_id of CountryGroups)")
            continue
        if rec["value"] is None:
            err("Policies", rec[ROW], "value", None, f"{kind} needs a value (a share, 0..1)")
        if kind == "min_country_share" and rec["country"] is None:
            err("Policies", rec[ROW], "country", None, "min_country_share needs a country")
        if kind in ("max_country_share", "min_country_share") and rec["company"] is not None:
            warn("Policies", rec[ROW], "company", rec["company"], f"ignored by {kind}")
        if kind == "max_company_share" and rec["country"] is not None:
            warn("Policies", rec[ROW], "country", rec["country"], f"ignored by {kind}")
    return p
