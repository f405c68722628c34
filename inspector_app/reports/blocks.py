"""Building blocks the documents share: bookmarked headings, label/value tables, notices.

Tables allow a row to split across pages (`splitInRow`), so a 20,000-character note or a single
5,000-character word flows onto the next page instead of raising a LayoutError.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports.fonts import REGULAR, rich
from inspector_app.reports.model import Field
from inspector_app.reports.styles import ACCENT, ALERT, RULE, SHADE, TEXT_WIDTH, styles

LABEL_WIDTH = 58 * mm


def heading(text: str, level: int = 0) -> Paragraph:
    """A section heading that also becomes a PDF bookmark (see ReportDocument.afterFlowable)."""
    style = styles().heading if level == 0 else styles().subheading
    paragraph = Paragraph(rich(text), style)
    paragraph.outline_level = level  # type: ignore[attr-defined,unused-ignore]
    paragraph.outline_text = text  # type: ignore[attr-defined,unused-ignore]
    return paragraph


def para(text: str, style_name: str = "body") -> Paragraph:
    """A paragraph of user text (escaped and font-fallback marked up)."""
    return Paragraph(rich(text), getattr(styles(), style_name))


def table_style(commands: Sequence[tuple[object, ...]]) -> TableStyle:
    """A table style whose cell font is the shipped font: reportlab's default would reference Helvetica,
    an unembedded font, even when every cell holds a paragraph (PDF/A forbids it)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def _grid(header: bool) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    return table_style(commands)


Cell: TypeAlias = Flowable | str | list[Flowable]


def table(rows: Sequence[Sequence[Cell]], widths: Sequence[float], header: Sequence[str] = ()) -> Table:
    """A table of paragraphs; strings are treated as user text, lists of flowables are stacked."""
    cell = styles().cell
    data: list[list[Flowable | list[Flowable]]] = []
    if header:
        data.append([Paragraph(rich(text), styles().cell_bold) for text in header])
    for row in rows:
        data.append([Paragraph(rich(item), cell) if isinstance(item, str) else item for item in row])
    result = Table(data, colWidths=list(widths), repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
    result.setStyle(_grid(bool(header)))
    return result


def fields_table(fields: Sequence[Field]) -> Table:
    """Label / value pairs, the label column greyed."""
    label = styles().label
    rows = [[Paragraph(rich(f.label), label), f.value or "—"] for f in fields]
    return table(rows, (LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH))


def notice(text: str, alert: bool = False) -> Table:
    """A shaded box with a short notice (draft, confidential)."""
    box = Table([[Paragraph(rich(text), styles().body)]], colWidths=[TEXT_WIDTH], splitInRow=1)
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ALERT if alert else ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return box


def banner(text: str) -> Table:
    """A full-width coloured band (the VERTROUWELIJK marking)."""
    band = Table([[Paragraph(rich(text), styles().banner)]], colWidths=[TEXT_WIDTH])
    band.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ALERT),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return band


def title_block(title: str, subtitle: str) -> list[Flowable]:
    return [para(title, "title"), para(subtitle, "subtitle")]
