"""Checks made on the file before any spreadsheet parser sees it.

A crafted ``.xlsx`` can inflate to gigabytes (zip bomb) or abort a native
parser outright, so the zip directory is inspected first: member count,
per-member and total uncompressed sizes, and compression ratios. The limits
accept a real 50,000-row workbook (see ``../shared/design/engineering-notes.md``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from model.problems import input_error

MAX_FILE_BYTES = 100 * 2**20
MAX_MEMBER_BYTES = 200 * 2**20
MAX_TOTAL_BYTES = 250 * 2**20
MAX_RATIO = 100
RATIO_APPLIES_ABOVE = 2**20
MAX_MEMBERS = 5000
SUFFIXES = (".xlsx", ".xlsm")


def check_file(path: Path) -> None:
    """Raise InputError when the file is missing, not a workbook, or a bomb."""
    name = path.name
    if not path.exists():
        raise input_error(name, f"no such file: {path}")
    if path.is_dir():
        raise input_error(name, f"{path} is a folder, not a workbook")
    if path.suffix.lower() not in SUFFIXES:
        raise input_error(name, f"expected an .xlsx or .xlsm workbook, got '{path.suffix}'"
                          " (save the file as Excel Workbook .xlsx)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise input_error(name, f"file is {size / 2**20:.0f} MB; the limit is "
                          f"{MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise input_error(name, f"not a valid .xlsx file (not a zip archive: {exc})") from None
    if len(members) > MAX_MEMBERS:
        raise input_error(name, f"archive has {len(members)} parts; the limit is {MAX_MEMBERS}")
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > MAX_MEMBER_BYTES:
            raise input_error(name, f"part {m.filename} inflates to {m.file_size / 2**20:.0f} MB;"
                              f" the limit is {MAX_MEMBER_BYTES // 2**20} MB (possible zip bomb)")
        if (m.file_size > RATIO_APPLIES_ABOVE and m.compress_size > 0
                and m.file_size / m.compress_size > MAX_RATIO):
            raise input_error(name, f"part {m.filename} has compression ratio "
                              f"{m.file_size / m.compress_size:.0f}:1; the limit is "
                              f"{MAX_RATIO}:1 (possible zip bomb)")
    if total > MAX_TOTAL_BYTES:
        raise input_error(name, f"archive inflates to {total / 2**20:.0f} MB; the limit is "
                          f"{MAX_TOTAL_BYTES // 2**20} MB (possible zip bomb)")
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise input_error(name, "not an Excel workbook (no xl/workbook.xml inside)")
