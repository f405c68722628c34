"""Retention that deletes: after a purge no byte of any file in the data folder holds the visit's text.

The text is stored as a visit answer, a person answer, a note, a location name and a photo caption;
a pre-migration snapshot taken while the visit existed holds it too. The scan covers the database, its
WAL and SHM, snapshots, media, keys, logs: first it must find the texts (so it can fail), then, after
`retention run`, nowhere; the audit chain still verifies and records the purge (ids only).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.cli.main import main
from inspector_app.logs import log, setup_logging
from inspector_app.services import retention as retention_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.referrals import ReferralUpdate, list_referrals, update_referral
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.audit import verify_chain
from inspector_app.storage.unlock import Unlock, data_key_for
from tests.decrypted_dump import decrypted_bytes
from tests.raw_store import raw_connect
from tests.services.test_visit_session import _any_value

SECRETS = {
    "answer": "Zeldzaamwoord-Antwoord-7Q3",
    "person answer": "Zeldzaamwoord-Persoon-8K1",
    "note": "Zeldzaamwoord-Notitie-2X9",
    "location": "Zeldzaamwoord-Locatie-5M4",
    "caption": "Zeldzaamwoord-Bijschrift-6P2",
}
KEPT = "Blijvendwoord-Concept-4R8"


def _scan(folder: Path) -> dict[str, list[str]]:
    """Which files (relative names) hold each text, as UTF-8 bytes, anywhere in their bytes.

    With the key in hand: the database, its WAL and snapshots are decrypted page by page (free pages
    too) before the scan, so encryption cannot hide what a purge left behind."""
    found: dict[str, list[str]] = {name: [] for name in [*SECRETS, "kept"]}
    key = data_key_for(folder / "inspector.sqlite3", Unlock())
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes() + decrypted_bytes(path, key)
        for name, text in [*SECRETS.items(), ("kept", KEPT)]:
            if text.encode("utf-8") in data:
                found[name].append(str(path.relative_to(folder)))
    return found


def _finalised_visit(app: AppContext, tmp_path: Path) -> str:
    session = VisitSession(
        app, start_visit(app, NewVisit(form="PB", location=LocationInput(SECRETS["location"], "Kade 1")))
    )
    session.answer("P-ROLE[1]", "sex_worker")
    session.answer("P-LANG[1]", SECRETS["person answer"])
    session.answer("H-06a", "anders")
    session.answer("H-06b", SECRETS["answer"])
    session.set_note("PB-05", SECRETS["note"])
    image = tmp_path / "ruimte.jpg"
    Image.new("RGB", (40, 30), (10, 200, 30)).save(image, format="JPEG")
    photo_ref = next(
        q.id for q in session.form.questions.values() if q.type.value == "photo" and not q.repeat
    )
    add_photo(session, photo_ref, image, SECRETS["caption"])
    for ref in session.open_problems()[0]:
        session.answer(ref, _any_value(session.form.questions[ref.split("[")[0]]))
    finalize_visit(session)
    return session.visit_id


def _office(tmp_path: Path) -> Path:
    data = tmp_path / "office"
    assert main(["--data-dir", str(data), "keys", "init-office", "--municipality", "Westerdam"]) == 0
    return data


def _store_visits(data: Path, tmp_path: Path) -> tuple[str, str]:
    app = open_app(data)
    app.settings.profile.name = "Toezichthouder 1001"
    try:
        # a snapshot from before the visit, and one taken while it existed (both "recent")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        app.db.execute("VACUUM INTO ?", [str(data / f"inspector.before-migration-v4-{stamp}.sqlite3")])
        purged = _finalised_visit(app, tmp_path)
        kept_session = VisitSession(
            app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Blijft")))
        )
        kept_session.set_note("PB-05", KEPT)
        app.db.execute("VACUUM INTO ?", [str(data / f"inspector.before-migration-v7-{stamp}.sqlite3")])
        for referral in list_referrals(app):
            update_referral(app, referral.id, ReferralUpdate(status="closed", outcome="Afgehandeld"))
        return purged, kept_session.visit_id
    finally:
        app.close()


def test_a_purged_visit_leaves_no_byte_of_its_text_in_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _office(tmp_path)
    setup_logging(data / "logs")  # as the launcher does: the log is part of the scan
    try:
        _purge_and_scan(data, tmp_path, capsys)
    finally:
        for handler in list(log.handlers):
            if isinstance(handler, logging.FileHandler):
                log.removeHandler(handler)
                handler.close()
    assert (data / "logs" / "inspector_app.log").read_text(encoding="utf-8").count("retention_run") == 1


def _purge_and_scan(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    purged, kept = _store_visits(data, tmp_path)
    before = _scan(data)
    assert all(before[name] for name in SECRETS), before  # the scan can see them
    for record_class in ("finalised_visits", "signals_without_referral", "referrals_closed"):
        assert main(["--data-dir", str(data), "retention", "set", record_class, "0"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "retention", "run", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert [v for rule in outcome["rules"] for v in rule["visits"]] == [purged]
    assert outcome["compacted"] and outcome["audit_chain_ok"] and outcome["locations_removed"]
    after = _scan(data)
    assert {name: files for name, files in after.items() if name != "kept"} == {name: [] for name in SECRETS}
    assert after["kept"]  # the draft of another location is untouched
    snapshots = sorted(p.name for p in data.glob("*.before-migration-*"))
    assert len(snapshots) == 1 and "-v4-" in snapshots[0]  # only the one from before the visit is left
    assert main(["--data-dir", str(data), "audit", "verify"]) == 0
    app = open_app(data)
    try:
        chain = verify_chain(app.db)
        assert chain.ok and chain.purged_values > 0
        rows = app.db.execute(
            "SELECT entity, entity_id, old, new FROM audit_log WHERE action = 'retention.purged'"
        ).fetchall()
        assert [(r[1], r[2], r[3]) for r in rows] == [(purged, None, None)]
        assert rows[0][0] in {"finalised_visits", "signals_without_referral", "referrals_closed"}
        assert app.db.execute("SELECT count(*) FROM visits WHERE id = ?", [kept]).fetchone()[0] == 1
        for table in (
            "answers",
            "persons",
            "photos",
            "visit_revisions",
            "indicator_observations",
            "referrals",
        ):
            count = app.db.execute(f"SELECT count(*) FROM {table} WHERE visit_id = ?", [purged]).fetchone()[0]
            assert count == 0, table
        assert not list(app.paths.media_dir.iterdir())
    finally:
        app.close()


def test_dry_run_shows_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _office(tmp_path)
    purged, _kept = _store_visits(data, tmp_path)
    for record_class in ("finalised_visits", "signals_without_referral", "referrals_closed"):
        assert main(["--data-dir", str(data), "retention", "set", record_class, "0"]) == 0
    before = _scan(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "retention", "run", "--dry-run", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["dry_run"] and [v for rule in outcome["rules"] for v in rule["visits"]] == [purged]
    assert _scan(data) == before


def test_periods_not_yet_over_remove_nothing(tmp_path: Path) -> None:
    data = _office(tmp_path)
    purged, _kept = _store_visits(data, tmp_path)
    app = open_app(data)
    try:
        plan = retention_service.plan(app)  # office defaults: a year and more
        assert plan.total_visits == 0
        later = retention_service.plan(app, now=datetime.now(UTC) + timedelta(days=5 * 366))
        assert [v for rule in later.rules for v in rule.visits] == [purged]
        assert [f for r in later.rules if r.record_class.value == "snapshots" for f in r.files]
    finally:
        app.close()


def test_snapshots_age_out_by_their_rule(tmp_path: Path) -> None:
    data = _office(tmp_path)
    app = open_app(data)
    try:
        old = data / "inspector.before-migration-v3-20200101T000000Z.sqlite3"
        young = data / f"inspector.before-migration-v4-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.sqlite3"
        for path in (old, young):
            app.db.execute("VACUUM INTO ?", [str(path)])
        outcome = retention_service.run(app)
        assert not old.exists() and young.exists()
        assert [r.files for r in outcome.rules if r.record_class.value == "snapshots"] == [[old.name]]
        assert verify_chain(app.db).ok
    finally:
        app.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["retention", "set", "everything", "3"], "Onbekende bewaarklasse"),
        (["retention", "set", "snapshots", "drie"], "geen aantal dagen"),
        (["retention", "set", "snapshots", "-4"], "geen aantal dagen"),
    ],
)
def test_bad_periods_are_refused_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    data = _office(tmp_path)
    assert main(["--data-dir", str(data), *argv]) == 1
    assert message in capsys.readouterr().err
    app = open_app(data)
    try:
        assert app.db.execute("SELECT count(*) FROM retention_policy").fetchone()[0] == 0
    finally:
        app.close()


def test_a_laptop_cannot_set_periods(app: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(app.paths.data_dir)
    app.close()
    assert main(["--data-dir", data, "retention", "set", "snapshots", "3"]) == 1
    assert "kantoor" in capsys.readouterr().err
    assert main(["--data-dir", data, "retention", "show", "--json"]) == 0
    shown = {rule["class"]: rule for rule in json.loads(capsys.readouterr().out)}
    assert shown["finalised_visits"]["days"] == 30 and shown["finalised_visits"]["default"]


def test_the_laptop_purge_after_a_receipt_leaves_nothing_either(tmp_path: Path) -> None:
    """Laptop -> office -> receipt -> purge: the laptop's data folder holds none of the texts, and the
    office, which keeps the visit, still has them (the receipt was honest)."""
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    enrolment, registration = tmp_path / "enrol.json", tmp_path / "reg.json"
    bundle, receipt = tmp_path / "b.ifb", tmp_path / "receipt.json"
    assert main(["--data-dir", str(office), "keys", "init-office", "--municipality", "Westerdam"]) == 0
    assert main(["--data-dir", str(office), "keys", "export-enrolment", "-o", str(enrolment)]) == 0
    assert main(["--data-dir", str(laptop), "keys", "enrol", str(enrolment)]) == 0
    assert main(["--data-dir", str(laptop), "keys", "export-registration", "-o", str(registration)]) == 0
    assert main(["--data-dir", str(office), "keys", "register-device", str(registration)]) == 0
    app = open_app(laptop)
    app.settings.profile.name = "Toezichthouder 1001"
    try:
        purged = _finalised_visit(app, tmp_path)
    finally:
        app.close()
    assert all(_scan(laptop)[name] for name in SECRETS)
    assert main(["--data-dir", str(laptop), "bundle", "export", "-o", str(bundle)]) == 0
    assert main(["--data-dir", str(office), "bundle", "import", str(bundle)]) == 0
    assert main(["--data-dir", str(office), "bundle", "receipt", "-o", str(receipt)]) == 0
    argv = [
        "--data-dir",
        str(laptop),
        "bundle",
        "apply-receipt",
        str(receipt),
        "--purge",
        "--retention-days",
        "0",
    ]
    assert main(argv) == 0
    assert _scan(laptop) == {name: [] for name in [*SECRETS, "kept"]}
    assert main(["--data-dir", str(laptop), "audit", "verify"]) == 0
    assert _scan(office)["answer"]  # the office holds the visit the laptop no longer does
    app = open_app(laptop)
    try:
        assert app.db.execute("SELECT count(*) FROM visits WHERE id = ?", [purged]).fetchone()[0] == 0
        assert verify_chain(app.db).ok
    finally:
        app.close()


def test_a_reader_holding_the_wal_is_reported_and_a_second_run_finishes(tmp_path: Path) -> None:
    data = _office(tmp_path)
    purged, _kept = _store_visits(data, tmp_path)
    app = open_app(data)
    try:
        for record_class in retention_service.VISIT_CLASSES:
            retention_service.set_period(app, record_class, 0)
        reader = raw_connect(app.paths.database)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM visits").fetchone()  # a read transaction holds the WAL
        outcome = retention_service.run(app)
        assert [v for rule in outcome.rules for v in rule.visits] == [purged] and not outcome.compacted
        reader.rollback()
        reader.close()
        again = retention_service.run(app)
        assert again.total_visits == 0 and again.compacted
    finally:
        app.close()
    assert {name: files for name, files in _scan(data).items() if name != "kept"} == {n: [] for n in SECRETS}
