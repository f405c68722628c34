"""The annual summary for the council and the RIEC as PDF/A-2b: the office's figures with their charts.

The view model holds only published texts (suppression already applied by the service) and the
values to draw, in which a suppressed count is 0: a bar must not tell what the table hides. Charts are
reportlab's own (reportlab.graphics), with the shipped font on every label so PDF/A stays valid.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import Flowable, KeepTogether, Spacer  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports.blocks import heading, notice, para, table, title_block
from inspector_app.reports.model import DocumentMeta
from inspector_app.reports.page import ReportDocument
from inspector_app.reports.styles import TEXT_WIDTH
from inspector_app.reports.summary_charts import bar_chart


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: one bar group per category, one series per drawn column."""

    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # per series, per category
    stacked: bool = False
    horizontal: bool = False


@dataclass(frozen=True)
class SummarySection:
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row label, published cells)
    chart: ChartData | None = None
    note: str = ""


@dataclass(frozen=True)
class SummaryView:
    meta: DocumentMeta
    title: str
    subtitle: str
    intro: tuple[str, ...]
    sections: tuple[SummarySection, ...]


def render_summary(view: SummaryView) -> bytes:
    story: list[Flowable] = title_block(view.title, view.subtitle)
    story.append(Spacer(1, 4 * mm))
    for text in view.intro:
        story.append(notice(text))
        story.append(Spacer(1, 2 * mm))
    for section in view.sections:
        story += _section(section)
    buffer = io.BytesIO()
    ReportDocument(buffer, view.meta).build_pdf(story)
    return buffer.getvalue()


def _section(section: SummarySection) -> list[Flowable]:
    parts: list[Flowable] = [heading(section.title)]
    if section.chart is not None and any(v for series in section.chart.values for v in series):
        parts.append(bar_chart(section.chart))
        parts.append(Spacer(1, 2 * mm))
    column = 30 * mm if len(section.columns) > 3 else 40 * mm
    first = max(40 * mm, TEXT_WIDTH - column * len(section.columns))
    rest = (TEXT_WIDTH - first) / max(1, len(section.columns))
    rows: list[Sequence[str]] = [(label, *cells) for label, cells in section.rows]
    parts.append(
        table(rows, (first, *([rest] * len(section.columns))), (section.row_header, *section.columns))
    )
    if section.note:
        parts.append(para(section.note, "caption"))
    return [KeepTogether(parts[:2]), *parts[2:]] if len(parts) > 2 else parts
