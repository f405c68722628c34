"""Render the keyboard and small-screen screenshots: `.venv/bin/python docs/screenshots/make_keys_screenshots.py`.

Offscreen, in a throwaway data folder with synthetic visits: a second visit at a location with an
earlier signal (the "Eerder op deze locatie" box, a banner below the questions, the focus ring on a
yes/no button), the Afronding section and the new-visit dialog, each at 1440×900 and 1024×600.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.services.app import open_app
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.focus_ring import install_focus_ring
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.qt_translation import install_qt_translation

OUT = Path(__file__).resolve().parent
SIZES = ((1440, 900), (1024, 600))


def shoot(widget: QWidget, name: str) -> None:
    widget.window().activateWindow()  # focus (and its ring) is drawn only in the active window
    QTest.qWait(150)
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    qt = QApplication(sys.argv)
    install_focus_ring(qt)
    install_qt_translation("nl")
    with tempfile.TemporaryDirectory() as folder:
        app = open_app(Path(folder) / "data")
        app.settings.profile.name = "Toezichthouder 1042"
        app.settings.contact_person.name = "A. Jansen"
        first = start_visit(
            app,
            NewVisit(
                form="PB",
                location=LocationInput("Club Saffier 12", "Havenkade 8", "1234 AB"),
                started_at="2026-10-02T21:00",
            ),
        )
        earlier = VisitSession(app, first)
        for ref, value in (("PB-27", ["gen.fear"]), ("P-ROLE[1]", "sex_worker"), ("PB-20[1]", "no")):
            earlier.answer(ref, value)
        second = start_visit(app, NewVisit(form="PB", location_id=earlier.location.id))
        window = MainWindow(app)
        for width, height in SIZES:
            size = f"{width}x{height}"
            window.resize(width, height)
            window.show()
            window.open_visit(second)
            page = window.checklist
            page.jump_to("PB-01")
            widget = page.widget("PB-01")
            assert widget is not None
            widget.editor.focus_target().setFocus()
            shoot(window, f"keys-history-{size}.png")
            page.navigator.setCurrentRow([s.id for s in page.session.form.sections].index("afronding"))  # type: ignore[union-attr]
            shoot(window, f"keys-afronding-{size}.png")
            dialog = NewVisitDialog(app, window)
            dialog.show()
            dialog.partners[0].setFocus()
            shoot(dialog, f"keys-new-visit-{size}.png")
            dialog.close()
        window.close()
        app.close()
    del qt
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
