"""Render the screenshots of input checks and signal undo: `.venv/bin/python docs/screenshots/make_input_screenshots.py`.

Offscreen, in a throwaway data folder with a synthetic visit; each screen at 1440×900 and 1024×600.
Kept apart from make_screenshots.py (the README set) so each can be re-run on its own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtWidgets import QApplication, QWidget

from inspector_app.services.app import open_app
from inspector_app.services.visit.indicators import dismiss
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.indicator_picker import IndicatorPickerDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt_translation import install_qt_translation
from inspector_app.ui.signal_panel import ReasonDialog

OUT = Path(__file__).resolve().parent
SIZES = ((1440, 900), (1024, 600))


def shoot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    qt = QApplication(sys.argv)
    install_qt_translation("nl")
    with tempfile.TemporaryDirectory() as folder:
        app = open_app(Path(folder) / "data")
        app.settings.profile.name = "Toezichthouder 1042"
        app.settings.contact_person.name = "A. Jansen"
        visit_id = start_visit(
            app, NewVisit(form="PB", location=LocationInput("Club Saffier 12", "Havenkade 8", "1234 AB"))
        )
        session = VisitSession(app, visit_id)
        for ref, value in (
            ("PB-01", "yes"),
            ("PB-05", "no"),
            ("PB-27", ["gen.fear", "gen.injuries"]),
            ("P-ROLE[1]", "sex_worker"),
            ("PB-20[1]", "no"),
            ("PB-22[1]", "yes"),
        ):
            session.answer(ref, value)
        dismiss(session, "gen.injuries", "Schaafwond van een val op de trap, door de persoon zelf verteld.")
        photo_ref = next(
            q.id for q in session.form.questions.values() if q.type.value == "photo" and not q.repeat
        )
        for name, colour in (("voorgevel.jpg", (140, 40, 40)), ("achterzijde.jpg", (40, 90, 140))):
            Image.new("RGB", (320, 240), colour).save(Path(folder) / name)
            add_photo(session, photo_ref, Path(folder) / name, name.split(".")[0].capitalize())
        window = MainWindow(app)
        window.show()
        window.open_visit(visit_id)
        page = window.checklist
        for width, height in SIZES:
            window.resize(width, height)
            page.jump_to("PB-27")
            page.panel.select_dismissed("gen.injuries")
            shoot(window, f"signals-undo-{width}x{height}.png")
            page.jump_to(photo_ref)
            shoot(window, f"photos-{width}x{height}.png")
            page.jump_to("PB-20[1]")
            shoot(window, f"signal-mark-{width}x{height}.png")
        picker = IndicatorPickerDialog(
            window, page.catalogue, {row.slug for row in session.standing_observations()}
        )
        picker.filter.setText("slapen")
        picker.show()
        shoot(picker, "picker-slapen.png")
        picker.filter.setText("angst")
        shoot(picker, "picker-standing.png")
        picker.close()
        reason = ReasonDialog(
            "Signaal afwijzen", "Waarom is 'Angstig' hier niet van toepassing?", "Afwijzen", window
        )
        reason.show()
        reason.ok_button.click()  # empty: the dialog stays open and says why
        shoot(reason, "reason-empty.png")
        reason.close()
        window.close()
        app.close()
    qt.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
