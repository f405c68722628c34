"""Photos lose their EXIF and are stored by content hash; referrals record consent and follow-up."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.services.app import AppContext
from inspector_app.services.visit.photos import add_photo, photos_of
from inspector_app.services.visit.referrals import (
    ReferralUpdate,
    add_referral,
    list_referrals,
    update_referral,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.media_files import MAGIC, read_photo


def session_for(app: AppContext) -> VisitSession:
    return VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Foto"))))


def photo_with_exif(path: Path) -> Path:
    image = Image.new("RGB", (3000, 1500), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS
    image.save(path, format="JPEG", exif=exif)
    return path


def photo_question(session: VisitSession) -> str:
    return next(q.id for q in session.form.questions.values() if q.type.value == "photo" and not q.repeat)


def test_photo_is_stripped_downscaled_and_content_addressed(app: AppContext, tmp_path: Path) -> None:
    session = session_for(app)
    source = photo_with_exif(tmp_path / "in.jpg")
    assert b"SecretPhone" in source.read_bytes()
    question = photo_question(session)
    photo_id, _changes = add_photo(session, question, source, "Werkkamer 2, achterzijde")
    assert session.value(question) == [photo_id]
    (row,) = photos_of(session)
    stored = app.paths.media_dir / f"{row.sha256}.jpg"
    assert stored.read_bytes().startswith(MAGIC)  # sealed at rest: storage/media_files.py
    data = read_photo(stored)
    assert hashlib.sha256(data).hexdigest() == row.sha256
    assert b"SecretPhone" not in data and b"CameraMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert max(image.size) == 2048
    assert row.caption == "Werkkamer 2, achterzijde"
    second_id, _ = add_photo(session, question, source)
    assert session.value(question) == [photo_id, second_id]
    assert len(list(app.paths.media_dir.iterdir())) == 1  # same content stored once


def test_not_an_image_is_refused_without_change(app: AppContext, tmp_path: Path) -> None:
    session = session_for(app)
    bogus = tmp_path / "x.jpg"
    bogus.write_bytes(b"not an image")
    with pytest.raises(InvalidInputError, match="geen bruikbare foto"):
        add_photo(session, photo_question(session), bogus)
    assert photos_of(session) == []
    with pytest.raises(InvalidInputError, match="geen fotovraag"):
        add_photo(session, "PB-05", bogus)


def test_referral_lifecycle_and_consent_rule(app: AppContext) -> None:
    session = session_for(app)
    session.answer("PB-05", "no")
    referral_id, _changes = add_referral(session, "comensha", "days", "asked")
    with pytest.raises(InvalidInputError, match="toestemming"):
        update_referral(app, referral_id, ReferralUpdate(status="sent"))
    update_referral(app, referral_id, ReferralUpdate(consent_status="given"))
    sent = update_referral(
        app,
        referral_id,
        ReferralUpdate(status="sent", sent_at="2026-11-21", reference="CM-1234", channel="beveiligde e-mail"),
    )
    assert sent.status == "sent" and sent.reference == "CM-1234" and sent.slugs == ["sex.no_manager_present"]
    closed = update_referral(
        app, referral_id, ReferralUpdate(status="closed", outcome="Aanmelding ontvangen.")
    )
    assert closed.outcome == "Aanmelding ontvangen."
    assert [r.id for r in list_referrals(app, "closed")] == [referral_id]
    actions = [row[0] for row in app.db.execute("SELECT action FROM audit_log WHERE entity = 'referral'")]
    assert actions == ["referral.created", "referral.updated", "referral.updated", "referral.updated"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"recipient": "buurman", "urgency": "days"}, InvalidInputError),
        ({"recipient": "police", "urgency": "morgen"}, InvalidInputError),
        ({"recipient": "police", "urgency": "days", "slugs": ["gen.fear"]}, InvalidInputError),
    ],
)
def test_bad_referrals_are_refused(
    app: AppContext, kwargs: dict[str, object], error: type[Exception]
) -> None:
    session = session_for(app)
    with pytest.raises(error):
        add_referral(session, **kwargs)  # type: ignore[arg-type]
    assert list_referrals(app) == []


def test_unknown_referral(app: AppContext) -> None:
    with pytest.raises(NotFoundError):
        update_referral(app, "nope", ReferralUpdate(status="sent"))


def test_the_consent_refusal_names_the_label_not_the_internal_value(app: AppContext) -> None:
    """Regression: the message said "leg eerst 'given' vast", an internal value in a Dutch sentence."""
    session = session_for(app)
    referral_id, _changes = add_referral(session, "comensha", "days", "asked")
    with pytest.raises(InvalidInputError) as refused:
        update_referral(app, referral_id, ReferralUpdate(status="sent"))
    assert "'given'" not in refused.value.message
    assert "Gegeven (schriftelijk)" in refused.value.message
