"""Numbers the solver can trust (docs/model.md, "Numbers the solver can trust").

HiGHS works in double precision with absolute tolerances (1e-7 for primal
and dual feasibility, 1e-6 for integrality); it reads a cost or bound of 1e20
or more as infinite and refuses a matrix coefficient of 1e15 or more. So
every number cell that feeds the model is screened, after the scenario and
toggles are applied, with the cell named:

| what | warning | refused (exit 2) |
|---|---|---|
| money: prices, costs, penalties, reference prices; and what cells make together: a tariff per t (rate x reference_price, plus a lane's freight), a price plus a reservation cost | >= 1e9 | >= 1e20: HiGHS would read it as infinite |
| everything else: quantities (t, runs, capacities, stock, quotas, recipe amounts) and factors (tariff_rate, capacity_factor, discount_rate) | >= 1e9 | >= 1e15: HiGHS refuses such a coefficient, and a double cannot resolve a tenth of a tonne at that size |
| the discount factor of the last period, 1/(1+r)^((P-1) x period_years) | <= 1e-9 | < 1e-300: the power overflows a double |

A Profiles value is screened as the cell it overrides. Shares (0..1) are checked elsewhere; rows switched off (``enabled`` FALSE)
are absent and not screened.
"""

from __future__ import annotations

import math

from model.problems import Problems
from model.read.workbook import ROW, Workbook
from model.schema import NUMBER, SETTING_BY_KEY, SHEET_BY_NAME, SHEETS
from model.solve.limits import INFINITE as MONEY_LIMIT
from model.solve.limits import LARGEST_COEFFICIENT as QUANTITY_LIMIT
from model.validate.rules import active

WARN_AT = 1e9          # a number this large (or a range this wide) strains HiGHS's tolerances
SMALLEST_DISCOUNT = 1e-9
TINIEST_DOUBLE = 1e-300
SCREENED_SETTINGS = ("unmet_penalty", "discount_rate", "risk_weight")

WARNING = ("1e9 or more: numbers this large leave HiGHS's tolerances (about 1e-7, absolute) "
           "too little room next to the workbook's ordinary numbers, so the solver's answer is "
           "less reliable (the report's Verification sheet checks the plan independently)")
REFUSED = {
    True: ("too large for the solver: HiGHS reads a cost of 1e20 or more as infinite; "
           "to rule a row out, set enabled to FALSE"),
    False: ("too large for the solver: at 1e15 or more a double cannot resolve a tenth of a "
            "tonne, and HiGHS refuses coefficients this large (capacities and recipe amounts "
            "are coefficients)"),
}


def is_money(unit: str) -> bool:
    return unit.startswith("currency")


def tier(value, money: bool) -> int:
    """0: fine; 1: a warning (1e9 or more); 2: refused (beyond what HiGHS takes)."""
    if value is None or isinstance(value, bool):
        return 0
    size = abs(float(value))
    return 2 if size >= (MONEY_LIMIT if money else QUANTITY_LIMIT) else int(size >= WARN_AT)


def screen(p: Problems, sheet: str, row, column: str, value, money: bool, context: str,
           what: str = "", derived: float | None = None, parts: int = 0) -> None:
    """One number: an error beyond what HiGHS takes, a warning from 1e9. With
    ``derived`` (what the cell makes with others), only when that is worse than
    ``parts``, the tier its cells already have on their own."""
    level = tier(value if derived is None else derived, money)
    if level <= parts:
        return
    if level == 2:
        p.error(sheet, row, column, value, what + REFUSED[money], context=context)
    else:
        p.warn(sheet, row, column, value, what + WARNING, context=context)


def check(wb: Workbook, p: Problems, context: str = "") -> None:
    """Add to ``p`` every number of ``wb`` too large for the solver."""
    t = {name: active(frame) for name, frame in wb.tables.items()}
    for sheet in SHEETS:
        frame = t.get(sheet.name)
        if frame is None or frame.empty or sheet.name in ("Settings", "Profiles"):
            continue
        for col in sheet.columns:
            if col.type != NUMBER or col.fraction:
                continue
            money = is_money(col.unit)
            for row, v in zip(frame[ROW], frame[col.name]):
                screen(p, sheet.name, row, col.name, v, money, context)
    _profiles(t["Profiles"], p, context)
    for key in SCREENED_SETTINGS:
        screen(p, "Settings", wb.setting_rows.get(key), "value", wb.settings.get(key),
               is_money(SETTING_BY_KEY[key].unit), context, f"{key} ")
    _derived(t, p, context)
    _discount(wb, p, context)


def _profiles(frame, p: Problems, context: str) -> None:
    """A Profiles value is screened as the cell it overrides (money or quantity)."""
    from model.data.profiles import canonical
    for row, sheet, column, v in zip(frame[ROW], frame["sheet"], frame["column"], frame["value"]):
        name, col = canonical(sheet, column)
        if col is not None:
            unit = SHEET_BY_NAME[name].column(col).unit
            screen(p, "Profiles", row, "value", v, is_money(unit), context, f"{name}.{col}: ")


def _derived(t: dict, p: Problems, context: str) -> None:
    """Cost coefficients made of several cells, screened as money on the
    first cell: a tariff per t (a rate times a reference price; lanes also add
    their freight) and an offer's price plus its reservation cost."""
    mats = t["Materials"]
    ref = dict(zip(mats["material_id"], mats["reference_price"]))
    rows = dict(zip(mats["material_id"], mats[ROW]))
    for rec in t["Supply"].to_dict("records"):
        price, reserve = rec["unit_cost"], rec["reservation_cost"] or 0.0   # blank: a spot offer
        if price and reserve:
            screen(p, "Supply", rec[ROW], "unit_cost", price, True, context,
                   f"plus the reservation_cost {reserve:g} makes {price + reserve:.3g} per t: ",
                   derived=price + reserve, parts=max(tier(price, True), tier(reserve, True)))
    rules = t["ExportControls"]
    if not rules.empty:
        rules = rules[rules["measure"] == "tariff"]
    for sheet, frame, column in (("Lanes", t["Lanes"], "tariff_rate"),
                                 ("ExportControls", rules, "value")):
        for rec in frame.to_dict("records"):
            rate = rec[column] or 0.0          # ExportControls value: blank is an error of its own
            pool = [rec["material_id"]] if rec["material_id"] in ref else list(ref)
            if not rate or not pool:
                continue
            k = max(pool, key=lambda m: ref[m])
            freight = rec["unit_cost"] if sheet == "Lanes" else 0.0
            per_t = rate * ref[k] + freight
            plus = f" plus the freight {freight:g}" if freight else ""
            screen(p, sheet, rec[ROW], column, rate, True, context,
                   f"times the reference_price {ref[k]:g} of {k} (Materials row {rows[k]}){plus} "
                   f"makes {per_t:.3g} per t: ", derived=per_t,
                   parts=max(tier(ref[k], True), tier(freight, True)))


def _discount(wb: Workbook, p: Problems, context: str) -> None:
    s = wb.settings
    rate, first, last = s["discount_rate"], s["first_period"], s["last_period"]
    years = s["period_years"]        # contract v1.2: the exponent is in years
    if not rate or first is None or last is None or last <= first or rate >= QUANTITY_LIMIT:
        return
    factor = math.exp(-(last - first) * years * math.log1p(rate))
    if factor < TINIEST_DOUBLE:
        p.error("Settings", wb.setting_rows.get("discount_rate"), "value", rate,
                f"discount_rate makes the discount factor of {last} smaller than a double can "
                f"hold ((1 + r)^{(last - first) * years:g} overflows)", context=context)
    elif factor <= SMALLEST_DISCOUNT:
        p.warn("Settings", wb.setting_rows.get("discount_rate"), "value", rate,
               f"discount_rate makes the discount factor of {last} {factor:.3g}: costs that late "
               "are 1e9 or more times smaller than the first period's, below HiGHS's tolerances, "
               "so the solver's plan for those periods is less reliable", context=context)
