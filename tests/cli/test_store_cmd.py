"""Unlocking the encrypted store from the command line: passphrase files, a wrong passphrase, a missing
key store, a passphrase change, and the DPO's recovery through escrow (issue 12 item 2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import keyring
import pytest

from inspector_app.cli.main import main
from inspector_app.storage.store_key import key_file_of
from inspector_app.sync.backup import create_escrow
from tests.fake_keyring import no_backend

PASSPHRASE = "paard-batterij-nietje-7"
OTHER = "een-heel-andere-zin-42"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _protected_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    data = tmp_path / "data"
    secret = _file(tmp_path, "pass.txt", PASSPHRASE)
    code, _out, err = _run(capsys, data, "--passphrase-file", str(secret), "visits", "list")
    assert code == 0, err
    return data, secret


@pytest.mark.usefixtures("no_keystore")
def test_without_a_key_store_a_new_store_needs_a_passphrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, _out, err = _run(capsys, data, "visits", "list")
    assert code == 1 and "geen sleutelbewaarplaats" in err and err.count("\n") == 1
    assert not (data / "inspector.sqlite3").exists() or not key_file_of(data / "inspector.sqlite3").exists()


@pytest.mark.usefixtures("no_keystore")
def test_a_passphrase_file_unlocks_and_a_wrong_one_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, secret = _protected_store(tmp_path, capsys)
    database = data / "inspector.sqlite3"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(database).execute("SELECT * FROM sqlite_master").fetchall()
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    wrong = _file(tmp_path, "wrong.txt", OTHER)
    code, out, err = _run(capsys, data, "--passphrase-file", str(wrong), "visits", "list")
    assert (code, out) == (1, "")
    assert err == "fout: Verkeerde wachtwoordzin; er is niets geopend of gewijzigd.\n"
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before
    code, _out, err = _run(capsys, data, "visits", "list")  # no terminal, no file: says how
    assert code == 1 and "--passphrase-file" in err and err.count("\n") == 1
    assert _run(capsys, data, "--passphrase-file", str(secret), "visits", "list")[0] == 0


@pytest.mark.usefixtures("no_keystore")
def test_the_environment_names_the_passphrase_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, secret = _protected_store(tmp_path, capsys)
    monkeypatch.setenv("INSPECTOR_APP_PASSPHRASE_FILE", str(secret))
    code, out, _err = _run(capsys, data, "store", "status", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["encrypted"] and status["protections"] == ["passphrase"]
    assert not status["os_keystore_available"]


def test_a_missing_key_store_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert _run(capsys, data, "visits", "list")[0] == 0  # the (fake) OS key store holds the key
    assert json.loads(_run(capsys, data, "store", "status", "--json")[1])["protections"] == ["keyring"]
    keyring.set_keyring(no_backend())  # another machine, or the key store was reset
    code, _out, err = _run(capsys, data, "visits", "list")
    assert code == 1 and "niet bereikbaar" in err and "store recover" in err


@pytest.mark.usefixtures("no_keystore")
def test_a_passphrase_change_needs_the_current_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, secret = _protected_store(tmp_path, capsys)
    new = _file(tmp_path, "new.txt", OTHER)
    short = _file(tmp_path, "short.txt", "kort")
    code, _out, err = _run(
        capsys, data, "--passphrase-file", str(secret), "store", "passphrase", "change",
        "--new-passphrase-file", str(short),
    )  # fmt: skip
    assert code == 1 and "minstens 12 tekens" in err
    code, _out, err = _run(
        capsys, data, "--passphrase-file", str(secret), "store", "passphrase", "change",
        "--new-passphrase-file", str(new),
    )  # fmt: skip
    assert code == 0, err
    assert _run(capsys, data, "--passphrase-file", str(secret), "visits", "list")[0] == 1
    assert _run(capsys, data, "--passphrase-file", str(new), "visits", "list")[0] == 0


@pytest.mark.usefixtures("no_keystore")
def test_the_dpo_recovers_a_forgotten_passphrase_with_the_escrow_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipient, backup = create_escrow("fg-reservesleutel-2026", log_n=14)
    escrow_file = tmp_path / "escrow.json"
    escrow_file.write_bytes(backup)
    data = tmp_path / "data"
    secret = _file(tmp_path, "pass.txt", PASSPHRASE)
    code, _out, err = _run(
        capsys, data, "--passphrase-file", str(secret), "keys", "init-office", "--municipality", "Westerdam",
        "--escrow-recipient", recipient,
    )  # fmt: skip
    assert code == 0, err
    status = json.loads(_run(capsys, data, "--passphrase-file", str(secret), "store", "status", "--json")[1])
    assert status["protections"] == ["escrow", "passphrase"] and status["escrow_recipients"] == [recipient]
    new = _file(tmp_path, "new.txt", OTHER)
    wrong_escrow = _file(tmp_path, "wrong-escrow.txt", "niet-de-goede-zin")
    key_before = key_file_of(data / "inspector.sqlite3").read_bytes()
    code, _out, err = _run(
        capsys, data, "store", "recover", "--escrow-key", str(escrow_file),
        "--escrow-passphrase-file", str(wrong_escrow), "--new-passphrase-file", str(new),
    )  # fmt: skip
    assert code == 1 and err.count("\n") == 1
    assert key_file_of(data / "inspector.sqlite3").read_bytes() == key_before
    escrow_secret = _file(tmp_path, "escrow-pass.txt", "fg-reservesleutel-2026")
    code, out, err = _run(
        capsys, data, "store", "recover", "--escrow-key", str(escrow_file),
        "--escrow-passphrase-file", str(escrow_secret), "--new-passphrase-file", str(new),
    )  # fmt: skip
    assert code == 0, err and "hersteld" in out
    assert _run(capsys, data, "--passphrase-file", str(new), "visits", "list")[0] == 0
    assert _run(capsys, data, "--passphrase-file", str(secret), "visits", "list")[0] == 1


@pytest.mark.usefixtures("no_keystore")
def test_an_escrow_key_of_another_office_does_not_recover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipient, _backup = create_escrow("fg-reservesleutel-2026", log_n=14)
    _other, other_backup = create_escrow("fg-reservesleutel-2026", log_n=14)
    data = tmp_path / "data"
    secret = _file(tmp_path, "pass.txt", PASSPHRASE)
    assert _run(
        capsys, data, "--passphrase-file", str(secret), "keys", "init-office", "--municipality", "W",
        "--escrow-recipient", recipient,
    )[0] == 0  # fmt: skip
    (tmp_path / "other.json").write_bytes(other_backup)
    code, _out, err = _run(
        capsys, data, "store", "recover", "--escrow-key", str(tmp_path / "other.json"),
        "--escrow-passphrase-file", str(_file(tmp_path, "e.txt", "fg-reservesleutel-2026")),
        "--new-passphrase-file", str(_file(tmp_path, "n.txt", OTHER)),
    )  # fmt: skip
    assert code == 1 and "past niet bij deze gegevensmap" in err
