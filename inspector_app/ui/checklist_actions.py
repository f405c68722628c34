"""What the checklist page does besides answering: persons, signals, photos, finalize and addenda.

`ChecklistPage` builds on this; the split keeps each module to one job. The methods here call the
services and hand the returned `Changes` to the page's `apply_changes`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFrame, QInputDialog, QLabel, QMessageBox, QPushButton, QWidget

from inspector_app.domain.catalogue import Catalogue
from inspector_app.errors import AppError
from inspector_app.i18n import _, current_language
from inspector_app.services.changes import Changes
from inspector_app.services.finalize import FinalizeRefusedError, amend_visit, finalize_visit
from inspector_app.services.observations import dismiss, tick
from inspector_app.services.photos import add_photo, media_path, photos_of
from inspector_app.services.refs import parse_ref
from inspector_app.services.visit_persons import add_person, remove_person
from inspector_app.services.visit_session import VisitSession
from inspector_app.ui.checklist_question import QuestionWidget
from inspector_app.ui.checklist_sections import SectionView
from inspector_app.ui.finalize_dialog import AmendDialog, FinalizeRefusedDialog
from inspector_app.ui.indicator_picker import IndicatorPickerDialog
from inspector_app.ui.signal_panel import AdviceBanner, SignalPanel


class ChecklistActions(QWidget):
    """Person, signal, photo and finalize actions of the checklist page."""

    session: VisitSession | None
    catalogue: Catalogue
    contact_person: str
    discreet: bool
    views: dict[str, SectionView]
    panel: SignalPanel
    banner: AdviceBanner
    final_box: QFrame
    final_banner: QLabel
    finalize_button: QPushButton
    refused_dialog: FinalizeRefusedDialog | None
    picker: IndicatorPickerDialog
    _signals_key: object

    # ------------------------------------------------------------------- provided by the page

    def apply_changes(self, changes: Changes) -> None:
        raise NotImplementedError

    def widget(self, ref: str) -> QuestionWidget | None:
        raise NotImplementedError

    def jump_to(self, ref: str) -> None:
        raise NotImplementedError

    def flush_pending(self) -> None:
        raise NotImplementedError

    def show_message(self, text: str) -> None:
        raise NotImplementedError

    def _session(self) -> VisitSession:
        if self.session is None:
            raise RuntimeError("no visit is open")
        return self.session

    # ------------------------------------------------------------------------------- persons

    def add_person(self, role: str) -> int | None:
        try:
            number, changes = add_person(self._session(), role or None)
        except AppError as error:
            self.show_message(error.message)
            return None
        self.apply_changes(changes)
        return number

    def remove_person(self, number: int) -> None:
        session = self._session()
        person = session.persons.get(number)
        code = person.code if person else str(number)
        if not self.confirm(
            _("Persoon verwijderen"),
            _(
                "Persoon {code} uit dit bezoek halen? De antwoorden blijven bewaard maar tellen niet meer mee.",
                code=code,
            ),
        ):
            return
        try:
            changes = remove_person(session, number)
        except AppError as error:
            self.show_message(error.message)
            return
        self.apply_changes(changes)

    # -------------------------------------------------------------------------------- signals

    def _refresh_signals(self) -> None:
        session = self.session
        if session is None:
            return
        rows = sorted(session.observations.values(), key=lambda r: (r.slug, r.source))
        key = (
            self.discreet,
            tuple(
                (r.slug, r.source, r.weight, tuple(r.raised_by), r.counts, r.dismissed, r.note) for r in rows
            ),
        )
        if key == self._signals_key:
            return
        self._signals_key = key
        self.panel.show_observations(rows)
        if self.discreet:
            self.banner.hide()
        else:
            self.banner.show_advice(session.advice(), self.contact_person)
        self._refresh_marks(list(self.views.values()))

    def _refresh_marks(self, views: list[SectionView]) -> None:
        session = self._session()
        raised: dict[str, list[str]] = {}
        if not self.discreet:
            language = current_language()
            for row in session.standing_observations():
                label = (
                    self.catalogue[row.slug].label.get(language) if row.slug in self.catalogue else row.slug
                )
                for ref in row.raised_by:
                    raised.setdefault(ref, []).append(label)
        for view in views:
            for ref, widget in view.widgets.items():
                labels = raised.get(ref)
                widget.set_marked("\n".join(labels) if labels else None)

    def open_picker(self) -> None:
        if self.session is None or self.locked():
            return
        dialog = IndicatorPickerDialog(self, self.catalogue)
        self.picker = dialog
        if dialog.exec() == IndicatorPickerDialog.DialogCode.Accepted:
            slug = dialog.selected_slug()
            if slug:
                self.tick_indicator(slug, dialog.note_text())

    def tick_indicator(self, slug: str, note: str) -> None:
        try:
            changes = tick(self._session(), slug, note)
        except AppError as error:
            self.show_message(error.message)
            return
        self.apply_changes(changes)

    def dismiss_indicator(self, slug: str) -> None:
        label = self.catalogue[slug].label.get() if slug in self.catalogue else slug
        reason = self.ask_text(
            _("Signaal afwijzen"), _("Waarom is '{label}' hier niet van toepassing?", label=label)
        )
        if reason is None:
            return
        try:
            changes = dismiss(self._session(), slug, reason)
        except AppError as error:
            self.show_message(error.message)
            return
        self.apply_changes(changes)

    # ------------------------------------------------------------------------------ dialogs

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    # --------------------------------------------------------------------------------- photos

    def _photo_files(self, ids: list[str]) -> list[tuple[Path, str]]:
        session = self.session
        if session is None or not ids:
            return []
        rows = {row.id: row for row in photos_of(session)}
        return [
            (media_path(session, rows[i].sha256, rows[i].media_type), rows[i].caption)
            for i in ids
            if i in rows
        ]

    def choose_photo(self, ref: str) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Foto toevoegen"), str(Path.home()), _("Foto's (*.jpg *.jpeg *.png)")
        )
        if not path:
            return
        caption = self.ask_text(_("Bijschrift"), _("Korte beschrijving van de foto (geen namen):"))
        self.add_photo_file(ref, Path(path), caption or "")

    def add_photo_file(self, ref: str, path: Path, caption: str = "") -> None:
        session = self._session()
        widget = self.widget(ref)
        try:
            _photo_id, changes = add_photo(session, ref, path, caption)
        except AppError as error:
            if widget is not None:
                widget.show_error(error.message)
            return
        if widget is not None:
            widget.clear_error()
            widget.editor.set_value(session.value(ref))
        self.apply_changes(changes)

    # ------------------------------------------------------------------------------- finalize

    def request_finalize(self) -> None:
        session = self.session
        if session is None or self.locked():
            return
        self.flush_pending()
        missing, invalid = session.open_problems()
        if missing or invalid:
            self.show_refused(missing, [(p.ref, p.message.get()) for p in invalid])
            return
        if not self.confirm(
            _("Definitief maken"),
            _(
                "Het bezoek wordt vergrendeld. Correcties kunnen daarna alleen als aanvulling met reden. Doorgaan?"
            ),
        ):
            return
        try:
            changes = finalize_visit(session)
        except FinalizeRefusedError as error:
            self.show_refused(error.missing, [(ref, "") for ref in error.invalid])
            return
        except AppError as error:
            self.show_message(error.message)
            return
        self.apply_changes(changes)

    def show_refused(self, missing: list[str], invalid: list[tuple[str, str]]) -> None:
        dialog = FinalizeRefusedDialog(self._session().form, missing, invalid, self)
        dialog.jump_requested.connect(self.jump_to)
        self.refused_dialog = dialog
        dialog.open()

    def locked(self) -> bool:
        """Read-only: a finalized visit, or any visit opened by the office to review it."""
        session = self.session
        return session is not None and (session.is_final or self.view_only)

    def set_view_only(self, on: bool) -> None:
        """The office reviews visits without changing them (issue 3, office view)."""
        self.view_only = on
        if self.session is not None:
            self._apply_read_only()

    def _apply_read_only(self) -> None:
        session = self._session()
        final = self.locked()
        for view in self.views.values():
            view.set_read_only(final)
        self.panel.set_read_only(final)
        self.finalize_button.setEnabled(not final)
        if final and not session.is_final:
            self.final_banner.setText(
                _("Alleen lezen: het kantoor bekijkt dit bezoek zonder het te wijzigen.")
            )
        elif final:
            when = (session.visit.finalized_at or "")[:16].replace("T", " ")
            self.final_banner.setText(
                _(
                    "Definitief ({when}). Dit bezoek is vergrendeld; een correctie legt u vast met "
                    "'Aanvulling…' bij de vraag, met een reden.",
                    when=when,
                )
            )
        self.final_box.setVisible(final)

    def amend(self, ref: str) -> None:
        session = self._session()
        try:
            question, _person = parse_ref(session.form, ref)
        except AppError as error:
            self.show_message(error.message)
            return
        dialog = AmendDialog(question, ref, session.value(ref), self._photo_files, self)
        while dialog.exec() == AmendDialog.DialogCode.Accepted:
            try:
                changes = amend_visit(session, ref, dialog.value(), dialog.reason.text())
            except AppError as error:
                dialog.show_error(error.message)
                continue
            widget = self.widget(ref)
            if widget is not None:
                row = session.answers.get((question.id, _person or 0))
                widget.show_answer(row.value if row else None, row.note if row else "")
            self.apply_changes(changes)
            return
