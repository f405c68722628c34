"""The main window: visit list and checklist page in one window, menus with shortcuts, discreet mode."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from inspector_app.errors import AppError
from inspector_app.i18n import _
from inspector_app.reports.labels import REPORT_KIND_LABELS
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.policy import current_policy
from inspector_app.services.store import Unlock
from inspector_app.services.store import status as store_status
from inspector_app.services.visits import open_visit
from inspector_app.settings import NewerSettingsError
from inspector_app.ui.about_dialog import show_about
from inspector_app.ui.app_lock import IdleTimer, LockPage, reopen_problem
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.dialogs import SettingsDialog
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.qt_translation import install_qt_translation
from inspector_app.ui.referral_dialog import ReferralDialog
from inspector_app.ui.report_actions import ReportActions
from inspector_app.ui.shortcut_help import show_shortcut_help
from inspector_app.ui.sync_dialogs import install_sync_menu
from inspector_app.ui.visit_list import VisitListPage

if TYPE_CHECKING:
    from inspector_app.services.retention import RetentionRun
    from inspector_app.ui.dashboard import DashboardPage

FRESHNESS_MS = 1500  # how often the open visit is compared with the store (one cheap PRAGMA)


class MainWindow(QMainWindow):
    # The user asked for the other environment (real <-> practice); the launcher reopens the window.
    switch_environment_requested = Signal()

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.discreet = False
        self.resize(1280, 820)
        self._build()
        geometry = app.settings.ui.get("geometry")
        if isinstance(geometry, str):
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        # A visit changed by the command line (or another program) while it is open here is reloaded
        # and the user is told, before the next write; the screen never shows what is not stored.
        self.closed = False
        self._refusal = ""  # a refused write's message, shown again after the reload it causes
        self.freshness = QTimer(self)
        self.freshness.setInterval(FRESHNESS_MS)
        self.freshness.timeout.connect(self.check_open_visit)
        self.freshness.start()
        # The app lock (docs/privacy.md): after the policy's idle time the contents hide and the
        # connection closes until the passphrase is given again.
        self.locked = False
        self.lock_page: LockPage | None = None
        self.before_lock: QWidget | None = None
        self.idle = IdleTimer(current_policy(app).app_lock_minutes, self.lock_now, self)
        if app.settings_problem:
            # Once per window (not in _build, which runs again after a language switch), after it is on screen.
            QTimer.singleShot(0, self._show_settings_problem)

    def _title(self) -> str:
        """The title bar says which environment is open, so practice is never taken for real work.

        It never names a visit or its signals (task bars, window switchers and screen sharing show it),
        in discreet mode or not."""
        title = _("Signalering mensenhandel")
        return f"{title} — {_('OEFENOMGEVING')}" if self.app.practice else title

    def check_open_visit(self) -> bool:
        """Reload the open visit when it was changed outside this window, and say so; True if it was."""
        session = self.checklist.session
        if self.closed:  # its store may be closed too (an environment switch, the end)
            return False
        if session is None or not (session.changed_elsewhere() or session.reloaded_elsewhere):
            return False
        row = self.checklist.navigator.currentRow()
        self.checklist.open_visit(session.visit_id)  # a pending typed answer is checked, then saved
        if 0 <= row < self.checklist.navigator.count():
            self.checklist.navigator.setCurrentRow(row)
        self.statusBar().showMessage(
            _("Dit bezoek is buiten de app gewijzigd (bijvoorbeeld via de opdrachtregel); opnieuw geladen.")
        )
        return True

    def _after_write(self, refusal: str) -> None:
        """A write that found the visit changed elsewhere reloaded only its session: reload the
        screen too, once the write's own handling has ended (its widget may be replaced)."""
        self._refusal = refusal
        QTimer.singleShot(0, self._reload_after_write)

    def _reload_after_write(self) -> None:
        refusal, self._refusal = self._refusal, ""
        if self.check_open_visit() and refusal:
            self.checklist.show_message(refusal)  # the refusal stays readable after the reload

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to the window (after a command in a terminal) checks at once, not a tick later."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_open_visit()
        super().changeEvent(event)

    def _show_settings_problem(self) -> None:
        QMessageBox.warning(self, _("Instellingen"), self.app.settings_problem or "")

    def _build(self) -> None:
        """Create pages and menus; called again after a language switch."""
        self.menuBar().clear()
        self.stack = QStackedWidget()
        self.dashboard: DashboardPage | None = None  # made on first use (menu Overzicht, office)
        self.reports = ReportActions(self.app, self)
        self.visit_list = VisitListPage(self.app)
        contact = self.app.settings.contact_person
        contact_text = ", ".join(p for p in (contact.name, contact.phone) if p)
        self.checklist = ChecklistPage(self.app, contact_text)
        self.stack.addWidget(self.visit_list)
        self.stack.addWidget(self.checklist)
        self.setCentralWidget(self.stack)
        self.visit_list.open_requested.connect(self.open_visit)
        self.visit_list.new_requested.connect(self.new_visit)
        self.visit_list.referrals_requested.connect(self.open_referrals)
        self.checklist.back_requested.connect(self.show_list)
        self.checklist.visit_changed.connect(lambda _visit: self.visit_list.refresh())
        self.checklist.write_ended.connect(self._after_write)
        self._menus()
        who = self.app.settings.profile.name or _("onbekend")
        if not hasattr(self, "who_label"):
            self.who_label = QLabel()
            self.statusBar().addPermanentWidget(self.who_label)
        if self.app.practice and not hasattr(self, "practice_label"):
            self.practice_label = QLabel()
            self.practice_label.setStyleSheet(
                "QLabel { color: white; background: #b00020; padding: 2px 8px; }"
            )
            self.statusBar().insertPermanentWidget(0, self.practice_label)
        if self.app.practice:
            self.practice_label.setText(_("OEFENOMGEVING: oefengegevens, worden nooit uitgewisseld"))
        self.who_label.setText(_("Ingelogd als {name}", name=who))
        if not hasattr(self, "discreet_label"):
            # The persistent marker: small, neutral, in the status bar for as long as the mode is on.
            self.discreet_label = QLabel()
            self.discreet_label.setStyleSheet("QLabel { border: 1px solid #555; padding: 1px 6px; }")
            self.statusBar().insertPermanentWidget(0, self.discreet_label)
        self.discreet_label.setText(_("Discreet"))
        self.discreet_label.setAccessibleName(_("Discrete modus staat aan"))
        self.discreet_label.setToolTip(_("Discrete modus staat aan (Ctrl+Shift+D om uit te zetten)"))
        self._apply_discreet()

    def _action(
        self, text: str, shortcut: str, slot: Callable[[], object], checkable: bool = False
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&Bestand"))
        file_menu.addAction(self._action(_("&Nieuw bezoek…"), "Ctrl+N", self.new_visit))
        file_menu.addAction(self._action(_("&Instellingen…"), "Ctrl+,", self.open_settings))
        file_menu.addAction(self._action(_("E&xporteren naar spreadsheet…"), "", self.open_export))
        if self.visit_list.office:
            file_menu.addAction(self._action(_("&Bewaartermijnen (FG)…"), "", self.open_retention))
        if not self.app.practice:
            file_menu.addAction(self._action(_("&Wachtwoordzin wijzigen…"), "", self.change_passphrase))
        file_menu.addAction(self._action(_("&Vergrendelen"), "Ctrl+Shift+L", self.lock_now))
        other = _("Naar de &echte omgeving") if self.app.practice else _("Naar de &oefenomgeving")
        file_menu.addAction(self._action(other, "", self.switch_environment_requested.emit))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Afsluiten"), "Ctrl+Q", self.close))
        view_menu = bar.addMenu(_("Beel&d"))
        view_menu.addAction(self._action(_("&Bezoekenlijst"), "Ctrl+L", self.show_list))
        view_menu.addAction(self._action(_("&Hercontroles…"), "", self.open_reinspections))
        self.discreet_action = self._action(_("&Discrete modus"), "Ctrl+Shift+D", self.toggle_discreet, True)
        self.discreet_action.setChecked(self.discreet)
        view_menu.addAction(self.discreet_action)
        report_menu = bar.addMenu(_("&Rapporten"))
        for kind, shortcut in (
            (ReportKind.VISIT, "Ctrl+P"),
            (ReportKind.SIGNAL, ""),
            (ReportKind.RECEIPT, ""),
        ):
            report_menu.addAction(
                self._action(
                    REPORT_KIND_LABELS[kind].get() + "…",
                    shortcut,
                    functools.partial(self.report_current, kind),
                )
            )
        report_menu.addSeparator()
        report_menu.addAction(
            self._action(
                _("Bezoekrapporten voor de gekozen bezoeken…"),
                "Ctrl+Shift+P",
                lambda: self.report_batch(ReportKind.VISIT),
            )
        )
        report_menu.addSeparator()
        report_menu.addAction(self._action(_("&Zaaknummer vastleggen…"), "", self.set_zaak_current))
        report_menu.addAction(
            self._action(_("&DMS-export (PDF/A en metadata)…"), "", self.dms_export_current)
        )
        if self.visit_list.office:
            overview = bar.addMenu(_("&Overzicht"))
            overview.addAction(self._action(_("&Dashboard"), "Ctrl+Shift+O", self.show_dashboard))
            overview.addAction(self._action(_("&Jaaroverzicht opslaan…"), "", self.save_summary))
        install_sync_menu(self, bar.addMenu(_("&Uitwisselen")))
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("&Sneltoetsen"), "F1", self.show_shortcuts))
        help_menu.addAction(self._action(_("&Over…"), "", lambda: show_about(self)))

    def open_visit(self, visit_id: str) -> None:
        self.checklist.view_only = self.visit_list.office
        self.checklist.open_visit(visit_id)
        self.checklist.set_discreet(self.discreet)
        self.stack.setCurrentWidget(self.checklist)

    def open_referrals(self, visit_id: str) -> None:
        try:
            session = open_visit(self.app, visit_id)
        except AppError as error:
            QMessageBox.warning(self, _("Bezoek niet geopend"), error.message)
            return
        ReferralDialog(session, self).exec()
        self.visit_list.refresh()

    def _current_visit(self) -> str | None:
        if self.stack.currentWidget() is self.checklist:
            return self.checklist.current_visit_id()
        selected = self.visit_list.selected_visit_ids()
        return selected[0] if selected else None

    def report_current(self, kind: ReportKind, _checked: bool = False) -> None:
        visit_id = self._current_visit()
        if visit_id is None:
            QMessageBox.information(self, _("Geen bezoek"), _("Kies eerst een bezoek."))
            return
        if self.stack.currentWidget() is self.checklist:
            self.checklist.flush_pending()
        self.reports.save_one(visit_id, kind)

    def set_zaak_current(self, _checked: bool = False) -> None:
        visit_id = self._current_visit()
        if visit_id is None:
            QMessageBox.information(self, _("Geen bezoek"), _("Kies eerst een bezoek."))
            return
        self.reports.set_zaak(visit_id)

    def dms_export_current(self, _checked: bool = False) -> None:
        visit_id = self._current_visit()
        if visit_id is None:
            QMessageBox.information(self, _("Geen bezoek"), _("Kies eerst een bezoek."))
            return
        self.reports.dms_export(visit_id)

    def report_batch(self, kind: ReportKind) -> None:
        self.reports.batch(self.visit_list.selected_visit_ids(), kind)

    def show_dashboard(self) -> None:
        """Office: the figures of a period (built when first asked for: it reads the whole store)."""
        from inspector_app.ui.dashboard import DashboardPage

        if self.discreet:  # the figures are signals: never on screen in discreet mode
            self.statusBar().showMessage(_("Het overzicht is niet beschikbaar in de discrete modus."), 5000)
            return
        if self.dashboard is None:
            self.dashboard = DashboardPage(self.app)
            self.dashboard.back_requested.connect(self.show_list)
            self.dashboard.summary_requested.connect(self.save_summary)
            self.dashboard.visits_requested.connect(self.show_visits_behind)
            self.stack.addWidget(self.dashboard)
        self.dashboard.refresh()
        self.stack.setCurrentWidget(self.dashboard)
        self.dashboard.start.setFocus()

    def show_visits_behind(self, visit_ids: list[str], description: str) -> None:
        self.visit_list.show_only(visit_ids, description)
        self.stack.setCurrentWidget(self.visit_list)
        self.visit_list.table.setFocus()

    def save_summary(self) -> None:
        from inspector_app.ui.summary_dialog import save_summary_dialog

        save_summary_dialog(self, self.app)

    def show_list(self) -> None:
        self.visit_list.refresh()
        self.stack.setCurrentWidget(self.visit_list)
        self.visit_list.table.setFocus()

    def new_visit(self) -> None:
        dialog = NewVisitDialog(self.app, self)
        if dialog.exec() == NewVisitDialog.DialogCode.Accepted and dialog.visit_id:
            self.visit_list.refresh()
            self.open_visit(dialog.visit_id)

    def toggle_discreet(self) -> None:
        self.discreet = not self.discreet
        self.discreet_action.setChecked(self.discreet)
        self._apply_discreet()
        self.statusBar().showMessage(
            _("Discrete modus aan") if self.discreet else _("Discrete modus uit"), 3000
        )

    def _apply_discreet(self) -> None:
        """Every view follows the mode: visit list, checklist, PDF preview, title, notifications, marker."""
        on = self.discreet
        self.checklist.set_discreet(on)
        self.visit_list.set_discreet(on)
        if on and self.dashboard is not None and self.stack.currentWidget() is self.dashboard:
            self.stack.setCurrentWidget(self.visit_list)
        self.reports.discreet = on
        self.discreet_label.setVisible(on)
        self.setWindowTitle(self._title())
        if on:
            self.statusBar().clearMessage()  # a notification of a moment ago may name a signal

    def open_export(self) -> None:
        """Visits to a spreadsheet; at the office also the (audited) signals export."""
        from inspector_app.ui.export_dialog import SpreadsheetExportDialog

        SpreadsheetExportDialog(self.app, self.visit_list.office, self).exec()

    def open_reinspections(self) -> None:
        """The open re-inspections; a visit started from one opens here."""
        from inspector_app.ui.reinspections_dialog import ReinspectionsDialog

        dialog = ReinspectionsDialog(self.app, self)
        dialog.visit_started.connect(self._reinspection_started)
        dialog.exec()

    def _reinspection_started(self, visit_id: str) -> None:
        self.visit_list.refresh()
        self.open_visit(visit_id)

    def open_retention(self) -> None:
        """Office: the DPO's retention screen; the list follows what was removed."""
        from inspector_app.ui.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.app, self)
        dialog.removed.connect(self._retention_applied)
        dialog.exec()
        self.visit_list.refresh()

    def _retention_applied(self, outcome: RetentionRun) -> None:
        removed = {visit for rule in outcome.rules for visit in rule.visits}
        if self.checklist.current_visit_id() in removed:
            self.checklist.session = None  # nothing left to show or to check for freshness
            self.stack.setCurrentWidget(self.visit_list)
        self.visit_list.refresh()

    def open_settings(self) -> None:
        language = self.app.settings.language
        if SettingsDialog(self.app, self).exec() != SettingsDialog.DialogCode.Accepted:
            return
        if self.app.settings.language != language:
            current = self.checklist.current_visit_id()
            self.statusBar().clearMessage()
            install_qt_translation(self.app.settings.language)
            self._build()
            self.setWindowTitle(self._title())
            if current and self.stack.currentWidget() is not self.visit_list:
                self.open_visit(current)

    def show_shortcuts(self) -> None:
        show_shortcut_help(self)

    def change_passphrase(self) -> None:
        from inspector_app.ui.store_dialogs import ChangePassphraseDialog

        if ChangePassphraseDialog(self.app, self).exec() == ChangePassphraseDialog.DialogCode.Accepted:
            self.statusBar().showMessage(_("De wachtwoordzin is gewijzigd."), 5000)

    def lock_now(self) -> None:
        """Hide every page behind the lock page and close the store (typed input stays in the pages)."""
        if self.locked or self.closed:
            return
        needs_passphrase = not self.app.practice and "passphrase" in store_status(self.app.paths).protections
        self.before_lock = self.stack.currentWidget()
        self.lock_page = LockPage(needs_passphrase, self.unlock_with, self)
        self.stack.addWidget(self.lock_page)
        self.stack.setCurrentWidget(self.lock_page)  # an answer being edited saves on its focus-out
        self.lock_page.passphrase.setFocus()
        self.menuBar().setEnabled(False)
        self.freshness.stop()
        self.idle.timer.stop()
        self.locked = True
        self.app.close()

    def unlock_with(self, passphrase: str | None) -> str | None:
        """Open the store again with `passphrase`; the message when that failed (still locked)."""
        problem = reopen_problem(lambda: self.app.reopen(Unlock(passphrase=passphrase, passphrase_only=True)))
        if problem is not None:
            return problem
        if self.checklist.session is not None:
            self.checklist.session.db = self.app.db
        if self.before_lock is not None:
            self.stack.setCurrentWidget(self.before_lock)
        if self.lock_page is not None:
            self.stack.removeWidget(self.lock_page)
            self.lock_page.deleteLater()
            self.lock_page = None
        self.menuBar().setEnabled(True)
        self.locked = False
        self.freshness.start()
        self.idle.timer.start()
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's place; answers are already saved as they were given."""
        self.closed = True
        self.idle.stop()
        self.freshness.stop()
        self.app.settings.ui["geometry"] = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        # A full disk must not keep the window from closing; a newer settings file is never
        # overwritten (the user was told when the window opened).
        with contextlib.suppress(OSError, NewerSettingsError):
            self.app.save_settings()
        super().closeEvent(event)
