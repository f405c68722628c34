"""Helpers for the report tests: visits with signals, photos and persons, and PDF text extraction."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.model import Question, QuestionType
from inspector_app.services.app import AppContext
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.indicators import dismiss, tick
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.referrals import add_referral
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit

REFERRAL_NOTE = "Doorgegeven na overleg met wijkagent REF-NOTE-7731"


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without any whitespace: a long word split over lines is whole again."""
    return "".join(text.split())


def new_session(app: AppContext, form: str = "PB", name: str = "Club Noord") -> VisitSession:
    request = NewVisit(
        form=form,
        location=LocationInput(name, "Havenstraat 1", "1234 AB", "Middelburcht", "12345678", "VG-2026-17"),
        started_at="2026-03-14T21:05",
        visit_type="onaangekondigd",
        inspectors=("Toezichthouder 1001", "Toezichthouder 1002"),
        legal_ground="apv_awb",
    )
    return VisitSession(app, start_visit(app, request))


def signal_rich_session(app: AppContext) -> VisitSession:
    """A prostitution-business visit with raised, ticked and dismissed indicators and a referral."""
    session = new_session(app)
    for ref, value in {
        "PB-01": "ja",
        "PB-12a": "21",  # a municipality whose APV sets 21: PB-12 'nee' is then a licence breach (M)
        "PB-12": "nee",
        "PB-28a": "nee",
        "PB-32a": "nee",
        "PB-34": "hygiene,brandveiligheid",
        "PB-35": "waarschuwing,aandachtsfunctionaris",
        "PB-36": "Rondgang gemaakt met de beheerder.",
        "P-ROLE[1]": "sex_worker",
        "P-AGE[1]": "21_29",
        "PB-20[1]": "nee",
        "PB-22[1]": "ja",
        "PB-27": "gen.fear,gen.few_belongings",
    }.items():
        session.answer_text(ref, value)
    session.set_note("PB-22[1]", "Zegt: 'ik moet eerst mijn reis terugbetalen'")
    tick(session, "gen.scripted_story", "Verhaal van twee sekswerkers was woordelijk gelijk.")
    dismiss(session, "gen.few_belongings", "Werkt hier één avond; spullen staan in de auto.")
    add_referral(session, "police", "days", note=REFERRAL_NOTE)
    return session


def write_photo(path: Path, shade: int) -> Path:
    Image.new("RGB", (480, 320), (shade % 255, 110, 90)).save(path, format="JPEG")
    return path


def add_photos(session: VisitSession, tmp_path: Path, count: int, caption: str = "Werkkamer") -> None:
    for index in range(count):
        add_photo(
            session, "PB-33", write_photo(tmp_path / f"p{index}.jpg", index * 7), f"{caption} {index + 1}"
        )


def _filler(question: Question) -> AnswerValue:
    """Some valid answer to a required question left open (the tests care about other answers)."""
    if question.type is QuestionType.YESNO:
        return "yes"
    if question.type is QuestionType.SINGLE:
        return question.choices[0].value
    if question.type is QuestionType.MULTIPLE:
        return [question.choices[0].value]
    if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return 1
    if question.type is QuestionType.TIME:
        return "23:00"
    if question.type is QuestionType.DATE:
        return "2026-03-14"
    return "Feitelijke notitie."


def finalised(session: VisitSession) -> VisitSession:
    """Answer whatever required question is still open, then finalise the visit."""
    for ref in session.open_problems()[0]:
        session.answer(ref, _filler(session.form.questions[ref.split("[")[0]]))
    finalize_visit(session)
    return session
