"""The text output of `visits show` and `visits list`: answers read as they do in the PDF.

`visits show` used its own printer: `12.5 %` and `2026-11-20` in Dutch where the visit report says
`12,5 %` and `20-11-2026`, choices joined differently and the raw status `draft`. It now prints through
`forms.display.format_value` and the enum labels, like the documents and the desktop app.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> str:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.fixture
def visit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "data"
    out = run(
        capsys,
        data_dir,
        *("visits", "new", "--form", "PB", "--location-name", "Club Test", "--address", "Teststraat 1"),
        *("--postcode", "1234 AB", "--started-at", "2026-11-20T21:30"),
    )
    visit_id = out.strip()
    for ref, value in (
        ("PB-05", "nee"),
        ("PB-10a", "3"),
        ("PB-16a", "12,5"),
        ("PB-34", "vergunning,administratie"),
        ("P-ROLE[1]", "sex_worker"),
    ):
        run(capsys, data_dir, "visits", "answer", visit_id, ref, value)
    return data_dir, visit_id


def answer_lines(out: str) -> dict[str, str]:
    """`  PB-16a     Label: value` lines, by answer reference."""
    found = {}
    for line in out.splitlines():
        if line.startswith("  ") and ": " in line and not line.startswith("   "):
            ref, _sep, rest = line.strip().partition(" ")
            found[ref] = rest.strip().rsplit(": ", 1)[1]
    return found


def test_show_prints_answers_like_the_report(
    capsys: pytest.CaptureFixture[str], visit: tuple[Path, str]
) -> None:
    data_dir, visit_id = visit
    out = run(capsys, data_dir, "visits", "show", visit_id)
    assert out.splitlines()[0] == f"Bezoek {visit_id}  (concept)"
    answers = answer_lines(out)
    assert answers["H-02a"] == "20-11-2026"
    assert answers["PB-05"] == "Nee"
    assert answers["PB-10a"] == "3 personen"
    assert answers["PB-16a"] == "12,5 %"
    assert answers["PB-34"] == (
        "Exploiteren zonder (geldige) vergunning; Administratie ontbreekt of is onvolledig"
    )
    assert answers["P-ROLE[1]"] == "Sekswerker"
    assert "== Signalen" in out and "sex.no_manager_present" in out


def test_show_in_english(capsys: pytest.CaptureFixture[str], visit: tuple[Path, str]) -> None:
    data_dir, visit_id = visit
    out = run(capsys, data_dir, "--lang", "en", "visits", "show", visit_id)
    assert out.splitlines()[0] == f"Visit {visit_id}  (draft)"
    answers = answer_lines(out)
    assert answers["H-02a"] == "2026-11-20"
    assert answers["PB-05"] == "No"
    assert answers["PB-10a"] == "3 persons"
    assert answers["PB-16a"] == "12.5 %"
    assert answers["P-ROLE[1]"] == "Sex worker"


def test_list_prints_one_line_per_visit(capsys: pytest.CaptureFixture[str], visit: tuple[Path, str]) -> None:
    data_dir, visit_id = visit
    assert run(capsys, data_dir, "visits", "list").splitlines() == [
        f"{visit_id[:8]}  2026-11-20 21:30  concept    PB  Club Test  H0 M0 L1"
    ]
    assert run(capsys, data_dir, "--lang", "en", "visits", "list").splitlines() == [
        f"{visit_id[:8]}  2026-11-20 21:30  draft      PB  Club Test  H0 M0 L1"
    ]
    assert run(capsys, data_dir, "--lang", "nl", "visits", "list", "--status", "final").splitlines() == [
        "Geen bezoeken gevonden."
    ]
