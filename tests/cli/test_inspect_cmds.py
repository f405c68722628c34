"""`forms show` and `catalogue list|show`: a domain owner can read what the rules run with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.domain.catalogue import load_catalogue
from inspector_app.forms.loader import load_all_forms, resolve_form_id


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["PB", "prostitution_business", "ms", "AH", "CS"])
def test_forms_show_json_is_the_loaded_definition(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, out, err = run(capsys, tmp_path, "forms", "show", name, "--json")
    assert code == 0, err
    view = json.loads(out)
    forms = load_all_forms()
    form = forms[resolve_form_id(name, forms.values())]
    assert view["id"] == form.id and view["version"] == form.version
    assert [q["id"] for s in view["sections"] for q in s["questions"]] == [
        q.id for s in form.sections for q in s.questions
    ]
    assert [r["id"] for r in view["rules"]] == [r.id for r in form.rules]


def test_forms_show_names_the_policy_question_and_the_age_rules(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    view = json.loads(run(capsys, tmp_path, "forms", "show", "PB", "--json")[1])
    questions = {q["id"]: q for s in view["sections"] for q in s["questions"]}
    assert questions["PB-12a"]["policy"] == "apv_min_age"
    assert [c["value"] for c in questions["PB-12a"]["choices"]] == ["18", "21"]
    rules = {r["id"]: r for r in view["rules"]}
    assert (
        rules["P-AGE.sex_worker_below_apv"]["weight"] == "M"
        and rules["P-AGE.sex_worker_below_apv"]["per_person"]
    )
    assert rules["PB-12.no_minor"]["acute"] is True
    code, out, _err = run(capsys, tmp_path, "forms", "show", "PB")
    assert code == 0 and "PB-12a" in out and "P-DANGER.yes" in out


def test_forms_show_unknown_form(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "forms", "show", "XX")
    assert code == 1 and out == "" and err.startswith("fout: Onbekende checklist 'XX'")


def test_catalogue_list_has_every_indicator(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _err = run(capsys, tmp_path, "catalogue", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    catalogue = load_catalogue()
    assert [r["slug"] for r in rows] == list(catalogue.indicators)
    assert all(r["refs"] and r["weight"] in {"H", "M", "L"} for r in rows)
    code, out, _err = run(capsys, tmp_path, "catalogue", "list")
    assert code == 0 and len(out.strip().splitlines()) == len(catalogue.indicators)


def test_catalogue_show_lists_the_rules_that_raise_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    view = json.loads(run(capsys, tmp_path, "catalogue", "show", "sex.under_min_age", "--json")[1])
    assert {(r["form"], r["rule"]) for r in view["raised_by"]} == {
        ("prostitution_business", "PB-12.no_apv21"),
        ("prostitution_business", "P-AGE.sex_worker_below_apv"),
        ("massage_parlour", "P-AGE.masseur_below_apv"),
    }
    # an observation list offering the slug counts, with its question
    view = json.loads(run(capsys, tmp_path, "catalogue", "show", "gen.fear", "--json")[1])
    assert any(r["question"] == "PB-27" for r in view["raised_by"])
    view = json.loads(run(capsys, tmp_path, "catalogue", "show", "gen.deceived", "--json")[1])
    assert [s["key"] for s in view["sources"]] == view["refs"] == ["S2", "S3", "S4"]
    assert view["sources"][1]["publisher"] == "Nederlandse Arbeidsinspectie"
    code, out, _err = run(capsys, tmp_path, "catalogue", "show", "gen.fines")
    assert code == 0 and "S31: Omroep Zeeland" in out


def test_catalogue_show_unknown_slug(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "catalogue", "show", "gen.victim")
    assert code == 1 and out == "" and "Onbekende indicator 'gen.victim'" in err
