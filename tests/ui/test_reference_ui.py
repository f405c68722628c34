"""Both directions in the app: the office writes a reference bundle from the Exchange menu, a laptop
installs it by dropping the `.ifr` file on the import dialog and gets the office's amendment."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from inspector_app.forms.values import parse_answer_text
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.ui import sync_dialogs
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.sync_dialogs import ImportDialog
from inspector_app.ui.tasks import Task
from tests.ui.support import cell
from tests.ui.test_exchange_ui import pair

__all__ = ["pair"]  # the fixture, used by name below

WRITE_ACTION = "Referentiebundel voor de &laptops schrijven…"


def final_visit_with_text(laptop: AppContext) -> tuple[str, str]:
    """A final demo visit of the laptop and one of its text questions."""
    for (visit_id,) in laptop.db.execute("SELECT id FROM visits WHERE status = 'final' ORDER BY id"):
        session = VisitSession(laptop, str(visit_id))
        for question in session.form.questions.values():
            if question.type.value == "text" and not question.repeat:
                return str(visit_id), question.id
    raise AssertionError("no final visit with a text question")


def test_office_writes_and_laptop_drops_a_reference_bundle(
    qtbot: QtBot,
    pair: tuple[AppContext, AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],
    wait_task: Callable[[Task[Any] | None], None],
) -> None:
    office, laptop = pair
    create_demo_visits(laptop, 3, seed=21)
    visit_id, question = final_visit_with_text(laptop)
    exported = exchange_service.export(laptop, tmp_path)
    assert exported is not None
    [imported] = exchange_service.import_files(office, [exported.path])
    assert imported.status == "imported", imported.reason
    session = VisitSession(office, visit_id)
    amend_visit(session, question, parse_answer_text(session.form.questions[question], "Kantoor"), "Kantoor.")

    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(sync_dialogs, "existing_folder", lambda *_args: folder)
    window = MainWindow(office)
    qtbot.addWidget(window)
    [exchange] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Uitwisselen"]
    assert isinstance(exchange, QMenu)
    [entry] = [a for a in exchange.actions() if a.text() == WRITE_ACTION]
    entry.trigger()
    [written] = list(folder.glob("*.ifr"))
    assert "1 bezoek met revisies van het kantoor" in messages[-1]

    dialog = ImportDialog(laptop)
    qtbot.addWidget(dialog)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(written)), QUrl.fromLocalFile(str(exported.path))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(drop)
    # Only the reference bundle is taken: a field bundle is not for a laptop.
    assert [dialog.files.item(i).text() for i in range(dialog.files.count())] == [str(written)]
    wait_task(dialog.run_import())
    [report] = dialog.reports
    assert isinstance(report, exchange_service.ReferenceReport) and report.visits_updated == [visit_id]
    assert "1 bezoek bijgewerkt door het kantoor" in cell(dialog.table, 0, dialog.table.columnCount() - 1)
    on_laptop = VisitSession(laptop, visit_id)
    assert on_laptop.value(question) == "Kantoor"
    office_head = office.db.execute("SELECT head_rev FROM visits WHERE id = ?", [visit_id]).fetchone()[0]
    assert (
        laptop.db.execute("SELECT head_rev FROM visits WHERE id = ?", [visit_id]).fetchone()[0] == office_head
    )


@pytest.mark.usefixtures("messages")  # message boxes are recorded, never shown
def test_the_same_field_amended_at_office_and_laptop_is_resolved_with_two_parents(
    qtbot: QtBot,
    pair: tuple[AppContext, AppContext],
    tmp_path: Path,
    wait_task: Callable[[Task[Any] | None], None],
) -> None:
    """Issue 9's first "Why": both amendments kept as one field conflict; the conflict screen decides
    it with a revision whose parents are the office's and the laptop's heads."""
    from inspector_app.ui.sync_conflicts import ConflictsDialog

    office, laptop = pair
    create_demo_visits(laptop, 3, seed=21)
    visit_id, question = final_visit_with_text(laptop)
    first = exchange_service.export(laptop, tmp_path / "first")
    assert first is not None
    exchange_service.import_files(office, [first.path])
    for app, text in ((office, "Kantoor"), (laptop, "Laptop")):
        session = VisitSession(app, visit_id)
        amend_visit(session, question, parse_answer_text(session.form.questions[question], text), f"{text}.")
    office_head, laptop_head = (
        str(app.db.execute("SELECT head_rev FROM visits WHERE id = ?", [visit_id]).fetchone()[0])
        for app in (office, laptop)
    )
    second = exchange_service.export(laptop, tmp_path / "second")
    assert second is not None
    importer = ImportDialog(office)
    qtbot.addWidget(importer)
    importer.add_paths([second.path])
    wait_task(importer.run_import())
    [report] = importer.reports
    assert not isinstance(report, exchange_service.ReferenceReport) and report.conflicts == [visit_id]
    assert "1 conflict" in importer.summary.text()

    screen = ConflictsDialog(office)
    qtbot.addWidget(screen)
    screen.select_conflict(visit_id)
    assert [f.key for f in screen.fields] == [f"answer:{question}"]
    # named for people: the question's text beside its address (the CLI keeps the bare address)
    wording = VisitSession(office, visit_id).form.questions[question].label.get("nl")
    assert screen.fields[0].label == f"{question} {wording}"
    [from_laptop] = [v.version_id for v in screen.versions if v.device_id == laptop.device_id]
    screen.choose(f"answer:{question}", from_laptop)
    screen.resize(1024, 600)  # the smallest screen the app supports
    screen.show()
    folder = Path(os.environ.get("INSPECTOR_SCREENSHOTS") or tmp_path)
    assert screen.grab().save(str(folder / "conflicts-fields-1024x600.png"))
    revision = screen.resolve("Navraag bij de toezichthouder: de laptop had gelijk.")
    assert revision is not None and screen.list.rowCount() == 0
    parents = {
        str(r[0])
        for r in office.db.execute(
            "SELECT parent_id FROM visit_revision_parents WHERE revision_id = ?", [revision]
        )
    }
    assert parents == {office_head, laptop_head}
    assert VisitSession(office, visit_id).value(question) == "Laptop"
    held = {
        str(r[0]) for r in office.db.execute("SELECT id FROM visit_revisions WHERE visit_id = ?", [visit_id])
    }
    assert {office_head, laptop_head, revision} <= held


def test_a_new_visit_shows_the_office_history_and_the_riec_suggestion(
    qtbot: QtBot, pair: tuple[AppContext, AppContext], tmp_path: Path
) -> None:
    """Item 5: the signals the office sent for a location appear on the checklist page of a new visit
    there, and the escalation advice on that page suggests RIEC from the same history."""
    from inspector_app.domain.model import AdviceLevel
    from inspector_app.ui.checklist_page import ChecklistPage
    from tests.sync.test_exchange import _pb_visit

    office, laptop = pair
    earlier = _pb_visit(office)
    earlier.answer("P-ROLE[1]", "sex_worker")
    earlier.answer("PB-20[1]", "no")  # gen.id_held_by_other (H) at the office
    reference, *_counts = exchange_service.write_reference(office, tmp_path)
    assert exchange_service.import_reference_file(laptop, reference).status == "imported"
    now = _pb_visit(laptop, earlier.location.id)
    now.answer("P-ROLE[1]", "sex_worker")
    now.answer("PB-20[1]", "no")

    page = ChecklistPage(laptop, "A. Jansen, 0600000000")
    qtbot.addWidget(page)
    page.resize(1024, 600)
    page.show()
    page.open_visit(now.visit_id)
    box = page.history
    assert box.isVisible() and [(i.visit_id, i.slug, i.source) for i in box.items] == [
        (earlier.visit_id, "gen.id_held_by_other", "office")
    ]
    assert "Eerder op deze locatie" in box.toggle.accessibleName() and "kantoor" in box.rows.text()
    assert AdviceLevel.RIEC in page.banner.levels
