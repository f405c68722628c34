"""Use cases shared by the CLI and the desktop app; each returns what changed."""
