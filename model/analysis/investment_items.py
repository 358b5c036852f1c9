"""How the rows and bounds of contract v1.2's investments read in an analyst's
terms (infeasibility / IIS, ``model/analysis/infeasibility.py``): the sheet,
Excel row, id and limit each one comes from."""

from __future__ import annotations

SHEET_OF = {"offer": "Supply", "process": "Processes", "lane": "Lanes"}
UNIT_OF = {"offer": "t", "process": "runs", "lane": "t"}


def options(data) -> dict:
    inv = getattr(data, "investments", None)
    if inv is None:
        return {}
    return {r["investment"]: r for r in inv.options.to_dict("records")}


def row_item(item, describer, name: str, key, mi, lower: float, upper: float):
    """An Item for an invest_units / invest_capacity row (None: not one of them)."""
    opts = options(describer.data)
    if name == "invest_units":
        r = opts.get(key, {})
        return item("Investments", r.get("row"), str(key), "investment units", None, "", "",
                    "at most", float(upper), "units", "limit", mi,
                    f"Investments row {r.get('row')} ({key}) may build at most {upper:g} units "
                    "over its decision window")
    if name == "invest_capacity":
        kind, target, t = key
        built = sorted(i for i, r in opts.items() if r["target"] == target)
        return item(SHEET_OF[kind], None, target, f"{kind} capacity with investments", t, "", "",
                    "at most", float(upper), UNIT_OF[kind], "limit", mi,
                    f"{kind} {target} can use at most its own capacity {upper:g} "
                    f"{UNIT_OF[kind]} in {t} plus what the investments "
                    f"{', '.join(built)} (sheet Investments) have brought online by then")
    return None


def bound_item(item, describer, var: str, key, mi, at: str, value: float):
    if var != "units":
        return None
    r = options(describer.data).get(key[0], {})
    return item("Investments", r.get("row"), str(key[0]), "units decided", key[1], "", "", at,
                float(value), "units", "limit", mi,
                f"Investments row {r.get('row')} ({key[0]}): units decided in {key[1]} {at} "
                f"{value:g}")


def capacity_note(data, kind: str, target: str) -> str:
    """What a capacity bound of an investment target includes (the most buildable)."""
    built = sorted(i for i, r in options(data).items() if r["target"] == target
                   and r["kind"] == kind)
    if not built:
        return ""
    return (f" (its own capacity plus the most that investments {', '.join(built)} can "
            "build: sheet Investments)")
