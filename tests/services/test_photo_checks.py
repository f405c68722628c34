"""Photos: a wrong file is named and refused in plain words; one photo can be taken off a question."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from inspector_app.errors import InvalidInputError
from inspector_app.services.app import AppContext
from inspector_app.services.visit.photos import add_photo, check_photo_file, remove_photo
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit


def an_image(path: Path) -> Path:
    Image.new("RGB", (20, 20), (0, 90, 0)).save(path, format="PNG")
    return path


def test_a_file_that_is_no_image_is_named_without_pillow_internals(tmp_path: Path) -> None:
    """Regression: the message was "cannot identify image file <_io.BytesIO object at 0x…>"."""
    bogus = tmp_path / "notulen.docx"
    bogus.write_bytes(b"PK\x03\x04 not a picture")
    with pytest.raises(InvalidInputError) as refused:
        check_photo_file(bogus)
    assert refused.value.message.startswith("notulen.docx: ")
    assert "BytesIO" not in refused.value.message and "cannot identify" not in refused.value.message
    check_photo_file(an_image(tmp_path / "ok.png"))  # a real photo passes
    with pytest.raises(InvalidInputError, match="kan niet worden gelezen"):
        check_photo_file(tmp_path / "weg.jpg")


def test_remove_one_photo_keeps_the_others(app: AppContext, tmp_path: Path) -> None:
    session = VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Foto"))))
    ref = next(q.id for q in session.form.questions.values() if q.type.value == "photo" and not q.repeat)
    first, _ = add_photo(session, ref, an_image(tmp_path / "a.png"))
    second, _ = add_photo(session, ref, an_image(tmp_path / "a.png"))
    remove_photo(session, ref, first)
    assert session.value(ref) == [second]
    with pytest.raises(InvalidInputError):
        remove_photo(session, ref, first)  # already gone
    remove_photo(session, ref, second)
    assert session.value(ref) is None
    assert VisitSession(app, session.visit_id).value(ref) is None
