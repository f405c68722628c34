"""`visits show --json`: every advice entry has `level` and `partners` (added fields; the old ones stay)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main

LEVELS = {"acute", "escalate", "referral", "informational", "riec"}
PARTNERS = {"police", "labour_inspectorate", "veilig_thuis", "care_coordinator", "comensha"}


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("form", "answers", "expected"),
    [
        # one M in housing: informational, Labour Inspectorate by location type (audit §5.3.4)
        ("AH", {"AH-11": "3,4"}, [("informational", "contact_person", ["labour_inspectorate"])]),
        # a person in danger now: acute (112)
        ("CS", {"P-ROLE[1]": "worker", "P-DANGER[1]": "ja"}, [("acute", "police", ["police"])]),
        # asks for help, not in danger: informational (the M itself) + care coordinator route
        (
            "MS",
            {"P-ROLE[1]": "masseur", "P-ASKHELP[1]": "ja"},
            [
                ("informational", "contact_person", ["police"]),
                ("referral", "care_coordinator", ["police", "care_coordinator", "comensha"]),
            ],
        ),
    ],
)
def test_advice_entries_carry_level_and_partners(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    form: str,
    answers: dict[str, str],
    expected: list[tuple[str, str, list[str]]],
) -> None:
    code, out, err = run(capsys, tmp_path, "visits", "new", "--form", form, "--location-name", "Locatie T")
    assert code == 0, err
    visit = out.strip()
    for ref, value in answers.items():
        code, _out, err = run(capsys, tmp_path, "visits", "answer", visit, ref, value)
        assert code == 0, err
    advice = json.loads(run(capsys, tmp_path, "visits", "show", visit, "--json")[1])["advice"]
    assert [(a["level"], a["recipient"], a["partners"]) for a in advice] == expected
    for entry in advice:
        assert {"level", "text", "recipient", "slugs", "partners"} <= set(entry)
        assert entry["level"] in LEVELS and set(entry["partners"]) <= PARTNERS
