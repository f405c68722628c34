"""`visits set-zaak` and `report VISIT --dms-export DIR`: PDF/A files plus metadata a script can file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services.app import opened_app
from inspector_app.services.visit.session import VisitSession
from tests.reports.pdfa_check import check_pdfa
from tests.reports.support import finalised, new_session, pdf_text


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def visits(tmp_path: Path) -> tuple[Path, str, str]:
    """A data folder with one final and one draft visit."""
    data_dir = tmp_path / "data"
    with opened_app(data_dir) as app:
        app.settings.profile.municipality = "Gemeente Middelburcht"
        app.save_settings()
        final = finalised(new_session(app)).visit_id
        draft = new_session(app, name="Club Zuid").visit_id
    return data_dir, final, draft


def test_export_reads_back_and_matches_the_visit(
    capsys: pytest.CaptureFixture[str], visits: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, final, _draft = visits
    code, out, err = run(
        capsys,
        data_dir,
        "visits",
        "set-zaak",
        final[:8],
        "Z-2026-000123",
        "--zaaktype",
        "Toezicht  prostitutie",
    )
    assert (code, err, out.strip()) == (0, "", "Z-2026-000123 (Toezicht prostitutie)")
    target = tmp_path / "dms"
    code, out, err = run(capsys, data_dir, "report", final, "--dms-export", str(target))
    assert code == 0 and err == ""
    folder = Path(out.strip())
    assert folder.parent == target
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    with opened_app(data_dir) as app:
        session = VisitSession(app, final)
        visit = session.visit
        revision = session.content_hash()
    assert metadata["zaaknummer"] == "Z-2026-000123" and metadata["zaaktype"] == "Toezicht prostitutie"
    assert metadata["visit_id"] == final and metadata["municipality"] == "Gemeente Middelburcht"
    documents = {d["kind"]: d for d in metadata["documents"]}
    assert set(documents) == {"visit", "signal", "receipt"}
    assert documents["signal"]["confidentiality"] == "vertrouwelijk"
    assert documents["visit"]["confidentiality"] != "vertrouwelijk"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["metadata.json", *(d["file"] for d in documents.values())]
    )
    for document in documents.values():
        data = (folder / document["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document["sha256"] and len(data) == document["size"]
        pdf = check_pdfa(data)
        assert str(pdf.docinfo.Title) == document["title"]
        assert document["finalized_at"] == visit.finalized_at and document["created_at"] == visit.created_at
        assert document["revision_sha256"] == revision and document["format"] == "PDF/A-2b"
        assert "Z-2026-000123" in pdf_text(data) and document["report_id"] in pdf_text(data)
    again = tmp_path / "again"
    run(capsys, data_dir, "report", final, "--dms-export", str(again))
    assert (again / folder.name / "metadata.json").read_bytes() == (folder / "metadata.json").read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ("visits", "set-zaak", "{final}", "Z 2026 123"),
        ("visits", "set-zaak", "{final}", "_Z1"),
        ("visits", "set-zaak", "{final}", "Z" * 41),
        ("visits", "set-zaak", "{final}", "Z-1", "--zaaktype", "x" * 81),
        ("visits", "set-zaak", "{final}", "Z-1", "--zaaktype", "bel\x07"),
        ("report", "{draft}", "--dms-export", "{out}"),
        ("report", "{final}", "--dms-export", "{out}"),  # no zaaknummer yet
        ("report", "{final}", "--dms-export", "{out}", "-o", "x.pdf"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], visits: tuple[Path, str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    data_dir, final, draft = visits
    out = tmp_path / "dms"
    filled = [a.format(final=final, draft=draft, out=out) for a in args]
    with opened_app(data_dir) as app:
        before = app.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    code, stdout, err = run(capsys, data_dir, *filled)
    assert code == 1 and stdout == "" and len(err.strip().splitlines()) == 1, err
    with opened_app(data_dir) as app:
        assert app.db.execute("SELECT count(*) FROM visit_zaak").fetchone()[0] == 0
        assert app.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert not out.exists()


def test_zaak_change_is_audited_and_printed(
    capsys: pytest.CaptureFixture[str], visits: tuple[Path, str, str]
) -> None:
    data_dir, final, _draft = visits
    run(capsys, data_dir, "visits", "set-zaak", final, "Z-1")
    run(capsys, data_dir, "visits", "set-zaak", final, "Z-2", "--zaaktype", "Hercontrole")
    with opened_app(data_dir) as app:
        rows = app.db.execute(
            "SELECT old, new FROM audit_log WHERE action = 'visit.zaak' AND visit_id = ? ORDER BY seq",
            [final],
        ).fetchall()
        session = VisitSession(app, final)
        hash_before = session.content_hash()
        from inspector_app.services.documents.render import render_report

        text = pdf_text(render_report(session))
        assert session.content_hash() == hash_before  # filing metadata is not visit content
    assert [json.loads(r[1])["zaaknummer"] for r in rows] == ["Z-1", "Z-2"] and rows[0][0] is None
    code, out, _err = run(capsys, data_dir, "visits", "show", final, "--json")
    assert code == 0 and json.loads(out)["zaak"] == {"zaaknummer": "Z-2", "zaaktype": "Hercontrole"}
    assert "Zaaknummer Z-2 (zaaktype: Hercontrole)" in text
