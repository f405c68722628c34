"""A receipt counts visits, not bundle entries: a visit sent in two bundles is confirmed once."""

from __future__ import annotations

from pathlib import Path

from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits


def test_a_visit_in_two_bundles_counts_once(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    """Regression: "186 bezoek(en)" for 62 visits, one count per bundle that carried a visit."""
    create_demo_visits(laptop, 2, seed=5)
    first = exchange_service.export(laptop, tmp_path / "out1")
    second = exchange_service.export(
        laptop, tmp_path / "out2"
    )  # nothing confirmed yet: the same visits again
    assert first is not None and second is not None and first.visits == second.visits == 2
    exchange_service.import_files(office, [first.path, second.path])
    exchange_service.write_receipt(office, tmp_path / "receipt.json")
    applied = exchange_service.apply_receipt(laptop, tmp_path / "receipt.json")
    assert applied.bundles == 2 and applied.visits == 2
