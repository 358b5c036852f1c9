"""How a model row or column bound reads in workbook terms: the sheet, Excel
row, id and limit each one comes from, and a sentence.

``Describer(data, workbook)`` is the ``Lookup`` of the prepared rows with two
questions: ``row(name, key, lower, upper)`` asks the row's family (its
``RowSpec.describe``, through ``model.formulation.registry``), ``bound(var,
key, side, value)`` reads a column bound (capacities, stock floors and
ceilings, on/off decisions, investment units). Used by the infeasibility
explanation and elastic mode.
"""

from __future__ import annotations

from model.formulation import registry
from model.formulation.rowspec import LIMIT, LINK, REQUIREMENT, Item, Lookup, model_item
from model.text import tonnes


class Describer(Lookup):
    """Turns (constraint or variable name, index) into workbook terms."""

    def row(self, name: str, key, lower: float, upper: float, side: str | None = None) -> Item:
        return registry.spec(name).describe(self, key, lower, upper, side)

    def _capacity_note(self, kind: str, target: str) -> str:
        """What a capacity bound of an investment target includes (the most buildable)."""
        built = self.investments_on(kind, target)
        if not built:
            return ""
        return (f" (its own capacity plus the most that investments {', '.join(built)} can "
                "build: sheet Investments)")

    # column bounds ------------------------------------------------------
    def bound(self, var: str, key, side: str, value: float) -> Item:
        """side: 'lower' or 'upper'."""
        mi = model_item(var, key)
        at = "at least" if side == "lower" else "at most"
        if side == "lower" and value == 0.0 and var != "stock":
            return self._nonneg(var, key, mi)
        if var in ("buy", "run"):
            note = self._capacity_note("offer" if var == "buy" else "process", key[0])
        if var == "buy":
            r = self.offers[(key[0], int(key[1]))]
            return Item("Supply", int(r["row"]), key[0], "offer capacity", key[1], r["site"],
                        r["material"], at, float(value), "t", LIMIT, mi,
                        f"Supply row {r['row']} (offer {key[0]}) can deliver at most "
                        f"{tonnes(value)} t of {r['material']} at {r['site']} in {key[1]}{note}")
        if var == "run":
            r = self.processes[(key[0], int(key[1]))]
            return Item("Processes", int(r["row"]), key[0], "process capacity", key[1], r["site"],
                        "", at, float(value), "runs", LIMIT, mi,
                        f"Processes row {r['row']} (process {key[0]}) can run at most "
                        f"{tonnes(value)} times at {r['site']} in {key[1]}{note}")
        if var == "stock":
            s, k, p = key
            r = self.stock[(s, k, int(p))]
            if side == "lower":
                if value <= 0:
                    return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock cannot be negative",
                                p, s, k, at, 0.0, "t", LINK, mi,
                                f"stock of {k} at {s} (Inventory row {r['row']}) cannot be "
                                f"negative in {p}")
                return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock floor", p, s, k, at,
                            float(value), "t", REQUIREMENT, mi,
                            f"Inventory row {r['row']} asks for at least {tonnes(value)} t of {k} "
                            f"at {s} at the end of {p}")
            return Item("Inventory", int(r["row"]), f"{s}|{k}", "stock ceiling", p, s, k, at,
                        float(value), "t", LIMIT, mi,
                        f"Inventory row {r['row']} allows at most {tonnes(value)} t of {k} at {s} "
                        f"at the end of {p}")
        if var in ("met", "unmet"):
            r = self.demand[int(key)]
            return Item("Demand", int(r["row"]), str(r["demand_id"] or ""), f"{var} demand bound",
                        r["period"], r["site"], r["material"], at, float(value), "t", LINK, mi,
                        f"{'met' if var == 'met' else 'unmet'} demand of Demand row {r['row']} is "
                        f"{at} {tonnes(value)} t")
        if var in ("use_offer", "run_on"):
            what = "offer" if var == "use_offer" else "process"
            return Item("", None, str(key[0]), f"{what} on/off decision", key[1], "", "", at,
                        float(value), "", LINK, mi,
                        f"the on/off decision of {what} {key[0]} in {key[1]} is {at} "
                        f"{tonnes(value)} (relaxed to 0..1)")
        if var == "units":
            r = self.investments.get(key[0], {})
            return Item("Investments", r.get("row"), str(key[0]), "units decided", key[1], "", "",
                        at, float(value), "units", LIMIT, mi,
                        f"Investments row {r.get('row')} ({key[0]}): units decided in {key[1]} "
                        f"{at} {value:g}")
        return Item("", None, "", f"{var} bound", None, "", "", at, float(value), "", LINK, mi,
                    f"{mi} is {at} {tonnes(value)}")

    def _nonneg(self, var, key, mi) -> Item:
        sheet, row, ident, period, site, material, what = "", None, "", None, "", "", var
        if var in ("buy", "use_offer") and (key[0], int(key[1])) in self.offers:
            r = self.offers[(key[0], int(key[1]))]
            sheet, row, ident, period, site, material = ("Supply", int(r["row"]), key[0], key[1],
                                                         r["site"], r["material"])
            what = f"purchases from Supply row {row} (offer {ident}) in {period}"
        elif var in ("run", "run_on") and (key[0], int(key[1])) in self.processes:
            r = self.processes[(key[0], int(key[1]))]
            sheet, row, ident, period, site = "Processes", int(r["row"]), key[0], key[1], r["site"]
            what = f"runs of Processes row {row} (process {ident}) in {period}"
        elif var == "ship":
            lane = self.lanes.get(key[0], {})
            sheet, row, ident, period, material = ("Lanes", int(lane["row"]) if lane else None,
                                                   key[0], key[2], key[1])
            site = lane.get("to_site", "")
            what = f"shipments of {material} on lane {ident} in {period}"
        elif var == "discard":
            site, material, period = key
            what = f"discards of {material} at {site} in {period}"
        elif var in ("met", "unmet") and int(key) in self.demand:
            r = self.demand[int(key)]
            sheet, row, ident = "Demand", int(r["row"]), str(r["demand_id"] or "")
            period, site, material = r["period"], r["site"], r["material"]
            what = f"{var} demand of Demand row {row}"
        return Item(sheet, row, ident, f"{var} cannot be negative", period, site, material,
                    "at least", 0.0, "t", LINK, mi, f"{what} cannot be negative")
