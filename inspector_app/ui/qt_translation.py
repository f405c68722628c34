"""Qt's own texts in standard dialogs and buttons follow the app's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_qt_translator: list[QTranslator] = []


def install_qt_translation(language: str) -> None:
    """Qt's own texts (Close, Cancel, OK in standard dialogs) in the app's language."""
    qt_app = QCoreApplication.instance()
    if qt_app is None:
        return
    for old in _qt_translator:
        qt_app.removeTranslator(old)
    _qt_translator.clear()
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        qt_app.installTranslator(translator)
        _qt_translator.append(translator)
