"""The ontvangstbewijs for the inspected party: who visited, when, and where to ask for the report.

Deliberately nothing else: no findings, no persons, no signals. It is handed over on site, so it must
be safe to leave with anyone present.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import Flowable, Spacer  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports import labels
from inspector_app.reports.blocks import fields_table, notice, para, title_block
from inspector_app.reports.model import ReceiptView
from inspector_app.reports.page import ReportDocument


def render_receipt(view: ReceiptView) -> bytes:
    lang = view.meta.lang
    story: list[Flowable] = title_block(labels.RECEIPT_TITLE.get(lang), view.meta.title)
    story += [Spacer(1, 5 * mm), para(labels.RECEIPT_INTRO.get(lang)), Spacer(1, 3 * mm)]
    story.append(fields_table(view.fields))
    story += [Spacer(1, 5 * mm), notice(view.request)]
    buffer = io.BytesIO()
    ReportDocument(buffer, view.meta).build_pdf(story)
    return buffer.getvalue()
