"""`inspector-app report`: one file, a folder of finalised visits, and one clear line on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services.app import opened_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.visits import VisitFilter, list_visits
from tests.reports.support import pdf_text


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    with opened_app(path) as app:
        create_demo_visits(app, 6, seed=3)
    return path


def _final_ids(data_dir: Path) -> list[str]:
    with opened_app(data_dir) as app:
        return [row.id for row in list_visits(app.db, VisitFilter(status="final", limit=None))]


def test_report_of_one_visit(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    visit = _final_ids(data_dir)[0]
    target = tmp_path / "out" / "rapport.pdf"
    code, out, err = run(capsys, data_dir, "report", visit[:8], "-o", str(target))
    assert (code, err) == (0, "") and out.strip() == str(target)
    assert "Bestuurlijke rapportage" in pdf_text(target.read_bytes())
    code, _out, _err = run(
        capsys, data_dir, "report", visit, "-o", str(target), "--kind", "signal", "--lang", "en"
    )
    assert code == 0 and "Human-trafficking signal form" in pdf_text(target.read_bytes())
    code, _out, _err = run(
        capsys, data_dir, "--lang", "en", "report", visit, "-o", str(target), "--kind", "receipt"
    )
    assert code == 0 and "Receipt of inspection visit" in pdf_text(target.read_bytes())


def test_all_final_writes_one_document_per_final_visit(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    code, out, _err = run(capsys, data_dir, "report", "--all-final", "-o", str(folder), "--kind", "receipt")
    finals = _final_ids(data_dir)
    assert code == 0 and f"{len(finals)} documenten" in out
    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == len(finals) and all(name.endswith("-receipt.pdf") for name in names)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "onbekend1", "-o", "{tmp}/x.pdf"),
        ("report", "{visit}", "-o", "{tmp}/blocker/x.pdf"),
        ("report", "{visit}", "-o", "{tmp}"),
        ("report", "-o", "{tmp}/x.pdf"),
        ("report", "--all-final", "-o", "{tmp}/blocker"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "blocker").write_text("a file where a folder is expected")
    visit = _final_ids(data_dir)[0]
    before = sorted(tmp_path.rglob("*"))
    filled = [arg.format(tmp=tmp_path, visit=visit) for arg in args]
    code, out, err = run(capsys, data_dir, *filled)
    assert code == 1 and out == ""
    assert err.startswith("fout: ") and err.count("\n") == 1
    assert sorted(tmp_path.rglob("*")) == before
