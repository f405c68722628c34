"""The encrypted store in the window: unlock at start, a wrong passphrase, a missing key store, the DPO's
recovery, a passphrase change, and the app lock after the idle time (issue 12 items 2 and 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.services.app import open_app
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.unlock_request import Unlock
from inspector_app.sync.backup import create_escrow
from inspector_app.ui.app import Launch
from inspector_app.ui.app_lock import LockPage
from inspector_app.ui.dialogs import FirstRunDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.store_dialogs import ChangePassphraseDialog, RecoverDialog, UnlockDialog
from tests.fake_keyring import no_backend

PASSPHRASE = "paard-batterij-nietje-7"
NEW = "een-heel-andere-zin-42"
LOCATION = "Zeldzaamwoord-Locatie-UI"


def _protected_store(data: Path, escrow_recipient: str | None = None) -> None:
    app = open_app(data, unlock=Unlock(passphrase=PASSPHRASE))
    app.settings.profile.name = "Toezichthouder 1001"
    app.save_settings()
    start_visit(app, NewVisit(form="PB", location=LocationInput(LOCATION, "Kade 1")))
    if escrow_recipient is not None:
        from inspector_app.services.keys import init_office

        init_office(app, "Westerdam", (escrow_recipient,))
    app.close()


def _answers(*texts: str | None, seen: list[UnlockDialog]) -> Callable[[UnlockDialog], int]:
    """UnlockDialog.exec: type each text in turn (None: cancel)."""
    queue = list(texts)

    def run(dialog: UnlockDialog) -> int:
        seen.append(dialog)
        text = queue.pop(0)
        if text is None:
            return QDialog.DialogCode.Rejected
        dialog.passphrase.setText(text)
        dialog.confirm.setText(text)
        dialog.check_and_accept()
        return dialog.result()

    return run


def _launched(qtbot: QtBot, data: Path) -> Launch:
    launch = Launch(data)
    qtbot.waitUntil(lambda: isinstance(launch.window, MainWindow), timeout=20000)
    assert launch.window is not None
    qtbot.addWidget(launch.window)
    return launch


@pytest.mark.usefixtures("no_keystore")
def test_the_start_asks_once_and_again_after_a_wrong_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _protected_store(data)
    seen: list[UnlockDialog] = []
    monkeypatch.setattr(UnlockDialog, "exec", _answers(NEW, PASSPHRASE, seen=seen))
    launch = _launched(qtbot, data)
    assert len(seen) == 2 and not seen[0].new_store
    assert "Verkeerde wachtwoordzin" in seen[1].problem.text() and seen[1].problem.isVisibleTo(seen[1])
    assert not seen[1].remember.isEnabled()  # no OS key store on this machine: nothing to offer
    assert launch.app is not None
    assert launch.app.db.execute("SELECT count(*) FROM locations").fetchone()[0] == 1
    launch._close_current()


@pytest.mark.usefixtures("no_keystore")
def test_a_first_start_without_a_key_store_chooses_a_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[UnlockDialog] = []
    monkeypatch.setattr(UnlockDialog, "exec", _answers(PASSPHRASE, seen=seen))
    monkeypatch.setattr(FirstRunDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    exits: list[int] = []
    monkeypatch.setattr("inspector_app.ui.app.QApplication.exit", lambda code=0: exits.append(code))
    Launch(tmp_path / "data")
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert len(seen) == 1 and seen[0].new_store
    reopened = open_app(tmp_path / "data", unlock=Unlock(passphrase=PASSPHRASE))
    reopened.close()


@pytest.mark.usefixtures("no_keystore")
def test_cancelling_the_unlock_opens_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _protected_store(data)
    seen: list[UnlockDialog] = []
    monkeypatch.setattr(UnlockDialog, "exec", _answers(None, seen=seen))
    exits: list[int] = []
    monkeypatch.setattr("inspector_app.ui.app.QApplication.exit", lambda code=0: exits.append(code))
    launch = Launch(data)
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert exits == [1] and launch.window is None


def test_a_missing_key_store_is_told_in_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: list[str]
) -> None:
    data = tmp_path / "data"
    app = open_app(data)  # the (fake) OS key store alone holds the key
    app.close()
    keyring.set_keyring(no_backend())
    exits: list[int] = []
    monkeypatch.setattr("inspector_app.ui.app.QApplication.exit", lambda code=0: exits.append(code))
    Launch(data)
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert messages and "niet bereikbaar" in messages[0] and "store recover" in messages[0]


@pytest.mark.usefixtures("no_keystore")
def test_the_dpo_recovers_through_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    recipient, backup = create_escrow("fg-reservesleutel-2026", log_n=14)
    escrow_file = tmp_path / "escrow.json"
    escrow_file.write_bytes(backup)
    data = tmp_path / "data"
    _protected_store(data, recipient)
    dialog = RecoverDialog(data)
    qtbot.addWidget(dialog)
    dialog.escrow_file.setText(str(escrow_file))
    dialog.escrow_passphrase.setText("niet-de-goede-zin")
    dialog.new.setText(NEW)
    dialog.confirm.setText(NEW)
    dialog.check_and_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "wachtwoordzin" in dialog.problem.text()
    dialog.escrow_passphrase.setText("fg-reservesleutel-2026")
    dialog.check_and_accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.problem.text()
    open_app(data, unlock=Unlock(passphrase=NEW)).close()


@pytest.mark.usefixtures("no_keystore")
def test_the_passphrase_is_changed_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _protected_store(data)
    app = open_app(data, unlock=Unlock(passphrase=PASSPHRASE))
    try:
        dialog = ChangePassphraseDialog(app)
        qtbot.addWidget(dialog)
        dialog.current.setText(NEW)  # not the current one
        dialog.new.setText(NEW)
        dialog.confirm.setText(NEW)
        dialog.check_and_accept()
        assert "Verkeerde wachtwoordzin" in dialog.problem.text()
        dialog.current.setText(PASSPHRASE)
        dialog.check_and_accept()
        assert dialog.result() == QDialog.DialogCode.Accepted
    finally:
        app.close()
    open_app(data, unlock=Unlock(passphrase=NEW)).close()


def _texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

    parts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget.window()) or not child.isVisible():
            continue
        if isinstance(child, QLabel | QLineEdit):
            parts.append(child.text())
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    parts.append(str(model.index(row, column).data() or ""))
    return "\n".join(parts)


@pytest.mark.usefixtures("no_keystore")
def test_the_app_locks_after_the_idle_time_and_keeps_the_typed_input(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _protected_store(data)
    app = open_app(data, unlock=Unlock(passphrase=PASSPHRASE))
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.idle.timer.interval() == 5 * 60_000  # the policy's default
    assert LOCATION in _texts(window)
    window.visit_list.search.setText("half getypt")
    window.idle.timer.timeout.emit()  # the idle time has passed (the timer is driven, not waited for)
    assert window.locked and isinstance(window.stack.currentWidget(), LockPage)
    assert LOCATION not in _texts(window) and not window.menuBar().isEnabled()
    with pytest.raises(Exception, match="closed"):
        app.db.execute("SELECT 1")
    page = window.stack.currentWidget()
    assert isinstance(page, LockPage) and page.passphrase.isVisible()
    page.passphrase.setText(NEW)
    page.button.click()
    assert window.locked and "Verkeerde wachtwoordzin" in page.problem.text()
    page.passphrase.setText(PASSPHRASE)
    page.button.click()
    assert not window.locked and window.stack.currentWidget() is window.visit_list
    assert window.visit_list.search.text() == "half getypt"
    assert window.app.db.execute("SELECT count(*) FROM locations").fetchone()[0] == 1
    assert window.idle.timer.isActive() and window.menuBar().isEnabled()
    window.close()
    window.app.close()


def test_input_restarts_the_idle_time(qtbot: QtBot, tmp_path: Path) -> None:
    app = open_app(tmp_path / "data")
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.idle.timer.start(10)  # nearly idle
    qtbot.keyClick(window.visit_list.search, "a")  # input restarts it with the full interval
    assert window.idle.timer.isActive() and window.idle.timer.remainingTime() > 1000
    window.lock_now()  # a store without a passphrase: the key store unlocks again
    page = window.stack.currentWidget()
    assert isinstance(page, LockPage) and not page.passphrase.isVisibleTo(page)
    page.button.click()
    assert not window.locked
    window.close()
    window.app.close()
