"""A focus ring on every push button and tool button, in the palette's highlight colour.

Under a real X window (Xvfb, Fusion) the focused "Ja" of a yes/no question looked exactly like "Nee":
the platform style marks push-button focus with a faint tint, which is no "visible focus" for a
keyboard-only visit (EN 301 549 2.4.7). Style sheets could draw a border, but a border in a style sheet
replaces the platform's whole button drawing; this proxy style keeps the platform look and adds a
2 px ring over the focused button, so it follows dark and high-contrast palettes. Controls drawn by
the style sheet of `checklist_style.focus_ring_style` (radio buttons, check boxes, flat buttons,
the section list) keep their own ring.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

RING_WIDTH = 2
RINGED_CONTROLS = (QStyle.ControlElement.CE_PushButton,)
RINGED_COMPLEX_CONTROLS = (QStyle.ComplexControl.CC_ToolButton,)


class FocusRingStyle(QProxyStyle):
    """The platform style, plus a highlight ring around the focused push or tool button."""

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element in RINGED_CONTROLS:
            draw_ring(option, painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in RINGED_COMPLEX_CONTROLS:
            draw_ring(option, painter)


def draw_ring(option: QStyleOption, painter: QPainter) -> None:
    """The ring, inside the control's rectangle (so it is never clipped and never shifts the layout)."""
    state = option.state
    if not state & QStyle.StateFlag.State_HasFocus or not state & QStyle.StateFlag.State_Enabled:
        return
    rect = QRectF(option.rect).adjusted(1, 1, -1, -1)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), RING_WIDTH))
    painter.drawRoundedRect(rect, 3, 3)
    painter.restore()


def install_focus_ring(qt_app: QApplication) -> FocusRingStyle:
    """Wrap the application's current style (whatever the platform chose) in the ring style."""
    style = FocusRingStyle(qt_app.style().name())
    qt_app.setStyle(style)
    return style
