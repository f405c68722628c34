"""Photos sealed at rest (issue 12 item 1): no JPEG/PNG magic nor the plain image in media/, the report,
the bundle to the office (stored sealed there) and the purge still work, plain files are sealed at open
crash-safely, and a sealed photo opens only in its own store under its own name."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from inspector_app.errors import InvalidInputError
from inspector_app.reports import images as images_module
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.documents.render import render_report
from inspector_app.services.visit.photos import photo_image, photos_of
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.media_files import MAGIC, MediaKeyError, read_photo, seal_media
from tests.services.test_retention import _finalised_visit

ROOT = Path(__file__).resolve().parents[2]
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"JFIF", b"Exif")


def _photo(app: AppContext, tmp_path: Path) -> tuple[str, Path, bytes]:
    visit_id = _finalised_visit(app, tmp_path)
    (row,) = photos_of(VisitSession(app, visit_id))
    path = app.paths.media_dir / f"{row.sha256}.jpg"
    plain = read_photo(path)
    assert hashlib.sha256(plain).hexdigest() == row.sha256  # the name is the hash of the plain image
    return visit_id, path, plain


def _assert_sealed(media: Path, plain: bytes) -> None:
    files = [p for p in media.rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(MAGIC), path.name
        assert not [magic for magic in IMAGE_MAGIC if magic in raw], path.name
        assert plain[64:1064] not in raw  # no run of the image's own bytes either


def test_a_captured_photo_is_sealed_and_the_report_still_embeds_it(
    laptop: AppContext, tmp_path: Path
) -> None:
    visit_id, path, plain = _photo(laptop, tmp_path)
    _assert_sealed(laptop.paths.media_dir, plain)
    session = VisitSession(laptop, visit_id)
    (row,) = photos_of(session)
    assert photo_image(session, row) == plain  # what the thumbnails show
    with pikepdf.open(io.BytesIO(render_report(session))) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images  # the photo is drawn, not "photo not found"
    # a sealed file that does not open is reported as missing, not drawn: the check above can fail
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 1
    path.write_bytes(bytes(damaged))
    assert photo_image(session, row) is None
    images_module._downscaled.cache_clear()
    with pikepdf.open(io.BytesIO(render_report(session))) as pdf:
        assert not [name for page in pdf.pages for name in page.get_images()]


def test_the_bundle_carries_the_plain_photo_and_the_office_stores_it_sealed(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    _visit_id, path, plain = _photo(laptop, tmp_path)
    result = exchange_service.export(laptop, tmp_path / "out")
    assert result is not None
    [report] = exchange_service.import_files(office, [result.path])
    assert report.status == "imported", report
    stored = office.paths.media_dir / path.name
    _assert_sealed(office.paths.media_dir, plain)
    assert read_photo(stored) == plain  # opened under the office's own key
    assert stored.read_bytes() != path.read_bytes()  # sealed again, not copied


def test_the_purge_after_a_receipt_removes_the_sealed_photo(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    _visit_id, path, _plain = _photo(laptop, tmp_path)
    result = exchange_service.export(laptop, tmp_path / "out")
    assert result is not None
    exchange_service.import_files(office, [result.path])
    exchange_service.write_receipt(office, tmp_path / "receipt.json")
    exchange_service.apply_receipt(laptop, tmp_path / "receipt.json")
    assert path.exists()
    exchange_service.purge(laptop, 0)
    assert not path.exists()
    assert not list(laptop.paths.media_dir.iterdir())


def test_a_damaged_or_swapped_photo_does_not_open_and_export_says_so(
    laptop: AppContext, tmp_path: Path
) -> None:
    _visit_id, path, plain = _photo(laptop, tmp_path)
    other = path.with_name("0" * 64 + ".jpg")
    other.write_bytes(path.read_bytes())  # a sealed file under another name: the name is bound
    with pytest.raises(MediaKeyError):
        read_photo(other)
    other.unlink()
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(MediaKeyError):
        read_photo(path)
    with pytest.raises(InvalidInputError, match="opent niet"):
        exchange_service.export(laptop, tmp_path / "out")
    assert plain


def test_a_sealed_photo_does_not_open_once_the_store_is_closed(tmp_path: Path) -> None:
    app = open_app(tmp_path / "data")
    app.settings.profile.name = "Toezichthouder 1001"
    try:
        _visit_id, path, _plain = _photo(app, tmp_path)
    finally:
        app.close()
    with pytest.raises(MediaKeyError):
        read_photo(path)


def _plain_media(tmp_path: Path, count: int) -> tuple[Path, dict[str, bytes]]:
    """A data folder whose photos were stored before encryption: plain files named by their hash."""
    data = tmp_path / "data"
    app = open_app(data)
    app.close()
    media = data / "media"
    plain = {}
    for number in range(count):
        output = io.BytesIO()
        Image.new("RGB", (30 + number, 20), (number * 40, 90, 10)).save(output, format="JPEG")
        image = output.getvalue()
        name = f"{hashlib.sha256(image).hexdigest()}.jpg"
        (media / name).write_bytes(image)
        plain[name] = image
    return data, plain


def test_plain_photos_from_before_encryption_are_sealed_at_the_next_open(tmp_path: Path) -> None:
    data, plain = _plain_media(tmp_path, 3)
    assert read_photo(data / "media" / next(iter(plain))) == plain[next(iter(plain))]  # plain: read as is
    app = open_app(data)
    try:
        for name, image in plain.items():
            assert read_photo(data / "media" / name) == image
        assert seal_media(data / "media") == 0  # nothing left to convert
    finally:
        app.close()
    for image in plain.values():
        _assert_sealed(data / "media", image)


KILLER = """
import os, signal, sys
from inspector_app.storage import media_files

real = media_files.atomic_write_bytes
calls = []

def write_then_die(path, data):
    calls.append(path)
    if len(calls) == int(sys.argv[2]):
        # the sealed temporary file is written and synced, the rename has not happened
        temporary = path.with_name("." + path.name + ".killed.tmp")
        temporary.write_bytes(data)
        os.kill(os.getpid(), signal.SIGKILL)
    real(path, data)

media_files.atomic_write_bytes = write_then_die
from inspector_app.services.app import open_app
open_app(sys.argv[1]).close()
"""


@pytest.mark.parametrize("killed_at", [1, 2])
def test_sigkill_during_the_media_conversion_loses_no_photo(tmp_path: Path, killed_at: int) -> None:
    data, plain = _plain_media(tmp_path, 2)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run(
        [sys.executable, "-c", KILLER, str(data), str(killed_at)], env=env, capture_output=True, timeout=120
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    sealed = [name for name in plain if (data / "media" / name).read_bytes().startswith(MAGIC)]
    assert len(sealed) == killed_at - 1  # each file is either the old plain one or the sealed one
    (leftover,) = list((data / "media").glob(".*.tmp"))
    stale = leftover.with_name(leftover.name.replace(".killed.", ".older.killed."))
    stale.write_bytes(leftover.read_bytes())
    os.utime(stale, (stale.stat().st_atime - 2 * 86400, stale.stat().st_mtime - 2 * 86400))
    app = open_app(data)
    try:
        for name, image in plain.items():
            assert read_photo(data / "media" / name) == image
    finally:
        app.close()
    for image in plain.values():
        _assert_sealed(data / "media", image)
    assert not stale.exists()  # a day-old leftover of a killed write is removed at open
    assert leftover.exists()  # a young one may be another process's write under way: kept


def test_a_full_disk_while_the_office_writes_photos_leaves_nothing_half_done(
    office: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office writes a bundle's photos on a thread while it applies the records (`PhotoWrites`);
    a write that fails (the disk is full) fails the import before its transaction commits: no visit,
    no photo and no temporary file stays, and the same bundle imports once there is room again."""
    import errno

    from inspector_app.storage import media_files

    _visit_id, path, _plain = _photo(laptop, tmp_path)
    result = exchange_service.export(laptop, tmp_path / "out")
    assert result is not None
    visits_before = office.db.execute("SELECT count(*) FROM visits").fetchone()[0]

    def full(_path: Path, _data: bytes, **_options: bool) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(media_files, "atomic_write_bytes", full)
    with pytest.raises(OSError) as caught:
        exchange_service.import_files(office, [result.path])
    assert caught.value.errno == errno.ENOSPC
    assert office.db.execute("SELECT count(*) FROM visits").fetchone()[0] == visits_before
    assert not [p for p in office.paths.media_dir.rglob("*") if p.is_file()]
    monkeypatch.undo()
    [report] = exchange_service.import_files(office, [result.path])
    assert report.status == "imported", report.reason
    assert read_photo(office.paths.media_dir / path.name) == _plain
