"""The practice environment never exchanges anything: its visits can never appear in a bundle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app import __version__
from inspector_app.cli.main import main
from inspector_app.errors import ConflictStateError
from inspector_app.paths import PRACTICE_FOLDER
from inspector_app.services import exchange
from inspector_app.services.app import AppContext, open_app, opened_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.sync.export import export_bundle
from tests.sync.conftest import enrol


@pytest.fixture
def practice_laptop(tmp_path: Path, office: AppContext) -> Iterator[AppContext]:
    """A laptop's practice store, enrolled like a real one, with demo visits: only the mark differs."""
    context = open_app(tmp_path / "laptop", practice=True)
    context.settings.profile.name = "Toezichthouder 1001"
    enrol(office, context, tmp_path)
    create_demo_visits(context, 3)
    yield context
    context.close()


def test_practice_store_lives_apart_and_is_marked(practice_laptop: AppContext, tmp_path: Path) -> None:
    assert practice_laptop.practice
    assert practice_laptop.paths.data_dir == (tmp_path / "laptop" / PRACTICE_FOLDER).resolve()
    with opened_app(tmp_path / "laptop") as real:
        assert not real.practice
        assert real.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0


def test_service_export_refuses_a_practice_store(practice_laptop: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(ConflictStateError, match="oefenomgeving"):
        exchange.export(practice_laptop, target)
    assert list(target.iterdir()) == []


def test_sync_export_entry_refuses_a_practice_store(practice_laptop: AppContext, tmp_path: Path) -> None:
    """The guard sits in sync.export itself, so a caller that skips the service is stopped too."""
    target = tmp_path / "b.ifb"
    with pytest.raises(ConflictStateError):
        export_bundle(
            practice_laptop.db,
            practice_laptop.paths.data_dir,
            practice_laptop.paths.media_dir,
            practice_laptop.device_id,
            practice_laptop.actor,
            target,
            __version__,
        )
    assert not target.exists()


def test_the_mark_not_the_folder_decides(practice_laptop: AppContext, tmp_path: Path) -> None:
    """A practice folder opened as a plain data folder (copied, `--data-dir` at it) is still refused."""
    folder = practice_laptop.paths.data_dir
    with opened_app(folder, practice=False) as reopened:
        assert reopened.practice
        with pytest.raises(ConflictStateError):
            exchange.export(reopened, tmp_path)


def test_real_store_with_demo_visits_still_exports(laptop: AppContext, tmp_path: Path) -> None:
    """The refusal is about the mark: the same demo visits in a real store travel (control case)."""
    create_demo_visits(laptop, 3)
    result = exchange.export(laptop, tmp_path / "b.ifb")
    assert result is not None and result.visits == 3


@pytest.mark.usefixtures("practice_laptop")
def test_cli_export_with_oefen_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "laptop")
    capsys.readouterr()
    code = main(["--data-dir", data, "--oefen", "bundle", "export", "-o", str(tmp_path / "b.ifb")])
    assert code != 0
    assert "oefenomgeving" in capsys.readouterr().err
    assert not (tmp_path / "b.ifb").exists()


def test_practice_office_reads_no_bundles(laptop: AppContext, tmp_path: Path) -> None:
    """Decision (README): a practice store imports nothing, so real and practice visits never mix."""
    create_demo_visits(laptop, 2)
    result = exchange.export(laptop, tmp_path / "b.ifb")
    assert result is not None
    with opened_app(tmp_path / "office", practice=True) as practice_office:
        with pytest.raises(ConflictStateError, match="oefenomgeving"):
            exchange.import_files(practice_office, [result.path])
        assert practice_office.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
