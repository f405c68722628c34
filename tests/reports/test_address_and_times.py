"""One address, labelled when the register and the site differ; the end time stamped at finalisation."""

from __future__ import annotations

from datetime import datetime

import pytest

from inspector_app.forms.display import LOCAL_ZONE
from inspector_app.reports.model import Field, ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.documents.render import render_report
from inspector_app.services.documents.visit_report import build_receipt, build_visit_report
from inspector_app.services.visit import finalize
from tests.reports.support import finalised, new_session, pdf_text


def _labels(fields: tuple[Field, ...]) -> list[str]:
    return [field.label for field in fields]


def test_same_address_printed_once(app: AppContext) -> None:
    session = new_session(app)
    view = build_visit_report(session)
    assert [f for f in view.identification if f.label.startswith("Adres")] == [
        f for f in view.identification if f.label == "Adres"
    ]
    assert [f.value for f in view.identification if f.label == "Adres"] == [
        "Havenstraat 1, 1234 AB Middelburcht"
    ]
    session.answer_text("H-03", "havenstraat 1")  # the same place in other words
    assert "Adres volgens register" not in _labels(build_visit_report(session).identification)
    session.answer_text("H-03", "Havenstraat 11")  # not a part of the register's address
    assert "Adres volgens register" in _labels(build_visit_report(session).identification)


def test_a_different_address_on_site_is_labelled_as_such(app: AppContext) -> None:
    session = new_session(app)
    session.answer_text("H-03", "Havenstraat 1-achter (ingang via steeg)")
    view = build_visit_report(session)
    fields = {f.label: f.value for f in view.identification}
    assert "Adres" not in fields
    assert fields["Adres volgens register"] == "Havenstraat 1, 1234 AB Middelburcht"
    assert (
        fields["Adres of referentie zoals ter plaatse vastgelegd"]
        == "Havenstraat 1-achter (ingang via steeg)"
    )
    receipt = {f.label: f.value for f in build_receipt(session).fields}
    assert receipt["Adres volgens register"] == "Havenstraat 1, 1234 AB Middelburcht"
    text = pdf_text(render_report(session))
    assert "Adres volgens register" in text and "zoals ter plaatse vastgelegd" in text
    english = pdf_text(render_report(session, lang="en"))
    assert "Address in the register" in english and "as recorded on site" in english


def test_end_time_stamped_at_finalisation_on_the_visit_day(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = new_session(app)
    assert session.visit.ended_at is None
    assert "21:05 – eindtijd niet vastgelegd" in pdf_text(render_report(session))
    monkeypatch.setattr(finalize, "local_now", lambda _db: datetime(2026, 3, 14, 23, 42, tzinfo=LOCAL_ZONE))
    finalised(session)
    assert session.visit.ended_at == "2026-03-14T23:42"
    assert session.answers[("H-02c", 0)].value == "23:42"
    assert (
        session.content_hash()
        == app.db.execute(
            "SELECT content_sha256 FROM visit_revisions WHERE id = ?", [session.visit.head_rev]
        ).fetchone()[0]
    ), "the stamped end time is part of the sealed content"
    for kind in (ReportKind.VISIT, ReportKind.RECEIPT):
        assert "21:05 – 23:42" in pdf_text(render_report(session, kind))


def test_end_time_kept_or_left_open_when_stamping_would_lie(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_by_hand = new_session(app)
    set_by_hand.answer_text("H-02c", "22:10")
    monkeypatch.setattr(finalize, "local_now", lambda _db: datetime(2026, 3, 14, 23, 42, tzinfo=LOCAL_ZONE))
    assert finalised(set_by_hand).visit.ended_at == "2026-03-14T22:10"
    next_day = new_session(app, name="Club Zuid")
    monkeypatch.setattr(finalize, "local_now", lambda _db: datetime(2026, 3, 15, 9, 0, tzinfo=LOCAL_ZONE))
    assert finalised(next_day).visit.ended_at is None
    assert "eindtijd niet vastgelegd" in pdf_text(render_report(next_day))
    early = new_session(app, name="Club West")
    monkeypatch.setattr(finalize, "local_now", lambda _db: datetime(2026, 3, 14, 20, 0, tzinfo=LOCAL_ZONE))
    assert finalised(early).visit.ended_at is None  # before the start: a clock set wrong
