"""Export a final visit's documents for the document management system (zaakgericht werken).

`report VISIT --dms-export DIR` writes, in a folder named after the report number, each document as
PDF/A-2b and one `metadata.json` describing them: zaaknummer and zaaktype, per document its type,
title, confidentiality (the signal form is "vertrouwelijk"), creation and finalisation dates, SHA-256
and report id. A clerk files it by hand, or a script reads the JSON into the zaaksysteem. Everything is
written atomically, the metadata last: a folder with a metadata.json is complete.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from inspector_app.errors import InvalidInputError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.logs import log_event
from inspector_app.reports.model import ReportKind
from inspector_app.reports.render import render_document
from inspector_app.services.documents.common import document_municipality, report_number
from inspector_app.services.documents.render import build_report
from inspector_app.services.documents.zaak import load_zaak
from inspector_app.services.visit.session import VisitSession

METADATA_FORMAT = 1
CONFIDENTIALITY = {
    ReportKind.VISIT: "intern",  # for the licence holder's enforcement file
    ReportKind.SIGNAL: "vertrouwelijk",  # restricted signal form (domain.md c.3, c.4)
    ReportKind.RECEIPT: "openbaar",  # handed over on site
}
DOCUMENT_TYPES = {
    ReportKind.VISIT: "bestuurlijke rapportage inspectiebezoek",
    ReportKind.SIGNAL: "signaalformulier mensenhandel",
    ReportKind.RECEIPT: "ontvangstbewijs inspectiebezoek",
}


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as error:
        raise InvalidInputError(
            _("Kan {path} niet schrijven: {error}", path=path, error=error.strerror or error)
        ) from None


def export_for_dms(session: VisitSession, out_dir: Path, lang: str = "nl") -> Path:
    """Write the visit's documents and their metadata into `out_dir/<report number>/`; returns that folder."""
    if not session.is_final:
        raise InvalidInputError(
            _("Alleen een definitief bezoek gaat naar het DMS; stel het bezoek eerst definitief vast")
        )
    zaak = load_zaak(session)
    if zaak is None:
        raise InvalidInputError(
            _(
                "Bezoek {visit} heeft nog geen zaaknummer; geef het met: visits set-zaak",
                visit=session.visit_id[:8],
            )
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(_("{path} is geen map", path=out_dir))
    number = report_number(session)
    folder = out_dir / number
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInputError(
            _("Kan map {path} niet aanmaken: {error}", path=folder, error=error.strerror or error)
        ) from None
    documents: list[dict[str, Any]] = []
    for kind in ReportKind:
        view = build_report(session, kind, lang)
        data = render_document(view)
        name = f"{number}-{kind.value}.pdf"
        _write(folder / name, data)
        documents.append(
            {
                "file": name,
                "document_type": DOCUMENT_TYPES[kind],
                "kind": kind.value,
                "title": view.meta.title,
                "report_id": view.meta.document_id,
                "confidentiality": CONFIDENTIALITY[kind],
                "language": lang,
                "format": "PDF/A-2b",
                "created_at": session.visit.created_at,
                "finalized_at": session.visit.finalized_at,
                "revision_sha256": view.meta.revision,
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
            }
        )
    metadata = {
        "format": METADATA_FORMAT,
        "zaaknummer": zaak.zaaknummer,
        "zaaktype": zaak.zaaktype or None,
        "visit_id": session.visit_id,
        "report_number": number,
        "municipality": document_municipality(session) or None,
        "documents": documents,
    }
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _write(folder / "metadata.json", text.encode("utf-8"))
    log_event("dms_export", visit=session.visit_id, documents=len(documents))
    return folder
