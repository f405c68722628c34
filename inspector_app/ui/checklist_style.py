"""Icons, weight texts and colours of the checklist page: never colour alone, always icon + text."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from inspector_app.domain.catalogue import WEIGHT_LABELS
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
}
ADVICE_STYLES = {
    AdviceLevel.ACUTE: "background:#b00020; color:white; font-weight:bold; font-size:15px;",
    AdviceLevel.ESCALATE: "background:#ffe0b2; color:#4e2600; font-weight:bold;",
    AdviceLevel.REFERRAL: "background:#fff8c4; color:#3d3300;",
    AdviceLevel.RIEC: "background:#e3f2fd; color:#0d2c4d;",
}
ERROR_COLOUR = "#b00020"


def standard_icon(kind: QStyle.StandardPixmap) -> QIcon:
    return QApplication.style().standardIcon(kind)


def icon_pixmap(kind: QStyle.StandardPixmap, size: int = 16) -> QPixmap:
    return standard_icon(kind).pixmap(size, size)


def weight_text(weight: Weight) -> str:
    """'H – Hoog': the letter and the word, so weight never depends on colour."""
    return f"{weight.value} – {WEIGHT_LABELS[weight].get()}"


def weight_icon(weight: Weight) -> QIcon:
    return standard_icon(WEIGHT_ICONS[weight])
