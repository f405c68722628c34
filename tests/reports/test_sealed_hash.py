"""A final visit changed in the database after sealing gets no document: its stamped hash no longer holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import create_demo_visits


@pytest.mark.parametrize("kind", ["visit", "signal", "receipt"])
def test_a_tampered_final_visit_gets_no_document(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(tmp_path / "data")
    try:
        create_demo_visits(app, 3, seed=4)
        visit = str(app.db.execute("SELECT id FROM visits WHERE status = 'final' ORDER BY id").fetchone()[0])
    finally:
        app.close()
    data = str(tmp_path / "data")
    good = tmp_path / "good.pdf"
    assert main(["--data-dir", data, "report", visit, "--kind", kind, "-o", str(good)]) == 0
    assert good.exists()
    app = open_app(tmp_path / "data")
    try:
        with app.db.conn:
            app.db.execute("UPDATE answers SET note = note || ' (achteraf)' WHERE visit_id = ?", [visit])
    finally:
        app.close()
    capsys.readouterr()
    target = tmp_path / "tampered.pdf"
    assert main(["--data-dir", data, "report", visit, "--kind", kind, "-o", str(target)]) == 1
    assert "inhoudshash" in capsys.readouterr().err
    assert not target.exists()
