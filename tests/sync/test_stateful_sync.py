"""Stateful property: an office and three laptops amend one visit, export, import in any order,
apply receipts and restore a backup; no revision that reached the office is ever missing from it.

Laptop C starts as a restored older backup of laptop A (same device id, same sequence numbers), so
forks are part of every run. After every step: each imported bundle's revisions are all held by the
office (shown or in a kept leaf), the office's own amendments too, and a visit has an open conflict
exactly when it has more than one distinct leaf.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from inspector_app.cli.main import main
from inspector_app.forms.loader import load_form_by_id
from inspector_app.forms.values import parse_answer_text
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.sync.versions import conflict_status
from tests.sync.conftest import enrol, hand_over

VALUES = ("1111 AA", "2222 BB", "3333 CC")
QUESTIONS = ("H-03", "PB-05")


def _cli(data_dir: Path, *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(data_dir), *args]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Office and laptop A with one final PB visit, its first bundle imported (built once)."""
    root = tmp_path_factory.mktemp("stateful-template")
    office, laptop = root / "office", root / "a"
    _cli(office, "keys", "init-office", "--municipality", "Westerdam")
    _cli(office, "keys", "export-enrolment", "-o", str(root / "enrol.json"))
    _cli(laptop, "keys", "enrol", str(root / "enrol.json"))
    _cli(laptop, "keys", "export-registration", "-o", str(root / "reg.json"))
    _cli(office, "keys", "register-device", str(root / "reg.json"))
    visit_id = _cli(
        laptop, "visits", "new", "--form", "PB", "--location-name", "Club Test",
        "--address", "Teststraat 1", "--postcode", "1234 AB", "--started-at", "2026-11-20T21:00",
    ).strip()  # fmt: skip
    form = load_form_by_id("prostitution_business")
    for ref in json.loads(_cli(laptop, "visits", "show", visit_id, "--json"))["missing_required"]:
        question = form.questions[ref.split("[")[0]]
        value = {"yesno": "ja", "integer": "1", "decimal": "1", "time": "23:00", "date": "2026-11-20"}.get(
            question.type.value, question.choices[0].value if question.choices else "Notitie."
        )
        _cli(laptop, "visits", "answer", visit_id, ref, value)
    _cli(laptop, "visits", "finalize", visit_id)
    _cli(laptop, "bundle", "export", "-o", str(root / "first.ifb"))
    _cli(office, "bundle", "import", str(root / "first.ifb"))
    return root, visit_id


def revision_ids(app: AppContext, visit_id: str) -> set[str]:
    return {r[0] for r in app.db.execute("SELECT id FROM visit_revisions WHERE visit_id = ?", [visit_id])}


class SyncMachine(RuleBasedStateMachine):
    template: tuple[Path, str]

    def __init__(self) -> None:
        super().__init__()
        source, self.visit_id = self.template
        self.root = Path(tempfile.mkdtemp(prefix="stateful-"))
        for name in ("office", "a"):
            shutil.copytree(source / name, self.root / name)
        shutil.copytree(source / "a", self.root / "backup")  # laptop A's older backup
        self.office = open_app(self.root / "office")
        a = open_app(self.root / "a")
        a.settings.profile.name = "Toezichthouder A"
        shutil.copytree(self.root / "a", self.root / "b")
        shutil.rmtree(self.root / "b" / "keys")  # B is another laptop: its own key, enrolled below
        b = open_app(self.root / "b")
        new_id = str(uuid.uuid4())
        with b.db.conn:
            b.db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", [new_id])
        b.device_id = new_id
        enrol(self.office, b, self.root)
        hand_over(self.office, a, b)
        shutil.copytree(self.root / "backup", self.root / "c")  # A restored elsewhere: same device id
        self.laptops = [a, b, open_app(self.root / "c")]
        self.pending: list[tuple[Path, set[str]]] = []
        self.imported: list[set[str]] = []
        self.office_revisions: set[str] = set()
        self.counter = 0

    def teardown(self) -> None:
        for app in [self.office, *self.laptops]:
            app.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _amend(self, app: AppContext, question: str, value: str) -> None:
        session = VisitSession(app, self.visit_id)
        parsed = parse_answer_text(session.form.questions[question], value if question == "H-03" else "nee")
        if session.value(question) == parsed:
            parsed = parse_answer_text(
                session.form.questions[question], value if question == "H-03" else "ja"
            )
        amend_visit(session, question, parsed, "Correctie.")

    @rule(laptop=st.integers(0, 2), question=st.sampled_from(QUESTIONS), value=st.sampled_from(VALUES))
    def laptop_amends(self, laptop: int, question: str, value: str) -> None:
        self._amend(self.laptops[laptop], question, value)

    @rule(question=st.sampled_from(QUESTIONS), value=st.sampled_from(VALUES))
    def office_amends(self, question: str, value: str) -> None:
        self._amend(self.office, question, value)
        self.office_revisions |= revision_ids(self.office, self.visit_id)

    @rule(laptop=st.integers(0, 2))
    def export(self, laptop: int) -> None:
        app = self.laptops[laptop]
        self.counter += 1
        result = exchange_service.export(app, self.root / f"out-{self.counter}")
        if result is not None:
            self.pending.append((result.path, revision_ids(app, self.visit_id)))

    @rule(data=st.data())
    def office_imports_one(self, data: st.DataObject) -> None:
        if not self.pending:
            return
        path, revisions = self.pending.pop(data.draw(st.integers(0, len(self.pending) - 1)))
        [report] = exchange_service.import_files(self.office, [path])
        assert report.status == "imported", report.reason
        self.imported.append(revisions)

    @rule(laptop=st.integers(0, 2))
    def receipt(self, laptop: int) -> None:
        self.counter += 1
        path = exchange_service.write_receipt(self.office, self.root / f"receipt-{self.counter}.json")
        exchange_service.apply_receipt(self.laptops[laptop], path)

    @rule()
    def restore_a_from_backup(self) -> None:
        self.laptops[0].close()
        shutil.rmtree(self.root / "a")
        shutil.copytree(self.root / "backup", self.root / "a")
        self.laptops[0] = open_app(self.root / "a")

    @invariant()
    def nothing_is_lost(self) -> None:
        held = revision_ids(self.office, self.visit_id)
        leaves = self.office.db.execute(
            "SELECT snapshot_sha256, snapshot FROM sync_visit_versions WHERE visit_id = ? AND leaf = 1",
            [self.visit_id],
        ).fetchall()
        for _sha, snapshot in leaves:
            held |= {str(r["id"]) for r in json.loads(snapshot)["visit_revisions"]}
        for revisions in self.imported:
            assert revisions <= held
        assert self.office_revisions <= held
        distinct = {sha for sha, _snapshot in leaves}
        assert (conflict_status(self.office.db, self.visit_id) == "open") == (len(distinct) > 1)


def test_sync_never_loses_a_revision(template: tuple[Path, str]) -> None:
    SyncMachine.template = template
    SyncMachine.TestCase.settings = settings(
        max_examples=100,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    SyncMachine.TestCase().runTest()
