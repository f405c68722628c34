"""A reference bundle's id names a folder on the laptop: only an id of the exact pattern is used."""

from __future__ import annotations

import re
from collections.abc import Callable
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


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace(
            "visible_when = \"{PB-05} = 'yes'\"", 'visible_when = "' + "(" * 300 + "1" + ")" * 300 + '"', 1
        ),
        lambda text: text.replace(
            "visible_when = \"{PB-05} = 'yes'\"", 'visible_when = "' + "+".join(["1"] * 1500) + ' > 1"', 1
        ),
        # varied content, so the file is not refused as a ZIP bomb before the TOML is read
        lambda _text: "a = " + "".join(f"[{n * 7919 % 10007}, " for n in range(3000)) + "]" * 3000 + "\n",
        lambda text: re.sub(r"^version = \d+", "version = " + "9" * 5000, text, count=1, flags=re.M),
    ],
    ids=["parentheses", "long-sum", "deep-toml", "huge-version"],
)
def test_a_hostile_checklist_in_a_reference_bundle_is_reported(
    office: AppContext, laptop: AppContext, tmp_path: Path, change: Callable[[str], str]
) -> None:
    kind = _reference(office, laptop, tmp_path)
    members = kind.members()
    name = next(n for n, _d in members if n.endswith("prostitution_business.toml"))
    changed = [(n, change(d.decode()).encode() if n == name else d) for n, d in members]
    assert changed != members
    forged = kind.reseal(kind.with_manifest(changed, lambda _m: None), tmp_path / "checklist.ifr")
    kind.check_rejected(forged, "bad_checklist")
