"""The Qt binding must not corrupt Python's reference counts (PySide6 6.12.0 did, on Python 3.11).

Every conversion of an empty QVariant to None dropped one reference to None; after some thousands of
answers the app aborted with "deallocating None". This test fails fast if an upgrade brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot


def test_empty_variants_keep_none_alive(qtbot: QtBot) -> None:
    item = QTreeWidgetItem(["x"])
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("alle", None)
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.data(0, Qt.ItemDataRole.UserRole)
        combo.itemData(0)
        item.setData(0, Qt.ItemDataRole.UserRole + 1, None)
    assert abs(sys.getrefcount(None) - before) < 100
