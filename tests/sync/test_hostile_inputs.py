"""No input makes a command exit 70: the remaining paths that read a file from a stick, table-driven.

Reference-bundle installation on the laptop (`bundle import`), receipts (`bundle apply-receipt`),
`bundle inspect`, and the key files (`keys enrol`, `keys register-device`) each meet truncated files,
wrong types, a huge (sparse) file, non-regular files (a FIFO, a link to /dev/zero, a folder) and
deeply nested JSON. Every row: exit 1 with a message on stderr (or, for the importers, a rejected
report line), and the installation's data unchanged.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.keys import KeyStore
from tests.sync.hostile import canonical_dump

DEEP_LIST = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def _signed_receipt(office: AppContext, payload: object) -> bytes:
    """A receipt the office key really signed, of any shape (the signature alone does not make it sane)."""
    data = json.dumps(payload).encode()
    signature = KeyStore.of(office.paths.data_dir).office_signing_key().sign(data)
    return canonical_json(
        {"payload": base64.b64encode(data).decode(), "signature": base64.b64encode(signature).decode()}
    ).encode()


def _receipt_with_bundles(office: AppContext, bundles: object) -> bytes:
    fingerprint = keys_service.keystore(office).office_public().fingerprint
    payload = {"format": "ifb-receipt", "version": 1, "office_fingerprint": fingerprint, "bundles": bundles}
    return _signed_receipt(office, payload)


Maker = Callable[[AppContext, AppContext, Path], Path]


def _file(content: bytes | Callable[[AppContext], bytes]) -> Maker:
    def make(office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
        target = tmp / "hostile.input"
        target.write_bytes(content(office) if callable(content) else content)
        return target

    return make


def _fifo(_office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    target = tmp / "pipe.input"
    os.mkfifo(target)
    return target


def _zero_link(_office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    target = tmp / "zero.input"
    target.symlink_to("/dev/zero")
    return target


def _folder(_office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    target = tmp / "folder.input"
    target.mkdir()
    return target


def _sparse(_office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    target = tmp / "huge.input"
    with target.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GiB, no blocks on disk
    return target


def _truncated_reference(office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    path, *_counts = exchange_service.write_reference(office, tmp / "ref.ifr")
    target = tmp / "cut.ifr"
    target.write_bytes(path.read_bytes()[:-40])
    return target


def _deep_reference_name(_office: AppContext, _laptop: AppContext, tmp: Path) -> Path:
    target = tmp / "deep.ifr"
    target.write_bytes(DEEP_LIST)
    return target


NON_REGULAR: list[tuple[str, Maker]] = [
    ("fifo", _fifo),
    ("link-to-dev-zero", _zero_link),
    ("huge-sparse", _sparse),
    ("empty", _file(b"")),
]
# (case, who runs it, command words before the file, maker)
CASES: list[tuple[str, str, list[str], Maker]] = [
    *[(f"reference-{n}", "laptop", ["bundle", "import"], m) for n, m in NON_REGULAR],
    ("reference-truncated", "laptop", ["bundle", "import"], _truncated_reference),
    ("reference-deep-json", "laptop", ["bundle", "import"], _deep_reference_name),
    *[(f"receipt-{n}", "laptop", ["bundle", "apply-receipt"], m) for n, m in NON_REGULAR],
    ("receipt-folder", "laptop", ["bundle", "apply-receipt"], _folder),
    ("receipt-truncated", "laptop", ["bundle", "apply-receipt"], _file(b'{"payload": "ab')),
    ("receipt-deep-list", "laptop", ["bundle", "apply-receipt"], _file(DEEP_LIST)),
    ("receipt-deep-object", "laptop", ["bundle", "apply-receipt"], _file(DEEP_OBJECT)),
    ("receipt-a-list", "laptop", ["bundle", "apply-receipt"], _file(b"[1, 2]")),
    ("receipt-wrong-types", "laptop", ["bundle", "apply-receipt"], _file(b'{"payload": 5, "signature": []}')),
    ("receipt-signed-list", "laptop", ["bundle", "apply-receipt"], _file(lambda o: _signed_receipt(o, [1]))),
    (
        "receipt-bundles-text",
        "laptop",
        ["bundle", "apply-receipt"],
        _file(lambda o: _receipt_with_bundles(o, "all")),
    ),
    (
        "receipt-seq-text",
        "laptop",
        ["bundle", "apply-receipt"],
        _file(
            lambda o: _receipt_with_bundles(
                o, [{"device_id": "x", "bundle_id": "y", "seq": "1", "visits": {}}]
            )
        ),
    ),
    (
        "receipt-visits-list",
        "laptop",
        ["bundle", "apply-receipt"],
        _file(
            lambda o: _receipt_with_bundles(o, [{"device_id": "x", "bundle_id": "y", "seq": 1, "visits": []}])
        ),
    ),
    (
        "receipt-bundle-a-number",
        "laptop",
        ["bundle", "apply-receipt"],
        _file(lambda o: _receipt_with_bundles(o, [7])),
    ),
    *[(f"inspect-{n}", "office", ["bundle", "inspect"], m) for n, m in NON_REGULAR[:2]],
    ("inspect-folder", "office", ["bundle", "inspect"], _folder),
    *[(f"register-{n}", "office", ["keys", "register-device"], m) for n, m in NON_REGULAR],
    ("register-folder", "office", ["keys", "register-device"], _folder),
    ("register-deep-list", "office", ["keys", "register-device"], _file(DEEP_LIST)),
    ("register-deep-object", "office", ["keys", "register-device"], _file(DEEP_OBJECT)),
    (
        "register-wrong-types",
        "office",
        ["keys", "register-device"],
        _file(
            b'{"format":"ifb-registration","version":1,"device_id":5,"name":[],"sign_public_key":{},'
            b'"office_fingerprint":null}'
        ),
    ),
    ("register-truncated", "office", ["keys", "register-device"], _file(b'{"format":"ifb-registr')),
    *[(f"enrol-{n}", "laptop", ["keys", "enrol"], m) for n, m in NON_REGULAR],
    ("enrol-deep-list", "laptop", ["keys", "enrol"], _file(DEEP_LIST)),
    (
        "enrol-wrong-types",
        "laptop",
        ["keys", "enrol"],
        _file(
            b'{"format":"ifb-enrolment","version":1,"municipality":"x","recipient":5,'
            b'"sign_public_key":"AAAA","escrow_recipients":{"a":1}}'
        ),
    ),
]


@pytest.mark.parametrize(
    ("who", "words", "make"), [(w, c, m) for _n, w, c, m in CASES], ids=[n for n, _w, _c, _m in CASES]
)
def test_a_hostile_input_is_refused_with_exit_1(
    office: AppContext,
    laptop: AppContext,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    who: str,
    words: list[str],
    make: Maker,
) -> None:
    create_demo_visits(laptop, 1, seed=3)
    hostile = make(office, laptop, tmp_path)
    app = laptop if who == "laptop" else office
    app.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = canonical_dump(app.paths.database)
    capsys.readouterr()
    code = main(["--data-dir", str(app.paths.data_dir), *words, str(hostile)])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert "onverwachte fout" not in err
    assert err.strip() or "geweigerd" in out.lower(), (out, err)
    assert canonical_dump(app.paths.database) == before
