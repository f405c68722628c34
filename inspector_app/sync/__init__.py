"""Sync between field laptops and the office: keys, signed and encrypted bundles, import, receipts.

Qt-free and below `services`: it works on a `Database` and plain folders, never on an AppContext.
"""
