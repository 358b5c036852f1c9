"""Read a report workbook back into the tables the solve command wrote."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import python_calamine

from model.read.workbook import by_folded_name, fold, same_name
from model.verify.decisions import REPORT_ROW, is_blank
from model.verify.verdict import CannotVerify

SHEETS = ("Summary", "Changes", "Purchases", "ProcessRuns", "ProcessFlows", "Shipments", "Stock",
          "Demand", "Discards", "ArrivalsByCountry", "CostByCategory", "ChainOfCustody",
          "TouchedFlows", "Sales", "TakeOrPay", "PricesPaid", "Investments")


def read_report(path: str | Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    """(summary dict, {sheet name: DataFrame with ``_report_row``})."""
    path = Path(path)
    if not path.is_file():
        raise CannotVerify(f"cannot read the report {path}: no such file")
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise CannotVerify(f"cannot read the report {path}: {exc}") from None
    present, clashes = by_folded_name(book.sheet_names)
    for sheet in SHEETS:
        if fold(sheet) in clashes:
            raise CannotVerify(f"report {path}: {same_name(clashes[fold(sheet)])}")
    if "summary" not in present:
        raise CannotVerify(f"{path} is not a report workbook: it has no Summary sheet")
    tables: dict[str, pd.DataFrame] = {}
    for sheet in SHEETS:
        actual = present.get(fold(sheet))
        if actual is None:
            continue
        try:
            rows = book.get_sheet_by_name(actual).to_python(skip_empty_area=False)
        except Exception as exc:
            raise CannotVerify(f"cannot read sheet {actual} of the report {path}: {exc}") from None
        tables[sheet] = _frame(rows, f"the {sheet} sheet of the report {path}")
    summ = tables.pop("Summary")
    if not {"key", "value"} <= set(summ.columns):
        raise CannotVerify(f"the Summary sheet of {path} has no key and value columns")
    summary, rows_of = {}, {}
    for k, v, row in zip(summ["key"], summ["value"], summ[REPORT_ROW]):
        if is_blank(k):
            continue
        key = str(k).strip()
        if key in rows_of:
            raise CannotVerify(f"the Summary sheet of {path} gives {key} twice (rows "
                               f"{rows_of[key]} and {row}): it is not clear which one to check")
        rows_of[key], summary[key] = row, (None if is_blank(v) else v)
    return summary, tables


def _frame(rows: list[list], what: str) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({REPORT_ROW: pd.Series([], dtype=int)})
    header = [None if is_blank(h) else str(h).strip() for h in rows[0]]
    cols = [h for h in header if h]
    twice = sorted({h for h in cols if cols.count(h) > 1})
    if twice:
        raise CannotVerify(f"{what} has two columns named {', '.join(twice)}: it is not clear "
                           "which one to check")
    records = []
    for i, raw in enumerate(rows[1:], start=2):
        if all(is_blank(v) for v in raw):
            continue
        rec = {h: (None if j >= len(raw) or is_blank(raw[j]) else raw[j])
               for j, h in enumerate(header) if h}
        rec[REPORT_ROW] = i
        records.append(rec)
    return pd.DataFrame({c: pd.Series([r[c] for r in records], dtype=object)
                         for c in [*cols, REPORT_ROW]})
