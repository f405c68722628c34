"""Schema migrations (sqlite-utils `Migrations`), mirrored into `PRAGMA user_version`.

Forward-only. Each migration runs in one transaction together with its `_sqlite_migrations` row and
the new user_version, so a crash mid-migration leaves the previous schema intact.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from inspector_app.storage.migration_008 import separate_audit_values

MIGRATION_SET = "inspector_app"
migrations = Migrations(MIGRATION_SET)

_INITIAL = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE locations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        location_type TEXT NOT NULL CHECK (location_type IN ('PB', 'MS', 'CS', 'AH')),
        address TEXT NOT NULL DEFAULT '',
        postcode TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        kvk_number TEXT NOT NULL DEFAULT '',
        licence_number TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX locations_by_name ON locations (name COLLATE NOCASE)",
    "CREATE INDEX locations_by_postcode ON locations (postcode)",
    """CREATE TABLE visits (
        id TEXT PRIMARY KEY,
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        location_id TEXT NOT NULL REFERENCES locations (id),
        visit_type TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        inspectors TEXT NOT NULL DEFAULT '[]',
        partners TEXT NOT NULL DEFAULT '[]',
        legal_ground TEXT,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
        head_rev TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finalized_at TEXT,
        finalized_by TEXT,
        count_h INTEGER NOT NULL DEFAULT 0,
        count_m INTEGER NOT NULL DEFAULT 0,
        count_l INTEGER NOT NULL DEFAULT 0,
        acute INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX visits_by_started ON visits (started_at)",
    "CREATE INDEX visits_by_location ON visits (location_id)",
    """CREATE TABLE visit_revisions (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        base_rev TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('edit', 'final', 'addendum')),
        author TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        closed_at TEXT,
        content_sha256 TEXT,
        reason TEXT
    )""",
    "CREATE INDEX visit_revisions_by_visit ON visit_revisions (visit_id)",
    """CREATE TABLE persons (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        number INTEGER NOT NULL CHECK (number >= 1),
        code TEXT NOT NULL,
        role TEXT,
        age_band TEXT,
        languages TEXT NOT NULL DEFAULT '',
        removed INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (visit_id, number)
    )""",
    # An answer's identity is its place: visit, question, person (0 = the visit). WITHOUT ROWID keeps
    # the rows in that key's order, so a visit's answers are read in one range and no extra index is
    # needed (the largest table of the store). Who changed it and in which revision is in the audit log
    # and visit_revisions, not repeated on every row.
    """CREATE TABLE answers (
        visit_id TEXT NOT NULL REFERENCES visits (id),
        question_id TEXT NOT NULL,
        person_number INTEGER NOT NULL DEFAULT 0,
        value TEXT,
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (visit_id, question_id, person_number)
    ) WITHOUT ROWID""",
    """CREATE TABLE indicator_observations (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        slug TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
        weight TEXT NOT NULL CHECK (weight IN ('H', 'M', 'L')),
        raised_by TEXT NOT NULL DEFAULT '[]',
        rule_ids TEXT NOT NULL DEFAULT '[]',
        active INTEGER NOT NULL DEFAULT 1,
        note TEXT NOT NULL DEFAULT '',
        dismissed INTEGER NOT NULL DEFAULT 0,
        dismiss_reason TEXT,
        dismissed_by TEXT,
        dismissed_at TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (visit_id, slug, source)
    )""",
    """CREATE TABLE photos (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        question_id TEXT NOT NULL,
        person_number INTEGER NOT NULL DEFAULT 0,
        sha256 TEXT NOT NULL,
        media_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        size INTEGER NOT NULL,
        caption TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    )""",
    "CREATE INDEX photos_by_visit ON photos (visit_id)",
    """CREATE TABLE referrals (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        recipient TEXT NOT NULL CHECK (recipient IN ('contact_person', 'police', 'labour_inspectorate',
            'riec', 'comensha', 'care_coordinator', 'veilig_thuis')),
        urgency TEXT NOT NULL CHECK (urgency IN ('acute', 'days', 'informational')),
        consent_status TEXT NOT NULL DEFAULT 'not_applicable'
            CHECK (consent_status IN ('not_applicable', 'asked', 'given', 'refused')),
        channel TEXT NOT NULL DEFAULT '',
        slugs TEXT NOT NULL DEFAULT '[]',
        person_codes TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'closed')),
        sent_at TEXT,
        reference TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX referrals_by_visit ON referrals (visit_id)",
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        device_id TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        visit_id TEXT,
        old TEXT,
        new TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX audit_log_by_visit ON audit_log (visit_id)",
    """CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]


@migrations(name="001_initial")
def m001_initial(db: Database) -> None:
    for statement in _INITIAL:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")


_SYNC = [
    # Office: laptops whose signed bundles are accepted (registration files), and revocations.
    """CREATE TABLE sync_devices (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        sign_public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        registered_at TEXT NOT NULL,
        revoked_at TEXT,
        revoke_reason TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0
    )""",
    # Laptop: every bundle written, and whether an office receipt acknowledged it.
    """CREATE TABLE sync_export_log (
        bundle_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        visits INTEGER NOT NULL,
        audit_to INTEGER NOT NULL DEFAULT 0,
        acknowledged_at TEXT
    )""",
    """CREATE TABLE sync_export_items (
        bundle_id TEXT NOT NULL REFERENCES sync_export_log (bundle_id),
        visit_id TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        PRIMARY KEY (bundle_id, visit_id)
    ) WITHOUT ROWID""",
    # Laptop: the exact visit content (snapshot hash) the office has confirmed holding.
    """CREATE TABLE sync_acknowledged (
        visit_id TEXT PRIMARY KEY,
        snapshot_sha256 TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        acknowledged_at TEXT NOT NULL
    )""",
    # Office: one row per committed bundle (the idempotency key), written in the import transaction.
    """CREATE TABLE sync_import_log (
        bundle_id TEXT PRIMARY KEY,
        file_sha256 TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        report TEXT NOT NULL
    )""",
    # Office: the per-visit outcome of each committed bundle, read back into receipts.
    """CREATE TABLE sync_import_items (
        bundle_id TEXT NOT NULL REFERENCES sync_import_log (bundle_id),
        visit_id TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (bundle_id, visit_id)
    ) WITHOUT ROWID""",
    # Office: every import attempt's report, rejected ones included.
    """CREATE TABLE sync_import_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT,
        bundle_id TEXT,
        device_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('imported', 'already_present', 'rejected')),
        reason TEXT NOT NULL DEFAULT '',
        report TEXT NOT NULL
    )""",
    # Office: every version of a visit that arrived (device, seq), its revision set and whether it is
    # still a leaf (not superseded). Leaves other than the one shown keep their full snapshot.
    """CREATE TABLE sync_visit_versions (
        visit_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bundle_id TEXT NOT NULL,
        head_rev TEXT NOT NULL,
        rev_ids TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        leaf INTEGER NOT NULL,
        shown INTEGER NOT NULL DEFAULT 0,
        snapshot TEXT,
        PRIMARY KEY (visit_id, device_id, seq)
    ) WITHOUT ROWID""",
    # Office: visits with concurrent versions (both kept) waiting for a person to resolve them.
    """CREATE TABLE sync_conflicts (
        visit_id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        versions TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT
    )""",
    # Office: the laptops' own audit entries, kept per device with their original hash chain.
    """CREATE TABLE sync_remote_audit (
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        visit_id TEXT,
        old TEXT,
        new TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (device_id, seq)
    ) WITHOUT ROWID""",
]


@migrations(name="002_sync")
def m002_sync(db: Database) -> None:
    for statement in _SYNC:
        db.execute(statement)
    db.execute("PRAGMA user_version = 2")


_REFERENCE = [
    # Office: the age recipient of each laptop, for office -> laptop reference bundles.
    "ALTER TABLE sync_devices ADD COLUMN recipient TEXT",
    # Laptop: reference bundles applied (idempotency; a lower office sequence number is refused).
    """CREATE TABLE sync_reference_log (
        bundle_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        file_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        forms_folder TEXT NOT NULL,
        report TEXT NOT NULL
    )""",
    # Laptop: the indicators of earlier visits per location, as the office last sent them.
    """CREATE TABLE sync_reference_history (
        visit_id TEXT NOT NULL,
        slug TEXT NOT NULL,
        location_id TEXT NOT NULL,
        visit_date TEXT NOT NULL,
        weight TEXT NOT NULL,
        PRIMARY KEY (visit_id, slug)
    ) WITHOUT ROWID""",
    "CREATE INDEX sync_reference_history_by_location ON sync_reference_history (location_id)",
]


@migrations(name="003_reference")
def m003_reference(db: Database) -> None:
    for statement in _REFERENCE:
        db.execute(statement)
    db.execute("PRAGMA user_version = 3")


_VERSIONS_BY_CONTENT = [
    # Office: a version is (visit, device, seq, content). A laptop restored from a backup sends a
    # different version under a (device, seq) already seen; keying on the content keeps both.
    """CREATE TABLE sync_visit_versions_004 (
        visit_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bundle_id TEXT NOT NULL,
        head_rev TEXT NOT NULL,
        rev_ids TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        leaf INTEGER NOT NULL,
        shown INTEGER NOT NULL DEFAULT 0,
        snapshot TEXT,
        PRIMARY KEY (visit_id, device_id, seq, snapshot_sha256)
    ) WITHOUT ROWID""",
    "INSERT INTO sync_visit_versions_004 SELECT visit_id, device_id, seq, bundle_id, head_rev, rev_ids,"
    " snapshot_sha256, leaf, shown, snapshot FROM sync_visit_versions",
    "DROP TABLE sync_visit_versions",
    "ALTER TABLE sync_visit_versions_004 RENAME TO sync_visit_versions",
]


@migrations(name="004_versions_by_content")
def m004_versions_by_content(db: Database) -> None:
    for statement in _VERSIONS_BY_CONTENT:
        db.execute(statement)
    db.execute("PRAGMA user_version = 4")


_VERSION_DAG = [
    # Every revision's parents: the version DAG. The first parent is `base_rev` (a trigger keeps
    # that for every revision however it is written); a merge or resolution revision at the office
    # adds the other leaves' heads. Rows are only ever added: the history is never rewritten.
    """CREATE TABLE visit_revision_parents (
        revision_id TEXT NOT NULL,
        parent_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        PRIMARY KEY (revision_id, parent_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX visit_revision_parents_by_visit ON visit_revision_parents (visit_id)",
    """CREATE TRIGGER visit_revisions_first_parent AFTER INSERT ON visit_revisions
       WHEN NEW.base_rev IS NOT NULL
       BEGIN
         INSERT OR IGNORE INTO visit_revision_parents (revision_id, parent_id, visit_id)
         VALUES (NEW.id, NEW.base_rev, NEW.visit_id);
       END""",
    "INSERT OR IGNORE INTO visit_revision_parents (revision_id, parent_id, visit_id)"
    " SELECT id, base_rev, visit_id FROM visit_revisions WHERE base_rev IS NOT NULL",
    # Resolutions written before this migration named all their parents in their audit entry.
    "INSERT OR IGNORE INTO visit_revision_parents (revision_id, parent_id, visit_id)"
    " SELECT json_extract(a.new, '$.revision'), p.value, a.visit_id"
    " FROM audit_log a, json_each(a.new, '$.parents') p"
    " WHERE a.action = 'sync.conflict.resolved' AND json_extract(a.new, '$.revision') IS NOT NULL",
    # Office: a person's choice for one field of a conflict, named by the competing values it
    # settles, with the resolution revision (JSON row) that records it.
    """CREATE TABLE sync_field_decisions (
        visit_id TEXT NOT NULL,
        field TEXT NOT NULL,
        competing TEXT NOT NULL,
        chosen TEXT NOT NULL,
        rev_id TEXT NOT NULL,
        revision TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        PRIMARY KEY (visit_id, field, competing)
    ) WITHOUT ROWID""",
]


@migrations(name="005_version_dag")
def m005_version_dag(db: Database) -> None:
    for statement in _VERSION_DAG:
        db.execute(statement)
    db.execute("PRAGMA user_version = 5")


_ASSIGNMENTS = [
    # Office: a visit created on one laptop (or at the office) that the office handed to another
    # laptop too (a joint visit); that laptop's bundles may then add versions of it (sync/authority.py).
    """CREATE TABLE sync_visit_assignments (
        visit_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        assigned_at TEXT NOT NULL,
        assigned_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (visit_id, device_id)
    ) WITHOUT ROWID""",
    # Office: a bundle id is scoped by the device that signed it, so a laptop cannot take another
    # laptop's id first and get the genuine bundle refused as reused (import log and its items).
    """CREATE TABLE sync_import_log_006 (
        bundle_id TEXT NOT NULL,
        file_sha256 TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        report TEXT NOT NULL,
        PRIMARY KEY (device_id, bundle_id)
    )""",
    "INSERT INTO sync_import_log_006 SELECT bundle_id, file_sha256, device_id, seq, imported_at, imported_by,"
    " report FROM sync_import_log",
    "CREATE TEMP TABLE import_items_006 AS SELECT l.device_id, i.bundle_id, i.visit_id, i.snapshot_sha256,"
    " i.outcome FROM sync_import_items i JOIN sync_import_log l ON l.bundle_id = i.bundle_id",
    "DROP TABLE sync_import_items",
    "DROP TABLE sync_import_log",
    "ALTER TABLE sync_import_log_006 RENAME TO sync_import_log",
    """CREATE TABLE sync_import_items (
        device_id TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        snapshot_sha256 TEXT NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (device_id, bundle_id, visit_id),
        FOREIGN KEY (device_id, bundle_id) REFERENCES sync_import_log (device_id, bundle_id)
    ) WITHOUT ROWID""",
    "INSERT INTO sync_import_items SELECT * FROM temp.import_items_006",
    "DROP TABLE temp.import_items_006",
]


@migrations(name="006_sync_authority")
def m006_sync_authority(db: Database) -> None:
    for statement in _ASSIGNMENTS:
        db.execute(statement)
    db.execute("PRAGMA user_version = 6")


_POLICY = [
    # Municipal policy as data (domain/policy.py): one row per key. Set at the office (or on a
    # stand-alone install); reference bundles carry the office's rows to the laptops.
    """CREATE TABLE policy (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID""",
]


# 005 and 006 are taken by work on other branches; this one is 007 by agreement (user_version 7).
@migrations(name="007_policy")
def m007_policy(db: Database) -> None:
    for statement in _POLICY:
        db.execute(statement)
    db.execute("PRAGMA user_version = 7")


@migrations(name="008_purgeable_audit_values")
def m008_purgeable_audit_values(db: Database) -> None:
    separate_audit_values(db)
    db.execute("PRAGMA user_version = 8")


# ------------------------------------------------------------------------------------ 009 reports
# A referral drafted from "escaleer vandaag" is urgent today: the urgency list gets `today`. SQLite cannot
# change a CHECK constraint in place, so the table is rebuilt (nothing refers to referrals). And the zaak
# a visit is filed under.
_REFERRAL_COLUMNS = (
    "id, visit_id, recipient, urgency, consent_status, channel, slugs, person_codes, status, sent_at,"
    " reference, outcome, note, created_at, created_by, updated_at"
)
_REFERRAL_TODAY = [
    """CREATE TABLE referrals_009 (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL REFERENCES visits (id),
        recipient TEXT NOT NULL CHECK (recipient IN ('contact_person', 'police', 'labour_inspectorate',
            'riec', 'comensha', 'care_coordinator', 'veilig_thuis')),
        urgency TEXT NOT NULL CHECK (urgency IN ('acute', 'today', 'days', 'informational')),
        consent_status TEXT NOT NULL DEFAULT 'not_applicable'
            CHECK (consent_status IN ('not_applicable', 'asked', 'given', 'refused')),
        channel TEXT NOT NULL DEFAULT '',
        slugs TEXT NOT NULL DEFAULT '[]',
        person_codes TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'closed')),
        sent_at TEXT,
        reference TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    f"INSERT INTO referrals_009 ({_REFERRAL_COLUMNS}) SELECT {_REFERRAL_COLUMNS} FROM referrals",
    "DROP TABLE referrals",
    "ALTER TABLE referrals_009 RENAME TO referrals",
    # Zaakgericht werken: the zaak a visit is filed under in the municipality's zaaksysteem. A table of
    # its own rather than visit columns: it is filing metadata, not visit content (no revision, no
    # content hash), set at the office or on the laptop, changed with an audit entry.
    """CREATE TABLE visit_zaak (
        visit_id TEXT PRIMARY KEY REFERENCES visits (id),
        zaaknummer TEXT NOT NULL CHECK (length(zaaknummer) BETWEEN 1 AND 40),
        zaaktype TEXT NOT NULL DEFAULT '' CHECK (length(zaaktype) <= 80),
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    )""",
]


@migrations(name="009_reports")
def m009_reports(db: Database) -> None:
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'referrals' AND sql IS NOT NULL"
    ).fetchall()
    for statement in _REFERRAL_TODAY:
        db.execute(statement)
    for (sql,) in indexes:
        db.execute(sql)
    db.execute("PRAGMA user_version = 9")


# ------------------------------------------------------------------------------ 010 re-inspections
_REINSPECTIONS = [
    # Re-inspections (hercontroles). One row per visit that has either: `due_date`, the re-inspection
    # set at (or after) its finalisation, and/or `follows_up`, the earlier visit this visit is the
    # re-inspection of. A table of its own, like visit_zaak: planning, not visit content (the sealed
    # content hash and the visit snapshot are unchanged); it travels next to the visit in a field bundle.
    """CREATE TABLE visit_follow_ups (
        visit_id TEXT PRIMARY KEY,
        due_date TEXT CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        follows_up TEXT CHECK (follows_up IS NULL OR follows_up != visit_id),
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        device_id TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX visit_follow_ups_by_earlier ON visit_follow_ups (follows_up) WHERE follows_up IS NOT NULL",
    "CREATE INDEX visit_follow_ups_by_due ON visit_follow_ups (due_date) WHERE due_date IS NOT NULL",
    # Laptop: the re-inspections still open at the office, as its last reference bundle sent them.
    """CREATE TABLE sync_reference_due (
        visit_id TEXT PRIMARY KEY,
        location_id TEXT NOT NULL,
        visit_date TEXT NOT NULL,
        due_date TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX sync_reference_due_by_location ON sync_reference_due (location_id)",
    # The office's visit list at 100,000 visits: the first page of a rare status (drafts) or of the
    # visits with a high signal is read in started_at order without scanning the whole table.
    "CREATE INDEX visits_by_status_started ON visits (status, started_at)",
    "CREATE INDEX visits_with_high_by_started ON visits (started_at) WHERE count_h > 0",
]


@migrations(name="010_reinspections")
def m010_reinspections(db: Database) -> None:
    for statement in _REINSPECTIONS:
        db.execute(statement)
    db.execute("PRAGMA user_version = 10")


# ------------------------------------------------------------------------------ 011 audit heads, proposals
_AUTHORITY2 = [
    # The head of each laptop's audit chain as its last signed manifest named it (sync/chain.py): the
    # next bundle's chain must link to it. Kept apart from sync_remote_audit, whose rows retention may
    # purge, so the link is still checked after a purge.
    """CREATE TABLE sync_audit_heads (
        device_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL CHECK (seq >= 0),
        hash TEXT NOT NULL CHECK (length(hash) = 64),
        bundle_id TEXT NOT NULL,
        received_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    # A laptop's copy of a register entry that differs from the office's: a proposal a person at the
    # office accepts (the register row becomes the proposal, stamped with the office clock) or rejects
    # with a reason. The bundle's own updated_at is kept for information only, never for precedence.
    """CREATE TABLE location_proposals (
        id INTEGER PRIMARY KEY,
        location_id TEXT NOT NULL REFERENCES locations (id),
        device_id TEXT NOT NULL,
        bundle_id TEXT NOT NULL,
        proposed TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        decided_at TEXT,
        decided_by TEXT,
        reason TEXT NOT NULL DEFAULT '',
        UNIQUE (location_id, device_id, proposed)
    )""",
    "CREATE INDEX location_proposals_open ON location_proposals (status, location_id)",
]


@migrations(name="011_audit_heads_location_proposals")
def m011_audit_heads_location_proposals(db: Database) -> None:
    for statement in _AUTHORITY2:
        db.execute(statement)
    db.execute("PRAGMA user_version = 11")


# ------------------------------------------------------------------------------ 012 bundle identity
_BUNDLE_IDENTITY = [
    # Office: a field bundle is identified by the SHA-256 of its signed manifest, so a copy of the
    # same bundle encrypted again (another file hash) is already present, and a second, different
    # manifest under a (device, seq) seen before is a fork. Rows logged before this have none.
    "ALTER TABLE sync_import_log ADD COLUMN manifest_sha256 TEXT",
    "CREATE UNIQUE INDEX sync_import_log_by_manifest ON sync_import_log (manifest_sha256)",
    # Office: every merge revision the office wrote for a visit, kept when the leaves change again,
    # so the history is only ever added to (a later merge revision joins the leaves of its time).
    """CREATE TABLE sync_merge_revisions (
        visit_id TEXT NOT NULL,
        rev_id TEXT NOT NULL,
        revision TEXT NOT NULL,
        PRIMARY KEY (visit_id, rev_id)
    ) WITHOUT ROWID""",
]


@migrations(name="012_bundle_identity")
def m012_bundle_identity(db: Database) -> None:
    for statement in _BUNDLE_IDENTITY:
        db.execute(statement)
    db.execute("PRAGMA user_version = 12")


# ------------------------------------------------------------------------------ 013 statistics tables
# The dashboard's figures at office scale (issue 14): a year is half of a 100,000-visit store, and
# joining its ~100,000 observations to their visits by text id cost most of two seconds. Two things
# make every figure one read of a covering index instead:
# - `standing_indicators`: one row per standing indicator of a visit (the ledger's definition: active,
#   not dismissed, one per slug per visit at its strongest weight, rank 3/2/1 = H/M/L), beside the
#   visit's start and location. Triggers keep it, so every write path (the visit session, the ledger,
#   an imported bundle, a merge, a purge) keeps it right without knowing it exists. Its index starts
#   with slug and rank, so "standing indicators per slug and weight in a period" is read in the
#   index's order without sorting.
# - `referral_facts`: each referral's recipient, status and sent date beside its visit's start and
#   location, kept by triggers the same way, read as one range of its index.
# - covering indexes for the visits in a period (month, location, signal counts, last change) and for
#   a location's visits in a period.
_WEIGHT_RANK = "CASE o.weight WHEN 'H' THEN 3 WHEN 'M' THEN 2 ELSE 1 END"


def _standing_of(condition: str) -> str:
    """The standing rows of the (visit, slug) pairs that `condition` (on `o`) selects."""
    return (
        "INSERT INTO standing_indicators (visit_id, slug, rank, started_at, location_id)"
        f" SELECT o.visit_id, o.slug, max({_WEIGHT_RANK}), v.started_at, v.location_id"
        " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        f" WHERE o.active = 1 AND o.dismissed = 0 AND {condition} GROUP BY o.visit_id, o.slug"
    )


def _referral_of(condition: str) -> str:
    """The facts of the referrals that `condition` (on `r`) selects, with their visit's start and place."""
    return (
        "INSERT INTO referral_facts (referral_id, visit_id, started_at, location_id, recipient, status, sent_at)"
        " SELECT r.id, r.visit_id, v.started_at, v.location_id, r.recipient, r.status, r.sent_at"
        f" FROM referrals r JOIN visits v ON v.id = r.visit_id WHERE {condition}"
    )


_OLD_PAIR = "o.visit_id = OLD.visit_id AND o.slug = OLD.slug"
_NEW_PAIR = "o.visit_id = NEW.visit_id AND o.slug = NEW.slug"
_STATISTICS = [
    """CREATE TABLE standing_indicators (
        visit_id TEXT NOT NULL,
        slug TEXT NOT NULL,
        rank INTEGER NOT NULL CHECK (rank IN (1, 2, 3)),
        started_at TEXT NOT NULL,
        location_id TEXT NOT NULL,
        PRIMARY KEY (visit_id, slug)
    ) WITHOUT ROWID""",
    "CREATE INDEX standing_by_slug ON standing_indicators (slug, rank, started_at, location_id)",
    _standing_of("1"),
    f"""CREATE TRIGGER standing_after_observation_insert AFTER INSERT ON indicator_observations BEGIN
        DELETE FROM standing_indicators WHERE visit_id = NEW.visit_id AND slug = NEW.slug;
        {_standing_of(_NEW_PAIR)};
    END""",
    f"""CREATE TRIGGER standing_after_observation_update
        AFTER UPDATE OF visit_id, slug, weight, active, dismissed ON indicator_observations BEGIN
        DELETE FROM standing_indicators WHERE visit_id = OLD.visit_id AND slug = OLD.slug;
        DELETE FROM standing_indicators WHERE visit_id = NEW.visit_id AND slug = NEW.slug;
        {_standing_of(_OLD_PAIR)};
        {_standing_of(f"{_NEW_PAIR} AND NOT (NEW.visit_id = OLD.visit_id AND NEW.slug = OLD.slug)")};
    END""",
    f"""CREATE TRIGGER standing_after_observation_delete AFTER DELETE ON indicator_observations BEGIN
        DELETE FROM standing_indicators WHERE visit_id = OLD.visit_id AND slug = OLD.slug;
        {_standing_of(_OLD_PAIR)};
    END""",
    """CREATE TABLE referral_facts (
        referral_id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        location_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL,
        sent_at TEXT
    ) WITHOUT ROWID""",
    "CREATE INDEX referral_facts_by_started ON referral_facts (started_at, recipient, status, sent_at, location_id)",
    "CREATE INDEX referral_facts_by_visit ON referral_facts (visit_id)",
    _referral_of("1"),
    f"""CREATE TRIGGER referral_facts_after_insert AFTER INSERT ON referrals BEGIN
        {_referral_of("r.id = NEW.id")};
    END""",
    f"""CREATE TRIGGER referral_facts_after_update
        AFTER UPDATE OF id, visit_id, recipient, status, sent_at ON referrals BEGIN
        DELETE FROM referral_facts WHERE referral_id = OLD.id;
        {_referral_of("r.id = NEW.id")};
    END""",
    """CREATE TRIGGER referral_facts_after_delete AFTER DELETE ON referrals BEGIN
        DELETE FROM referral_facts WHERE referral_id = OLD.id;
    END""",
    """CREATE TRIGGER statistics_after_visit_update AFTER UPDATE OF id, started_at, location_id ON visits BEGIN
        UPDATE standing_indicators SET visit_id = NEW.id, started_at = NEW.started_at,
            location_id = NEW.location_id WHERE visit_id = OLD.id;
        UPDATE referral_facts SET visit_id = NEW.id, started_at = NEW.started_at,
            location_id = NEW.location_id WHERE visit_id = OLD.id;
    END""",
    """CREATE TRIGGER statistics_after_visit_delete AFTER DELETE ON visits BEGIN
        DELETE FROM standing_indicators WHERE visit_id = OLD.id;
        DELETE FROM referral_facts WHERE visit_id = OLD.id;
    END""",
    "CREATE INDEX visits_for_statistics ON visits (started_at, location_id, count_h, count_m, count_l, updated_at)",
    # Per location: its visits in a period are one range, read in the locations' order (no sort).
    "CREATE INDEX visits_at_location ON visits (location_id, started_at, count_h, count_m, count_l)",
]


@migrations(name="013_statistics_indexes")
def m013_statistics_indexes(db: Database) -> None:
    for statement in _STATISTICS:
        db.execute(statement)
    db.execute("PRAGMA user_version = 13")


# Each visit's canonical lines as a bundle carries them, kept for the export (sync/encoded_cache.py):
# a laptop with thousands of visits would otherwise encode every row of every visit at each export
# just to find the few the office has not acknowledged. A change to any row of a visit drops its kept
# lines at once, in the same statement (these triggers), so a kept line is never older than the rows;
# the visit is marked dirty and encoded again before its write transaction commits.
ENCODED_TABLES = (
    "visits",
    "visit_revisions",
    "answers",
    "persons",
    "indicator_observations",
    "photos",
    "referrals",
)


def _stale(visit: str) -> str:
    return (
        f"DELETE FROM sync_encoded_visits WHERE visit_id = {visit};"
        # Not OR IGNORE: the outer statement's conflict clause (an upsert) would override it.
        f" INSERT INTO sync_encoded_dirty (visit_id) SELECT {visit}"
        f" WHERE NOT EXISTS (SELECT 1 FROM sync_encoded_dirty WHERE visit_id = {visit});"
    )


def _encoded_cache_statements() -> list[str]:
    columns = ", ".join(f"{table} BLOB NOT NULL" for table in ENCODED_TABLES)
    statements = [
        f"""CREATE TABLE sync_encoded_visits (
            visit_id TEXT PRIMARY KEY,
            location_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            {columns}
        )""",
        "CREATE TABLE sync_encoded_dirty (visit_id TEXT PRIMARY KEY) WITHOUT ROWID",
    ]
    return statements + encoded_trigger_statements()


def encoded_trigger_statements() -> list[str]:
    """The triggers that mark a visit's kept bundle lines stale in the statement that changes any of
    its rows (sync/encoded_cache.py); the office drops them (its imports would pay for them) and a
    field store that lacks them gets them back."""
    statements: list[str] = []
    for table in ENCODED_TABLES:
        key = "id" if table == "visits" else "visit_id"
        statements += [
            f"CREATE TRIGGER encoded_stale_{table}_insert AFTER INSERT ON {table} BEGIN {_stale(f'NEW.{key}')} END",
            f"CREATE TRIGGER encoded_stale_{table}_update AFTER UPDATE ON {table} BEGIN"
            f" {_stale(f'OLD.{key}')} {_stale(f'NEW.{key}')} END",
            f"CREATE TRIGGER encoded_stale_{table}_delete AFTER DELETE ON {table} BEGIN {_stale(f'OLD.{key}')} END",
        ]
    return statements


ENCODED_TRIGGERS = tuple(
    f"encoded_stale_{table}_{event}" for table in ENCODED_TABLES for event in ("insert", "update", "delete")
)


@migrations(name="014_encoded_visits")
def m014_encoded_visits(db: Database) -> None:
    for statement in _encoded_cache_statements():
        db.execute(statement)
    db.execute("INSERT INTO sync_encoded_dirty (visit_id) SELECT id FROM visits")  # encoded on a later write
    db.execute("PRAGMA user_version = 14")


SCHEMA_VERSION = 14
"""The user_version the newest migration above leaves behind; raise it with every new migration."""
