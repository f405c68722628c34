"""The corrections (aanvullingen) of a final visit, as the visit report prints them.

A correction is an addendum revision (kind `addendum`, with its reason and author) and the `answer.set`
audit entries written in the same transaction, which carry the value before and after. Both travel to
the office with the visit (revisions and audit log are in every bundle), so the office's report shows the
same corrections as the laptop's.
"""

from __future__ import annotations

import json
from typing import Any

from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import format_value
from inspector_app.forms.model import Audience
from inspector_app.forms.refs import parse_ref
from inspector_app.reports.model import CorrectionView
from inspector_app.services.documents.common import document_zone, report_moment
from inspector_app.services.visit.session import VisitSession


def _decoded(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def corrections(session: VisitSession, lang: str) -> tuple[CorrectionView, ...]:
    """Every corrected answer the visit report may show, oldest first: question, before, after, why, who, when.

    Answers of persons and signal-only questions are signal material (domain.md c.4): a correction of
    one is left out here, like the answer itself.
    """
    revisions = session.db.execute(
        "SELECT created_at, author, reason FROM visit_revisions"
        " WHERE visit_id = ? AND kind = 'addendum' ORDER BY created_at, rowid",
        [session.visit_id],
    ).fetchall()
    found: list[CorrectionView] = []
    for created_at, author, reason in revisions:
        entries = session.db.execute(
            "SELECT entity_id, old, new FROM audit_log"
            " WHERE visit_id = ? AND action = 'answer.set' AND at = ? ORDER BY seq",
            [session.visit_id, created_at],
        ).fetchall()
        for ref, old, new in entries:
            try:
                question, person = parse_ref(session.form, str(ref))
            except InvalidInputError:
                continue  # a question the checklist version no longer has: nothing to print it by
            if person is not None or question.audience is Audience.SIGNAL:
                continue
            found.append(
                CorrectionView(
                    ref=question.id,
                    question=question.label.get(lang),
                    before=format_value(question, _decoded(old), lang),
                    after=format_value(question, _decoded(new), lang),
                    reason=reason or "",
                    author=author,
                    at=report_moment(created_at, lang, document_zone(session)),
                )
            )
    return tuple(found)
