"""A cheap scan of the sheet XML for what a value reader would read silently
as blank: formula cells with no cached value (a file written by a program
and never opened in Excel), number cells with an empty value (what openpyxl
writes for NaN or an infinity), error cells (#N/A, #REF!) and merged cells.

Parsing goes through defusedxml (no entity expansion, no external entities);
a sheet whose raw XML contains none of the markers is not parsed at all.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int
    col: int            # 0-based column index
    kind: str           # "formula_no_value", "number_no_value", "error", "merged"
    text: str = ""      # the error value, or the merged range


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Sheet name -> (member path, state) from workbook.xml and its rels."""
    book = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in book.iter(f"{NS}sheet"):
        t = target.get(s.get(REL), "")
        path = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
        out[s.get("name")] = (path, s.get("state") or "visible")
    return out


# a sheet whose XML holds none of these is not parsed
_MARKERS = (b't="e"', b"<f", b"<mergeCell ", b"<v/>", b"<v />", b"<v></v>")


def _kind(t, f, v) -> str | None:
    """What a value reader would read silently as blank, or None."""
    if t == "e":
        return "error"
    empty = v is None or not (v.text or "").strip()
    if f is not None:
        return "formula_no_value" if empty else None
    if v is not None and empty and t in (None, "n"):
        return "number_no_value"      # what openpyxl writes for NaN or an infinity
    return None


def scan(path, wanted) -> tuple[list[Finding], dict[str, str]]:
    """Findings in the sheets whose name ``wanted(name)`` accepts, and the
    visibility state of every sheet."""
    findings: list[Finding] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as handle:
                    head = handle.read(2048)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise ValueError(f"{info.filename} declares a DTD or entities (refused: "
                                     "possible XML bomb or external entity)")
        paths = sheet_paths(archive)
        for name in [n for n in paths if wanted(n)]:
            member = paths.get(name, (None,))[0]
            if member is None or member not in archive.namelist():
                continue
            raw = archive.read(member)
            if not any(marker in raw for marker in _MARKERS):
                continue
            root = SafeET.fromstring(raw)
            for c in root.iter(f"{NS}c"):
                f, v = c.find(f"{NS}f"), c.find(f"{NS}v")
                kind = _kind(c.get("t"), f, v)
                if kind is None:
                    continue
                m = _REF.match(c.get("r") or "")
                if not m:
                    continue
                row, col = int(m.group(2)), _col_index(m.group(1))
                if kind == "error":
                    findings.append(Finding(name, row, col, "error", v.text if v is not None else "#ERROR"))
                else:
                    findings.append(Finding(name, row, col, kind, "" if f is None else f.text or ""))
            for mc in root.iter(f"{NS}mergeCell"):
                ref = mc.get("ref") or ""
                m = _REF.match(ref)
                if m:
                    findings.append(Finding(name, int(m.group(2)), _col_index(m.group(1)), "merged", ref))
    return findings, {name: state for name, (_, state) in paths.items()}
