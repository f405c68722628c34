"""Render the documents of visits to PDF: one entry point per use (bytes, one file, a selection, all final).

Files are written atomically, so a failed or interrupted run never leaves half a PDF behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from inspector_app.domain.model import VisitStatus
from inspector_app.errors import InvalidInputError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import LANGUAGES, _
from inspector_app.logs import log_event
from inspector_app.reports.model import ReportKind, ReportView
from inspector_app.reports.render import render_document
from inspector_app.services.app import AppContext
from inspector_app.services.documents.common import report_number
from inspector_app.services.documents.signal_form import build_signal_form
from inspector_app.services.documents.visit_report import build_receipt, build_visit_report
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.visits import VisitFilter, list_visits

Progress = Callable[[int, int, str], None]


def build_report(session: VisitSession, kind: ReportKind | str, lang: str = "nl") -> ReportView:
    kind = ReportKind(kind)
    if lang not in LANGUAGES:
        raise InvalidInputError(_("Onbekende taal {lang}; kies nl of en", lang=lang))
    if kind is ReportKind.SIGNAL:
        return build_signal_form(session, lang)
    if kind is ReportKind.RECEIPT:
        return build_receipt(session, lang)
    return build_visit_report(session, lang)


def render_report(
    session: VisitSession, kind: ReportKind | str = ReportKind.VISIT, lang: str = "nl"
) -> bytes:
    """The PDF bytes of one document; the same visit revision always gives the same bytes."""
    return render_document(build_report(session, kind, lang))


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as error:
        raise InvalidInputError(
            _("Kan {path} niet schrijven: {error}", path=path, error=error.strerror or error)
        ) from None


def save_report(
    session: VisitSession, path: Path, kind: ReportKind | str = ReportKind.VISIT, lang: str = "nl"
) -> Path:
    """Render and write one document atomically: the file is complete or absent, never partial."""
    _write(path, render_report(session, kind, lang))
    log_event("report_made", visit=session.visit_id, kind=ReportKind(kind).value, lang=lang)
    return path


def report_file_name(session: VisitSession, kind: ReportKind | str) -> str:
    return f"{report_number(session)}-{ReportKind(kind).value}.pdf"


def render_selection(
    app: AppContext,
    visit_ids: list[str],
    out_dir: Path,
    kind: ReportKind | str = ReportKind.VISIT,
    lang: str = "nl",
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[Path]:
    """One document per visit into `out_dir`; `progress(done, total, name)`, stops when asked."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(_("{path} is geen map", path=out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInputError(
            _("Kan map {path} niet aanmaken: {error}", path=out_dir, error=error.strerror or error)
        ) from None
    written = []
    for done, visit_id in enumerate(visit_ids, 1):
        if should_stop is not None and should_stop():
            break
        session = VisitSession(app, visit_id)
        path = out_dir / report_file_name(session, kind)
        save_report(session, path, kind, lang)
        written.append(path)
        if progress is not None:
            progress(done, len(visit_ids), path.name)
    return written


def render_all_final(
    app: AppContext,
    out_dir: Path,
    kind: ReportKind | str = ReportKind.VISIT,
    lang: str = "nl",
    progress: Progress | None = None,
) -> list[Path]:
    """One document per finalised visit into `out_dir`, oldest first; `progress(done, total, name)`."""
    rows = list_visits(app.db, VisitFilter(status=VisitStatus.FINAL.value, limit=None))
    rows.sort(key=lambda row: (row.started_at, row.id))
    return render_selection(app, [row.id for row in rows], out_dir, kind, lang, progress)
