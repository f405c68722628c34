"""A table of hostile bundles, each a real signed bundle from an enrolled laptop, against the office CLI.

For every row: `bundle import` in a subprocess exits 1 (never 70) with the row's reason; the office
database is unchanged apart from one import report row and one `bundle.import.rejected` audit entry
(a canonical dump of every other table is equal); the peak memory of that subprocess, measured with
`resource.getrusage`, stays under MEMORY_BOUND_KB; and a genuine bundle later in the same batch is
still imported.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import struct
import subprocess
import sys
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from inspector_app.forms.model import QuestionType
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.records import load_snapshots, read_rows
from tests.sync.conftest import enrol
from tests.sync.hostile import Tables, canonical_dump, forge, only_visit, read_bundle, refusal_rows, sha_name

MEMORY_BOUND_KB = 512 * 1024  # peak RSS of the importing CLI process, bundle bytes included
ROOT = Path(__file__).resolve().parents[2]
# A small launcher runs the CLI as its child and reports RUSAGE_CHILDREN: Linux keeps ru_maxrss across
# exec, so a CLI forked straight from this (large) test process would report the test's own memory.
_RUN = (
    "import json, os, resource, subprocess, sys\n"
    "code = subprocess.call([sys.executable, '-m', 'inspector_app', *sys.argv[1:]])\n"
    "with open(os.environ['RUSAGE_OUT'], 'w') as out:\n"
    "    json.dump({'rc': code, 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, out)\n"
    "sys.exit(code)\n"
)


@dataclass
class World:
    office: AppContext
    a: AppContext  # laptop A: its first bundle is imported
    b: AppContext  # laptop B: enrolled, nothing imported
    tmp: Path
    base: Path  # A's first bundle (imported)
    later: Path  # A's second bundle, one more visit (not imported yet)
    tables: Tables  # the rows of `base`
    media: dict[str, bytes]
    new_visit: str  # the visit only `later` holds
    office_visit: str  # a visit the office created itself

    def rows(self) -> Tables:
        return copy.deepcopy(self.tables)

    def signed(self, tables: Tables, name: str, signer: AppContext | None = None, **kwargs: Any) -> Path:
        """Signed by A (or `signer`), with the media its photo rows name."""
        names = {p["sha256"] for p in tables["photos"]}
        media = {k: v for k, v in self.media.items() if k.split(".")[0] in names}
        return forge(signer or self.a, self.office, tables, media, self.tmp / f"{name}.ifb", **kwargs)


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (a decompression bomb costs only its header here)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def world(office: AppContext, laptop: AppContext, tmp_path: Path) -> Iterator[World]:
    create_demo_visits(laptop, 4, seed=9)
    visit = start_visit(laptop, NewVisit(form="CS", location=LocationInput("Bouwplaats Kade", "Kade 3")))
    session = VisitSession(laptop, visit)
    ref = next(q.id for q in session.form.questions.values() if q.type is QuestionType.PHOTO and not q.repeat)
    picture = tmp_path / "pand.png"
    Image.new("RGB", (40, 30), (120, 80, 40)).save(picture)
    add_photo(session, ref, picture, "gevel")
    base = exchange_service.export(laptop, tmp_path / "base.ifb")
    assert base is not None
    [report] = exchange_service.import_files(office, [base.path])
    assert report.status == "imported", report.reason
    new_visit = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Later", "Dijk 9")))
    later = exchange_service.export(laptop, tmp_path / "later.ifb")
    assert later is not None
    office_visit = start_visit(
        office, NewVisit(form="PB", location=LocationInput("Kantoorbezoek", "Plein 1"))
    )
    other = open_app(tmp_path / "laptop-b")
    other.settings.profile.name = "Toezichthouder 2002"
    enrol(office, other, tmp_path)
    tables, media, _manifest = read_bundle(office, base.path)
    for table in ("persons", "indicator_observations", "photos", "referrals"):
        assert tables[table], f"the demo visits must hold {table}"
    world = World(
        office, laptop, other, tmp_path, base.path, later.path, tables, media, new_visit, office_visit
    )
    yield world
    other.close()


# ------------------------------------------------------------------------------------ the cases


def _set(
    table: str, field: str, value: Any, where: Callable[[dict[str, Any]], bool] = lambda _r: True
) -> Callable[[World], Path]:
    def make(w: World) -> Path:
        tables = w.rows()
        row = next(r for r in tables[table] if where(r))
        row[field] = value
        return w.signed(tables, f"{table}-{field}")

    return make


def _person_answer(row: dict[str, Any]) -> bool:
    return int(row["person_number"]) > 0


def _text_answer(row: dict[str, Any]) -> bool:
    return isinstance(row["value"], str) and isinstance(json.loads(row["value"]), str)


def _extra_media(w: World) -> Path:
    data = png(10, 10)
    return forge(w.a, w.office, w.rows(), {**w.media, sha_name(data, "png"): data}, w.tmp / "extra.ifb")


def _photo_as(data: bytes, suffix: str, media_type: str) -> Callable[[World], Path]:
    def make(w: World) -> Path:
        tables = w.rows()
        photo = tables["photos"][0]
        old = photo["sha256"]
        name = sha_name(data, suffix)
        photo["sha256"], photo["media_type"], photo["size"] = name.split(".")[0], media_type, len(data)
        media = {k: v for k, v in w.media.items() if not k.startswith(old)}
        return forge(w.a, w.office, tables, {**media, name: data}, w.tmp / "photo.ifb")

    return make


def _unused_location(w: World) -> Path:
    """Two visits now share a location, so the other location row belongs to no visit."""
    tables = w.rows()
    first, second = tables["visits"][0], tables["visits"][1]
    assert first["location_id"] != second["location_id"]
    second["location_id"] = first["location_id"]
    return w.signed(tables, "unused-location")


def _too_many_revisions(w: World) -> Path:
    """250,000 distinct revision lines (cap 200,000): refused by counting, before a row is decoded."""
    template = json.dumps(w.tables["visit_revisions"][0], sort_keys=True, separators=(",", ":"))
    first = w.tables["visit_revisions"][0]["id"]
    lines = "\n".join(template.replace(first, str(uuid.uuid4())) for _ in range(250_000)) + "\n"
    tables = w.rows()
    tables["visit_revisions"] = []
    return w.signed(tables, "many", raw={"records/revisions.jsonl": lines.encode()})


def _answers_for_one_visit(w: World) -> Path:
    """600,000 distinct answers to one visit (cap 2,000 per visit): refused by counting lines."""
    visit = w.tables["visits"][0]["id"]
    tables = only_visit(w.rows(), visit)
    template = json.dumps(tables["answers"][0], sort_keys=True, separators=(",", ":"))
    question = json.dumps(tables["answers"][0]["question_id"])
    lines = "\n".join(template.replace(question, json.dumps(f"Q-{n}")) for n in range(600_000)) + "\n"
    tables["answers"] = []
    return w.signed(tables, "answers", raw={"records/answers.jsonl": lines.encode()})


def _draft_of_a(w: World) -> str:
    """A's draft visit (the one with the photo): a change to a final visit would break its content hash."""
    return str(w.tables["photos"][0]["visit_id"])


def _foreign_version(w: World) -> Path:
    """B re-sends A's visit (already at the office) with a changed note: B did not create it."""
    visit = _draft_of_a(w)
    tables = only_visit(w.rows(), visit)
    tables["answers"][0]["note"] = "overschreven door B"
    return w.signed(tables, "foreign", signer=w.b)


def _foreign_superset(w: World) -> Path:
    """B knows A's revisions and adds one: still not B's visit (C1 b)."""
    visit = w.tables["visits"][0]["id"]
    tables = only_visit(w.rows(), visit)
    head = tables["visits"][0]["head_rev"]
    revision = {
        **tables["visit_revisions"][0],
        "id": str(uuid.uuid4()),
        "base_rev": head,
        "device_id": w.b.device_id,
    }
    tables["visit_revisions"].append(revision)
    tables["visits"][0]["head_rev"] = revision["id"]
    return w.signed(tables, "superset", signer=w.b)


def _claimed_origin(w: World) -> Path:
    """B's copy of A's visit says B made it."""
    visit = w.tables["visits"][0]["id"]
    tables = only_visit(w.rows(), visit)
    tables["visits"][0]["device_id"] = w.b.device_id
    return w.signed(tables, "claimed", signer=w.b)


def _foreign_new(w: World) -> Path:
    """B sends a visit of A that the office has not seen yet."""
    tables, _media, _manifest = read_bundle(w.office, w.later)
    return forge(w.b, w.office, only_visit(tables, w.new_visit), {}, w.tmp / "foreign-new.ifb")


def _office_visit(w: World) -> Path:
    """A sends a version of a visit the office created (C1 a)."""
    [snapshot] = list(load_snapshots(w.office.db, [w.office_visit]))
    tables: Tables = {t: [dict(r) for r in rows] for t, rows in snapshot.parts.items()}
    tables["visits"] = [dict(snapshot.visit)]
    tables["locations"] = read_rows(w.office.db, "locations", "WHERE id = ?", [snapshot.visit["location_id"]])
    tables["answers"][0]["note"] = "overschreven door A"
    return forge(w.a, w.office, tables, {}, w.tmp / "office-visit.ifb")


def _final_visit_edited(w: World) -> Path:
    """An answer of a finalised visit edited after sealing (H4): its stamped content hash no longer holds."""
    tables = w.rows()
    finals = {v["id"] for v in tables["visits"] if v["status"] == "final"}
    assert finals, "the demo visits must include a final one"
    answer = next(a for a in tables["answers"] if a["visit_id"] in finals)
    answer["note"] = answer["note"] + " (achteraf gewijzigd)"
    return w.signed(tables, "final-edited")


def _manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[World], Path]:
    return lambda w: w.signed(w.rows(), "manifest", manifest_change=change)


CASES: list[tuple[str, Callable[[World], Path], str]] = [
    # item 3: CHECKs of the schema
    ("status-bogus", _set("visits", "status", "bogus"), "bad_record"),
    ("location-type-xx", _set("locations", "location_type", "XX"), "bad_record"),
    ("revision-kind-bogus", _set("visit_revisions", "kind", "bogus"), "invalid_record"),
    ("person-number-0", _set("persons", "number", 0), "invalid_record"),
    ("weight-x", _set("indicator_observations", "weight", "X"), "bad_record"),
    ("recipient-bogus", _set("referrals", "recipient", "bogus"), "bad_record"),
    ("urgency-bogus", _set("referrals", "urgency", "someday"), "bad_record"),
    ("referral-slug-unknown", _set("referrals", "slugs", '["gen.made_up"]'), "invalid_record"),
    ("revision-hash-bad", _set("visit_revisions", "content_sha256", "../x"), "invalid_record"),
    ("revision-device-not-uuid", _set("visit_revisions", "device_id", "../../x"), "invalid_record"),
    ("lone-surrogate", _set("answers", "note", "\ud800"), "invalid_record"),
    # item 3: meaning
    ("unknown-form", _set("visits", "form_id", "XX-99"), "invalid_record"),
    ("form-version-999", _set("visits", "form_version", 999), "invalid_record"),
    ("inspectors-not-json", _set("visits", "inspectors", "[nope"), "bad_record"),
    ("answer-not-json", _set("answers", "value", "{nope"), "bad_record"),
    ("raised-by-not-json", _set("indicator_observations", "raised_by", "nope"), "bad_record"),
    ("unknown-slug", _set("indicator_observations", "slug", "gen.made_up"), "invalid_record"),
    ("answer-wrong-type", _set("answers", "value", "[1, 2]", _text_answer), "invalid_record"),
    ("started-yesterday-ish", _set("visits", "started_at", "yesterday-ish"), "invalid_record"),
    ("acute-7", _set("visits", "acute", 7), "bad_record"),
    ("negative-count", _set("visits", "count_h", -1), "invalid_record"),
    ("unknown-question", _set("answers", "question_id", "ZZ-99"), "invalid_record"),
    ("unknown-person", _set("answers", "person_number", 99, _person_answer), "invalid_record"),
    ("nul-in-note", _set("answers", "note", "a\x00b"), "invalid_record"),
    ("rtl-override", _set("answers", "note", "abc\u202edef"), "invalid_record"),
    # item 2 and 5: caps, unreferenced entries, images, identifiers
    ("photo-hash-traversal", _set("photos", "sha256", "../../../../../etc/passwd"), "invalid_record"),
    ("unreferenced-media", _extra_media, "unreferenced_entry"),
    ("unreferenced-location", _unused_location, "unreferenced_record"),
    ("photo-not-an-image", _photo_as(b"<html><body>hallo</body></html>", "jpg", "image/jpeg"), "bad_media"),
    ("photo-png-bomb", _photo_as(png(20_000, 20_000), "png", "image/png"), "bad_media"),
    ("photo-claims-huge", _set("photos", "width", 10_000_000), "invalid_record"),
    ("bundle-id-traversal", _manifest(lambda m: m.update(bundle_id="x/../../../victim")), "bad_identifier"),
    ("bundle-id-5000", _manifest(lambda m: m.update(bundle_id="../" * 1700)), "bad_identifier"),
    ("seq-negative", _manifest(lambda m: m.update(seq=-5)), "bad_manifest"),
    ("250k-revisions", _too_many_revisions, "too_many_records"),
    ("600k-answers-one-visit", _answers_for_one_visit, "too_many_records"),
    # item 4: tamper evidence
    ("final-visit-edited", _final_visit_edited, "content_hash_mismatch"),
    ("audit-head-not-the-chain", _manifest(lambda m: m.update(audit_head="ab" * 32)), "audit_head_mismatch"),
    (
        "audit-head-beyond-rows",
        _manifest(lambda m: m.update(audit_to=m["audit_to"] + 5)),
        "audit_head_mismatch",
    ),
    ("audit-head-not-hex", _manifest(lambda m: m.update(audit_head="../x")), "audit_head_mismatch"),
    ("audit-head-not-text", _manifest(lambda m: m.update(audit_head=7)), "bad_manifest"),
    # item 1: authority
    ("b-changes-a-visit", _foreign_version, "not_your_visit"),
    ("b-superset-of-a", _foreign_superset, "not_your_visit"),
    ("b-claims-a-visit", _claimed_origin, "origin_changed"),
    ("b-sends-unseen-a-visit", _foreign_new, "foreign_new_visit"),
    ("a-changes-office-visit", _office_visit, "not_your_visit"),
]


def run_cli(office: AppContext, tmp: Path, *args: str) -> tuple[int, int, str]:
    """`inspector-app --data-dir OFFICE ...` in a fresh process: (exit code, peak RSS in KiB, stdout)."""
    out = tmp / f"rusage-{uuid.uuid4().hex}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUSAGE_OUT": str(out), "INSPECTOR_APP_LANG": "nl"}
    env.pop("INSPECTOR_APP_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "--data-dir", str(office.paths.data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    measured = json.loads(out.read_text())
    assert measured["rc"] == done.returncode, done.stderr
    return done.returncode, int(measured["maxrss_kb"]), done.stdout


@pytest.mark.parametrize(("make", "code"), [(m, c) for _n, m, c in CASES], ids=[n for n, _m, _c in CASES])
def test_hostile_bundle_is_refused_cleanly(world: World, make: Callable[[World], Path], code: str) -> None:
    hostile = make(world)
    database = world.office.paths.database
    world.office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before, (reports, audits) = canonical_dump(database), refusal_rows(database)
    rc, peak_kb, stdout = run_cli(world.office, world.tmp, "bundle", "import", str(hostile), "--json")
    [report] = json.loads(stdout)
    assert (report["status"], report["reason_code"]) == ("rejected", code), report["reason"]
    assert report["reason"]
    assert rc == 1
    print(f"peak RSS {peak_kb // 1024} MiB (bound {MEMORY_BOUND_KB // 1024} MiB)")
    assert peak_kb < MEMORY_BOUND_KB
    assert canonical_dump(database) == before
    assert refusal_rows(database) == (reports + 1, audits + 1)
    # The same file first in a batch: the genuine bundle after it is still imported.
    results = exchange_service.import_files(world.office, [hostile, world.later])
    assert [r.status for r in results] == ["rejected", "imported"], [r.reason for r in results]
    assert world.new_visit in results[1].new


def test_the_reasons_name_kind_line_and_field(world: World) -> None:
    tables = world.rows()
    tables["answers"][3]["note"] = "a\x00b"
    [report] = exchange_service.import_files(world.office, [world.signed(tables, "line")])
    assert report.reason_code == "invalid_record"
    assert "records/answers.jsonl" in report.reason and "regel 4" in report.reason and "note" in report.reason


def test_authority_reason_names_the_devices(world: World) -> None:
    [report] = exchange_service.import_files(world.office, [_foreign_version(world)])
    assert report.reason_code == "not_your_visit"
    assert world.b.device_id[:8] in report.reason and world.a.device_id[:8] in report.reason
    audit = world.office.db.execute(
        "SELECT new FROM audit_log WHERE action = 'bundle.import.rejected' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    assert "not_your_visit" in audit


def test_an_assigned_visit_may_be_changed_by_the_second_laptop(world: World) -> None:
    from inspector_app.services import assignments

    visit = _draft_of_a(world)
    assignments.assign(world.office, visit, world.b.device_id[:8], "gezamenlijke controle")
    [report] = exchange_service.import_files(world.office, [_foreign_version(world)])
    assert report.status == "imported", report.reason
    assert visit in report.updated or visit in report.conflicts or visit in report.merged
    audit = world.office.db.execute("SELECT new FROM audit_log WHERE action = 'visit.assigned'").fetchone()[0]
    assert "gezamenlijke controle" in audit


def test_a_laptop_never_rewrites_the_register(world: World) -> None:
    tables = world.rows()
    location = tables["locations"][0]
    before = read_rows(world.office.db, "locations", "WHERE id = ?", [location["id"]])
    location.update(name="Overgenomen BV", licence_number="X-1", updated_at="2099-01-01T00:00:00.000Z")
    [report] = exchange_service.import_files(world.office, [world.signed(tables, "register")])
    assert report.status == "imported", report.reason
    assert report.locations_ignored == [location["id"]]
    assert read_rows(world.office.db, "locations", "WHERE id = ?", [location["id"]]) == before


def test_a_receipt_acknowledges_only_snapshots_the_office_holds(world: World) -> None:
    """Every acknowledged content is one the office holds as a version; one it no longer holds (its
    snapshot gone) is not acknowledged, so a laptop never purges a content the office lacks."""
    visit = world.tables["photos"][0]["visit_id"]
    session = VisitSession(world.a, visit)
    ref = next(q.id for q in session.form.questions.values() if q.type is QuestionType.TEXT and not q.repeat)
    session.set_note(ref, "tweede versie")
    second = exchange_service.export(world.a, world.tmp / "second.ifb")
    assert second is not None
    [report] = exchange_service.import_files(world.office, [second.path])
    assert report.status == "imported" and visit in report.updated, report.reason

    def acknowledged() -> dict[int, dict[str, str]]:
        receipt = world.tmp / "receipt.json"
        exchange_service.write_receipt(world.office, receipt)
        payload = json.loads(base64.b64decode(json.loads(receipt.read_text())["payload"]))
        return {b["seq"]: b["visits"] for b in payload["bundles"]}

    by_seq = acknowledged()
    assert visit in by_seq[max(by_seq)]
    held = {
        str(r[0])
        for r in world.office.db.execute(
            "SELECT snapshot_sha256 FROM sync_visit_versions WHERE visit_id = ? AND snapshot IS NOT NULL",
            [visit],
        )
    }
    assert {visits[visit] for visits in by_seq.values() if visit in visits} <= held
    first = by_seq[1].get(visit)
    if (
        first is not None
    ):  # the first content is kept as the merge ancestor: drop it and it is not acknowledged
        with world.office.db.conn:
            world.office.db.execute(
                "UPDATE sync_visit_versions SET snapshot = NULL WHERE visit_id = ? AND snapshot_sha256 = ?",
                [visit, first],
            )
        assert visit not in acknowledged()[1]


def test_a_bundle_id_cannot_be_squatted_across_devices(world: World) -> None:
    """B takes the id of A's next bundle first; A's genuine bundle is still imported (M5)."""
    _tables, _media, manifest = read_bundle(world.office, world.later)
    visit = start_visit(world.b, NewVisit(form="PB", location=LocationInput("Pand van B", "Laan 2")))
    own = exchange_service.export(world.b, world.tmp / "b-own.ifb")
    assert own is not None
    tables, media, _m = read_bundle(world.office, own.path)
    squat = forge(
        world.b,
        world.office,
        tables,
        media,
        world.tmp / "squat.ifb",
        manifest_change=lambda m: m.update(bundle_id=manifest["bundle_id"]),
    )
    results = exchange_service.import_files(world.office, [squat, world.later])
    assert [r.status for r in results] == ["imported", "imported"], [r.reason for r in results]
    assert visit in results[0].new and world.new_visit in results[1].new
    again = exchange_service.import_files(world.office, [squat])
    assert again[0].status == "already_present"


def test_what_the_store_still_refuses_is_a_rejection_and_its_media_are_removed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net behind the checks: with them switched off, a text SQLite cannot store (a lone
    surrogate) reaches the store; the bundle is still rejected cleanly and its photo is gone again."""
    from inspector_app.sync import office_import

    monkeypatch.setattr(office_import, "validate_records", lambda *_args: None)
    later, _media, _manifest = read_bundle(world.office, world.later)
    tables = only_visit(later, world.new_visit)
    tables["answers"][0]["note"] = "\ud800"
    data = png(12, 12)
    name = sha_name(data, "png")
    photo = {**world.tables["photos"][0], "id": str(uuid.uuid4()), "visit_id": world.new_visit}
    photo["sha256"], photo["media_type"], photo["size"] = name.split(".")[0], "image/png", len(data)
    tables["photos"] = [photo]
    hostile = forge(world.a, world.office, tables, {name: data}, world.tmp / "store.ifb")
    before = canonical_dump(world.office.paths.database)
    [report] = exchange_service.import_files(world.office, [hostile])
    assert (report.status, report.reason_code) == ("rejected", "store_refused"), report.reason
    assert canonical_dump(world.office.paths.database) == before
    assert not (world.office.paths.media_dir / name).exists()


def _rechain(rows: list[dict[str, Any]], start: int) -> None:
    """Recompute the hashes from `start` on, as someone who edited the laptop's log would."""
    from inspector_app.storage.audit import entry_hash
    from inspector_app.sync.chain import HASHED

    for index in range(start, len(rows)):
        if index:
            rows[index]["prev_hash"] = rows[index - 1]["hash"]
        row = rows[index]
        row["hash"] = entry_hash(
            row["prev_hash"], [row[n] for n in HASHED], row["scheme"], row["values_sha256"]
        )


def _edit_and_rechain(rows: list[dict[str, Any]], index: int) -> None:
    rows[index]["actor"] = "iemand anders"
    _rechain(rows, index)


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda rows: rows[2].update(actor="iemand anders"), "content does not match its hash"),
        (lambda rows: rows[2].update(hash="ab" * 32), "content does not match its hash"),
        (lambda rows: _edit_and_rechain(rows, 2), "differs from the entry"),
        (lambda rows: rows.pop(2), "entries missing after seq"),
        # scheme 2 hashes the salted commitment, not the values: an edited value is caught against it
        (lambda rows: rows[2].update(new='"iets anders"'), "values do not match their commitment"),
    ],
    ids=["edited", "random-hash", "edited-and-rechained", "entry-removed", "value-edited"],
)
def test_a_broken_laptop_audit_chain_is_reported(
    world: World, tamper: Callable[[list[dict[str, Any]]], None], problem: str
) -> None:
    """The visits still come in (a restored laptop renumbers its log too); the break is reported and audited."""
    tables, media, _manifest = read_bundle(world.office, world.later)
    rows = sorted(tables["audit_log"], key=lambda r: r["seq"])
    assert len(rows) > 3
    tamper(rows)
    tables["audit_log"] = rows
    [report] = exchange_service.import_files(
        world.office, [forge(world.a, world.office, tables, media, world.tmp / "chain.ifb")]
    )
    assert report.status == "imported", report.reason
    assert any(problem in b["problem"] for b in report.audit_breaks), report.audit_breaks
    audit = world.office.db.execute(
        "SELECT entity_id, new FROM audit_log WHERE action = 'sync.audit_chain_break'"
    ).fetchall()
    assert len(audit) == 1 and audit[0][0] == world.a.device_id and problem in audit[0][1]


def test_a_genuine_chain_has_no_breaks(world: World) -> None:
    [report] = exchange_service.import_files(world.office, [world.later])
    assert report.status == "imported" and report.audit_breaks == []
    assert (
        world.office.db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'sync.audit_chain_break'"
        ).fetchone()[0]
        == 0
    )


# ------------------------------------------------------------------------------------ large files

LARGE = 200 * 1024**2
LARGE_BOUND_KB = 128 * 1024  # peak RSS of the importing CLI for a 200 MiB bundle: below the file's size


def _streamed_bundle(w: World, target: Path, padding: str) -> Path:
    """A 200 MiB bundle signed by A, written without holding it in memory: `media` is a STORED photo
    entry of 200 MiB the signed manifest lists (over the 25 MiB media cap), `trailing` a small genuine
    archive followed by 200 MiB of zeros inside the encrypted payload (no ZIP end record where one
    must be), `leading` the same archive after 200 MiB of zeros (data no member covers)."""
    import hashlib
    import zipfile

    import pyrage

    from inspector_app.storage.audit import canonical_json
    from inspector_app.sync.bundle import BundleContent, build_manifest
    from inspector_app.sync.envelope import MANIFEST, SIGNATURE
    from inspector_app.sync.keys import KeyStore, device_fingerprint

    keys = KeyStore.of(w.a.paths.data_dir)
    recipients = KeyStore.of(w.office.paths.data_dir).office_public().all_recipients
    block = bytes(1024**2)
    digest = hashlib.sha256()
    for _ in range(LARGE // len(block)):
        digest.update(block)
    name = f"media/{digest.hexdigest()}.jpg"
    content = BundleContent(str(uuid.uuid4()), w.a.device_id, 1, "2026-01-01T00:00:00.000Z", 11, "1", 0, 0)
    manifest_bytes, _payload = build_manifest(
        content, device_fingerprint(keys.device_public(w.a.device_id)), recipients
    )
    manifest = json.loads(manifest_bytes)
    if padding == "media":
        manifest["entries"] = [{"path": name, "size": LARGE, "sha256": digest.hexdigest(), "count": 1}]
    manifest_bytes = canonical_json(manifest).encode("utf-8")
    signature = keys.device_signing_key(w.a.device_id).sign(manifest_bytes)
    plain = target.with_suffix(".zip")
    with plain.open("wb") as handle:
        if padding == "leading":
            for _ in range(LARGE // len(block)):
                handle.write(block)
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(SIGNATURE, signature)
            if padding == "media":
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                with archive.open(info, "w", force_zip64=True) as member:
                    for _ in range(LARGE // len(block)):
                        member.write(block)
        if padding == "trailing":
            for _ in range(LARGE // len(block)):
                handle.write(block)
    with plain.open("rb") as source, target.open("wb") as sink:
        pyrage.encrypt_io(source, sink, [pyrage.x25519.Recipient.from_str(r) for r in recipients])
    plain.unlink()
    return target


@pytest.mark.parametrize(
    ("padding", "code"), [("media", "too_large"), ("trailing", "damaged"), ("leading", "unexpected_data")]
)
def test_a_200_mib_bundle_is_refused_in_bounded_memory(world: World, padding: str, code: str) -> None:
    """Decryption streams 64 KiB chunks into a capped spool: the importer's memory does not grow with
    the file. Refused with its reason, exit 1, the office unchanged, the batch goes on."""
    hostile = _streamed_bundle(world, world.tmp / f"large-{padding}.ifb", padding)
    assert hostile.stat().st_size > LARGE
    database = world.office.paths.database
    world.office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before, (reports, audits) = canonical_dump(database), refusal_rows(database)
    rc, peak_kb, stdout = run_cli(world.office, world.tmp, "bundle", "import", str(hostile), "--json")
    [report] = json.loads(stdout)
    assert (report["status"], report["reason_code"]) == ("rejected", code), report["reason"]
    assert rc == 1
    print(f"{padding}: peak RSS {peak_kb // 1024} MiB for a {hostile.stat().st_size // 1024**2} MiB file")
    assert peak_kb < LARGE_BOUND_KB
    assert canonical_dump(database) == before
    assert refusal_rows(database) == (reports + 1, audits + 1)
    rc, peak_kb, stdout = run_cli(world.office, world.tmp, "bundle", "inspect", str(hostile))
    assert rc == 0 and json.loads(stdout)["recipient_stanzas"]
    print(f"inspect: peak RSS {peak_kb // 1024} MiB")
    assert peak_kb < LARGE_BOUND_KB
    results = exchange_service.import_files(world.office, [hostile, world.later])
    assert [r.status for r in results] == ["rejected", "imported"], [r.reason for r in results]
    hostile.unlink()


# ------------------------------------------------------------------------------------ chain head


def _head(world: World) -> tuple[int, str]:
    row = world.office.db.execute(
        "SELECT seq, hash FROM sync_audit_heads WHERE device_id = ?", [world.a.device_id]
    ).fetchone()
    return int(row[0]), str(row[1])


def test_the_office_keeps_the_signed_head_and_a_genuine_chain_links_to_it(world: World) -> None:
    _tables, _media, manifest = read_bundle(world.office, world.base)
    assert _head(world) == (manifest["audit_to"], manifest["audit_head"])
    [report] = exchange_service.import_files(world.office, [world.later])
    assert report.status == "imported" and report.audit_breaks == []
    _tables, _media, later = read_bundle(world.office, world.later)
    assert later["audit_to"] > manifest["audit_to"]
    assert _head(world) == (later["audit_to"], later["audit_head"])


@pytest.mark.parametrize(
    ("rewrite", "purged", "problem"),
    [
        ("relinked", False, "link to the last"),
        # retention may purge the received entries; the head kept per device still catches it
        ("relinked", True, "does not link to the last head received from this device"),
        ("gap", True, "entries missing after the last head received"),
    ],
)
def test_a_chain_that_does_not_pass_through_the_last_head_is_reported(
    world: World, rewrite: str, purged: bool, problem: str
) -> None:
    """Rewritten history: the laptop's new entries link to a past the office never received. The
    visits still come in (a restored laptop must not lose them); the break is in the report, the CLI
    text and the office audit log, and the head moves on to the new chain (named once)."""
    head_seq, _hash = _head(world)
    tables, media, _manifest = read_bundle(world.office, world.later)
    rows = sorted((r for r in tables["audit_log"] if r["seq"] > head_seq), key=lambda r: r["seq"])
    assert len(rows) > 2
    if rewrite == "relinked":
        rows[0]["prev_hash"] = "cd" * 32
        _rechain(rows, 0)
    else:
        rows = rows[1:]
    tables["audit_log"] = rows
    if purged:
        with world.office.db.conn:
            world.office.db.execute("DELETE FROM sync_remote_audit")
    rewritten = forge(world.a, world.office, tables, media, world.tmp / "rewritten.ifb")
    rc, _peak, stdout = run_cli(world.office, world.tmp, "bundle", "import", str(rewritten))
    assert rc == 0
    assert "auditlogboek van deze laptop klopt niet" in stdout
    report = json.loads(
        world.office.db.execute(
            "SELECT report FROM sync_import_log ORDER BY imported_at DESC LIMIT 1"
        ).fetchone()[0]
    )
    assert world.new_visit in report["new"]
    assert any(problem in b["problem"] for b in report["audit_breaks"]), report["audit_breaks"]
    audit = world.office.db.execute(
        "SELECT entity_id, new FROM audit_log WHERE action = 'sync.audit_chain_break'"
    ).fetchall()
    assert len(audit) == 1 and audit[0][0] == world.a.device_id and problem in audit[0][1]
    assert _head(world) == (rows[-1]["seq"], rows[-1]["hash"])


def test_a_file_that_changes_between_hash_and_decryption_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The importer hashes the file, then decrypts it in a second reading that hashes again; when the
    two differ (the stick's file was replaced meanwhile) nothing is imported."""
    from inspector_app.sync import office_import

    monkeypatch.setattr(office_import, "stream_sha256", lambda _handle: "0" * 64)
    before = canonical_dump(world.office.paths.database)
    [report] = exchange_service.import_files(world.office, [world.later])
    assert (report.status, report.reason_code) == ("rejected", "damaged")
    assert "veranderde terwijl het werd gelezen" in report.reason
    assert json.loads(canonical_dump(world.office.paths.database))["visits"] == json.loads(before)["visits"]
