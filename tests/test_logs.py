"""Logs rotate, crash reports are written, and neither contains personal data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector_app import __version__
from inspector_app.cli.main import main
from inspector_app.logs import (
    BACKUP_COUNT,
    LOG_FILENAME,
    MAX_BYTES,
    log,
    safe_traceback,
    setup_logging,
    write_crash_report,
)
from inspector_app.paths import app_paths

FAKE_NOTE = "Mevrouw Jansen zei dat haar paspoort is ingenomen"


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    assert setup_logging(folder) == folder / LOG_FILENAME
    yield folder
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def _raise_with_note() -> None:
    secret_local = FAKE_NOTE  # a local variable that must never be dumped
    raise ValueError(f"cannot store answer: {secret_local}")


def test_the_log_rotates(log_dir: Path) -> None:
    assert MAX_BYTES == 1_000_000 and BACKUP_COUNT == 5
    small = 10_000
    setup_logging(log_dir, max_bytes=small)  # the same rotation, with smaller files for a fast test
    for number in range(small // 50 * (BACKUP_COUNT + 2)):
        log.info("event number %s happened in a rather long log line", number)
    files = sorted(path.name for path in log_dir.iterdir())
    assert files[0] == LOG_FILENAME and len(files) == BACKUP_COUNT + 1
    assert all(path.stat().st_size <= small for path in log_dir.iterdir())


def test_log_arguments_that_are_not_ids_are_hidden(log_dir: Path) -> None:
    log.info("answer saved %s %s %s", "PB-12[2]", FAKE_NOTE, 3)
    try:
        _raise_with_note()
    except ValueError:
        log.exception("saving failed for %s", "PB-12")
    text = (log_dir / LOG_FILENAME).read_text(encoding="utf-8")
    assert "answer saved PB-12[2] <…> 3" in text
    assert "Jansen" not in text and "paspoort" not in text
    assert "ValueError" in text and "_raise_with_note" in text


def test_crash_report_has_versions_and_no_personal_data(tmp_path: Path) -> None:
    try:
        _raise_with_note()
    except ValueError as error:
        path = write_crash_report(type(error), error, error.__traceback__, tmp_path, extra={"qt": "6.x"})
    assert path.parent == tmp_path and path.name.startswith("crash-") and path.suffix == ".txt"
    text = path.read_text(encoding="utf-8")
    assert f"app version: {__version__}" in text and "python: " in text and "os: " in text
    assert "qt: 6.x" in text
    assert "ValueError" in text and "_raise_with_note" in text
    assert "Jansen" not in text and "paspoort" not in text
    assert "secret_local =" not in text.split("raise ValueError")[-1]  # no locals dumped after the code line
    second = write_crash_report(ValueError, ValueError("x"), None, tmp_path)
    assert second != path and second.exists()


def test_chained_exceptions_keep_types_not_messages() -> None:
    try:
        try:
            _raise_with_note()
        except ValueError as inner:
            raise RuntimeError(FAKE_NOTE) from inner
    except RuntimeError as error:
        text = safe_traceback(type(error), error, error.__traceback__)
    assert "ValueError" in text and "RuntimeError" in text and "Jansen" not in text


def test_cli_catch_all_writes_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector_app.cli import forms_cmd

    def broken(_args: object) -> int:
        _raise_with_note()
        return 0

    original = forms_cmd.register

    def register(parser: Any) -> None:  # the "forms" parser, made by cli.main
        original(parser)
        for action in parser._subparsers._group_actions:
            for sub in action.choices.values():
                sub.set_defaults(handler=broken)

    monkeypatch.setattr(forms_cmd, "register", register)
    monkeypatch.delenv("INSPECTOR_APP_DEBUG", raising=False)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "forms", "list"]) == 70
    error = capsys.readouterr().err.strip()
    assert error.startswith("onverwachte fout (ValueError)") and len(error.splitlines()) == 1
    reports = list(app_paths(data).log_dir.glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in error
    assert FAKE_NOTE not in reports[0].read_text(encoding="utf-8")


def test_launcher_logs_into_the_data_dir(tmp_path: Path) -> None:
    from inspector_app.launcher import main as launcher_main

    data = tmp_path / "data"
    try:
        assert launcher_main(["--data-dir", str(data), "forms", "list", "--json"]) == 0
        text = (data / "logs" / LOG_FILENAME).read_text(encoding="utf-8")
        assert f"start version={__version__}" in text
    finally:
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()
        logging.getLogger("inspector_app").setLevel(logging.NOTSET)


def test_the_log_records_the_readme_events_with_ids_and_counts(log_dir: Path, tmp_path: Path) -> None:
    """Visit started, finalised, report made, exported, imported, purged: one `event` line each, with
    ids and counts, and no location name, address or note (the README promised these; only start
    lines were written)."""
    from inspector_app.services import exchange as exchange_service
    from inspector_app.services import keys as keys_service
    from inspector_app.services.app import open_app
    from inspector_app.services.documents.render import save_report
    from inspector_app.services.visit.finalize import finalize_visit
    from inspector_app.services.visit.session import VisitSession
    from inspector_app.services.visits import LocationInput, NewVisit, start_visit
    from tests.services.test_visit_session import _any_value
    from tests.sync.conftest import enrol

    office, laptop = open_app(tmp_path / "office"), open_app(tmp_path / "laptop")
    try:
        keys_service.init_office(office, "Westerdam")
        enrol(office, laptop, tmp_path)
        visit_id = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Geheim", "Kade 7")))
        session = VisitSession(laptop, visit_id)
        for ref in session.open_problems()[0]:
            session.answer(ref, _any_value(session.form.questions[ref.split("[")[0]]))
        session.set_note("PB-05", FAKE_NOTE)
        finalize_visit(session)
        save_report(session, tmp_path / "rapport.pdf")
        exported = exchange_service.export(laptop, tmp_path / "out")
        assert exported is not None
        exchange_service.import_files(office, [exported.path])
        receipt = exchange_service.write_receipt(office, tmp_path / "ontvangst.json", laptop.device_id)
        exchange_service.apply_receipt(laptop, receipt)
        purged = exchange_service.purge(laptop, 0)
    finally:
        office.close()
        laptop.close()
    text = (log_dir / LOG_FILENAME).read_text(encoding="utf-8")
    assert f"event visit_started visit={visit_id} form=" in text
    assert f"event visit_finalized visit={visit_id}" in text
    assert f"event report_made visit={visit_id} kind=visit lang=nl" in text
    assert f"event bundle_exported bundle={exported.bundle_id} seq={exported.seq} visits=" in text
    assert f"event bundle_imported bundle={exported.bundle_id} status=imported new=1" in text
    assert f"event visits_purged visits={len(purged)} days=0" in text
    assert "Club Geheim" not in text and "Kade 7" not in text and "Jansen" not in text
