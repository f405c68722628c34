"""A reference bundle's id names a folder on the laptop: only an id of the exact pattern is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.services.app import AppContext
from tests.sync.test_rejections import _reference


@pytest.mark.parametrize("bundle_id", ["x/../../../victim", "x", "../" * 1700, "SET-0000"])
def test_a_reference_bundle_id_that_is_no_uuid_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path, bundle_id: str
) -> None:
    kind = _reference(office, laptop, tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("blijft")
    members = kind.with_manifest(kind.members(), lambda m: m.update(bundle_id=bundle_id))
    kind.check_rejected(kind.reseal(members, tmp_path / "forged.ifr"), "bad_identifier")
    assert (victim / "keep.txt").read_text() == "blijft"
    root = laptop.paths.data_dir / "forms"
    assert not root.exists() or not [p for p in root.iterdir() if p.name.startswith(".staging")]
