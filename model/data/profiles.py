"""Profiles (contract v1.2, section 1): any cost or capacity, period by period.

A Profiles row overrides the named cell of the named row in one period. This
module is the one home of that lookup: ``Profiles.of(tables)`` indexes the
sheet once, ``value(sheet, id, column, period, cell)`` answers "what is this
cell in that period" (the Profiles value, else, for a capacity, the
CapacityProfile value, else the cell), and ``price_paid`` is the floor/cap
arithmetic of section 2. Everything here is data arithmetic applied after
scenario changes (``model/data/scenario.py``), so a risk solve, which prepares
each scenario's workbook, applies floors and caps per scenario.

Sheet and column names match case-insensitively, ids case-sensitively;
Inventory ids are ``site_id|material_id`` (clarification 7.3).
"""

from __future__ import annotations

from model.schema import PROFILED, SHEET_BY_LOWER, SHEET_BY_NAME

_MISSING = object()


def canonical(sheet, column) -> tuple[str | None, str | None]:
    """('supply', 'Unit_Cost') -> ('Supply', 'unit_cost'); None for a name the
    Profiles sheet cannot address."""
    found = SHEET_BY_LOWER.get(str(sheet or "").strip().lower())
    name = found.name if found is not None and found.name in PROFILED else None
    col = str(column or "").strip().lower()
    if name is None or col not in PROFILED[name]:
        return name, None
    return name, col


def row_id(sheet: str, rec: dict) -> str:
    """The id a Profiles row (or a ScenarioChanges row on Profiles) uses for a record."""
    if sheet == "Inventory":
        return f"{rec['site_id']}|{rec['material_id']}"
    return str(rec[SHEET_BY_LOWER[sheet.lower()].id_column])


def blank_value(sheet: str, column: str):
    """A blank Profiles value: the column's blank meaning in that period (clarification
    7.3), i.e. its schema default (None: unlimited capacity, no floor, cap or reservation)."""
    return SHEET_BY_NAME[sheet].column(column).default


class Profiles:
    """{(sheet, id, column): {period: value}} of the Profiles rows that name a
    profiled sheet and column, plus CapacityProfile {id: {period: capacity}}."""

    def __init__(self, paths: dict, capacity_profile: dict):
        self.paths = paths
        self.capacity_profile = capacity_profile

    @classmethod
    def of(cls, tables: dict) -> Profiles:
        paths: dict = {}
        for rec in tables["Profiles"].to_dict("records"):
            sheet, column = canonical(rec["sheet"], rec["column"])
            if column is None or rec["id"] is None or rec["period"] is None:
                continue          # validation reports it (model/validate/profiles.py)
            value = rec["value"]
            paths.setdefault((sheet, str(rec["id"]), column), {})[rec["period"]] = (
                blank_value(sheet, column) if value is None else value)
        cp: dict = {}
        for rec in tables["CapacityProfile"].to_dict("records"):
            cp.setdefault(rec["id"], {})[rec["period"]] = rec["capacity"]
        return cls(paths, cp)

    def __bool__(self) -> bool:
        return bool(self.paths)

    def value(self, sheet: str, ident: str, column: str, period: int, cell):
        """The cell of row ``ident`` in ``period``: Profiles, else (capacity of
        Supply, Processes, Lanes) CapacityProfile, else the cell itself."""
        got = self.paths.get((sheet, ident, column), {}).get(period, _MISSING)
        if got is not _MISSING:
            return got
        if column == "capacity" and sheet in ("Supply", "Processes", "Lanes"):
            return self.capacity_profile.get(ident, {}).get(period, cell)
        return cell

    def reader(self, sheet: str, rec: dict, columns):
        """period -> ``row(sheet, rec, period, columns)``, each period read once."""
        cache: dict = {}

        def of(period: int) -> dict:
            if period not in cache:
                cache[period] = self.row(sheet, rec, period, columns)
            return cache[period]
        return of

    def row(self, sheet: str, rec: dict, period: int, columns) -> dict:
        """{column: value in period} for the record ``rec`` of ``sheet``."""
        ident = row_id(sheet, rec)
        return {c: self.value(sheet, ident, c, period, rec.get(c)) for c in columns}

    def material_prices(self, materials, periods) -> dict:
        """{(material, period): (reference_price, disposal_cost)}."""
        out = {}
        for k, ref, disp in zip(materials.index, materials["reference_price"],
                                materials["disposal_cost"]):
            for p in periods:
                out[k, p] = (self.value("Materials", k, "reference_price", p, ref),
                             self.value("Materials", k, "disposal_cost", p, disp))
        return out


def price_paid(unit_cost, floor, cap) -> float:
    """Section 2: price_p = min(max(unit_cost_p, price_floor_p), price_cap_p);
    a blank floor or cap is none."""
    price = unit_cost
    if floor is not None:
        price = max(price, floor)
    if cap is not None:
        price = min(price, cap)
    return price


SUPPLY_COLUMNS = PROFILED["Supply"]


def supply_reader(profiles: Profiles, rec: dict):
    """period -> {column: value} of a Supply record, with ``price`` the price paid
    after floor and cap; each period read once."""
    row = profiles.reader("Supply", rec, SUPPLY_COLUMNS)

    def of(period: int) -> dict:
        v = row(period)
        if "price" not in v:
            v["price"] = price_paid(v["unit_cost"], v["price_floor"], v["price_cap"])
        return v
    return of
