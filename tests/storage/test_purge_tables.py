"""Every table that names a visit is either emptied of it by the purge or kept for a stated reason.

A new table with a `visit_id` column must be placed in one of the two lists below, so no table can
keep a purged visit's rows by being forgotten (as `sync_merge_revisions` once was).
"""

from __future__ import annotations

from inspector_app.services.app import AppContext
from inspector_app.storage.purge import VISIT_TABLES

# Tables kept on purpose, each with why a purged visit's id may stay there.
KEPT = {
    "audit_chain": "the hash chain; the values of a purged visit's entries are removed (purge_values)",
    "audit_values": "the entries' values, removed by purge_values; the row keeps only its commitment",
    "referral_facts": "statistics kept in step by triggers on referrals",
    "standing_indicators": "statistics kept in step by triggers on indicator_observations",
    "sync_acknowledged": "ids and hashes only: what the office confirmed, so a purged visit is not sent again",
    "sync_encoded_dirty": "ids only: a purged visit is taken off at the next write (encoded_cache.refresh)",
    "sync_encoded_visits": "kept bundle lines, deleted by triggers in the statement that purges the visit's rows",
    "sync_export_items": "ids and hashes only: which bundle carried which version",
    "sync_import_items": "ids and hashes only: which bundle brought which version",
    "sync_remote_audit": "a laptop's own audit chain; values of purged visits are removed",
    "sync_reference_due": "the office's re-inspection list, replaced by every reference bundle",
    "sync_visit_assignments": "ids only: which laptop may change the visit",
    "visit_zaak": "the zaak number a visit was filed under (no personal data), the office's filing",
}


def test_every_visit_table_is_purged_or_kept_for_a_reason(app: AppContext) -> None:
    tables = [str(r[0]) for r in app.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    naming_a_visit = {
        table
        for table in tables
        if "visit_id" in {str(c[1]) for c in app.db.execute(f"PRAGMA table_info({table})")}
    }
    assert naming_a_visit - set(VISIT_TABLES) - set(KEPT) == set(), "classify the new table"
    assert set(VISIT_TABLES) <= naming_a_visit
    assert set(KEPT) <= naming_a_visit  # a stale entry here is an error too
