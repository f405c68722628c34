"""Screens at 1024×600 and at 1920×1080 with 150 % scaling, and a check for sideways scrolling.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_scale_screenshots.py 1024x600
    QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=1.5 .venv/bin/python docs/screenshots/make_scale_screenshots.py 1920x1080

The size is in device pixels; with QT_SCALE_FACTOR=1.5 the window is 1280×720 logical pixels, what a
15" laptop at 150 % gives. Shown: the visit list, a PB checklist page "Aanwezige personen" with two
persons, Afronding, the ACUUT banner (open, collapsed, and as the office's history, collapsed and opened), the new-visit, settings, export and import dialogs and the conflict screen (a
conflict made as in tests/sync/test_resolution.py). For each screen the script prints every scroll
area whose horizontal scroll bar shows and any dialog larger than the screen (exit code 1 if any), so
a look at the pictures has a check beside it. Synthetic data only, in a throwaway folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from inspector_app.fileio import atomic_write_bytes
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.dialogs import SettingsDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.qt_translation import install_qt_translation
from inspector_app.ui.screen_fit import install_screen_fit
from inspector_app.ui.sync_conflicts import ConflictsDialog
from inspector_app.ui.sync_dialogs import ExportDialog, ImportDialog

OUT = Path(__file__).resolve().parent


SCREEN = QSize()  # the emulated screen in logical pixels, set in main()


def sideways(widget: QWidget) -> list[str]:
    """Scroll areas under `widget` with a visible horizontal scroll bar (what the eye should find too),
    and the widget itself when it is larger than the screen."""
    found = [
        f"{type(area).__name__}({area.objectName() or area.accessibleName() or '-'})"
        for area in widget.findChildren(QAbstractScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]
    if widget.width() > SCREEN.width() or widget.height() > SCREEN.height():
        found.append(f"{type(widget).__name__} {widget.width()}x{widget.height()} > screen")
    return found


def shoot(widget: QWidget, name: str, found: dict[str, list[str]]) -> None:
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))
    found[name] = sideways(widget)
    print(OUT / name, "sideways scrolling or too large:", found[name] or "none")


def enrol(office: AppContext, laptop: AppContext, folder: Path) -> None:
    enrolment = folder / f"enrol-{laptop.device_id}.json"
    office_key = keys_service.keystore(office).office_public().to_json()
    atomic_write_bytes(enrolment, json.dumps(office_key).encode())
    keys_service.enrol(laptop, enrolment)
    registration = folder / f"reg-{laptop.device_id}.json"
    atomic_write_bytes(registration, json.dumps(keys_service.registration(laptop).to_json()).encode())
    keys_service.register_device(office, registration)


def make_conflict(office: AppContext, folder: Path) -> None:
    """One draft visit whose note is edited differently on two laptops from the same base."""
    laptop = open_app(folder / "laptop")
    laptop.settings.profile.name = "Toezichthouder 1001"
    enrol(office, laptop, folder)
    visit_id = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Conflict", "Kade 1")))
    session = VisitSession(laptop, visit_id)
    ref = next(q.id for q in session.form.questions.values() if not q.repeat)
    session.set_note(ref, "basis")
    base = exchange_service.export(laptop, folder / "base")
    assert base is not None
    exchange_service.import_files(office, [base.path])
    laptop.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (folder / "laptop2").mkdir()
    shutil.copy(laptop.paths.database, folder / "laptop2" / laptop.paths.database.name)
    shutil.copytree(laptop.paths.media_dir, folder / "laptop2" / "media")
    other = open_app(folder / "laptop2")
    new_id = str(uuid.uuid4())
    with other.db.conn:
        other.db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", [new_id])
    other.device_id = new_id
    enrol(office, other, folder)
    VisitSession(laptop, visit_id).set_note(ref, "versie van laptop A")
    VisitSession(other, visit_id).set_note(ref, "versie van laptop B")
    a = exchange_service.export(laptop, folder / "a")
    b = exchange_service.export(other, folder / "b")
    assert a is not None and b is not None
    exchange_service.import_files(office, [a.path, b.path])
    laptop.close()
    other.close()


def main() -> int:
    size = sys.argv[1] if len(sys.argv) > 1 else "1024x600"
    width, height = (int(part) for part in size.split("x"))
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    tag = f"{size}" + (f"-{round(scale * 100)}pct" if scale != 1 else "")
    qt = QApplication(sys.argv)
    SCREEN.setWidth(round(width / scale))
    SCREEN.setHeight(round(height / scale))
    install_screen_fit(qt, SCREEN)  # as run_desktop does, against the emulated screen
    install_qt_translation("nl")
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        app = open_app(folder / "office")
        app.settings.profile.name = "Toezichthouder 1042"
        app.settings.profile.municipality = "Westerdam"
        app.settings.contact_person.name = "A. Jansen"
        app.settings.contact_person.phone = "0612345678"
        keys_service.init_office(app, "Westerdam")
        create_demo_visits(app, 40, seed=7)
        make_conflict(app, folder)
        visit_id = start_visit(
            app, NewVisit(form="PB", location=LocationInput("Club Saffier 12", "Havenkade 8"))
        )
        session = VisitSession(app, visit_id)
        for person in (1, 2):
            session.answer(f"P-ROLE[{person}]", "sex_worker")
        window = MainWindow(app)
        window.resize(round(width / scale), round(height / scale))
        shoot(window, f"scale-visit-list-{tag}.png", found)
        window.open_visit(visit_id)
        page = window.checklist
        window.checklist.view_only = False  # the persons section as the inspector fills it in
        page.open_visit(visit_id)
        page.jump_to("P-ROLE[2]")
        shoot(window, f"scale-persons-{tag}.png", found)
        sections = [s.id for s in session.form.sections]
        page.navigator.setCurrentRow(sections.index("afronding"))
        shoot(window, f"scale-afronding-{tag}.png", found)
        page.session.answer("P-AGE[1]", "under_18")  # type: ignore[union-attr]  # a minor: ACUUT
        page.open_visit(visit_id)
        page.jump_to("P-AGE[1]")
        shoot(window, f"scale-banner-{tag}.png", found)
        page.banner.set_expanded(False)
        shoot(window, f"scale-banner-collapsed-{tag}.png", found)
        page.view_only = True  # the office reads the visit later: the advice as history
        page.open_visit(visit_id)
        shoot(window, f"scale-banner-office-{tag}.png", found)  # history starts as one line
        page.banner.set_expanded(True)
        shoot(window, f"scale-banner-office-open-{tag}.png", found)
        for name, dialog in (
            ("new-visit", NewVisitDialog(app, window)),
            ("settings", SettingsDialog(app, window)),
            ("export", ExportDialog(app, [], window)),
            ("import", ImportDialog(app, window)),
            ("conflicts", ConflictsDialog(app, window)),
        ):
            shoot(dialog, f"scale-{name}-{tag}.png", found)
            dialog.close()
        window.close()
        app.close()
    del qt
    bad = {name: areas for name, areas in found.items() if areas}
    print("screens with sideways scrolling or larger than the screen:", bad or "none")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
