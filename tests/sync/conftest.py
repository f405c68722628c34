"""Two installations, an office and a laptop, enrolled with each other (cheap keys, no scrypt)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.fileio import atomic_write_bytes
from inspector_app.paths import installed_forms_dir
from inspector_app.services import assignments
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.session import VisitSession
from inspector_app.sync.keys import KeyStore

DATA_TABLES = (
    "locations",
    "visits",
    "visit_revisions",
    "answers",
    "persons",
    "indicator_observations",
    "photos",
    "referrals",
)


def dump(app: AppContext, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple[object, ...]]]:
    """Whole tables; locations only as far as visits use them (the register itself is not synced)."""
    result = {}
    for t in tables:
        where = " WHERE id IN (SELECT location_id FROM visits)" if t == "locations" else ""
        result[t] = sorted(map(tuple, app.db.execute(f"SELECT * FROM {t}{where}").fetchall()), key=repr)
    return result


# Merge revisions the office wrote for an earlier set of leaves stay in the history (rows are only
# added), and which intermediate sets there were depends on the order bundles came in; what is shown
# (every other row, and the merge revision that is a visit's head) depends only on the set.
_EARLIER_MERGES = "author = 'sync' AND id NOT IN (SELECT head_rev FROM visits)"


def shown_state(
    app: AppContext, tables: tuple[str, ...] = DATA_TABLES
) -> dict[str, list[tuple[object, ...]]]:
    """`dump` without the earlier merge revisions: the state that depends only on the set of bundles."""
    state = dump(app, tables)
    if "visit_revisions" in tables:
        earlier = {r[0] for r in app.db.execute(f"SELECT id FROM visit_revisions WHERE {_EARLIER_MERGES}")}
        state["visit_revisions"] = [row for row in state["visit_revisions"] if row[0] not in earlier]
    return state


LAPTOP_STATE = ("locations", "sync_reference_history", "sync_reference_log", "visits")


def laptop_state(app: AppContext) -> tuple[object, ...]:
    """What installing a reference bundle can change on a laptop: tables, checklist files, the pointer."""
    tables = {
        t: sorted(map(tuple, app.db.execute(f"SELECT * FROM {t}").fetchall()), key=repr) for t in LAPTOP_STATE
    }
    root = app.paths.data_dir / "forms"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []
    return tables, files, installed_forms_dir(app.paths.data_dir)


def enrol(office: AppContext, laptop: AppContext, tmp: Path) -> None:
    enrolment = tmp / f"enrol-{laptop.device_id}.json"
    atomic_write_bytes(
        enrolment, json.dumps(keys_service.keystore(office).office_public().to_json()).encode()
    )
    keys_service.enrol(laptop, enrolment)
    registration = tmp / f"reg-{laptop.device_id}.json"
    atomic_write_bytes(registration, json.dumps(keys_service.registration(laptop).to_json()).encode())
    keys_service.register_device(office, registration)


def hand_over(office: AppContext, source: AppContext, target: AppContext) -> None:
    """The office assigns every visit of `source` to `target` too (a joint visit, `visits assign`)."""
    for (visit_id,) in source.db.execute("SELECT id FROM visits").fetchall():
        assignments.assign(office, str(visit_id), target.device_id, "gezamenlijk bezoek (test)")


def copy_keys(source: Path, target: Path) -> None:
    """The keys folder of the open store in `source` for another data folder, unsealed: the next open
    there seals the private files under that store's own key (as keys from before encryption)."""
    keys = KeyStore.of(source)
    (target / "keys").mkdir(parents=True)
    for path in sorted((source / "keys").iterdir()):
        (target / "keys" / path.name).write_text(json.dumps(keys._read(path.name)), encoding="utf-8")


def copy_registry(source: AppContext, target: AppContext) -> None:
    """A fresh office that trusts the same laptops, with the same assignments."""
    with target.db.conn:
        for row in source.db.execute("SELECT * FROM sync_devices").fetchall():
            target.db.execute("INSERT INTO sync_devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))
        for row in source.db.execute("SELECT * FROM sync_visit_assignments").fetchall():
            target.db.execute("INSERT INTO sync_visit_assignments VALUES (?, ?, ?, ?, ?)", list(row))


@pytest.fixture
def office(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "office")
    context.settings.profile.name = "Kantoor 1"
    keys_service.init_office(context, "Westerdam")
    yield context
    context.close()


@pytest.fixture
def laptop(tmp_path: Path, office: AppContext) -> Iterator[AppContext]:
    context = open_app(tmp_path / "laptop")
    context.settings.profile.name = "Toezichthouder 1001"
    enrol(office, context, tmp_path)
    yield context
    context.close()


def photos_on_drafts(laptop: AppContext, folder: Path, count: int, side: int, seed: int) -> None:
    """A noise photo (synthetic, no person) on the first photo question of up to `count` draft visits,
    added as the app adds them (sealed in the media folder)."""
    drafts = [
        str(r[0]) for r in laptop.db.execute("SELECT id FROM visits WHERE status = 'draft' LIMIT ?", [count])
    ]
    for index, visit_id in enumerate(drafts):
        session = VisitSession(laptop, visit_id)
        question = next((q for q in session.form.questions.values() if q.type.value == "photo"), None)
        if question is None:
            continue
        image = folder / f"p{index}.png"
        Image.effect_noise((side, side), seed + index).convert("RGB").save(image)
        add_photo(session, question.id, image)
