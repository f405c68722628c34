"""Names vulture cannot see being used: the framework calls them, not our code (read by `vulture`).

Every entry says who uses it. A name lands here only when it is called by a framework or read by a
tool; code that nobody uses is deleted instead.
"""

# ruff: noqa
# mypy: ignore-errors

# PEP 562 module __getattr__: Python calls it for `inspector_app.__version__` (inspector_app/__init__.py).
_.__getattr__

# logging.Formatter: `format` sets exc_text so the base class renders our formatException (inspector_app/logs.py).
_.exc_text
_.formatException

# reportlab: rl_config.useA85 is read by reportlab's PDF writer; afterFlowable is a DocTemplate hook
# called after each flowable is drawn (inspector_app/reports/page.py).
_.useA85
_.afterFlowable

# Pillow: Image.MAX_IMAGE_PIXELS is read by Image.open as its decompression-bomb limit
# (inspector_app/services/photos.py).
_.MAX_IMAGE_PIXELS

# sqlite_utils.Migrations: each function is registered by the `@migrations(name=...)` decorator and run
# by `migrations.apply` (inspector_app/storage/schema.py).
_.m001_initial
_.m002_sync
_.m003_reference
_.m004_versions_by_content
_.m005_version_dag
_.m007_policy
_.m008_purgeable_audit_values
_.m010_reinspections
_.m011_audit_heads_location_proposals
_.m013_statistics_indexes
_.m012_bundle_identity
_.m014_encoded_visits

# Qt overrides: Qt calls them by name on drag and drop (inspector_app/ui/sync_dialogs.py) ...
_.dragEnterEvent
_.dropEvent
# ... and a QAbstractTableModel's views call them for lazy paging and headers (inspector_app/ui/visit_list.py).
_.canFetchMore
_.fetchMore
_.columnCount
_.headerData

# pytest: an autouse fixture (tests/conftest.py), module-level marks (tests/storage/test_crash_safety.py,
# tests/sync/test_crash_import.py) and a collection hook (tests/ui/conftest.py).
_._isolated_home
_._machine_in_utc  # autouse: the machine set to UTC (tests/services/test_municipal_zone.py, tests/ui)
# the store's key for tests (tests/conftest.py): an autouse fixture, and one named in usefixtures marks
_._keystore_back
_.no_keystore
_.pytestmark
_.pytest_collection_modifyitems

# Record decoding: the per-class decoder table is read back through `cls.__dict__.get("_DECODERS")`
# (inspector_app/domain/records.py), and `VisitRow.finalized_by` is a column written and read through
# `as_row()` / `from_row()` by field name, never by attribute.
_._DECODERS
_.finalized_by
_._COLUMN_NAMES  # read back through cls.__dict__.get, like _DECODERS

# hypothesis.stateful: rules, invariants and teardown are called by the state machine runner
# (tests/sync/test_stateful_sync.py).
_.teardown
_.laptop_amends
_.office_amends
_.office_imports_one
_.restore_a_from_backup
_.reference_bundle
_.nothing_is_lost
_.same_field_divergence_is_exactly_the_open_conflicts
_.import_order_does_not_matter
_.office_resolves  # tests/sync/test_stateful_resolutions.py
_.resolutions_are_kept
_.amend_on_both_sides
_.office_imports_all
_.automatic_indicators_are_what_the_shown_answers_raise
# io.RawIOBase.read calls it when pyrage reads the counted ciphertext (inspector_app/sync/envelope.py).
_.readinto
# Qt calls it: the new-visit date field steps nothing on arrow keys (inspector_app/ui/new_visit_dialog.py).
_.stepEnabled
# Qt calls it: the dashboard's bar chart paints itself (inspector_app/ui/bar_chart.py).
_.paintEvent
# openpyxl reads them when saving the workbook (services/summary_xlsx.py).
_.alignment
_.creator
_.freeze_panes
