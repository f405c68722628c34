"""Checklist definitions: read (read.py), built (parse.py), checked (checks.py, semantics.py), loaded (load.py)."""
