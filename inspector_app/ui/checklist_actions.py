"""What the checklist page does besides answering: persons, manual signals, photos, finalize, addenda.

`ChecklistActions` is composed into `ChecklistPage`, not mixed in: it is given the page as a
`ChecklistHost` (the few things it needs from it), calls the services and hands the returned
`Changes` back to `host.apply_changes`. How the open visit is shown stays with the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from inspector_app.domain.catalogue import Catalogue
from inspector_app.errors import AppError
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.state import Problem
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.reinspections import FollowUpRequest, finalize_with_follow_up
from inspector_app.services.visit.finalize import (
    FinalizeRefusedError,
    amend_visit,
    finalize_problems,
)
from inspector_app.services.visit.indicators import dismiss, restore, tick
from inspector_app.services.visit.persons import add_person, remove_person
from inspector_app.services.visit.photos import (
    add_photo,
    check_photo_file,
    photo_image,
    photos_of,
    remove_photo,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.ui.checklist_question import QuestionWidget
from inspector_app.ui.dialogs import open_file_name
from inspector_app.ui.finalize_dialog import AmendDialog, FinalizeRefusedDialog
from inspector_app.ui.indicator_picker import IndicatorPickerDialog
from inspector_app.ui.signal_panel import ReasonDialog


class ChecklistHost(Protocol):
    """What the actions need from the page that shows the open visit."""

    session: VisitSession | None
    catalogue: Catalogue

    def apply_changes(self, changes: Changes) -> None: ...

    def widget(self, ref: str) -> QuestionWidget | None: ...

    def jump_to(self, ref: str) -> None: ...

    def flush_pending(self) -> None: ...

    def show_message(self, text: str) -> None: ...

    def locked(self) -> bool: ...

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_text(self, title: str, label: str) -> str | None: ...

    def follow_up_request(self) -> FollowUpRequest: ...


def problem_messages(problems: list[Problem]) -> list[tuple[str, str]]:
    """(ref, message in the user's language) for the refusal dialog."""
    return [(p.ref, p.message.get()) for p in problems]


class ChecklistActions:
    """Person, signal, photo, finalize and addendum commands on the host's open visit."""

    def __init__(self, host: ChecklistHost, parent: QWidget) -> None:
        self.host = host
        self.parent = parent  # owner of the dialogs opened here (the page itself)
        self.picker: IndicatorPickerDialog | None = None
        self.refused_dialog: FinalizeRefusedDialog | None = None
        self.reason_dialog: ReasonDialog | None = None

    def _session(self) -> VisitSession:
        if self.host.session is None:
            raise RuntimeError("no visit is open")
        return self.host.session

    # ------------------------------------------------------------------------------- persons

    def add_person(self, role: str) -> int | None:
        try:
            number, changes = add_person(self._session(), role or None)
        except AppError as error:
            self.host.show_message(error.message)
            return None
        self.host.apply_changes(changes)
        return number

    def remove_person(self, number: int) -> None:
        session = self._session()
        person = session.persons.get(number)
        code = person.code if person else str(number)
        if not self.host.confirm(
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
            self.host.show_message(error.message)
            return
        self.host.apply_changes(changes)

    # -------------------------------------------------------------------------------- signals

    def open_picker(self) -> None:
        if self.host.session is None or self.host.locked():
            return
        standing = {row.slug for row in self.host.session.standing_observations()}
        dialog = IndicatorPickerDialog(self.parent, self.host.catalogue, standing)
        self.picker = dialog
        if dialog.exec() == IndicatorPickerDialog.DialogCode.Accepted:
            slug = dialog.selected_slug()
            if slug:
                self.tick_indicator(slug, dialog.note_text())

    def tick_indicator(self, slug: str, note: str) -> None:
        try:
            changes = tick(self._session(), slug, note)
        except AppError as error:
            self.host.show_message(error.message)
            return
        self.host.apply_changes(changes)

    def dismiss_indicator(self, slug: str) -> None:
        catalogue = self.host.catalogue
        label = catalogue[slug].label.get() if slug in catalogue else slug
        reason = self.ask_reason(
            _("Signaal afwijzen"),
            _("Waarom is '{label}' hier niet van toepassing?", label=label),
            _("Afwijzen"),
        )
        if reason is None:
            return
        try:
            changes = dismiss(self._session(), slug, reason)
        except AppError as error:
            self.host.show_message(error.message)
            return
        self.host.apply_changes(changes)

    def restore_indicator(self, slug: str) -> None:
        """Undo a dismissal (a wrong row dismissed, or new facts), with the reason for the audit log."""
        catalogue = self.host.catalogue
        label = catalogue[slug].label.get() if slug in catalogue else slug
        reason = self.ask_reason(
            _("Afwijzing ongedaan maken"),
            _("Waarom geldt '{label}' toch?", label=label),
            _("Terugzetten"),
        )
        if reason is None:
            return
        try:
            changes = restore(self._session(), slug, reason)
        except AppError as error:
            self.host.show_message(error.message)
            return
        self.host.apply_changes(changes)

    def ask_reason(self, title: str, question: str, accept_text: str) -> str | None:
        """A reason from a dialog that stays open until one is given; None when cancelled."""
        dialog = ReasonDialog(title, question, accept_text, self.parent)
        self.reason_dialog = dialog
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return None
        return dialog.reason()

    # --------------------------------------------------------------------------------- photos

    def photo_files(self, ids: list[str]) -> list[tuple[bytes | None, str]]:
        """Images (decrypted in memory; None when missing) and captions of photo ids, for thumbnails."""
        session = self.host.session
        if session is None or not ids:
            return []
        rows = {row.id: row for row in photos_of(session)}
        return [(photo_image(session, rows[i]), rows[i].caption) for i in ids if i in rows]

    def choose_photo(self, ref: str) -> None:
        path = open_file_name(
            self.parent, self._session().app, "photo", _("Foto toevoegen"), _("Foto's (*.jpg *.jpeg *.png)")
        )
        if path is None:
            return
        try:
            check_photo_file(path)  # a wrong file is refused before a caption is asked
        except AppError as error:
            widget = self.host.widget(ref)
            if widget is not None:
                widget.show_error(error.message)
            else:
                self.host.show_message(error.message)
            return
        caption = self.host.ask_text(_("Bijschrift"), _("Korte beschrijving van de foto (geen namen):"))
        self.add_photo_file(ref, path, caption or "")

    def remove_photo(self, ref: str, photo_id: str) -> None:
        """Take one photo off the question, after a confirmation that names its caption."""
        session = self._session()
        caption = next((row.caption for row in photos_of(session) if row.id == photo_id), "")
        if not self.host.confirm(
            _("Foto verwijderen"),
            _(
                "Deze foto bij de vraag weghalen? {caption}",
                caption=_("Bijschrift: {caption}", caption=caption) if caption else _("(geen bijschrift)"),
            ),
        ):
            return
        try:
            changes = remove_photo(session, ref, photo_id)
        except AppError as error:
            self.host.show_message(error.message)
            return
        widget = self.host.widget(ref)
        if widget is not None:
            widget.editor.set_value(session.value(ref))
        self.host.apply_changes(changes)

    def add_photo_file(self, ref: str, path: Path, caption: str = "") -> None:
        session = self._session()
        widget = self.host.widget(ref)
        try:
            _photo_id, changes = add_photo(session, ref, path, caption)
        except AppError as error:
            if widget is not None:
                widget.show_error(error.message)
            return
        if widget is not None:
            widget.clear_error()
            widget.editor.set_value(session.value(ref))
        self.host.apply_changes(changes)

    # ------------------------------------------------------------------------------- finalize

    def request_finalize(self) -> None:
        """Ask the finalize service what is still open; show that, or confirm and finalize."""
        session = self.host.session
        if session is None or self.host.locked():
            return
        self.host.flush_pending()
        try:
            missing, invalid = finalize_problems(session)
        except AppError as error:
            self.host.show_message(error.message)
            return
        if missing or invalid:
            self.show_refused(missing, problem_messages(invalid))
            return
        if not self.host.confirm(
            _("Definitief maken"),
            _(
                "Het bezoek wordt vergrendeld. Correcties kunnen daarna alleen als aanvulling met reden. Doorgaan?"
            ),
        ):
            return
        try:
            changes = finalize_with_follow_up(session, self.host.follow_up_request())
        except FinalizeRefusedError as error:  # changed elsewhere between the check and the confirmation
            self.show_refused(error.missing, problem_messages(error.problems))
            return
        except AppError as error:
            self.host.show_message(error.message)
            return
        self.host.apply_changes(changes)

    def show_refused(self, missing: list[str], invalid: list[tuple[str, str]]) -> None:
        dialog = FinalizeRefusedDialog(self._session().form, missing, invalid, self.parent)
        dialog.jump_requested.connect(self.host.jump_to)
        self.refused_dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------------------- addenda

    def amend(self, ref: str) -> None:
        session = self._session()
        try:
            question, person = parse_ref(session.form, ref)
        except AppError as error:
            self.host.show_message(error.message)
            return
        dialog = AmendDialog(question, ref, session.value(ref), self.photo_files, self.parent)
        while dialog.exec() == AmendDialog.DialogCode.Accepted:
            try:
                changes = amend_visit(session, ref, dialog.value(), dialog.reason.text())
            except AppError as error:
                dialog.show_error(error.message)
                continue
            widget = self.host.widget(ref)
            if widget is not None:
                row = session.answers.get((question.id, person or 0))
                widget.show_answer(row.value if row else None, row.note if row else "")
            self.host.apply_changes(changes)
            return
