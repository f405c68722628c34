"""The local SQLite store: one way to open it, its migrations, repositories and the audit log."""
