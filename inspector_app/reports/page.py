# mypy: disallow-subclassing-any=False
"""Page furniture shared by all documents: header rule, footer, CONCEPT watermark, metadata, bookmarks.

The footer says "pagina X van Y" in one pass: every page draws a reference to a PDF form object that
is only filled in when the document is saved, when Y is known. Rendering twice would double the cost.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from reportlab import rl_config  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports import labels
from inspector_app.reports.fonts import BOLD, REGULAR, register_fonts
from inspector_app.reports.model import DocumentMeta
from inspector_app.reports.styles import (
    ACCENT,
    ALERT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED,
    PAGE_SIZE,
    RULE,
)

# Binary streams instead of ASCII85: reportlab's pure-Python ASCII85 encoder was most of the time of a
# report with photos (six photos: ~150 ms of ~210 ms), and every PDF reader handles binary streams.
rl_config.useA85 = 0
PAGE_COUNT_FORM = "pageCount"
FOOTER_SIZE = 7.5


class _CountingCanvas(Canvas):
    """A canvas that, when saved, fills in the total page count every footer refers to."""

    def save(self) -> None:
        if len(self._code):  # type: ignore[attr-defined,unused-ignore]
            self.showPage()
        total = self.getPageNumber() - 1
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(REGULAR, FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


def _pdf_date(iso: str | None) -> str | None:
    """PDF date of the visit's finalisation (never of 'now': the same visit gives the same bytes)."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.strftime("D:%Y%m%d%H%M%S") + "+00'00'"


class ReportDocument(BaseDocTemplate):
    """A4 document with the shared furniture; headings marked `outline_level` become bookmarks."""

    def __init__(self, buffer: io.BytesIO, meta: DocumentMeta) -> None:
        register_fonts()
        super().__init__(
            buffer,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            author=meta.municipality,
            subject=meta.document_id,
            creator="inspector_app",
            producer="inspector_app (reportlab)",
            lang=meta.lang,
            invariant=1,
            displayDocTitle=1,
            initialFontName=REGULAR,
        )
        self.meta = meta
        self._bookmarks = 0
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate("page", frames=[frame], onPage=self._decorate)])

    def build_pdf(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=_CountingCanvas)

    def handle_documentBegin(self) -> None:  # noqa: N802 (reportlab hook)
        date = _pdf_date(self.meta.created_at)
        if date is not None:
            self.canv.setDateFormatter(lambda *_parts: date)  # type: ignore[attr-defined,unused-ignore]
        self.canv.showOutline()  # type: ignore[attr-defined,unused-ignore]
        super().handle_documentBegin()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab hook)
        level: Any = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self._bookmarks += 1
        key = f"section-{self._bookmarks}"
        self.canv.bookmarkPage(key)  # type: ignore[attr-defined,unused-ignore]
        self.canv.addOutlineEntry(getattr(flowable, "outline_text", ""), key, int(level))  # type: ignore[attr-defined,unused-ignore]

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        meta = self.meta
        lang = meta.lang
        width, height = PAGE_SIZE
        canvas.saveState()
        if meta.draft:
            canvas.setFont(BOLD, 96)
            canvas.setFillColor(RULE, alpha=0.35)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -30, labels.DRAFT_MARK.get(lang))
            canvas.rotate(-50)
            canvas.translate(-width / 2, -height / 2)
        top = height - MARGIN_TOP + 8 * mm
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN_LEFT, top + 2, meta.municipality or labels.UNKNOWN_MUNICIPALITY.get(lang))
        if meta.confidential:
            canvas.setFillColor(ALERT)
            canvas.drawRightString(width - MARGIN_RIGHT, top + 2, labels.CONFIDENTIAL.get(lang))
        if meta.practice:
            _practice_band(canvas, width, top + 2, MARGIN_BOTTOM - 12 * mm - 9, lang)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN_LEFT, top - 2, width - MARGIN_RIGHT, top - 2)
        bottom = MARGIN_BOTTOM - 12 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, bottom + 9, width - MARGIN_RIGHT, bottom + 9)
        canvas.setFont(REGULAR, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_LEFT, bottom, meta.document_id)
        page_text = labels.PAGE_OF.get(lang).format(page=canvas.getPageNumber()) + " "
        page_width = canvas.stringWidth(page_text, REGULAR, FOOTER_SIZE)
        start = width / 2 - (page_width + canvas.stringWidth("00", REGULAR, FOOTER_SIZE)) / 2
        canvas.drawString(start, bottom, page_text)
        canvas.saveState()
        canvas.translate(start + page_width, bottom)
        canvas.doForm(PAGE_COUNT_FORM)
        canvas.restoreState()
        revision = f"{labels.REVISION.get(lang)} {meta.revision[:16]}"
        canvas.drawRightString(width - MARGIN_RIGHT, bottom, revision)
        canvas.restoreState()


def _practice_band(canvas: Canvas, width: float, top: float, bottom: float, lang: str) -> None:
    """The practice mark in the header and under the footer: a printed demo visit is never taken for a real one."""
    canvas.saveState()
    canvas.setFillColor(ALERT)
    canvas.setFont(BOLD, 9)
    text = labels.PRACTICE_MARK.get(lang)
    canvas.drawCentredString(width / 2, top, text)
    canvas.drawCentredString(width / 2, bottom, text)
    canvas.restoreState()
