"""Dialogs larger than the screen are shrunk and moved inside it when shown (1024×600 laptops)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.ui.screen_fit import fit_rect, install_screen_fit
from inspector_app.ui.sync_conflicts import ConflictsDialog

SCREEN = QRect(0, 0, 1024, 600)


def test_a_rect_that_fits_is_left_alone() -> None:
    assert fit_rect(QRect(100, 50, 560, 300), SCREEN) == QRect(100, 50, 560, 300)


def test_a_too_large_rect_is_shrunk_and_moved_inside() -> None:
    fitted = fit_rect(QRect(-40, 20, 1100, 640), SCREEN)
    assert SCREEN.adjusted(8, 8, -8, -8).contains(fitted)
    assert fitted.size() == QSize(1008, 584)


def test_a_rect_past_the_right_edge_is_moved_back() -> None:
    fitted = fit_rect(QRect(900, 500, 400, 200), SCREEN)
    assert fitted.size() == QSize(400, 200) and SCREEN.contains(fitted)


def test_the_conflict_screen_fits_a_1024x600_screen(qtbot: QtBot, ui_app: AppContext) -> None:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    fit = install_screen_fit(instance, QSize(1024, 600))
    try:
        dialog = ConflictsDialog(ui_app)  # asks for 1100×640 itself
        qtbot.addWidget(dialog)
        dialog.show()
        assert SCREEN.contains(dialog.geometry()), dialog.geometry()
        assert dialog.width() <= 1024 - 16 and dialog.height() <= 600 - 16
    finally:
        instance.removeEventFilter(fit)
        fit.deleteLater()
