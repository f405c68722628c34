"""The practice environment and reference bundles: demo visits never travel in one, and real office
data never lands in a practice store (whose key is published, docs/privacy.md).

A reference bundle carries the earlier signals of every visit the office holds (`history`) and the
office's revisions of laptops' visits: written from a practice office, that would be its demo visits
travelling to laptops. Installed in a practice store, the real location register and signal history
would sit under the fixed practice key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.errors import ConflictStateError
from inspector_app.services import exchange
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from tests.sync.conftest import enrol
from tests.sync.test_exchange import _pb_visit


@pytest.fixture
def practice_office(tmp_path: Path) -> Iterator[AppContext]:
    """A practice store that was given an office key, with demo visits (their signals are history)."""
    context = open_app(tmp_path / "practice-office", practice=True)
    context.settings.profile.name = "Kantoor (oefen)"
    keys_service.init_office(context, "Westerdam")
    create_demo_visits(context, 4, seed=3)
    yield context
    context.close()


def test_a_practice_office_writes_no_reference_bundle(practice_office: AppContext, tmp_path: Path) -> None:
    laptop = open_app(tmp_path / "laptop")
    try:
        enrol(practice_office, laptop, tmp_path)
    finally:
        laptop.close()
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(ConflictStateError, match="oefenomgeving"):
        exchange.write_reference(practice_office, target)
    assert list(target.iterdir()) == []


@pytest.mark.usefixtures("practice_office")
def test_cli_reference_from_a_practice_office_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "practice-office"), "--oefen", "bundle", "reference", "-o",
                 str(tmp_path / "r.ifr")])  # fmt: skip
    assert code != 0 and "oefenomgeving" in capsys.readouterr().err
    assert not (tmp_path / "r.ifr").exists()


def test_a_practice_laptop_installs_no_real_reference_bundle(office: AppContext, tmp_path: Path) -> None:
    earlier = _pb_visit(office)
    earlier.answer("P-ROLE[1]", "sex_worker")
    earlier.answer("PB-20[1]", "no")  # a real signal at a real location
    practice = open_app(tmp_path / "laptop", practice=True)
    try:
        enrol(office, practice, tmp_path)
        reference, *_counts = exchange.write_reference(office, tmp_path)
        before = [
            practice.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("locations", "sync_reference_history", "sync_reference_log")
        ]
        with pytest.raises(ConflictStateError, match="oefenomgeving"):
            exchange.import_reference_file(practice, reference)
        after = [
            practice.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("locations", "sync_reference_history", "sync_reference_log")
        ]
        assert after == before == [0, 0, 0]
    finally:
        practice.close()


def test_a_real_laptop_still_installs_it(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    """Control case: the refusal is about the practice mark, not about reference bundles."""
    _pb_visit(office)
    reference, *_counts = exchange.write_reference(office, tmp_path)
    assert exchange.import_reference_file(laptop, reference).status == "imported"
