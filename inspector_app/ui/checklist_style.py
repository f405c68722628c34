"""Icons, weight texts and colours of the checklist page: never colour alone, always icon + text.

Colours follow the platform palette (dark and high-contrast themes, EN 301 549 clause 11): text that
is only softened or red is derived from the palette at build time rather than fixed; banners carry
their own background and foreground pair, so they stay readable on any palette. Font sizes are never
fixed in pixels, so the system font size applies everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from inspector_app.domain.labels import WEIGHT_LABELS
from inspector_app.domain.model import AdviceLevel, Weight

WEIGHT_ICONS = {
    Weight.HIGH: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Weight.MEDIUM: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Weight.LOW: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
ADVICE_ICONS = {
    AdviceLevel.ACUTE: QStyle.StandardPixmap.SP_MessageBoxCritical,
    AdviceLevel.ESCALATE: QStyle.StandardPixmap.SP_MessageBoxWarning,
    AdviceLevel.REFERRAL: QStyle.StandardPixmap.SP_MessageBoxInformation,
    AdviceLevel.RIEC: QStyle.StandardPixmap.SP_MessageBoxInformation,
    AdviceLevel.INFORMATIONAL: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
ADVICE_STYLES = {
    AdviceLevel.ACUTE: "background:#b00020; color:white; font-weight:bold;",
    AdviceLevel.ESCALATE: "background:#ffe0b2; color:#4e2600; font-weight:bold;",
    AdviceLevel.REFERRAL: "background:#fff8c4; color:#3d3300;",
    AdviceLevel.RIEC: "background:#e3f2fd; color:#0d2c4d;",
    AdviceLevel.INFORMATIONAL: "background:#f1f3f4; color:#202124;",
}
ERROR_COLOUR = "#b00020"  # on light palettes (6.6:1 on white)
ERROR_COLOUR_ON_DARK = "#ff8a80"  # on dark palettes (6.2:1 on #2b2b2b)
SECONDARY_TEXT_WEIGHT = 0.72  # share of the text colour in secondary text; the rest is window colour


def palette_is_dark(palette: QPalette | None = None) -> bool:
    """Whether the window background is dark (a dark or a black high-contrast theme)."""
    colour = (palette or QApplication.palette()).color(QPalette.ColorRole.Window)
    return colour.lightnessF() < 0.5


def error_text_style() -> str:
    """Red error text that stays readable: dark red on a light window, light red on a dark one
    (a fixed dark red has 2.3:1 contrast on a dark theme)."""
    return f"color:{ERROR_COLOUR_ON_DARK if palette_is_dark() else ERROR_COLOUR};"


def secondary_text_style() -> str:
    """Question ids, help and empty hints: the palette's text colour softened towards the window colour.

    A fixed grey (#555) is unreadable on a dark theme; a blend of the platform's own colours keeps
    the theme's polarity and at least 4.5:1 contrast wherever the theme's text has 8:1 or more.
    """
    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    share = SECONDARY_TEXT_WEIGHT
    mixed = QColor.fromRgbF(
        text.redF() * share + window.redF() * (1 - share),
        text.greenF() * share + window.greenF() * (1 - share),
        text.blueF() * share + window.blueF() * (1 - share),
    )
    return f"color:{mixed.name()};"


def standard_icon(kind: QStyle.StandardPixmap) -> QIcon:
    return QApplication.style().standardIcon(kind)


def icon_pixmap(kind: QStyle.StandardPixmap, size: int = 16) -> QPixmap:
    return standard_icon(kind).pixmap(size, size)


def weight_text(weight: Weight) -> str:
    """'H – Hoog': the letter and the word, so weight never depends on colour."""
    return f"{weight.value} – {WEIGHT_LABELS[weight].get()}"


def weight_icon(weight: Weight) -> QIcon:
    return standard_icon(WEIGHT_ICONS[weight])


def focus_ring_style() -> str:
    """A visible focus ring on radio buttons, check boxes, the section list and flat buttons.

    Several platform styles draw no (or a barely visible) focus indicator on these; the ring uses the
    palette's highlight colour, so it follows dark and high-contrast themes. Unfocused controls keep
    a transparent border of the same width, so the focus moving never shifts the layout.
    """
    return (
        "QRadioButton, QCheckBox { border:2px solid transparent; border-radius:3px; }"
        " QRadioButton:focus, QCheckBox:focus { border:2px solid palette(highlight); }"
        " QPushButton:flat { border:2px solid transparent; border-radius:3px; padding:2px 8px; }"
        " QPushButton:flat:focus { border:2px solid palette(highlight); }"
        " QListWidget:focus { border:2px solid palette(highlight); }"
    )
