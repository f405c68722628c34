"""Errors of the sync layer; a rejected bundle carries a stable reason code besides its message."""

from __future__ import annotations

from inspector_app.errors import AppError, InvalidInputError


class KeyMaterialError(InvalidInputError):
    """Keys are missing, damaged or do not fit (enrolment, registration, passphrase)."""


class BundleRejectedError(AppError):
    """A bundle that is not imported; `code` is stable for scripts and the audit log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
