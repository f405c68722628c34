"""An export reads one committed state: a change another connection commits while the export is
reading (the CLI amending a visit while the app exports) is wholly in the bundle or wholly out of
it, never in some of its visits and tables but not others."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage import cipher
from inspector_app.storage.db import data_key
from inspector_app.sync import encoded, export
from inspector_app.sync.encoded import EncodedVisit


def test_a_commit_during_the_export_is_not_half_in_the_bundle(
    laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(laptop, 4, seed=11)
    before = {s.visit_id: s.sha256 for s in export.pending_snapshots(laptop.db)}
    assert len(before) == 4
    # One visit per read, so the other connection commits after the first visit was read and before
    # the others are: a change to every visit row and every answer in one transaction.
    monkeypatch.setattr(encoded, "CHUNK", 1)
    other = cipher.connect(laptop.paths.database, data_key(laptop.db))
    read = export._PhotoReader.read
    committed: list[str] = []

    def read_then_commit(self: export._PhotoReader, snapshot: EncodedVisit) -> None:
        read(self, snapshot)
        if not committed:
            with other:
                other.execute("UPDATE answers SET note = 'gewijzigd tijdens export'")
                other.execute("UPDATE visits SET updated_at = '2099-01-01T00:00:00.000Z'")
            committed.append(snapshot.visit_id)

    monkeypatch.setattr(export._PhotoReader, "read", read_then_commit)
    result = exchange_service.export(laptop, tmp_path / "bundle.ifb")
    other.close()
    assert result is not None and committed
    sent = {
        str(v): str(s)
        for v, s in laptop.db.execute(
            "SELECT visit_id, snapshot_sha256 FROM sync_export_items WHERE bundle_id = ?", [result.bundle_id]
        )
    }
    assert sent == before  # every visit as it stood when the export began
    monkeypatch.setattr(export._PhotoReader, "read", read)
    after = exchange_service.export(laptop, tmp_path / "next.ifb")
    assert after is not None and after.visits == 4  # the change travels next time, for every visit
