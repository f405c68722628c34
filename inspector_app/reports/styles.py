"""Paragraph styles and colours: a sober A4 government document (dark blue headings, grey rules)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports.fonts import BOLD, REGULAR, register_fonts

PAGE_SIZE = A4
MARGIN_LEFT = 22 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
TEXT_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#154273")  # the dark blue of Dutch government documents
MUTED = colors.HexColor("#5a5a5a")
RULE = colors.HexColor("#b4b4b4")
SHADE = colors.HexColor("#eef2f6")
ALERT = colors.HexColor("#a90000")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    caption: ParagraphStyle
    banner: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK, splitLongWords=1)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14, textColor=MUTED),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=BOLD,
            fontSize=10,
            leading=13,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        label=ParagraphStyle("label", parent=body, fontSize=9, leading=12, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=BOLD, fontSize=9, leading=12),
        caption=ParagraphStyle("caption", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        banner=ParagraphStyle(
            "banner",
            parent=body,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            textColor=colors.white,
            alignment=TA_CENTER,
        ),
    )
