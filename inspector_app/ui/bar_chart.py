"""A bar chart of one office figure, painted with QPainter (QtCharts is GPL-only and deprecated).

Vertical bars for months (stacked by location type), horizontal bars for named rows. Series differ in
colour *and* fill pattern and are named in a legend, so the chart never relies on colour alone; the
table beside it (ui/dashboard.py) carries the numbers for screen readers and copying.

Keyboard: Left/Right or Up/Down choose a bar (the chosen one is outlined), Tab moves on, Enter or
Space opens the visits behind it; a mouse click on a bar does the same (`bar_activated(row, column)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from inspector_app.i18n import _
from inspector_app.services.statistics import Figure

SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")  # Okabe-Ito
SERIES_PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.Dense4Pattern,
    Qt.BrushStyle.CrossPattern,
    Qt.BrushStyle.FDiagPattern,
    Qt.BrushStyle.HorPattern,
)
MARGIN = 8
MAX_BARS = 15  # a longer figure (locations with repeated signals) draws its first rows; the table has all
LEGEND_GAP = 16


@dataclass(frozen=True)
class BarRect:
    row: int
    column: int
    rect: QRectF


class BarChart(QWidget):
    """One figure's drawn columns as bars; emits `bar_activated(row, column)` on click or Enter."""

    bar_activated = Signal(int, int)

    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.horizontal = figure.kind.value != "visits"
        self.current = 0  # the row whose bar the keyboard is on
        self.bars: list[BarRect] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Grafiek: {title}", title=figure.title))
        self.setAccessibleDescription(
            _("Pijltjestoetsen kiezen een staaf, Enter toont de bezoeken; de tabel ernaast geeft de getallen")
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(300, 180)

    def drawn_columns(self) -> list[int]:
        return [i for i, column in enumerate(self.figure.columns) if column.drawn]

    def row_count(self) -> int:
        """The rows drawn: all, or the first MAX_BARS (most first, as the figure is sorted)."""
        return min(len(self.figure.rows), MAX_BARS)

    def sizeHint(self) -> QSize:
        rows = max(1, self.row_count())
        height = 60 + rows * 22 if self.horizontal else 240
        return QSize(460, min(max(height, 180), 420))

    # --------------------------------------------------------------------------------- painting
    def _value(self, row: int, column: int) -> float:
        value = self.figure.rows[row].values[column]
        return float(value or 0)

    def _row_total(self, row: int) -> float:
        columns = self.drawn_columns()
        if self.figure.stacked:
            return sum(self._value(row, c) for c in columns)
        return max((self._value(row, c) for c in columns), default=0.0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self.bars = []
        metrics = self.fontMetrics()
        columns = self.drawn_columns()
        legend_height = self._legend(painter, columns, text) if len(columns) > 1 else 0
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN + legend_height, -MARGIN, -MARGIN)
        rows = self.row_count()
        if len(self.figure.rows) > rows:
            painter.setPen(text)
            painter.drawText(
                QRectF(area.left(), area.bottom() - metrics.height(), area.width(), metrics.height()),
                Qt.AlignmentFlag.AlignRight,
                _(
                    "de eerste {shown} van {total}; de tabel toont alle",
                    shown=rows,
                    total=len(self.figure.rows),
                ),
            )
            area.adjust(0, 0, 0, -metrics.height() - 4)
        if rows == 0:
            painter.setPen(text)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, _("Geen gegevens in deze periode"))
            return
        top = max([self._row_total(r) for r in range(rows)] + [1.0])
        if self.horizontal:
            self._horizontal(painter, area, columns, top, text, metrics.height())
        else:
            self._vertical(painter, area, columns, top, text, metrics.height())
        painter.end()

    def _brush(self, index: int) -> QBrush:
        return QBrush(
            QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]), SERIES_PATTERNS[index % len(SERIES_PATTERNS)]
        )

    def _legend(self, painter: QPainter, columns: list[int], text: QColor) -> int:
        metrics = self.fontMetrics()
        x, y = float(MARGIN), float(MARGIN)
        line = metrics.height() + 4
        for index, column in enumerate(columns):
            label = self.figure.columns[column].label
            width = line + 4 + metrics.horizontalAdvance(label) + LEGEND_GAP
            if x + width > self.width() - MARGIN and x > MARGIN:
                x, y = float(MARGIN), y + line
            swatch = QRectF(x, y + 2, line - 4, line - 4)
            painter.fillRect(swatch, QColor("white"))
            painter.fillRect(swatch, self._brush(index))
            painter.setPen(QPen(text, 1))
            painter.drawRect(swatch)
            painter.drawText(QPointF(x + line + 2, y + metrics.ascent() + 2), label)
            x += width
        return int(y + line + 4 - MARGIN)

    def _segments(self, row: int, columns: list[int]) -> list[tuple[int, int, float, float]]:
        """(series index, column, start, length) of a row's bars in value units."""
        segments = []
        start = 0.0
        for index, column in enumerate(columns):
            value = self._value(row, column)
            segments.append((index, column, start if self.figure.stacked else 0.0, value))
            if self.figure.stacked:
                start += value
        return segments

    def _vertical(
        self, painter: QPainter, area: QRectF, columns: list[int], top: float, text: QColor, line: int
    ) -> None:
        rows = self.row_count()
        plot = area.adjusted(36, 0, 0, -line - 4)
        self._axis(painter, plot, top, text, vertical=True)
        slot = plot.width() / rows
        for row in range(rows):
            left = plot.left() + row * slot + slot * 0.15
            width = slot * 0.7
            for index, column, start, value in self._segments(row, columns):
                if not self.figure.stacked:
                    width = slot * 0.7 / len(columns)
                    left = plot.left() + row * slot + slot * 0.15 + index * width
                height = plot.height() * value / top
                bottom = plot.bottom() - plot.height() * start / top
                rect = QRectF(left, bottom - height, width, height)
                self._bar(painter, rect, index, row, column)
            label = self.figure.rows[row].label
            label = label[5:] if len(label) == 7 and label[4] == "-" else label  # months as "01".."12"
            painter.setPen(text)
            painter.drawText(
                QRectF(plot.left() + row * slot, plot.bottom() + 2, slot, line + 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
            if row == self.current and self.hasFocus():
                self._focus_mark(
                    painter, QRectF(plot.left() + row * slot, plot.top(), slot, plot.height()), text
                )

    def _horizontal(
        self, painter: QPainter, area: QRectF, columns: list[int], top: float, text: QColor, line: int
    ) -> None:
        rows = self.row_count()
        label_width = min(area.width() * 0.4, 220.0)
        plot = area.adjusted(label_width + 6, 0, -36, -line - 4)
        self._axis(painter, plot, top, text, vertical=False)
        slot = plot.height() / rows
        metrics = self.fontMetrics()
        for row in range(rows):
            y = plot.top() + row * slot + slot * 0.15
            height = slot * 0.7
            for index, column, start, value in self._segments(row, columns):
                if not self.figure.stacked and len(columns) > 1:
                    height = slot * 0.7 / len(columns)
                    y = plot.top() + row * slot + slot * 0.15 + index * height
                width = plot.width() * value / top
                rect = QRectF(plot.left() + plot.width() * start / top, y, width, height)
                self._bar(painter, rect, index, row, column)
            painter.setPen(text)
            label = metrics.elidedText(
                self.figure.rows[row].label, Qt.TextElideMode.ElideRight, int(label_width)
            )
            painter.drawText(
                QRectF(area.left(), plot.top() + row * slot, label_width, slot),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            if row == self.current and self.hasFocus():
                self._focus_mark(
                    painter, QRectF(area.left(), plot.top() + row * slot, area.width(), slot), text
                )

    def _axis(self, painter: QPainter, plot: QRectF, top: float, text: QColor, vertical: bool) -> None:
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight() if vertical else plot.topLeft())
        if vertical:
            painter.drawLine(plot.bottomLeft(), plot.topLeft())
            painter.drawText(
                QRectF(plot.left() - 36, plot.top() - 2, 32, 16), Qt.AlignmentFlag.AlignRight, _number(top)
            )
            painter.drawText(
                QRectF(plot.left() - 36, plot.bottom() - 14, 32, 16), Qt.AlignmentFlag.AlignRight, "0"
            )
        else:
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
            painter.drawText(
                QRectF(plot.right() - 30, plot.bottom() + 2, 64, 16),
                Qt.AlignmentFlag.AlignHCenter,
                _number(top),
            )
            painter.drawText(
                QRectF(plot.left() - 32, plot.bottom() + 2, 64, 16), Qt.AlignmentFlag.AlignHCenter, "0"
            )

    def _bar(self, painter: QPainter, rect: QRectF, index: int, row: int, column: int) -> None:
        if rect.width() <= 0 or rect.height() <= 0:
            return
        painter.fillRect(rect, QColor("white"))
        painter.fillRect(rect, self._brush(index))
        painter.setPen(QPen(QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]).darker(150), 1))
        painter.drawRect(rect)
        self.bars.append(BarRect(row, column, rect))

    def _focus_mark(self, painter: QPainter, rect: QRectF, text: QColor) -> None:
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(text)

    # ------------------------------------------------------------------------------ interaction
    def bar_at(self, point: QPointF) -> tuple[int, int] | None:
        for bar in self.bars:
            if bar.rect.contains(point):
                return bar.row, bar.column
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position())
        if hit is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.current = hit[0]
        self.update()
        self.bar_activated.emit(*hit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        rows = self.row_count()
        key = event.key()
        if rows and key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.current = max(0, self.current - 1)
        elif rows and key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.current = min(rows - 1, self.current + 1)
        elif rows and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.bar_activated.emit(self.current, -1)  # the whole row: every series of the bar
            return
        else:
            super().keyPressEvent(event)
            return
        self.setToolTip(self.figure.rows[self.current].label)
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
