"""Checklist definitions: a safe expression language, the definition model, loading and validation."""
