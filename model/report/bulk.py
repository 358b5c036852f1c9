"""Fast rows for big report sheets: openpyxl writes everything but the rows.

openpyxl spends 20-40 us per cell (a million decision rows of ten columns
took minutes). For the report's data sheets openpyxl writes the sheet as
usual - header row with its comments, the Excel Table, frozen panes,
conditional formats, widths, print setup - and only the data rows are left
out. ``save(wb, path)`` saves the workbook with openpyxl and then streams the
rows into each such sheet's ``<sheetData>``, column by column as strings
(about 1 us a cell), with the number format of each column given by the style
id openpyxl assigned to it. Nothing else in the file changes.

    register(ws, frame, number_formats)   # instead of appending rows
    save(wb, handle)                      # instead of wb.save(path); model.files gives the handle

Cells are written the way openpyxl writes them (``inlineStr`` strings,
``t="b"`` booleans, numbers as ``repr``); blanks (None, NaN, infinities) are
left out, as Excel does.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

EXCEL_MAX_ROWS = 1_048_576
CHUNK = 20_000
_ATTR = "_sourcing_bulk"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
# characters XML 1.0 does not allow (control characters but tab, newline, return)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class BulkRows:
    frame: pd.DataFrame
    style_ids: list[int | None]
    first_row: int = 2


def style_id(ws, number_format: str | None, **style) -> int | None:
    """The cell-format id openpyxl will write for this format (registered now)."""
    if not number_format and not style:
        return None
    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    for name, value in style.items():
        setattr(cell, name, value)
    return cell.style_id


def max_rows(first_row: int = 2) -> int:
    return EXCEL_MAX_ROWS - first_row + 1


def register(ws, frame: pd.DataFrame, number_formats: list[str | None], first_row: int = 2,
             styles: list[dict] | None = None) -> None:
    """Have ``save`` write ``frame``'s rows into ``ws`` from ``first_row`` on.

    The sheet must hold nothing at or below ``first_row`` (its header is above).
    """
    styles = styles or [{} for _ in number_formats]
    ids = [style_id(ws, f, **s) for f, s in zip(number_formats, styles)]
    book = ws.parent
    pending = getattr(book, _ATTR, None)
    if pending is None:
        pending = {}
        setattr(book, _ATTR, pending)
    pending[ws.title] = BulkRows(frame.reset_index(drop=True), ids, first_row)


def pending(wb) -> dict[str, BulkRows]:
    return getattr(wb, _ATTR, None) or {}


def _text(v: str) -> str:
    v = _BAD_XML.sub("", v)
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if v[:1].isspace() or v[-1:].isspace():
        return f'<is><t xml:space="preserve">{v}</t></is>'
    return f"<is><t>{v}</t></is>"


def _body(v) -> str | None:
    """What follows ``<c r=.. s=..`` for a value: type attribute and content; None: blank."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return f' t="b"><v>{1 if v else 0}</v>'
    if isinstance(v, (int, float)):
        return f"><v>{v!r}</v>" if math.isfinite(v) else None
    text = v if isinstance(v, str) else str(v)
    return f' t="inlineStr">{_text(text)}' if text else None


def _cells(values: list, letter: str, rows: range, sid: int | None, kind: str) -> list[str]:
    """One XML string per row for one column (empty string for a blank)."""
    s = f' s="{sid}"' if sid is not None else ""
    head = f'<c r="{letter}'
    if kind == "f":
        finite = math.isfinite
        return [f'{head}{r}"{s}><v>{v!r}</v></c>' if finite(v) else ""
                for r, v in zip(rows, values)]
    if kind == "i":
        return [f'{head}{r}"{s}><v>{v}</v></c>' for r, v in zip(rows, values)]
    if kind == "b":
        return [f'{head}{r}"{s} t="b"><v>{1 if v else 0}</v></c>' for r, v in zip(rows, values)]
    cache: dict = {}                   # ids repeat: escape each distinct value once
    out = []
    for r, v in zip(rows, values):
        try:
            body = cache[v]
        except KeyError:
            body = cache[v] = _body(v)
        except TypeError:              # unhashable
            body = _body(v)
        out.append("" if body is None else f'{head}{r}"{s}{body}</c>')
    return out


def _kind(series: pd.Series) -> str:
    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt) and not series.isna().any():
        return "b"
    if pd.api.types.is_integer_dtype(dt) and not series.isna().any():
        return "i"
    if pd.api.types.is_float_dtype(dt):
        return "f"
    return "o"


def row_chunks(rows: BulkRows):
    """The ``<row>`` elements, in chunks of text."""
    frame = rows.frame
    letters = [get_column_letter(j + 1) for j in range(frame.shape[1])]
    kinds = [_kind(frame[c]) for c in frame.columns]
    for start in range(0, len(frame), CHUNK):
        part = frame.iloc[start:start + CHUNK]
        numbers = range(rows.first_row + start, rows.first_row + start + len(part))
        columns = []
        for j in range(len(frame.columns)):
            col = part.iloc[:, j]
            values = col.tolist() if kinds[j] != "o" else list(col.astype(object))
            columns.append(_cells(values, letters[j], numbers, rows.style_ids[j], kinds[j]))
        yield "".join(f'<row r="{r}">{"".join(cells)}</row>'
                      for r, *cells in zip(numbers, *columns))


def _sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> member path of its XML."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {}
    for rel in rels.findall("rel:Relationship", _NS):
        t = rel.get("Target")
        path = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        target[rel.get("Id")] = path
    out = {}
    for sheet in book.find("m:sheets", _NS).findall("m:sheet", _NS):
        out[sheet.get("name")] = target[sheet.get(f"{{{_NS['r']}}}id")]
    return out


def _last_cell(rows: BulkRows) -> str:
    ncol = max(1, rows.frame.shape[1])
    return f"{get_column_letter(ncol)}{rows.first_row + max(len(rows.frame), 1) - 1}"


def save(wb, out: BinaryIO, compresslevel: int = 1) -> None:
    """Save with openpyxl, then stream the registered rows into their sheets,
    into the binary handle ``out`` (``model.files.write_file`` gives one).

    openpyxl's part (everything but the rows: small) is made in memory, so a
    failing disk can only fail the streamed write, which closes cleanly: no
    half-closed archive is left to complain when it is collected.
    Level 1 deflate: a quarter bigger than level 6 and three to four times faster."""
    todo = pending(wb)
    plain = io.BytesIO()
    wb.save(plain)
    if not todo:
        out.write(plain.getbuffer())
        return
    plain.seek(0)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zout:
        members = {m: t for t, m in _sheet_members(zin).items() if t in todo}
        for info in zin.infolist():
            title = members.get(info.filename)
            if title is None:
                zout.writestr(info, zin.read(info.filename))
                continue
            xml = zin.read(info.filename).decode("utf-8")
            head, rest = xml.split("<sheetData>", 1) if "<sheetData>" in xml else (
                xml.replace("<sheetData />", "<sheetData></sheetData>").split("<sheetData>", 1))
            body, tail = rest.split("</sheetData>", 1)
            rows = todo[title]
            head = re.sub(r'<dimension ref="[^"]*"\s*/>',
                          f'<dimension ref="A1:{_last_cell(rows)}" />', head, count=1)
            zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(zi, "w", force_zip64=True) as handle:
                handle.write(f"{head}<sheetData>{body}".encode("utf-8"))
                for chunk in row_chunks(rows):
                    handle.write(chunk.encode("utf-8"))
                handle.write(f"</sheetData>{tail}".encode("utf-8"))
