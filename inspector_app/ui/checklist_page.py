"""The checklist page: section navigator, the questions of one section, signals as you go, finalize.

Every change goes straight to the services (no Save button); the page then refreshes only what the
returned `Changes` touched: visibility and computed values of the built sections, the navigator's
progress, and the signal panel, marks and banner when the standing indicators changed. Commands
beyond answering (persons, signals, photos, finalize, addenda) live in the composed
`ChecklistActions`; the signal display in `SignalDisplay`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import AnswerValue
from inspector_app.errors import AppError
from inspector_app.forms.model import Question
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.state import missing_required
from inspector_app.i18n import _, current_language
from inspector_app.services import clock
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.reinspections import FollowUpRequest, follow_up_detail, set_follow_up
from inspector_app.services.visit.history import location_history
from inspector_app.services.visit.indicators import observation_questions
from inspector_app.services.visit.session import VisitSession
from inspector_app.ui.checklist_actions import ChecklistActions
from inspector_app.ui.checklist_editor_base import IdleCommitEditor
from inspector_app.ui.checklist_question import QuestionWidget
from inspector_app.ui.checklist_sections import SectionView, show_section_progress
from inspector_app.ui.checklist_signals import SignalDisplay
from inspector_app.ui.checklist_style import (
    error_text_style,
    focus_ring_style,
    icon_pixmap,
    secondary_text_style,
)
from inspector_app.ui.follow_up_picker import FollowUpPicker
from inspector_app.ui.location_history import LocationHistoryBox
from inspector_app.ui.municipal_time import municipal_now, use_zone
from inspector_app.ui.signal_panel import AdviceBanner, SignalPanel

SECTION_ROLE = Qt.ItemDataRole.UserRole


class ChecklistPage(QWidget):
    """One visit's checklist, saved answer by answer."""

    back_requested = Signal()
    visit_changed = Signal(str)
    # A write from this page ended (saved or refused; the text is a refusal, "" when saved): the
    # window checks at once, not a freshness tick later, whether the write found the visit changed
    # elsewhere, and reloads the screen, so it never shows a value that is not stored.
    write_ended = Signal(str)

    def __init__(self, app: AppContext, contact_person: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view_only = False
        self.app = app
        self.contact_person = contact_person
        self.catalogue = load_catalogue()
        self.session: VisitSession | None = None
        self.discreet = False
        self.views: dict[str, SectionView] = {}
        self.commands = ChecklistActions(self, self)
        self._build()
        self.signals = SignalDisplay(self.panel, self.banner, self.catalogue, contact_person)

    # ------------------------------------------------------------------------------------ layout

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        bar = QHBoxLayout()
        self.back_button = QPushButton(_("← Bezoekenlijst"))
        self.back_button.setToolTip(_("Terug naar de bezoekenlijst (Esc vraagt eerst)"))
        self.back_button.clicked.connect(self.go_back)
        bar.addWidget(self.back_button)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(self.title, 1)
        self.message_icon = QLabel()
        self.message_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_MessageBoxCritical))
        self.message = QLabel()
        self.message.setStyleSheet(error_text_style())
        self.message.setWordWrap(True)
        bar.addWidget(self.message_icon)
        bar.addWidget(self.message, 1)
        self.message_icon.hide()
        self.message.hide()
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(secondary_text_style())
        bar.addWidget(self.saved_label)
        self.follow_up = FollowUpPicker()
        self.follow_up.chosen.connect(self._follow_up_chosen)
        bar.addWidget(self.follow_up)
        self.finalize_button = QPushButton(_("Definitief maken"))
        self.finalize_button.setToolTip(
            _("Verplichte vragen controleren en het bezoek vergrendelen (Ctrl+Return)")
        )
        self.finalize_button.clicked.connect(self.commands.request_finalize)
        bar.addWidget(self.finalize_button)
        layout.addLayout(bar)
        self.follows_up_label = QLabel()  # a visit started as the re-inspection of an earlier one
        self.follows_up_label.setStyleSheet(secondary_text_style())
        self.follows_up_label.hide()
        layout.addWidget(self.follows_up_label)

        self.final_box = QFrame()
        self.final_box.setObjectName("finalBanner")
        self.final_box.setStyleSheet("QFrame#finalBanner { background:#e0e0e0; border-left:6px solid #333; }")
        final_row = QHBoxLayout(self.final_box)
        final_row.setContentsMargins(8, 4, 8, 4)
        final_icon = QLabel()
        final_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_DialogApplyButton, 20))
        final_row.addWidget(final_icon)
        self.final_banner = QLabel()
        self.final_banner.setWordWrap(True)
        self.final_banner.setStyleSheet("color:#111; font-weight:bold;")
        final_row.addWidget(self.final_banner, 1)
        self.final_box.hide()
        layout.addWidget(self.final_box)
        self.history = LocationHistoryBox(self.catalogue)
        layout.addWidget(self.history)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.navigator = QListWidget()
        self.navigator.setAccessibleName(_("Secties"))
        self.navigator.setMinimumWidth(200)
        self.navigator.setWordWrap(True)
        self.navigator.currentRowChanged.connect(self._section_chosen)
        self.stack = QStackedWidget()
        self.placeholder = QLabel(_("Kies een bezoek in de bezoekenlijst."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        self.panel = SignalPanel(self.catalogue)
        self.panel.jump_requested.connect(self.jump_to)
        self.panel.tick_requested.connect(self.commands.open_picker)
        self.panel.dismiss_requested.connect(self.commands.dismiss_indicator)
        self.panel.restore_requested.connect(self.commands.restore_indicator)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([230, 700, 320])
        layout.addWidget(self.splitter, 1)
        # Below the questions, not above: a banner appearing after an answer shrinks the page from the
        # bottom, so nothing under the pointer or the focus moves (a quick second click stays right).
        self.banner = AdviceBanner()
        layout.addWidget(self.banner)
        self.setStyleSheet(focus_ring_style())

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot, text in (
            ("Esc", self.ask_go_back, _("Terug naar de bezoekenlijst (vraagt eerst)")),
            ("Ctrl+Return", self.commands.request_finalize, _("Bezoek definitief maken")),
            ("Ctrl+Enter", self.commands.request_finalize, ""),
            ("Ctrl+PgDown", lambda: self.step_section(1), _("Volgende sectie")),
            ("Ctrl+PgUp", lambda: self.step_section(-1), _("Vorige sectie")),
            ("F8", self.next_open_question, _("Volgende open verplichte vraag")),
            ("Alt+Right", lambda: self._current_view_step(1), _("Volgende persoon")),
            ("Alt+Left", lambda: self._current_view_step(-1), _("Vorige persoon")),
            ("Ctrl+Shift+A", self.banner.toggle_expanded, _("Advies in- of uitklappen")),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.setWhatsThis(text)  # the F1 list is generated from these texts
            shortcut.activated.connect(slot)

    def _current_view_step(self, delta: int) -> None:
        current = self.stack.currentWidget()
        if isinstance(current, SectionView):
            current.step_person(delta)

    # ------------------------------------------------------------------------------ public API

    def current_visit_id(self) -> str | None:
        return self.session.visit_id if self.session else None

    def open_visit(self, visit_id: str) -> None:
        self.flush_pending()
        try:
            session = VisitSession(self.app, visit_id)
        except AppError as error:
            self.show_message(error.message)
            return
        self._clear_views()
        self.session = session
        use_zone(clock.policy_zone(session.db))
        self.signals.invalidate()
        self.saved_label.clear()
        self.clear_message()
        language = current_language()
        self.navigator.blockSignals(True)
        self.navigator.clear()
        for section in session.form.sections:
            item = QListWidgetItem(section.title.get(language))
            item.setData(SECTION_ROLE, section.id)
            self.navigator.addItem(item)
        self.navigator.blockSignals(False)
        self._update_title()
        show_section_progress(self.navigator, session.form, session.outcome.state)
        self._refresh_signals()
        self._apply_read_only()
        planning = follow_up_detail(self.app, session.visit_id)
        self.follow_up.show_due(planning["reinspection_due"])
        earlier = planning["follows_up"]
        self.follows_up_label.setText(
            _("Dit bezoek is de hercontrole van bezoek {visit}.", visit=str(earlier)[:8]) if earlier else ""
        )
        self.follows_up_label.setVisible(bool(earlier))
        self.history.show_items(location_history(self.app, session.location.id, session.visit_id))
        self.history.setVisible(bool(self.history.items) and not self.discreet)
        self.navigator.setCurrentRow(0)
        # A keyboard user lands in the page, not on the hidden search box of the list.
        self.navigator.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_discreet(self, on: bool) -> None:
        """Hide (or show again) every signal mark, the signal panel and the advice banner."""
        self.discreet = on
        self.panel.setVisible(not on)
        self.history.setVisible(bool(self.history.items) and not on)
        self.signals.invalidate()
        self._refresh_signals()

    def go_back(self) -> None:
        self.flush_pending()
        self.back_requested.emit()

    def ask_go_back(self) -> None:
        """Esc: back to the list only after asking, so a stray Esc never leaves a visit."""
        if self.session is None or self.confirm(
            _("Bezoek verlaten"),
            _("Terug naar de bezoekenlijst? Uw antwoorden zijn al opgeslagen."),
        ):
            self.go_back()

    def step_section(self, step: int) -> None:
        """Ctrl+PgDn / Ctrl+PgUp: the next or previous section, focus on its first question."""
        if self.session is None:
            return
        row = self.navigator.currentRow() + step
        if 0 <= row < self.navigator.count():
            self.navigator.setCurrentRow(row)
            view = self.view(str(self.navigator.item(row).data(SECTION_ROLE)))
            first = next((w for w in view.widgets.values() if w.isVisibleTo(view)), None)
            if first is not None:
                first.focus()
                view.scroll_to(first)

    def next_open_count(self) -> int:
        """How many required questions are still without an answer (what F8 visits)."""
        session = self.session
        return len(missing_required(session.form, session.outcome.state)) if session else 0

    def next_open_question(self) -> None:
        """F8: the next required question without an answer, after the one that has focus."""
        session = self.session
        if session is None:
            return
        missing = missing_required(session.form, session.outcome.state)
        if not missing:
            self.show_message(_("Alle verplichte vragen zijn beantwoord."))
            return
        focused = QApplication.focusWidget()
        current = next(
            (
                ref
                for view in self.views.values()
                for ref, widget in view.widgets.items()
                if focused is not None and widget.isAncestorOf(focused)
            ),
            None,
        )
        later = missing[missing.index(current) + 1 :] if current in missing else missing
        self.jump_to((later or missing)[0])

    def flush_pending(self) -> None:
        """Save typed text that has not been committed yet (before leaving, finalizing, closing)."""
        for view in self.views.values():
            for widget in list(view.widgets.values()):
                widget.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_pending()
        super().hideEvent(event)

    # ------------------------------------------------------------------------------- sections

    def _clear_views(self) -> None:
        for view in self.views.values():
            self.stack.removeWidget(view)
            view.deleteLater()
        self.views.clear()
        self.stack.setCurrentWidget(self.placeholder)

    def _section_chosen(self, row: int) -> None:
        item = self.navigator.item(row)
        if item is None or self.session is None:
            return
        self.stack.setCurrentWidget(self.view(str(item.data(SECTION_ROLE))))

    def view(self, section_id: str) -> SectionView:
        """The view of a section, built the first time it is needed."""
        existing = self.views.get(section_id)
        if existing is not None:
            return existing
        session = self._session()
        sections = session.form.sections
        index = next(i for i, s in enumerate(sections) if s.id == section_id)
        view = SectionView(session.form, sections[index], self._make_question, index + 1 < len(sections))
        view.next_requested.connect(lambda: self.navigator.setCurrentRow(index + 1))
        view.add_person_requested.connect(self.commands.add_person)
        view.remove_person_requested.connect(self.commands.remove_person)
        view.sync_persons(session.persons)
        view.refresh_state(session.outcome.state)
        view.set_read_only(self.locked(), amendable=not self.view_only)
        self.views[section_id] = view
        self.stack.addWidget(view)
        self.signals.mark(session, [view], self.discreet)
        return view

    def _make_question(self, question: Question, person: int | None) -> QuestionWidget:
        session = self._session()
        widget = QuestionWidget(question, person, self.commands.photo_files)
        widget.needs_note_on_tick = question.id in observation_questions(session.form)
        row = session.answers.get((question.id, person or 0))
        widget.show_answer(row.value if row else None, row.note if row else "")
        widget.answered.connect(self._answered)
        widget.note_edited.connect(self._note_edited)
        widget.amend_requested.connect(self.commands.amend)
        widget.photo_requested.connect(self.commands.choose_photo)
        widget.photo_remove_requested.connect(self.commands.remove_photo)
        return widget

    def widget(self, ref: str) -> QuestionWidget | None:
        """The widget of an answer ref, building its section if needed."""
        session = self._session()
        try:
            question, person = parse_ref(session.form, ref)
        except AppError:
            return None
        view = self.view(question.section_id)
        if person is not None:
            view.ensure_person(person)
        return view.widgets.get(ref.strip())

    def jump_to(self, ref: str) -> None:
        """Show the section of `ref`, scroll to the question and give it focus."""
        session = self._session()
        try:
            question, person = parse_ref(session.form, ref)
        except AppError as error:
            self.show_message(error.message)
            return
        for row in range(self.navigator.count()):
            if self.navigator.item(row).data(SECTION_ROLE) == question.section_id:
                self.navigator.setCurrentRow(row)
        view = self.view(question.section_id)
        if person is not None:
            view.show_person(person)
        widget = view.widgets.get(ref.strip())
        if widget is None:
            return
        widget.focus()
        view.scroll_to(widget)
        QTimer.singleShot(0, lambda: view.scroll_to(widget) if widget.isVisible() else None)

    # --------------------------------------------------------------------------------- saving

    def _answered(self, ref: str, value: AnswerValue) -> None:
        widget = self.widget(ref)
        try:
            changes = self._session().answer(ref, value)
        except AppError as error:
            if widget is not None:
                widget.show_error(error.message)
            self.write_ended.emit(error.message)
            return
        if widget is not None:
            widget.clear_error()
            if not isinstance(widget.editor, IdleCommitEditor):
                widget.editor.set_value(value)  # typed text stays as typed; buttons follow the answer
        self.apply_changes(changes)

    def _note_edited(self, ref: str, note: str) -> None:
        try:
            changes = self._session().set_note(ref, note)
        except AppError as error:
            self.show_message(error.message)
            return
        self.apply_changes(changes)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what a saved change touched and tell the window."""
        self.write_ended.emit("")
        if changes.nothing:
            return
        session = self._session()
        # the zone the page set when the visit opened: no policy read on every save
        self.saved_label.setText(_("Opgeslagen {time}", time=f"{municipal_now():%H:%M}"))
        self.clear_message()
        if changes.persons:
            for view in self.views.values():
                view.sync_persons(session.persons)
        state = session.outcome.state
        for view in self.views.values():
            view.refresh_state(state)
        show_section_progress(self.navigator, session.form, session.outcome.state)
        self._refresh_signals()
        if changes.status_changed:
            self._update_title()
            self._apply_read_only()
        self.visit_changed.emit(session.visit_id)

    # ----------------------------------------------------------------------------- state shown

    def _session(self) -> VisitSession:
        if self.session is None:
            raise RuntimeError("no visit is open")
        return self.session

    def _refresh_signals(self) -> None:
        if self.session is not None:
            self.signals.history = self.view_only
            self.signals.refresh(self.session, self.views.values(), self.discreet)

    def locked(self) -> bool:
        """Read-only: a finalized visit, or any visit opened by the office to review it."""
        session = self.session
        return session is not None and (session.is_final or self.view_only)

    def _apply_read_only(self) -> None:
        session = self._session()
        final = self.locked()
        for view in self.views.values():
            view.set_read_only(final, amendable=not self.view_only)
        self.panel.set_read_only(final)
        self.finalize_button.setEnabled(not final)
        if self.view_only:  # the office: read-only, no addenda (README, "The desktop app")
            self.final_banner.setText(
                _(
                    "Alleen lezen: het kantoor bekijkt dit bezoek zonder het te wijzigen. Een correctie "
                    "legt de toezichthouder vast met 'Aanvulling…' op de laptop; die komt met de "
                    "volgende bundel mee."
                )
            )
        elif final:
            when = clock.shown_moment(session.db, session.visit.finalized_at, current_language())
            self.final_banner.setText(
                _(
                    "Definitief ({when}). Dit bezoek is vergrendeld; een correctie legt u vast met "
                    "'Aanvulling…' bij de vraag, met een reden.",
                    when=when,
                )
            )
        self.final_box.setVisible(final)

    def follow_up_request(self) -> FollowUpRequest:
        return self.follow_up.request()

    def _follow_up_chosen(self) -> None:
        """A draft keeps the choice for its finalisation; a final visit (or the office) stores it now."""
        session = self.session
        if session is None or not self.locked():
            return
        try:
            due = set_follow_up(self.app, session, self.follow_up.request())
        except AppError as error:
            self.show_message(error.message)
            return
        self.clear_message()
        self.saved_label.setText(
            _("Hercontrole gepland op {day}", day=due) if due else _("Geen hercontrole gepland.")
        )

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def show_message(self, text: str) -> None:
        """A refused command (or note) says why; the window then checks whether the store changed."""
        self.message.setText(text)
        self.message.show()
        self.message_icon.show()
        self.write_ended.emit(text)

    def clear_message(self) -> None:
        self.message.hide()
        self.message_icon.hide()

    def _update_title(self) -> None:
        session = self._session()
        language = current_language()
        status = _("Definitief") if session.is_final else _("Concept")
        self.title.setText(
            f"<b>{_html(session.location.name)}</b> · {_html(session.form.title.get(language))}"
            f" · {session.visit.started_at[:10]} · {status}"
        )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
