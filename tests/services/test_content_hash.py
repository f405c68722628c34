"""The content hash read off a visit's stored rows is the one its typed records give.

A finalised visit's head revision is stamped with `visit_content_hash` over its typed records; the
office's import checks every finalised visit of a bundle with `stored_content_hash` over the
bundle's rows instead (no typed records built). The two must agree on every visit, or the office
would refuse sound bundles (`content_hash_mismatch`) or, worse, pass a changed one: here they are
compared on demo visits and on rows changed in every column the hash covers, with hypothesis
choosing the values (text of any code point, JSON answers of every kind, flags either way).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.exchange import finalised_content_mismatch
from inspector_app.services.visit.content import stored_content_hash, visit_content_hash
from inspector_app.sync.records import Snapshot, load_snapshots


def _typed_hash(snapshot: Snapshot) -> str:
    records = snapshot.records()
    return visit_content_hash(
        records.visit,
        {(a.question_id, a.person_number): a for a in records.answers},
        {p.number: p for p in records.persons},
        records.observations,
    )


def test_demo_visits_hash_alike(app: AppContext) -> None:
    create_demo_visits(app, 20, seed=11)
    snapshots = list(load_snapshots(app.db))
    assert any(s.parts["persons"] for s in snapshots) and any(
        s.parts["indicator_observations"] for s in snapshots
    )
    for snapshot in snapshots:
        assert stored_content_hash(snapshot.visit, snapshot.parts) == _typed_hash(snapshot)
        assert finalised_content_mismatch(snapshot) is None  # the stamped hash holds for every final one


text = st.text(st.characters(codec="utf-8"), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_changed_rows_hash_alike(app: AppContext, data: st.DataObject) -> None:
    if not app.db.execute("SELECT 1 FROM visits").fetchone():
        create_demo_visits(app, 6, seed=12)
    snapshots = [
        s for s in load_snapshots(app.db) if s.parts["persons"] and s.parts["indicator_observations"]
    ]
    base = data.draw(st.sampled_from(snapshots))
    canonical: dict[str, Any] = json.loads(json.dumps(base.canonical()))
    visit = canonical["visit"]
    visit["inspectors"] = json.dumps(data.draw(st.lists(text, max_size=3)))
    visit["legal_ground"] = data.draw(st.none() | text)
    answer = data.draw(st.sampled_from(canonical["answers"]))
    value = data.draw(json_values)
    answer["value"] = None if value is None else json.dumps(value, ensure_ascii=False)
    answer["note"] = data.draw(text)
    person = data.draw(st.sampled_from(canonical["persons"]))
    person["removed"] = data.draw(st.sampled_from([0, 1]))
    person["role"] = data.draw(st.none() | text)
    observation = data.draw(st.sampled_from(canonical["indicator_observations"]))
    observation["dismissed"] = data.draw(st.sampled_from([0, 1]))
    observation["raised_by"] = json.dumps(data.draw(st.lists(text, max_size=3)))
    observation["dismiss_reason"] = data.draw(st.none() | text)
    changed = Snapshot.from_canonical(canonical)
    assert stored_content_hash(changed.visit, changed.parts) == _typed_hash(changed)


def test_a_changed_final_visit_is_named(app: AppContext) -> None:
    """The check itself: one flag changed after finalising gives the hash it has now."""
    create_demo_visits(app, 6, seed=13)
    final = next(
        s
        for s in load_snapshots(app.db)
        if s.visit["status"] == "final" and s.parts["indicator_observations"]
    )
    canonical = final.canonical()
    canonical["indicator_observations"] = [
        {**row, "dismissed": 1 - row["dismissed"]} for row in canonical["indicator_observations"]
    ]
    changed = Snapshot.from_canonical(canonical)
    assert finalised_content_mismatch(changed) == _typed_hash(changed) != _typed_hash(final)
