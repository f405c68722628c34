"""Register edits from a laptop are proposals the office decides on, never overwrites (issue 10, item 1).

A laptop's differing copy of a location the office holds is stored as an open proposal when its bundle
is imported; `locations proposals|accept|reject` (and the service behind them) let a person at the
office take it over, stamped with the office clock, or turn it down with a reason. The bundle's own
`updated_at` (here 2099) decides nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.model import QuestionType
from inspector_app.services import exchange as exchange_service
from inspector_app.services import location_proposals
from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.office_import import ImportReport
from inspector_app.sync.records import read_rows


def _send(laptop: AppContext, office: AppContext, tmp: Path, name: str) -> ImportReport:
    result = exchange_service.export(laptop, tmp / f"{name}.ifb")
    assert result is not None
    [report] = exchange_service.import_files(office, [result.path])
    assert report.status == "imported", report.reason
    assert isinstance(report, ImportReport)
    return report


def _propose(laptop: AppContext, office: AppContext, tmp: Path, visit: str, location: str, name: str) -> None:
    """The laptop's register row now says `name` (dated 2099), and the visit changes so it travels."""
    with laptop.db.conn:
        laptop.db.execute(
            "UPDATE locations SET name = ?, licence_number = 'VG-1', updated_at = '2099-01-01T00:00:00.000Z'"
            " WHERE id = ?",
            [name, location],
        )
    session = VisitSession(laptop, visit)
    ref = next(q.id for q in session.form.questions.values() if q.type is QuestionType.TEXT and not q.repeat)
    session.set_note(ref, name)
    report = _send(laptop, office, tmp, name.replace(" ", "-"))
    assert report.locations_ignored == [location]


def _cli(capsys: pytest.CaptureFixture[str], app: AppContext, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(app.paths.data_dir), "locations", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_laptop_edit_is_a_proposal_the_office_accepts_or_rejects(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Noord", "Dijk 1")))
    _send(laptop, office, tmp_path, "first")
    [location] = [str(r["location_id"]) for r in read_rows(office.db, "visits", "WHERE id = ?", [visit])]
    [register] = read_rows(office.db, "locations", "WHERE id = ?", [location])

    _propose(laptop, office, tmp_path, visit, location, "Club Noord BV")
    assert read_rows(office.db, "locations", "WHERE id = ?", [location]) == [register]
    code, out, _err = _cli(capsys, office, "proposals", "--json")
    [proposal] = json.loads(out)
    assert code == 0 and proposal["status"] == "open" and proposal["location_id"] == location
    assert proposal["device_id"] == laptop.device_id
    assert proposal["changes"] == {"name": ["Club Noord", "Club Noord BV"], "licence_number": ["", "VG-1"]}
    code, out, _err = _cli(capsys, office, "proposals")
    assert code == 0 and "Club Noord BV" in out and location[:8] in out

    code, out, _err = _cli(capsys, office, "reject", str(proposal["id"]), "--reason", "naam klopt niet")
    assert code == 0 and "afgewezen" in out
    assert read_rows(office.db, "locations", "WHERE id = ?", [location]) == [register]
    assert _cli(capsys, office, "proposals", "--json")[1].strip() == "[]"
    [rejected] = json.loads(_cli(capsys, office, "proposals", "--all", "--json")[1])
    assert (rejected["status"], rejected["reason"]) == ("rejected", "naam klopt niet")

    _propose(laptop, office, tmp_path, visit, location, "Club Noord Twee")
    [second] = location_proposals.proposals(office)
    code, out, _err = _cli(capsys, office, "accept", str(second.id))
    assert code == 0 and "overgenomen" in out
    [now] = read_rows(office.db, "locations", "WHERE id = ?", [location])
    assert (now["name"], now["licence_number"]) == ("Club Noord Twee", "VG-1")
    assert now["created_at"] == register["created_at"]
    assert register["updated_at"] < now["updated_at"] < "2099"  # the office clock, not the bundle's
    audit = office.db.execute(
        "SELECT action, new FROM audit_log WHERE action LIKE 'location.proposal_%' ORDER BY seq"
    ).fetchall()
    assert [a for a, _n in audit] == ["location.proposal_rejected", "location.proposal_accepted"]
    assert "naam klopt niet" in audit[0][1] and "Club Noord Twee" in audit[1][1]


def test_decisions_on_bad_input_are_clear_and_change_nothing(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visit = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Zuid", "Dijk 2")))
    _send(laptop, office, tmp_path, "first")
    [location] = [str(r["location_id"]) for r in read_rows(office.db, "visits", "WHERE id = ?", [visit])]
    _propose(laptop, office, tmp_path, visit, location, "Club Zuid BV")
    [proposal] = location_proposals.proposals(office)
    before = office.db.execute("SELECT * FROM location_proposals").fetchall()
    code, _out, err = _cli(capsys, office, "accept", "999")
    assert code == 1 and "999" in err
    code, _out, err = _cli(capsys, office, "reject", str(proposal.id), "--reason", "   ")
    assert code == 1 and "reden" in err
    with pytest.raises(InvalidInputError):
        location_proposals.reject(office, proposal.id, "x" * 501)
    assert office.db.execute("SELECT * FROM location_proposals").fetchall() == before
    location_proposals.accept(office, proposal.id)
    with pytest.raises(InvalidInputError, match="al afgehandeld"):
        location_proposals.accept(office, proposal.id)
    with pytest.raises(NotFoundError):
        location_proposals.reject(office, 999, "weg")
    code, _out, err = _cli(capsys, laptop, "proposals")
    assert code == 1 and "kantoorinstallatie" in err


def test_the_same_proposal_twice_is_stored_once(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    visit = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club West", "Dijk 3")))
    _send(laptop, office, tmp_path, "first")
    [location] = [str(r["location_id"]) for r in read_rows(office.db, "visits", "WHERE id = ?", [visit])]
    _propose(laptop, office, tmp_path, visit, location, "Club West BV")
    session = VisitSession(laptop, visit)
    ref = next(q.id for q in session.form.questions.values() if q.type is QuestionType.TEXT and not q.repeat)
    session.set_note(ref, "nog een keer")
    _send(laptop, office, tmp_path, "again")
    assert len(location_proposals.proposals(office)) == 1
