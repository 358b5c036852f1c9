"""The cells of a Dashboard: a canvas that puts values, section titles, small tables and
headline tiles on a sheet, and the page setup of one landscape page. The Dashboards of
every report (solve, compare, stress, the risk reports) are drawn with it."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from model.report import styles as st

# Column grid: B..H left panel, I gap, J..P right panel, charts from R.
WIDTHS = {"A": 2, "B": 22, "C": 13, "D": 18, "E": 11, "F": 12, "G": 11, "H": 11, "I": 3,
          "J": 33, "K": 15, "L": 12, "M": 13, "N": 15, "O": 12, "P": 12, "Q": 3}
LEFT, RIGHT = 2, 10           # first column of each panel
TILE_SPANS = [(2, 3), (4, 5), (6, 8), (10, 11), (12, 13), (14, 16)]


class Canvas:
    def __init__(self, ws):
        self.ws = ws

    def put(self, row, col, value, fmt=None, font=None, fill=None, align=None, border=None):
        c = self.ws.cell(row=row, column=col, value=value)
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        if fill:
            c.fill = fill
        if align:
            c.alignment = align
        if border:
            c.border = border
        return c

    def section(self, row, col, title, span):
        self.put(row, col, title, font=st.SECTION_FONT)
        for j in range(col, col + span):
            self.ws.cell(row=row, column=j).border = st.UNDER
        return row + 1

    def header(self, row, cells: list[tuple[int, str, str]], first: int, span: int) -> None:
        """A header row of (column, text, horizontal alignment), filled from ``first`` over
        ``span`` columns."""
        for c, h, align in cells:
            self.put(row, c, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
                     align=Alignment(horizontal=align))
        for j in range(first, first + span):
            self.ws.cell(row=row, column=j).fill = st.SMALL_HEADER_FILL

    def table(self, row, col, headers, rows, formats, flags=None, note=None, align=None):
        """Small table; ``flags[i][j]`` True paints a cell red; ``align[j]`` is
        left, center or right (default: right for numbers). Returns the next free row."""
        align = align or ["right" if f else "left" for f in formats]
        for j, h in enumerate(headers):
            self.put(row, col + j, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
                     align=Alignment(horizontal=align[j], vertical="center"))
        for i, values in enumerate(rows, start=1):
            for j, v in enumerate(values):
                flagged = bool(flags and flags[i - 1][j])
                self.put(row + i, col + j, v, fmt=formats[j],
                         fill=st.RED_FILL if flagged else None,
                         font=st.RED_FONT if flagged else None,
                         align=Alignment(horizontal=align[j]) if align[j] == "center" else None)
        end = row + len(rows) + 1
        if not rows:
            self.put(row + 1, col, "none", font=st.LABEL_FONT)
            end += 1
        if note:
            self.put(end, col, note, font=st.LABEL_FONT)
            end += 1
        return end

    def tiles(self, row: int, tiles: list[tuple[str, object, str, bool]]) -> None:
        """Up to six (label, value, number format, red) headline tiles over two rows."""
        ws = self.ws
        for (first, last), (label, value, fmt, bad) in zip(TILE_SPANS, tiles):
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            ws.merge_cells(start_row=row + 1, start_column=first, end_row=row + 1, end_column=last)
            fill = st.RED_FILL if bad else st.TILE_FILL
            self.put(row, first, label, font=st.LABEL_FONT, fill=st.TILE_FILL,
                     align=Alignment(horizontal="center"))
            self.put(row + 1, first, value, fmt=fmt,
                     font=st.Font(bold=True, size=14, color="9C0006" if bad else st.NAVY),
                     fill=fill, align=Alignment(horizontal="center"))
            for j in range(first, last + 1):
                ws.cell(row=row, column=j).fill = st.TILE_FILL
                ws.cell(row=row + 1, column=j).fill = fill
        ws.row_dimensions[row + 1].height = 22


def one_page(ws, last_row: int, last_col: int) -> None:
    """Landscape, fitted to one page, narrow margins; the print area; a navy tab."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.4
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 10)}"
    ws.sheet_properties.tabColor = st.NAVY
