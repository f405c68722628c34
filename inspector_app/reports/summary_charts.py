"""Bar charts for the annual summary with reportlab.graphics (no raster images, fonts embedded).

Every text element gets the shipped font explicitly: reportlab's chart defaults reference Helvetica,
a font that is never embedded (PDF/A forbids that). Series differ in fill and are named in a legend;
the table below each chart carries the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def bar_chart(data: ChartData) -> Drawing:
    """A bar chart of `data` with a legend to its right, as wide as the text column."""
    height = (10 + 9 * len(data.categories)) * mm / 2 + 20 * mm if data.horizontal else 62 * mm
    height = min(height, 120 * mm)
    drawing = Drawing(TEXT_WIDTH, height)
    drawing.initialFontName = REGULAR  # the renderer's starting font, else Helvetica is referenced
    chart = HorizontalBarChart() if data.horizontal else VerticalBarChart()
    label_room = 48 * mm if data.horizontal else 0
    chart.x = 8 * mm + label_room
    chart.y = 10 * mm
    chart.width = TEXT_WIDTH - LEGEND_WIDTH - chart.x - 4 * mm
    chart.height = height - 14 * mm
    # A horizontal chart draws its first category at the bottom; reversed, it reads like the table.
    order = slice(None, None, -1) if data.horizontal else slice(None)
    chart.data = [list(series)[order] for series in data.values]
    chart.categoryAxis.categoryNames = [_short(name) for name in data.categories][order]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = FONT_SIZE
        axis.strokeColor = RULE
    if not data.horizontal and len(data.categories) > 8:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.barLabels.fontName = REGULAR
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e4e4")
    if data.stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing = 0.5
    for index in range(len(data.series)):
        chart.bars[index].fillColor = colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        chart.bars[index].strokeColor = colors.white
        chart.bars[index].strokeWidth = 0.3
    drawing.add(chart)
    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = FONT_SIZE
    legend.x = TEXT_WIDTH - LEGEND_WIDTH + 2 * mm
    legend.y = height - 6 * mm
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = 8
    legend.colorNamePairs = [
        (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), _short(name, 30))
        for i, name in enumerate(data.series)
    ]
    drawing.add(legend)
    return drawing


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
