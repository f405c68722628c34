"""Laptop -> office -> receipt -> laptop through the command line, two data folders in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main


def test_cli_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office, laptop = str(tmp_path / "office"), str(tmp_path / "laptop")
    enrolment, registration = tmp_path / "enrol.json", tmp_path / "reg.json"
    bundle, receipt = tmp_path / "b.ifb", tmp_path / "receipt.json"
    assert main(["--data-dir", office, "keys", "init-office", "--municipality", "Westerdam"]) == 0
    assert main(["--data-dir", office, "keys", "export-enrolment", "-o", str(enrolment)]) == 0
    assert main(["--data-dir", laptop, "keys", "enrol", str(enrolment)]) == 0
    assert main(["--data-dir", laptop, "keys", "export-registration", "-o", str(registration)]) == 0
    assert main(["--data-dir", office, "keys", "register-device", str(registration)]) == 0
    assert main(["--data-dir", office, "keys", "fingerprint"]) == 0
    assert main(["--data-dir", laptop, "demo", "--visits", "3", "--echt"]) == 0
    assert main(["--data-dir", laptop, "bundle", "export", "-o", str(bundle)]) == 0
    assert main(["--data-dir", office, "bundle", "inspect", str(bundle)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", office, "bundle", "import", str(bundle)]) == 0
    assert "3 nieuw" in capsys.readouterr().out
    assert main(["--data-dir", office, "bundle", "import", str(bundle)]) == 0
    assert "al ingelezen" in capsys.readouterr().out
    assert main(["--data-dir", office, "bundle", "receipt", "-o", str(receipt)]) == 0
    assert (
        main(
            [
                "--data-dir",
                laptop,
                "bundle",
                "apply-receipt",
                str(receipt),
                "--purge",
                "--retention-days",
                "0",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "3 bezoeken" in out and "Opgeruimd: 3" in out
    assert main(["--data-dir", laptop, "bundle", "export", "-o", str(tmp_path / "again.ifb")]) == 0
    assert "Niets te exporteren" in capsys.readouterr().out
    broken = tmp_path / "broken.ifb"
    broken.write_bytes(bundle.read_bytes()[:-10])
    assert main(["--data-dir", office, "bundle", "import", str(broken)]) == 1
    assert "GEWEIGERD (damaged)" in capsys.readouterr().out
