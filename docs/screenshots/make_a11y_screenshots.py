"""Render the checklist page on a dark palette and at a large system font, at 1024x600 and 1440x900:
`QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_a11y_screenshots.py`.

Shows that hints, question ids and errors stay readable when the platform's theme is dark and that
text follows the system font size (issue 15, accessibility). Synthetic demo data only.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from inspector_app.services.app import open_app
from inspector_app.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_screenshots import draft_visit_with_signals  # the same demo visit

OUT = Path(__file__).resolve().parent
SIZES = ((1024, 600), (1440, 900))


def dark_palette(base: QPalette) -> QPalette:
    """A dark theme as a desktop would hand it to Qt."""
    palette = QPalette(base)
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#f1f1f1"),
        (QPalette.ColorRole.Base, "#2b2b2b"),
        (QPalette.ColorRole.AlternateBase, "#333333"),
        (QPalette.ColorRole.Text, "#f1f1f1"),
        (QPalette.ColorRole.Button, "#3c3c3c"),
        (QPalette.ColorRole.ButtonText, "#f1f1f1"),
        (QPalette.ColorRole.PlaceholderText, "#b0b0b0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def main() -> int:
    qt = QApplication(sys.argv)
    qt.setStyle("Fusion")
    qt.setPalette(dark_palette(qt.palette()))
    font = QFont(qt.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)  # a larger system font
    qt.setFont(font)
    with tempfile.TemporaryDirectory() as folder:
        app = open_app(folder)
        app.settings.profile.name = "Toezichthouder 1042"
        app.settings.profile.municipality = "Westerdam"
        app.settings.contact_person.name = "A. Jansen"
        target = draft_visit_with_signals(app)
        for width, height in SIZES:
            window = MainWindow(app)
            window.resize(width, height)
            window.show()
            window.open_visit(target)
            widget = window.checklist.widget("H-07")
            if widget is not None:
                widget.show_error("Vul een heel getal in, zonder komma.")
            QApplication.processEvents()
            name = OUT / f"checklist-dark-{width}x{height}.png"
            window.grab().save(str(name))
            print(name)
            window.close()
        app.close()
    qt.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
