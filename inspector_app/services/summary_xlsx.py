"""The annual summary as a spreadsheet (openpyxl): one sheet per figure, plus the notes.

Counts are numbers a spreadsheet can add up; a suppressed count stays the text "< 5" so nobody reads
it as zero. The workbook carries no location names and no persons, like the PDF.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped,unused-ignore]

from inspector_app.i18n import LocalText as T
from inspector_app.services.summary import AnnualSummary, PublishedFigure

NOTES_SHEET = T("Toelichting", "Notes")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
FIXED_TIME = datetime(2000, 1, 1)


def summary_workbook(summary: AnnualSummary) -> bytes:
    """The XLSX bytes of `summary`."""
    book = Workbook()
    notes = book.active
    notes.title = NOTES_SHEET.get(summary.lang)
    notes.append([summary.title])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([summary.subtitle])
    notes.append([])
    for text in summary.notes:
        notes.append([text])
        notes.cell(notes.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 110
    for index, figure in enumerate(summary.figures, start=1):
        _figure_sheet(book, index, figure)
    # The document's own dates, not "now", like the PDF.
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.title = summary.title
    book.properties.creator = summary.municipality or "inspector_app"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _figure_sheet(book: Workbook, index: int, figure: PublishedFigure) -> None:
    name = _SHEET_NAME.sub(" ", f"{index} {figure.title}")[:31].strip()
    sheet = book.create_sheet(name)
    sheet.append([figure.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([figure.row_header, *figure.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for label, cells in figure.rows:
        sheet.append([label, *cells])
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            cell.alignment = Alignment(horizontal="right")
    if figure.note:
        sheet.append([])
        sheet.append([figure.note])
    sheet.column_dimensions["A"].width = 40
    for column in range(2, len(figure.columns) + 2):
        sheet.column_dimensions[sheet.cell(2, column).column_letter].width = 22
    sheet.freeze_panes = "B3"
