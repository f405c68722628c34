"""Strict validation of checklist definitions: every problem names the file, the item and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.loader import load_all_forms, load_form_file
from tests.forms.definitions import VALID, problems_of, write_form


def test_valid_definition_loads(tmp_path: Path) -> None:
    form = load_form_file(write_form(tmp_path, VALID))
    assert form.id == "test_form"
    assert form.version == 3
    assert form.sections[0].id == "algemeen"  # the header fragment comes first
    assert "H-01" in form.questions
    assert form.questions["PB-19"].repeat
    per_person = {rule.id for rule in form.rules if rule.per_person}
    assert per_person == {"P-AGE.minor", "P-DANGER.yes", "P-ASKHELP.yes", "PB-19.no", "PB-27.6"}
    assert form.computed_order == ("PB-10c",)
    assert form.questions["P-ROLE"].allowed_values == ("sex_worker",)
    assert form.questions["PB-10a"].unit_text("nl") == "personen"
    assert form.questions["PB-10a"].unit_text("en") == "persons"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'id = "PB-01"\ntype = "yesno"',
            'id = "PB-01"\ntype = "yesnoo"',
            "question PB-01: type must be one of",
        ),
        (
            'label = { nl = "Vergunning aanwezig?", en = "Licence present?" }',
            'label = { nl = "Vergunning aanwezig?" }',
            "question PB-01: label must be a table with exactly nl and en",
        ),
        (
            'raise = ["sex.unlicensed_location"]',
            'raise = ["sex.unlicenced"]',
            "rule PB-01.no: unknown indicator slug 'sex.unlicenced'",
        ),
        ("when = \"{PB-01} = 'no'\"", "when = \"{PB-01} = 'nee'\"", "'nee' is not a value of PB-01"),
        ("when = \"{PB-01} = 'no'\"", "when = \"{PB-99} = 'no'\"", "refers to unknown question PB-99"),
        (
            "when = \"{PB-01} = 'no'\"",
            'when = "{PB-01} = "',
            "rule PB-01.no: when: unexpected 'end of expression'",
        ),
        ('id = "PB-03"', 'id = "PB-01"', "question PB-01: duplicate question id"),
        ('id = "PB-19.no"', 'id = "PB-01.no"', "rule PB-01.no: duplicate rule id"),
        ('expression = "{PB-10a} * 2"', 'expression = "{PB-10c} * 2"', "computed values form a cycle"),
        (
            'constraint_message = { nl = "Niet negatief", en = "Not negative" }\n',
            "",
            "constraint and constraint_message go together",
        ),
        (
            'unit = { nl = "personen", en = "persons" }\nlabel',
            'unit = { nl = "personen", en = "persons" }\nrequird = true\nlabel',
            "question PB-10a: unknown key 'requird'",
        ),
        (
            'unit = { nl = "personen", en = "persons" }',
            'unit = { nl = "personen" }',
            "question PB-10a: unit must be a table with exactly nl and en",
        ),
        ('format = 1\nid = "test_form"', 'format = 2\nid = "test_form"', "format must be 1"),
        ('location_type = "PB"', 'location_type = "XX"', "location_type must be one of"),
        ('include = "_persons.toml"', 'include = "_missing.toml"', "_missing.toml: file not found"),
        (
            "visible_when = \"{P-ROLE} = 'sex_worker'\"",
            "visible_when = \"{P-ROLE} = 'sexworker'\"",
            "'sexworker' is not a value of P-ROLE",
        ),
        (
            'choices = [{ value = "gen.fear", nl = "Angstig", en = "Fearful" }]',
            'choices = [{ value = "angst", nl = "Angstig", en = "Fearful" }]',
            "choice 'angst' of PB-27 is not an indicator slug",
        ),
        ('finding_kind = "compliance"', 'finding_kind = "remark"', "finding_kind must be one of"),
        ('code = "SW"', 'code = "sw"', "code must be 2 or 3 capital letters"),
        (
            'choices = [{ value = "club", nl = "Club", en = "Club" }, { value = "raam"',
            'choices = [{ value = "club", nl = "Club", en = "Club" }, { value = "club"',
            "choice values must be unique",
        ),
    ],
)
def test_malformed_definitions_are_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in VALID, old
    found = problems_of(tmp_path, VALID.replace(old, new, 1))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith(str(tmp_path)) for problem in found), found


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    found = problems_of(tmp_path, VALID + "\n[[sections\n")
    assert found and "TOML syntax error" in found[0] and "test_form.toml" in found[0]


def test_person_question_outside_repeat_is_refused(tmp_path: Path) -> None:
    text = VALID.replace('expression = "{PB-10a} * 2"', "expression = \"if({PB-19} = 'no', 1, 0)\"")
    found = problems_of(tmp_path, text)
    assert any("refers to person question PB-19 outside the persons repeat" in p for p in found), found


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace('type = "yesno"\nrequired', 'type = "bogus"\nrequired').replace(
        '"sex.cannot_refuse"', '"sex.nope"'
    )
    found = problems_of(tmp_path, text)
    assert len(found) >= 2


def test_shipped_forms_all_validate() -> None:
    forms = load_all_forms()
    assert {form.location_type.value for form in forms.values()} == {"PB", "MS", "CS", "AH"}
    for form in forms.values():
        assert form.questions["H-01"].required
        assert any(section.repeat for section in form.sections)
