"""`export summary --year YYYY --format xlsx|pdf -o FILE`: the annual overview from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

from inspector_app.cli.main import main
from inspector_app.services.app import opened_app
from inspector_app.services.demo.generator import create_demo_visits
from tests.reports.pdfa_check import check_pdfa

YEAR = date.today().year - 1


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    with opened_app(data) as app:
        create_demo_visits(app, 60, seed=3)
    return data


def test_pdf_and_xlsx_are_written(capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "jaar.pdf"
    code, out, err = run(
        capsys, store, "export", "summary", "--year", str(YEAR), "--format", "pdf", "-o", str(pdf)
    )
    assert code == 0, err
    assert out.strip() == str(pdf)
    check_pdfa(pdf.read_bytes())
    xlsx = tmp_path / "jaar.xlsx"
    code, _out, err = run(
        capsys,
        store,
        "--lang",
        "en",
        "export",
        "summary",
        "--year",
        str(YEAR),
        "--format",
        "xlsx",
        "-o",
        str(xlsx),
    )
    assert code == 0, err
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "Notes"
    month_rows = list(book[book.sheetnames[1]].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in month_rows] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    book.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999", "--format", "pdf"], "2000 en 2100"),
        (["--year", str(YEAR), "--format", "pdf", "--lang", "en"], None),
    ],
)
def test_bad_input_gives_one_clear_line(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path, args: list[str], message: str | None
) -> None:
    target = tmp_path / "out.pdf"
    code, out, err = run(capsys, store, "export", "summary", *args, "-o", str(target))
    if message is None:
        assert code == 0 and target.exists()
        return
    assert code == 1 and out == "" and err.startswith("fout: ") and message in err
    assert len(err.strip().splitlines()) == 1 and not target.exists()


def test_a_folder_as_output_is_refused_in_english(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    code, _out, err = run(
        capsys,
        store,
        "--lang",
        "en",
        "export",
        "summary",
        "--year",
        str(YEAR),
        "--format",
        "xlsx",
        "-o",
        str(tmp_path),
    )
    assert code == 1 and "is a folder" in err


def test_format_and_year_are_required(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--data-dir", str(store), "export", "summary", "--year", str(YEAR), "-o", str(tmp_path / "x")])
    assert raised.value.code == 2
    assert "--format" in capsys.readouterr().err
