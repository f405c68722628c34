"""Photos of premises: EXIF (location, device, time) stripped, downscaled, stored by content hash.

The image is decoded and re-encoded by Pillow, which drops every metadata block; the file name is the
SHA-256 of the cleaned bytes, so the same photo is stored once and a bundle can address it by hash.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from inspector_app.errors import InvalidInputError
from inspector_app.forms.model import QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.audit import now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.media_files import MediaKeyError, read_photo, write_photo
from inspector_app.storage.photos import insert_photo, load_photos
from inspector_app.storage.records import PhotoRow

MAX_INPUT_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 60_000_000
MAX_EDGE = 2048


def clean_image(data: bytes) -> tuple[bytes, str, int, int]:
    """Re-encode an image without metadata: (bytes, media type, width, height)."""
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInputError(_("De foto is groter dan 40 MB"))
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except Image.DecompressionBombError:
        raise InvalidInputError(
            _("Het bestand is geen bruikbare foto (JPEG of PNG): meer dan 60 miljoen pixels")
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        # Pillow's own text ("cannot identify image file <_io.BytesIO object at 0x…>") says nothing
        # to an inspector; the file name is added by check_photo_file, which knows it.
        raise InvalidInputError(
            _("Het bestand is geen bruikbare foto (JPEG of PNG); kies een foto van de camera of telefoon")
        ) from None
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    output = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P"):
        image.save(output, format="PNG", optimize=True)
        media_type = "image/png"
    else:
        image.convert("RGB").save(output, format="JPEG", quality=85)
        media_type = "image/jpeg"
    return output.getvalue(), media_type, image.width, image.height


def media_path(session: VisitSession, sha256: str, media_type: str) -> Path:
    suffix = ".png" if media_type == "image/png" else ".jpg"
    return session.app.paths.media_dir / f"{sha256}{suffix}"


def image_at(path: Path) -> bytes | None:
    """The plain image of a stored photo file, decrypted in memory; None when it is missing or does not
    open (the report and the thumbnails say "not found" instead of failing)."""
    try:
        return read_photo(path)
    except (OSError, MediaKeyError):
        return None


def photo_image(session: VisitSession, row: PhotoRow) -> bytes | None:
    return image_at(media_path(session, row.sha256, row.media_type))


def check_photo_file(source: Path) -> None:
    """Refuse a file that is not a usable photo, naming it, before anything else is asked.

    The app asks for a caption after the file dialog; checking first means a wrong file (a PDF, a
    document) is refused at once, not after the inspector typed a caption for it.
    """
    try:
        data = source.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            _("Foto {path} kan niet worden gelezen: {error}", path=source, error=error.strerror)
        ) from None
    try:
        clean_image(data)
    except InvalidInputError as error:
        raise InvalidInputError(_("{name}: {problem}", name=source.name, problem=error.message)) from None


def remove_photo(session: VisitSession, ref: str, photo_id: str) -> Changes:
    """Take one photo off a photo question (the others stay); the change is an audited answer.

    The stored file and its row stay, as they do when the whole answer is cleared, so an earlier
    revision that shows the photo still can.
    """
    current = session.value(ref)
    photos = [p for p in current if isinstance(p, str)] if isinstance(current, list) else []
    if photo_id not in photos:
        raise InvalidInputError(_("Deze foto hoort niet (meer) bij {ref}", ref=ref))
    remaining = [p for p in photos if p != photo_id]
    return session.answer(ref, remaining or None)


def add_photo(session: VisitSession, ref: str, source: Path, caption: str = "") -> tuple[str, Changes]:
    """Attach a photo to a photo question; returns the photo id. No faces: premises only."""
    question, person = parse_ref(session.form, ref)
    if question.type is not QuestionType.PHOTO:
        raise InvalidInputError(_("{question} is geen fotovraag", question=question.id))
    session.require_draft()
    try:
        data = source.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            _("Foto {path} kan niet worden gelezen: {error}", path=source, error=error.strerror)
        ) from None
    cleaned, media_type, width, height = clean_image(data)
    sha256 = hashlib.sha256(cleaned).hexdigest()
    target = media_path(session, sha256, media_type)
    if not target.exists():
        write_photo(target, cleaned)  # sealed under the store's key: storage/media_files.py
    photo = PhotoRow(
        id=str(uuid.uuid4()),
        visit_id=session.visit_id,
        question_id=question.id,
        person_number=person or 0,
        sha256=sha256,
        media_type=media_type,
        width=width,
        height=height,
        size=len(cleaned),
        caption=caption.strip(),
        created_at=now_iso(),
        created_by=session.app.actor,
    )
    current = session.value(ref)
    photos = [*current] if isinstance(current, list) else []
    with writing(session.db):
        insert_photo(session.db, photo)
        changes = session.answer(ref, [*photos, photo.id])
    return photo.id, changes


def photos_of(session: VisitSession) -> list[PhotoRow]:
    return load_photos(session.db, session.visit_id)
