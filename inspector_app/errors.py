"""The error type every layer raises for problems a user can understand and fix.

The message is already in the user's language; the CLI prints it as one line and the UI shows it in a
dialog. Anything else that escapes is a bug and is reported as such, never as a bare traceback.
"""

from __future__ import annotations


class AppError(Exception):
    """A clear, translated message about bad input or a state the user can change."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(AppError):
    """A visit, question, person or other record that was named does not exist."""


class InvalidInputError(AppError):
    """A value, option or file that cannot be accepted as it is."""


class ConflictStateError(AppError):
    """The record is in a state that does not allow the change (for example a finalized visit)."""
