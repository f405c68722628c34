"""Issue 9's two lost edits, in the app: the laptop amends through the checklist page's "Aanvulling…"
dialog and exports through the export dialog, the office imports through the import dialog (the
office amends with `visits amend`, as the issue tells it: the office's desktop view has no addenda).

Both scenarios end with both edits kept: a clean merge when they touch different fields, one open
field conflict when they touch the same one, and the import dialog says what happened (merged,
conflict, the laptop that was restored)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.cli.main import main
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.sync.office_import import ImportReport
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.sync_conflicts import ConflictsDialog
from inspector_app.ui.sync_dialogs import REPORT_HEADERS, ExportDialog, ImportDialog
from inspector_app.ui.tasks import Task
from tests.sync.conftest import enrol
from tests.ui.support import cell

WaitTask = Callable[[Task[Any] | None], None]


class Pair:
    """An office and a laptop (reopened after a restore); one final visit and two of its text questions."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.office = open_app(root / "office")
        self.office.settings.profile.name = "Kantoor 1"
        keys_service.init_office(self.office, "Westerdam")
        self.laptop = self._open_laptop()
        enrol(self.office, self.laptop, root)
        create_demo_visits(self.laptop, 3, seed=21)
        self.visit_id, self.first, self.second = self._visit_with_two_texts()

    def _open_laptop(self) -> AppContext:
        laptop = open_app(self.root / "laptop")
        laptop.settings.profile.name = "Toezichthouder 1001"
        laptop.settings.contact_person.name = "A. Jansen"
        return laptop

    def _visit_with_two_texts(self) -> tuple[str, str, str]:
        for (visit_id,) in self.laptop.db.execute("SELECT id FROM visits WHERE status = 'final' ORDER BY id"):
            session = VisitSession(self.laptop, str(visit_id))
            texts = [q.id for q in session.form.questions.values() if q.type.value == "text" and not q.repeat]
            if len(texts) >= 2:
                return str(visit_id), texts[0], texts[1]
        raise AssertionError("no final demo visit with two text questions")

    def backup(self) -> None:
        self.laptop.close()
        shutil.copytree(self.root / "laptop", self.root / "backup")
        self.laptop = self._open_laptop()

    def restore(self) -> None:
        """The laptop's disk died: its data folder comes back from the backup."""
        self.laptop.close()
        shutil.rmtree(self.root / "laptop")
        shutil.copytree(self.root / "backup", self.root / "laptop")
        self.laptop = self._open_laptop()

    def close(self) -> None:
        self.office.close()
        self.laptop.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    made = Pair(tmp_path)
    yield made
    made.close()


def amend_in_app(qtbot: QtBot, app: AppContext, visit_id: str, ref: str, text: str) -> None:
    """The inspector's addendum: "Aanvulling…" on the question, the new text and a reason."""
    page = ChecklistPage(app, "A. Jansen")
    qtbot.addWidget(page)
    page.open_visit(visit_id)
    widget = page.widget(ref)
    assert widget is not None and page.locked()

    def fill() -> None:
        modal = QApplication.activeModalWidget()
        assert modal is not None
        modal.editor.set_value(text)  # type: ignore[attr-defined]
        modal.reason.setText("Teruggelezen.")  # type: ignore[attr-defined]
        modal.accept()  # type: ignore[attr-defined]

    QTimer.singleShot(0, fill)
    widget.amend_button.click()
    assert page.session is not None and page.session.value(ref) == text


def amend_from_cli(office: AppContext, visit_id: str, ref: str, text: str) -> None:
    code = main(["--data-dir", str(office.paths.data_dir), "visits", "amend", visit_id, ref, text,
                 "--reason", "Kantoor: gecorrigeerd."])  # fmt: skip
    assert code == 0


def export_in_app(qtbot: QtBot, laptop: AppContext, folder: Path, wait_task: WaitTask) -> Path:
    folder.mkdir()
    dialog = ExportDialog(laptop, [])
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(folder))
    wait_task(dialog.export())
    assert dialog.exported is not None
    return dialog.exported.path


def import_in_app(qtbot: QtBot, office: AppContext, path: Path, wait_task: WaitTask) -> ImportDialog:
    dialog = ImportDialog(office)
    qtbot.addWidget(dialog)
    dialog.add_paths([path])
    wait_task(dialog.run_import())
    return dialog


def column(dialog: ImportDialog, header: str) -> str:
    return cell(dialog.table, 0, REPORT_HEADERS.index(header))


def report_of(dialog: ImportDialog) -> ImportReport:
    [report] = dialog.reports
    assert isinstance(report, ImportReport) and report.status == "imported", report.reason
    return report


def held_revisions(app: AppContext, visit_id: str) -> set[str]:
    return {
        str(r[0]) for r in app.db.execute("SELECT id FROM visit_revisions WHERE visit_id = ?", [visit_id])
    }


def values(app: AppContext, visit_id: str, *refs: str) -> list[object]:
    session = VisitSession(app, visit_id)
    return [session.value(ref) for ref in refs]


def first_bundle(qtbot: QtBot, pair: Pair, tmp_path: Path, wait_task: WaitTask) -> None:
    path = export_in_app(qtbot, pair.laptop, tmp_path / "usb-1", wait_task)
    assert report_of(import_in_app(qtbot, pair.office, path, wait_task)).new


@pytest.mark.usefixtures("messages")
def test_office_and_laptop_amending_different_fields_merge_in_the_app(
    qtbot: QtBot, pair: Pair, tmp_path: Path, wait_task: WaitTask
) -> None:
    first_bundle(qtbot, pair, tmp_path, wait_task)
    amend_from_cli(pair.office, pair.visit_id, pair.first, "Kantoor")
    office_revisions = held_revisions(pair.office, pair.visit_id)
    amend_in_app(qtbot, pair.laptop, pair.visit_id, pair.second, "Laptop")
    path = export_in_app(qtbot, pair.laptop, tmp_path / "usb-2", wait_task)
    dialog = import_in_app(qtbot, pair.office, path, wait_task)
    report = report_of(dialog)
    assert report.merged == [pair.visit_id] and report.updated == [] and report.conflicts == []
    assert column(dialog, "Samengevoegd") == "1" and column(dialog, "Conflicten") == "0"
    assert "0 conflicten" in dialog.summary.text() and not dialog.conflicts_button.isVisibleTo(dialog)
    assert values(pair.office, pair.visit_id, pair.first, pair.second) == ["Kantoor", "Laptop"]
    assert office_revisions | held_revisions(pair.laptop, pair.visit_id) <= held_revisions(
        pair.office, pair.visit_id
    )


@pytest.mark.usefixtures("messages")
def test_office_and_laptop_amending_the_same_field_conflict_in_the_app(
    qtbot: QtBot, pair: Pair, tmp_path: Path, wait_task: WaitTask
) -> None:
    first_bundle(qtbot, pair, tmp_path, wait_task)
    amend_from_cli(pair.office, pair.visit_id, pair.first, "Kantoor")
    amend_in_app(qtbot, pair.laptop, pair.visit_id, pair.first, "Laptop")
    path = export_in_app(qtbot, pair.laptop, tmp_path / "usb-2", wait_task)
    dialog = import_in_app(qtbot, pair.office, path, wait_task)
    report = report_of(dialog)
    assert report.conflicts == [pair.visit_id] and report.updated == []
    assert column(dialog, "Conflicten") == "1" and "1 conflict" in dialog.summary.text()
    assert dialog.conflicts_button.isVisibleTo(dialog)
    screen = ConflictsDialog(pair.office)
    qtbot.addWidget(screen)
    screen.select_conflict(pair.visit_id)
    [field] = screen.fields
    assert field.key == f"answer:{pair.first}" and sorted(field.values.values()) == ["Kantoor", "Laptop"]


@pytest.mark.usefixtures("messages")
@pytest.mark.parametrize("same_field", [True, False])
def test_a_restored_laptop_edit_is_kept_and_the_fork_reported_in_the_app(
    qtbot: QtBot, pair: Pair, tmp_path: Path, wait_task: WaitTask, same_field: bool
) -> None:
    first_bundle(qtbot, pair, tmp_path, wait_task)
    pair.backup()
    amend_in_app(qtbot, pair.laptop, pair.visit_id, pair.first, "Voor de crash")
    lost = export_in_app(qtbot, pair.laptop, tmp_path / "usb-2", wait_task)
    lost_revisions = held_revisions(pair.laptop, pair.visit_id)
    assert report_of(import_in_app(qtbot, pair.office, lost, wait_task)).updated == [pair.visit_id]
    pair.restore()
    other = pair.first if same_field else pair.second
    amend_in_app(qtbot, pair.laptop, pair.visit_id, other, "Na het terugzetten")
    forked = export_in_app(qtbot, pair.laptop, tmp_path / "usb-3", wait_task)
    dialog = import_in_app(qtbot, pair.office, forked, wait_task)
    report = report_of(dialog)
    # Not "al aanwezig": the second bundle 2 of this laptop is imported, and the dialog says why (its
    # other, unchanged visits are the ones already present).
    assert pair.visit_id not in report.already_present and [f["seq"] for f in report.forks] == [2]
    reason = column(dialog, "Reden")
    assert "Toezichthouder 1001" in reason and "bundel 2" in reason and "teruggezet" in reason
    assert lost_revisions | held_revisions(pair.laptop, pair.visit_id) <= held_revisions(
        pair.office, pair.visit_id
    ) | kept_leaf_revisions(pair.office, pair.visit_id)
    if same_field:
        assert report.conflicts == [pair.visit_id] and column(dialog, "Conflicten") == "1"
        assert dialog.conflicts_button.isVisibleTo(dialog)
        screen = ConflictsDialog(pair.office)
        qtbot.addWidget(screen)
        screen.select_conflict(pair.visit_id)
        [field] = screen.fields
        assert sorted(field.values.values()) == ["Na het terugzetten", "Voor de crash"]
    else:
        assert report.merged == [pair.visit_id] and report.conflicts == []
        assert column(dialog, "Samengevoegd") == "1" and "0 conflicten" in dialog.summary.text()
        assert values(pair.office, pair.visit_id, pair.first, pair.second) == [
            "Voor de crash",
            "Na het terugzetten",
        ]


def kept_leaf_revisions(app: AppContext, visit_id: str) -> set[str]:
    """Revisions of every kept leaf (an open conflict shows one side; the other stays kept)."""
    found: set[str] = set()
    for (snapshot,) in app.db.execute(
        "SELECT snapshot FROM sync_visit_versions WHERE visit_id = ? AND leaf = 1", [visit_id]
    ):
        found |= {str(r["id"]) for r in json.loads(snapshot)["visit_revisions"]}
    return found
