"""Small helpers for reading widgets in UI tests."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget


def cell(table: QTableWidget, row: int, column: int) -> str:
    """The text of one table cell; a missing cell fails the test instead of raising AttributeError."""
    item = table.item(row, column)
    assert item is not None, f"no cell at {row}, {column}"
    return item.text()
