"""Bar charts for the annual summary with reportlab.graphics (no raster images, fonts embedded).

Every text element gets the shipped font explicitly: reportlab's chart defaults reference Helvetica,
a font that is never embedded (PDF/A forbids that). Series differ in fill and are named in a legend;
the table below each chart carries the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart  # type: ignore[import-untyped,unused-ignore]
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped,unused-ignore]
from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib import colors  # type: ignore[import-untyped,unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports.fonts import REGULAR
from inspector_app.reports.styles import RULE, TEXT_WIDTH

if TYPE_CHECKING:
    from inspector_app.reports.summary import ChartData

# Colour-blind safe (Okabe-Ito), dark enough on white paper.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
FONT_SIZE = 7
LEGEND_WIDTH = 48 * mm


def configure(shape: Any, **attributes: Any) -> None:
    """Set reportlab shape attributes (reportlab reads them when drawing; one call names them all)."""
    for name, value in attributes.items():
        setattr(shape, name, value)


def bar_chart(data: ChartData) -> Drawing:
    """A bar chart of `data` with a legend to its right, as wide as the text column."""
    height = (10 + 9 * len(data.categories)) * mm / 2 + 20 * mm if data.horizontal else 62 * mm
    height = min(height, 120 * mm)
    drawing = Drawing(TEXT_WIDTH, height)
    configure(drawing, initialFontName=REGULAR)  # the renderer's starting font, else Helvetica is referenced
    chart = HorizontalBarChart() if data.horizontal else VerticalBarChart()
    label_room = 48 * mm if data.horizontal else 0
    x = 8 * mm + label_room
    # A horizontal chart draws its first category at the bottom; reversed, it reads like the table.
    order = slice(None, None, -1) if data.horizontal else slice(None)
    configure(
        chart,
        x=x,
        y=10 * mm,
        width=TEXT_WIDTH - LEGEND_WIDTH - x - 4 * mm,
        height=height - 14 * mm,
        data=[list(series)[order] for series in data.values],
        barSpacing=0.5,
    )
    configure(chart.categoryAxis, categoryNames=[_short(name) for name in data.categories][order])
    for axis in (chart.categoryAxis, chart.valueAxis):
        configure(axis.labels, fontName=REGULAR, fontSize=FONT_SIZE)
        configure(axis, strokeColor=RULE)
    if not data.horizontal and len(data.categories) > 8:
        configure(chart.categoryAxis.labels, angle=45, boxAnchor="ne")
    configure(chart.barLabels, fontName=REGULAR)
    configure(
        chart.valueAxis, valueMin=0, forceZero=1, visibleGrid=1, gridStrokeColor=colors.HexColor("#e4e4e4")
    )
    if data.stacked:
        configure(chart.categoryAxis, style="stacked")
    for index in range(len(data.series)):
        configure(
            chart.bars[index],
            fillColor=colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]),
            strokeColor=colors.white,
            strokeWidth=0.3,
        )
    drawing.add(chart)
    legend = Legend()
    configure(
        legend,
        fontName=REGULAR,
        fontSize=FONT_SIZE,
        x=TEXT_WIDTH - LEGEND_WIDTH + 2 * mm,
        y=height - 6 * mm,
        alignment="right",
        boxAnchor="nw",
        columnMaximum=8,
        colorNamePairs=[
            (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), _short(name, 30))
            for i, name in enumerate(data.series)
        ],
    )
    drawing.add(legend)
    return drawing


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
