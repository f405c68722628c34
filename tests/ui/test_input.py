"""Input that says what is wrong: integers, postcode and KvK, photos, file dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.ui import checklist_actions
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.dialogs import FOLDERS_KEY, open_file_name, start_folder
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.question_widgets import NumberEditor

CONTACT = "A. Jansen, 0600000000"


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    widget.open_visit(start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Invoer"))))
    return widget


def test_a_decimal_typed_into_an_integer_field_is_refused_not_read_as_125(
    qtbot: QtBot, page: ChecklistPage
) -> None:
    """Regression: the validator dropped the comma, so "12,5" was saved as 125 without a word."""
    widget = page.widget("H-04a")
    assert widget is not None and isinstance(widget.editor, NumberEditor)
    assert page.session is not None
    before = page.session.value("H-04a")
    qtbot.keyClicks(widget.editor.edit, "12,5")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    assert widget.editor.edit.text() == "12,5"
    assert widget.has_error and "verwacht een geheel getal" in widget.error.text()
    assert page.session.value("H-04a") == before


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [("postcode", "ABC", "1234 AB"), ("kvk", "12345", "8 cijfers")],
)
def test_new_visit_dialog_refuses_a_wrong_postcode_or_kvk(
    qtbot: QtBot, ui_app: AppContext, messages: list[str], field: str, text: str, expected: str
) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    dialog.name.setText("Club Invoer")
    getattr(dialog, field).setText(text)
    dialog.accept()
    assert dialog.visit_id is None
    assert messages and expected in messages[-1]
    dialog.foreign.setChecked(True)  # the explicit override for an address abroad
    dialog.accept()
    assert dialog.visit_id
    assert len(find_visits(ui_app, VisitFilter())) == 1


# ------------------------------------------------------------------------------------------ photos


def photo_ref(page: ChecklistPage) -> str:
    assert page.session is not None
    return next(
        q.id for q in page.session.form.questions.values() if q.type.value == "photo" and not q.repeat
    )


def an_image(path: Path) -> Path:
    Image.new("RGB", (40, 30), (120, 10, 10)).save(path, format="JPEG")
    return path


def test_a_file_that_is_not_an_image_is_refused_before_the_caption(
    page: ChecklistPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the caption was asked first, then "cannot identify image file <_io.BytesIO …>"."""
    bogus = tmp_path / "rapport.pdf"
    bogus.write_bytes(b"%PDF-1.4 not a photo")
    asked: list[str] = []
    monkeypatch.setattr(checklist_actions, "open_file_name", lambda *_args: bogus)

    def ask_text(title: str, _label: str) -> str:
        asked.append(title)
        return "bijschrift"

    monkeypatch.setattr(page, "ask_text", ask_text)
    ref = photo_ref(page)
    page.commands.choose_photo(ref)
    widget = page.widget(ref)
    assert widget is not None and widget.has_error
    assert "rapport.pdf" in widget.error.text() and "geen bruikbare foto" in widget.error.text()
    assert "BytesIO" not in widget.error.text() and "0x" not in widget.error.text()
    assert asked == []  # no caption asked for a file that cannot be used
    assert page.session is not None and page.session.value(ref) is None


def test_the_thumbnail_of_a_sealed_photo_is_drawn_and_a_damaged_one_said_missing(
    page: ChecklistPage, tmp_path: Path
) -> None:
    ref = photo_ref(page)
    page.commands.add_photo_file(ref, an_image(tmp_path / "a.jpg"), "Voorgevel")
    assert page.session is not None
    media = page.session.app.paths.media_dir
    (stored,) = list(media.iterdir())
    assert not stored.read_bytes().startswith(b"\xff\xd8")  # sealed at rest, decrypted for the thumbnail
    widget = page.widget(ref)
    assert widget is not None
    drawn = [label for label in widget.editor.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(drawn) == 1
    damaged = bytearray(stored.read_bytes())
    damaged[-1] ^= 1
    stored.write_bytes(bytes(damaged))
    widget.editor.set_value(page.session.value(ref))
    texts = [label.text() for label in widget.editor.findChildren(QLabel)]
    assert "(foto niet gevonden)" in texts
    assert not [label for label in widget.editor.findChildren(QLabel) if not label.pixmap().isNull()]


def test_one_photo_is_deleted_after_confirmation(
    page: ChecklistPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = photo_ref(page)
    page.commands.add_photo_file(ref, an_image(tmp_path / "a.jpg"), "Voorgevel")
    page.commands.add_photo_file(ref, an_image(tmp_path / "b.jpg"), "Achterzijde")
    assert page.session is not None
    value = page.session.value(ref)
    assert isinstance(value, list) and len(value) == 2
    first, second = value
    widget = page.widget(ref)
    assert widget is not None
    buttons = widget.editor.findChildren(QPushButton, "removePhoto")
    assert len(buttons) == 2 and "Voorgevel" in buttons[0].accessibleName()
    asked: list[str] = []

    def decline(_title: str, text: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(page, "confirm", decline)
    buttons[0].click()
    assert page.session.value(ref) == [first, second]  # declined: both stay
    assert asked and "Voorgevel" in asked[0]
    monkeypatch.setattr(page, "confirm", lambda *_args: True)
    buttons[0].click()
    assert page.session.value(ref) == [second]
    assert len(widget.editor.findChildren(QPushButton, "removePhoto")) == 1


def test_wissen_asks_before_dropping_every_photo(page: ChecklistPage, tmp_path: Path) -> None:
    """Regression: "Wissen" emptied a photo answer without a word."""
    ref = photo_ref(page)
    page.commands.add_photo_file(ref, an_image(tmp_path / "a.jpg"), "Voorgevel")
    assert page.session is not None
    photos = page.session.value(ref)
    widget = page.widget(ref)
    assert widget is not None

    def press(text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "1 foto" in box.text()
        assert box.defaultButton().text() == "Behouden"  # Enter keeps the photos
        next(b for b in box.buttons() if b.text() == text).click()

    QTimer.singleShot(0, lambda: press("Behouden"))
    widget.clear_button.click()
    assert page.session.value(ref) == photos
    QTimer.singleShot(0, lambda: press("Wissen"))
    widget.clear_button.click()
    assert page.session.value(ref) is None


# ------------------------------------------------------------------------------------ file dialogs


def test_file_dialogs_are_in_the_apps_language_and_remember_the_folder(
    ui_app: AppContext, tmp_path: Path
) -> None:
    folder = tmp_path / "fotos"
    folder.mkdir()
    picture = an_image(folder / "pand.jpg")
    ui_app.settings.ui[FOLDERS_KEY] = {"photo": str(tmp_path / "bestaat-niet")}
    seen: list[tuple[str, bool, list[str]]] = []

    def choose(path: Path) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        seen.append(
            (dialog.directory().absolutePath(), dialog.testOption(dialog.Option.DontUseNativeDialog), labels)
        )
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, lambda: choose(picture))
    assert open_file_name(None, ui_app, "photo", "Foto toevoegen", "Foto's (*.jpg)") == picture
    start, non_native, labels = seen[0]
    assert Path(start).is_dir() and non_native  # never a folder that does not exist
    assert "Zoeken in:" in labels and not any("Look in" in text or "Files of" in text for text in labels)
    QTimer.singleShot(0, lambda: choose(picture))
    open_file_name(None, ui_app, "photo", "Foto toevoegen", "Foto's (*.jpg)")
    assert Path(seen[1][0]) == folder  # the last folder, remembered
    reopened = open_app(ui_app.paths.data_dir)
    try:
        assert start_folder(reopened, "photo") == folder  # also after a restart
    finally:
        reopened.close()


def test_photo_delete_buttons_only_where_photos_can_be_deleted(ui_app: AppContext, tmp_path: Path) -> None:
    """The addendum dialog shows a photo answer read-only: no delete button that would do nothing."""
    from inspector_app.services.visit.photos import add_photo, photos_of
    from inspector_app.services.visit.session import VisitSession
    from inspector_app.ui.checklist_editors import PhotoEditor

    session = VisitSession(
        ui_app, start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Los")))
    )
    ref = next(q.id for q in session.form.questions.values() if q.type.value == "photo" and not q.repeat)
    add_photo(session, ref, an_image(tmp_path / "a.jpg"), "Voorgevel")
    (row,) = photos_of(session)
    files = {row.id: ((tmp_path / "a.jpg").read_bytes(), row.caption)}

    def lookup(ids: list[str]) -> list[tuple[bytes | None, str]]:
        return [files[i] for i in ids if i in files]

    question = session.form.questions[ref]
    alone = PhotoEditor(question, lookup)
    alone.set_value([row.id])
    [button] = alone.findChildren(QPushButton, "removePhoto")
    assert button.isHidden()
    wired = PhotoEditor(question, lookup)
    wired.photo_remove_requested.connect(lambda _id: None)
    wired.set_value([row.id])
    [button] = wired.findChildren(QPushButton, "removePhoto")
    assert not button.isHidden()
