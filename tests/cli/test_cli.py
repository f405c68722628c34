"""The command line is a contract for office scripts: commands, options, JSON fields, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.cli.main import main


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def new_visit(capsys: pytest.CaptureFixture[str], data_dir: Path, form: str = "PB") -> str:
    code, out, err = run(
        capsys,
        data_dir,
        "visits",
        "new",
        "--form",
        form,
        "--location-name",
        "Club Test",
        "--address",
        "Teststraat 1",
        "--postcode",
        "1234 AB",
        "--started-at",
        "2026-11-20T21:30",
    )
    assert code == 0, err
    visit_id = out.strip()
    assert len(visit_id) == 36
    return visit_id


def test_forms_list_and_check(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _err = run(capsys, data_dir, "forms", "list", "--json")
    assert code == 0
    forms = json.loads(out)
    assert {f["location_type"] for f in forms} == {"PB", "MS", "CS", "AH"}
    code, out, _err = run(capsys, data_dir, "forms", "check", "forms")
    assert code == 0 and "in orde" in out


def test_forms_check_reports_a_malformed_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'format = 1\nid = "bad"\nversion = 1\nlocation_type = "PB"\ntitle = { nl = "X", en = "X" }\n'
        '[[sections]]\nid = "a"\ntitle = { nl = "A", en = "A" }\n[[sections.questions]]\n'
        'id = "PB-01"\ntype = "yesno"\nlabel = { nl = "V", en = "Q" }\nvisible_when = "{PB-02} = 1"\n'
    )
    code, out, _err = run(capsys, data_dir, "forms", "check", str(bad))
    assert code == 1
    assert f"{bad}: question PB-01: " in out and "unknown question PB-02" in out


def test_visit_round_trip_with_json_contract(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    visit_id = new_visit(capsys, data_dir)
    assert run(capsys, data_dir, "visits", "answer", visit_id, "PB-05", "nee")[0] == 0
    assert run(capsys, data_dir, "visits", "answer", visit_id, "P-ROLE[1]", "sex_worker")[0] == 0
    code, out, _err = run(capsys, data_dir, "visits", "answer", visit_id, "PB-20[1]", "nee")
    assert code == 0 and "gen.id_held_by_other" in out
    assert (
        run(capsys, data_dir, "visits", "tick", visit_id, "gen.fear", "--note", "Keek steeds naar de deur.")[
            0
        ]
        == 0
    )
    assert (
        run(
            capsys,
            data_dir,
            "visits",
            "dismiss",
            visit_id,
            "sex.no_manager_present",
            "--reason",
            "Beheerder kwam binnen.",
        )[0]
        == 0
    )
    code, out, _err = run(capsys, data_dir, "visits", "show", visit_id, "--json")
    assert code == 0
    shown = json.loads(out)
    for key in ("id", "form", "form_version", "status", "answers", "indicators", "advice"):
        assert key in shown
    assert shown["form"] == "prostitution_business" and shown["status"] == "draft"
    assert shown["answers"]["PB-05"] == "no" and shown["answers"]["PB-20[1]"] == "no"
    by_slug = {i["slug"]: i for i in shown["indicators"]}
    held = by_slug["gen.id_held_by_other"]
    assert held["weight"] == "H" and held["source"] == "auto" and held["raised_by"] == ["PB-20[1]"]
    assert held["label"] == "ID/paspoort bij werkgever of derde" and held["category"] == "general"
    assert held["dismissed"] is False
    assert by_slug["gen.fear"]["source"] == "manual"
    assert by_slug["sex.no_manager_present"]["dismissed"] is True
    assert {a["level"] for a in shown["advice"]} >= {"escalate"}
    assert all(set(a) >= {"level", "text"} for a in shown["advice"])
    code, out, _err = run(capsys, data_dir, "visits", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["id"] == visit_id and listed[0]["location"] == "Club Test"
    assert listed[0]["form"] == "prostitution_business" and listed[0]["status"] == "draft"
    assert listed[0]["started_at"] == "2026-11-20T21:30"
    assert listed[0]["indicators"] == {"H": 1, "M": 0, "L": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("visits", "new", "--form", "XX", "--location-name", "A"), "Onbekende checklist 'XX'"),
        (("visits", "answer", "{visit}", "PB-99", "ja"), "Vraag PB-99 bestaat niet"),
        (("visits", "answer", "{visit}", "PB-05", "misschien"), "antwoord met ja, nee of onbekend"),
        (("visits", "answer", "{visit}", "H-07", "veel"), "verwacht een geheel getal"),
        (("visits", "answer", "00000000-0000-0000-0000-000000000000", "PB-05", "ja"), "bestaat niet"),
        (("visits", "tick", "{visit}", "gen.nope", "--note", "x"), "Onbekende indicator"),
        (("visits", "finalize", "{visit}"), "kan nog niet definitief worden"),
    ],
)
def test_bad_input_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    visit_id = new_visit(capsys, data_dir)
    before = run(capsys, data_dir, "visits", "show", visit_id, "--json")[1]
    code, out, err = run(capsys, data_dir, *(a.replace("{visit}", visit_id) for a in args))
    assert code == 1
    assert out == ""
    assert err.startswith("fout: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in err
    assert run(capsys, data_dir, "visits", "show", visit_id, "--json")[1] == before


def test_finalized_visit_refuses_answers(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    visit_id = new_visit(capsys, data_dir)
    shown = json.loads(run(capsys, data_dir, "visits", "show", visit_id, "--json")[1])
    from inspector_app.forms.loader import load_form_by_id

    form = load_form_by_id("prostitution_business")
    for ref in shown["missing_required"]:
        question = form.questions[ref.split("[")[0]]
        value = {"yesno": "ja", "integer": "1", "decimal": "1", "time": "23:00", "date": "2026-11-20"}.get(
            question.type.value, question.choices[0].value if question.choices else "Notitie."
        )
        assert run(capsys, data_dir, "visits", "answer", visit_id, ref, value)[0] == 0
    code, out, _err = run(capsys, data_dir, "visits", "finalize", visit_id)
    assert code == 0 and "definitief" in out
    code, _out, err = run(capsys, data_dir, "visits", "answer", visit_id, "PB-05", "nee")
    assert code == 1 and "definitief" in err
    code, _out, err = run(
        capsys, data_dir, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Correctie."
    )
    assert code == 0, err


def test_english_output(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _out, err = run(
        capsys,
        data_dir,
        "--lang",
        "en",
        "visits",
        "answer",
        "00000000-0000-0000-0000-000000000000",
        "PB-05",
        "ja",
    )
    assert code == 1 and err.startswith("error: ") and "does not exist" in err


def test_demo_creates_visits_over_all_checklists(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _err = run(capsys, data_dir, "demo", "--visits", "40")
    assert code == 0 and "40" in out
    assert json.loads(run(capsys, data_dir, "visits", "list", "--json")[1]) == []  # the real store: none
    listed = json.loads(run(capsys, data_dir, "--oefen", "visits", "list", "--json")[1])
    assert len(listed) == 40
    assert {row["form"] for row in listed} == {
        "prostitution_business",
        "massage_parlour",
        "construction_site",
        "labour_migrant_housing",
    }
    assert any(sum(row["indicators"].values()) for row in listed)
    shown = json.loads(run(capsys, data_dir, "--practice", "visits", "show", listed[0]["id"], "--json")[1])
    assert shown["answers"] and shown["persons"]


def test_python_dash_m_and_no_arguments(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app", "--data-dir", str(tmp_path), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("inspector-app ")


def test_referrals_and_photos_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    from PIL import Image

    visit_id = new_visit(capsys, data_dir)
    run(capsys, data_dir, "visits", "answer", visit_id, "PB-05", "nee")
    code, out, err = run(
        capsys, data_dir, "referrals", "add", visit_id, "--recipient", "police", "--urgency", "days"
    )
    assert code == 0, err
    referral_id = out.strip()
    code, _out, err = run(
        capsys,
        data_dir,
        "referrals",
        "update",
        referral_id,
        "--status",
        "sent",
        "--sent-at",
        "2026-11-21",
        "--reference",
        "AVIM-77",
    )
    assert code == 0, err
    listed = json.loads(run(capsys, data_dir, "referrals", "list", "--json")[1])
    assert (
        listed[0]["id"] == referral_id
        and listed[0]["status"] == "sent"
        and listed[0]["reference"] == "AVIM-77"
    )
    assert listed[0]["slugs"] == ["sex.no_manager_present"]
    code, _out, err = run(capsys, data_dir, "referrals", "update", referral_id, "--sent-at", "gisteren")
    assert code == 1 and "geen datum" in err
    photo = tmp_path / "gang.jpg"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(photo)
    code, out, err = run(
        capsys, data_dir, "visits", "photo", visit_id, "PB-33", str(photo), "--caption", "Gang"
    )
    assert code == 0, err
    shown = json.loads(run(capsys, data_dir, "visits", "show", visit_id, "--json")[1])
    assert shown["answers"]["PB-33"] == [out.strip()]


def test_list_filters_for_the_office(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    first = new_visit(capsys, data_dir)
    second = new_visit(capsys, data_dir)
    run(capsys, data_dir, "visits", "answer", first, "PB-05", "nee")
    run(capsys, data_dir, "referrals", "add", first, "--recipient", "police", "--urgency", "days")
    by_slug = json.loads(
        run(capsys, data_dir, "visits", "list", "--json", "--slug", "sex.no_manager_present")[1]
    )
    assert [row["id"] for row in by_slug] == [first]
    drafts = json.loads(run(capsys, data_dir, "visits", "list", "--json", "--referral-status", "draft")[1])
    assert [row["id"] for row in drafts] == [first]
    none = json.loads(run(capsys, data_dir, "visits", "list", "--json", "--referral-status", "none")[1])
    assert [row["id"] for row in none] == [second]


def test_new_visit_checks_postcode_and_kvk_unless_foreign(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    base = ("visits", "new", "--form", "PB", "--location-name", "Club Buiten")
    code, _out, err = run(capsys, data_dir, *base, "--postcode", "ABC")
    assert code != 0 and "1234 AB" in err
    code, _out, err = run(capsys, data_dir, *base, "--kvk", "12345")
    assert code != 0 and "8 cijfers" in err
    code, out, err = run(capsys, data_dir, *base, "--postcode", "B-2000", "--kvk", "0123456789", "--foreign")
    assert code == 0, err
    assert len(out.strip()) == 36


def test_restore_undoes_a_dismissal_from_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    visit_id = new_visit(capsys, data_dir)
    assert (
        run(capsys, data_dir, "visits", "tick", visit_id, "gen.fear", "--note", "Keek naar de deur.")[0] == 0
    )
    assert run(capsys, data_dir, "visits", "dismiss", visit_id, "gen.fear", "--reason", "Vergissing.")[0] == 0
    code, _out, err = run(
        capsys, data_dir, "visits", "restore", visit_id, "gen.fear", "--reason", "Toch gezien."
    )
    assert code == 0, err
    code, out, _err = run(capsys, data_dir, "visits", "show", visit_id, "--json")
    shown = json.loads(out)
    assert any(item["slug"] == "gen.fear" and not item["dismissed"] for item in shown["indicators"])
    code, _out, err = run(capsys, data_dir, "visits", "restore", visit_id, "gen.fear", "--reason", "nogmaals")
    assert code != 0 and "niet afgewezen" in err


def test_ticking_an_observation_box_needs_a_note(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    """As `visits tick` does: a signal recorded by hand comes with a factual note."""
    visit_id = new_visit(capsys, data_dir)
    code, _out, err = run(capsys, data_dir, "visits", "answer", visit_id, "PB-27", "gen.fear")
    assert code != 0 and "--note" in err
    code, out, err = run(
        capsys, data_dir, "visits", "answer", visit_id, "PB-27", "gen.fear", "--note", "Keek naar de deur."
    )
    assert code == 0, err
    assert "gen.fear" in out


def test_a_refused_note_leaves_the_observation_box_unticked(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    """The answer and its note are one change: a note the store refuses (too long) leaves no signal
    standing without its note."""
    visit_id = new_visit(capsys, data_dir)
    code, _out, err = run(
        capsys, data_dir, "visits", "answer", visit_id, "PB-27", "gen.fear", "--note", "x" * 20_001
    )
    assert code != 0 and "te lang" in err
    code, out, _err = run(capsys, data_dir, "visits", "show", visit_id, "--json")
    shown = json.loads(out)
    assert not any(item["slug"] == "gen.fear" for item in shown["indicators"])
    assert "PB-27" not in json.dumps(shown["answers"])
