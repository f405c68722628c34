"""Render the README screenshots offscreen: `QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py`.

Uses a throwaway data folder with synthetic demo visits; nothing here is real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from inspector_app.i18n import set_language
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, open_visit, start_visit
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt_translation import install_qt_translation
from inspector_app.ui.referral_dialog import ReferralDialog

OUT = Path(__file__).resolve().parent
SIZE = (1400, 900)


def shoot(window: MainWindow, name: str) -> None:
    QApplication.processEvents()
    window.grab().save(str(OUT / name))
    print(OUT / name)


def draft_visit_with_signals(app: AppContext) -> str:
    """A visit in progress, as an inspector sees it on site: answers given, signals raised."""
    visit_id = start_visit(
        app,
        NewVisit(
            form="prostitution_business",
            location=LocationInput("Club Saffier 12", "Havenkade 8", "1234 AB"),
            visit_type="onaangekondigd",
            inspectors=("Toezichthouder 1042", "Toezichthouder 1077"),
            partners=("politie",),
            legal_ground="apv_awb",
        ),
    )
    session = VisitSession(app, visit_id)
    for ref, value in (
        ("H-07", 4),
        ("H-08", "telefonisch"),
        ("PB-01", "yes"),
        ("PB-05", "no"),
        ("P-ROLE[1]", "sex_worker"),
        ("P-AGE[1]", "21_29"),
        ("P-LANG[1]", "ro, en"),
        ("P-ROLE[2]", "sex_worker"),
        ("P-AGE[2]", "18_20"),
        ("P-LANG[2]", "bg"),
        ("PB-20[2]", "no"),
        ("PB-22[2]", "yes"),
    ):
        session.answer(ref, value)
    return visit_id


def main() -> int:
    qt = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        app = open_app(folder)
        app.settings.profile.name = "Toezichthouder 1042"
        app.settings.profile.function = "kantoor"
        keys_service.init_office(app, "Westerdam")  # the office key gives the office list and filters
        app.settings.profile.municipality = "Westerdam"
        app.settings.contact_person.name = "A. Jansen"
        app.settings.contact_person.phone = "0612345678"
        create_demo_visits(app, 300, seed=7)
        install_qt_translation("nl")
        window = MainWindow(app)
        window.resize(*SIZE)
        window.show()
        shoot(window, "visit-list.png")
        target = draft_visit_with_signals(app)
        window.visit_list.refresh()
        window.open_visit(target)
        shoot(window, "checklist.png")
        window.checklist.jump_to("PB-20[2]")
        shoot(window, "checklist-persons.png")
        window.show_list()
        referrals = ReferralDialog(open_visit(app, target), window)
        referrals.resize(720, 600)
        referrals.add()
        referrals.show()
        QApplication.processEvents()
        referrals.grab().save(str(OUT / "office-referral.png"))
        print(OUT / "office-referral.png")
        referrals.close()
        window.open_visit(target)
        app.settings.language = "en"
        set_language("en")
        install_qt_translation("en")
        window._build()
        window.open_visit(target)
        shoot(window, "checklist-en.png")
        window.show_list()
        shoot(window, "visit-list-en.png")
        set_language("nl")
        app.close()
    qt.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
