"""Issue 9's two lost edits, from the command line: an office amendment and a restored laptop's edit."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.forms.loader import load_form_by_id
from inspector_app.services import conflicts as conflict_service
from inspector_app.services.app import open_app
from inspector_app.sync.versions import conflict_status


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> str:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def kept_revisions(office: Path, visit_id: str) -> set[str]:
    """Every revision id the office holds for the visit: shown and in every kept leaf."""
    app = open_app(office)
    try:
        shown = {
            r[0] for r in app.db.execute("SELECT id FROM visit_revisions WHERE visit_id = ?", [visit_id])
        }
        for (snapshot,) in app.db.execute(
            "SELECT snapshot FROM sync_visit_versions WHERE visit_id = ? AND leaf = 1", [visit_id]
        ):
            shown |= {str(r["id"]) for r in json.loads(snapshot)["visit_revisions"]}
        return shown
    finally:
        app.close()


def stored_state(office: Path, visit_id: str) -> tuple[object, ...]:
    """The visit's answers, versions, conflict and audit log: what a refused edit must leave alone."""
    app = open_app(office)
    try:
        query = app.db.execute
        return (
            query("SELECT * FROM answers WHERE visit_id = ? ORDER BY 1, 2, 3", [visit_id]).fetchall(),
            query(
                "SELECT * FROM sync_visit_versions WHERE visit_id = ? ORDER BY 1, 2, 3", [visit_id]
            ).fetchall(),
            query("SELECT status, versions FROM sync_conflicts WHERE visit_id = ?", [visit_id]).fetchall(),
            query("SELECT count(*) FROM audit_log").fetchall(),
        )
    finally:
        app.close()


def laptop_revisions(laptop: Path, visit_id: str) -> set[str]:
    app = open_app(laptop)
    try:
        return {r[0] for r in app.db.execute("SELECT id FROM visit_revisions WHERE visit_id = ?", [visit_id])}
    finally:
        app.close()


@pytest.fixture
def synced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, str]:
    """An office and an enrolled laptop; one final PB visit made on the laptop and imported."""
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    enrolment, registration = tmp_path / "enrol.json", tmp_path / "reg.json"
    run(capsys, office, "keys", "init-office", "--municipality", "Westerdam")
    run(capsys, office, "keys", "export-enrolment", "-o", str(enrolment))
    run(capsys, laptop, "keys", "enrol", str(enrolment))
    run(capsys, laptop, "keys", "export-registration", "-o", str(registration))
    run(capsys, office, "keys", "register-device", str(registration))
    visit_id = run(
        capsys, laptop, "visits", "new", "--form", "PB", "--location-name", "Club Test",
        "--address", "Teststraat 1", "--postcode", "1234 AB", "--started-at", "2026-11-20T21:00",
    ).strip()  # fmt: skip
    shown = json.loads(run(capsys, laptop, "visits", "show", visit_id, "--json"))
    form = load_form_by_id("prostitution_business")
    for ref in shown["missing_required"]:
        question = form.questions[ref.split("[")[0]]
        value = {"yesno": "ja", "integer": "1", "decimal": "1", "time": "23:00", "date": "2026-11-20"}.get(
            question.type.value, question.choices[0].value if question.choices else "Notitie."
        )
        run(capsys, laptop, "visits", "answer", visit_id, ref, value)
    run(capsys, laptop, "visits", "finalize", visit_id)
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "first.ifb"))
    assert "1 nieuw" in run(capsys, office, "bundle", "import", str(tmp_path / "first.ifb"))
    return office, laptop, visit_id


def test_office_amendment_survives_a_later_laptop_amendment(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    office_revs = kept_revisions(office, visit_id)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "9999 ZZ", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    out = run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    assert "0 bijgewerkt" in out and "1 conflict" in out
    assert office_revs | laptop_revisions(laptop, visit_id) <= kept_revisions(office, visit_id)


@pytest.mark.parametrize("value", ["3511 AB", "9999 ZZ", "1111 AA"])
def test_amending_a_visit_in_open_conflict_is_refused_even_to_one_sides_value(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """Repeating the shown side's value would be "nothing to do" and leave the user thinking it was
    settled: every amendment of an open conflict is refused with the way out, and nothing changes."""
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "9999 ZZ", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    assert "1 conflict" in run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    revisions, stored = kept_revisions(office, visit_id), stored_state(office, visit_id)
    code = main(
        ["--data-dir", str(office), "visits", "amend", visit_id, "H-03", value, "--reason", "Nogmaals."]
    )
    err = capsys.readouterr().err
    assert code != 0 and "open synchronisatieconflict" in err and "conflicts list" in err
    assert kept_revisions(office, visit_id) == revisions
    assert stored_state(office, visit_id) == stored


def test_office_and_laptop_amending_different_fields_merge_cleanly(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second half of the first "Why": different fields are one clean merge, both edits shown."""
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    office_revs = kept_revisions(office, visit_id)
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    out = run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    assert "1 samengevoegd" in out and "0 conflicten" in out and "0 bijgewerkt" in out
    shown = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))
    app = open_app(office)
    try:
        values = dict(
            app.db.execute(
                "SELECT question_id, value FROM answers WHERE visit_id = ? AND question_id IN ('H-03', 'PB-05')",
                [visit_id],
            ).fetchall()
        )
    finally:
        app.close()
    assert json.loads(values["H-03"]) == "3511 AB" and json.loads(values["PB-05"]) == "no"
    assert office_revs | laptop_revisions(laptop, visit_id) <= kept_revisions(office, visit_id)
    assert json.loads(run(capsys, office, "conflicts", "list", "--json")) == []
    # The merge revision joins both heads and is listed with its parents.
    [merge] = [r for r in shown["revisions"] if r["author"] == "sync"]
    assert len(merge["parents"]) == 2


def test_restored_laptop_edit_is_imported_as_a_fork(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Eerste correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    # The laptop is restored from the backup taken before that export, and edits again.
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "2222 BB", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    out = run(capsys, office, "bundle", "import", str(tmp_path / "forked.ifb"))
    assert "1 conflict" in out and "teruggezet" in out and "Toezichthouder" not in out.split("\n")[0]
    app = open_app(office)
    try:
        [(stored,)] = app.db.execute(
            "SELECT report FROM sync_import_log WHERE seq = 2 AND file_sha256 = ?",
            [sha256(tmp_path / "forked.ifb")],
        ).fetchall()
    finally:
        app.close()
    report = json.loads(stored)
    assert report["conflicts"] == [visit_id]
    assert [fork["seq"] for fork in report["forks"]] == [2]
    assert laptop_revisions(laptop, visit_id) <= kept_revisions(office, visit_id)


def test_restored_laptop_numbers_above_a_receipt(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Eerste correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "receipt", "-o", str(tmp_path / "receipt.json"))
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "bundle", "apply-receipt", str(tmp_path / "receipt.json"))
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "2222 BB", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "third.ifb"))
    out = run(capsys, office, "bundle", "import", str(tmp_path / "third.ifb"))
    assert "teruggezet" not in out and "1 conflict" in out
    app = open_app(laptop)
    try:
        assert app.db.execute("SELECT max(seq) FROM sync_export_log").fetchone()[0] == 3
    finally:
        app.close()


def test_show_json_lists_every_revision_with_its_parents(
    synced: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    office, _laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    revisions = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))["revisions"]
    first, *rest = revisions
    assert first["parents"] == [] and rest
    for parent, child in zip(revisions, rest, strict=False):
        assert child["parents"] == [parent["id"]]
    office_app = open_app(office)
    try:
        assert rest[-1]["device"] == office_app.device_id
    finally:
        office_app.close()
    assert rest[-1]["reason"] == "Kantoor: juiste code." and rest[-1]["at"]
    assert {"id", "parents", "device", "author", "at", "reason"} <= set(first)


def test_a_fork_conflict_lists_both_versions_and_resolves(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Eerste correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "2222 BB", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"), str(tmp_path / "forked.ifb"))
    app = open_app(office)
    try:
        versions = conflict_service.conflict_versions(app, visit_id)
        assert len({v.version_id for v in versions}) == 2 == len(versions)
        [field] = [f for f in conflict_service.conflict_fields(app, visit_id) if f.key == "answer:H-03"]
        assert sorted(field.values.values()) == ["1111 AA", "2222 BB"]
        chosen = next(v.version_id for v in versions if field.values[v.version_id] == "2222 BB")
        conflict_service.resolve_conflict(app, visit_id, {field.key: chosen}, "Terugzetten wint.")
        assert conflict_status(app.db, visit_id) == "resolved"
    finally:
        app.close()
    shown = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))
    assert shown["answers"]["H-03"] == "2222 BB"


def test_conflicts_list_and_resolve_from_the_cli(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "9999 ZZ", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    [conflict] = json.loads(run(capsys, office, "conflicts", "list", "--json"))
    assert conflict["visit"] == visit_id
    [field] = [f for f in conflict["fields"] if f["field"] == "answer:H-03"]
    assert sorted(v["value"] for v in field["values"]) == ["3511 AB", "9999 ZZ"]
    assert all(v["device"] and v["at"] for v in field["values"])
    assert "9999 ZZ" in run(capsys, office, "conflicts", "list")
    code = main(["--data-dir", str(office), "conflicts", "resolve", visit_id[:8], "--take", "0000 XX",
                 "--field", "answer:H-03", "--reason", "Keuze."])  # fmt: skip
    assert code == 1 and "geen waarde" in capsys.readouterr().err
    out = run(capsys, office, "conflicts", "resolve", visit_id[:8], "--take", "3511 AB", "--field",
              "answer:H-03", "--reason", "Kantoor heeft gelijk.")  # fmt: skip
    assert "Opgelost" in out
    assert json.loads(run(capsys, office, "conflicts", "list", "--json")) == []
    shown = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))
    assert shown["answers"]["H-03"] == "3511 AB"
    assert laptop_revisions(laptop, visit_id) <= {r["id"] for r in shown["revisions"]}
    assert len(shown["revisions"][-1]["parents"]) >= 1
