"""Checks of the Events sheet (random disruptions for ``sourcing sample``).

An enabled event must name an existing row of its entity: an offer_id,
process_id, lane_id or site_id (a country event may name a country with no
site: ``model/risk/sampling.py`` warns that it hits nothing). The duration's
range (a whole number of periods) is the schema's (``rules.py``). The checks
run with every other check, so a broken event is reported with the rest and
refuses any command, as a broken scenario does.
"""

from __future__ import annotations

from model.problems import did_you_mean
from model.read.workbook import ROW
from model.validate.rules import active

ID_OF = {"offer": ("Supply", "offer_id"), "process": ("Processes", "process_id"),
         "lane": ("Lanes", "lane_id"), "site": ("Sites", "site_id")}


def check(wb, err) -> None:
    t = wb.tables
    pools = {entity: list(t[sheet][col]) for entity, (sheet, col) in ID_OF.items()}
    for rec in active(t["Events"]).to_dict("records"):
        entity, target = rec["entity"], rec["id"]
        if entity in pools and target is not None and str(target).strip() not in pools[entity]:
            err("Events", rec[ROW], "id", target, f"no such {entity}"
                + did_you_mean(str(target).strip(), pools[entity]))
