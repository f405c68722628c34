"""Problems found in a checklist definition, each naming the file, the question or rule, and what is wrong.

`Problems` collects them while a definition is read, so an author fixes a file in one pass; its value
readers (texts, expressions, enumerated keys) report instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from inspector_app.forms import expressions as ex
from inspector_app.i18n import LocalText

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class FormProblem:
    file: str
    item: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.item}: " if self.item else f"{self.file}: "
        return where + self.message


class FormDefinitionError(ValueError):
    """A checklist definition is malformed; `problems` lists every problem found."""

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class Problems:
    """Every problem found so far, in the order found."""

    found: list[FormProblem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, file: str, item: str, message: str) -> None:
        self.found.append(FormProblem(file, item, message))

    def unknown_keys(self, file: str, item: str, raw: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(raw) - allowed):
            self.add(file, item, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def text(self, file: str, item: str, raw: Any, what: str, required: bool = True) -> LocalText | None:
        if raw is None:
            if required:
                self.add(file, item, f"{what} is missing (needs nl and en)")
            return None
        if not isinstance(raw, dict) or set(raw) != {"nl", "en"}:
            self.add(file, item, f"{what} must be a table with exactly nl and en")
            return None
        if not all(isinstance(v, str) and v.strip() for v in raw.values()):
            self.add(file, item, f"{what} must have non-empty nl and en texts")
            return None
        return LocalText(nl=raw["nl"], en=raw["en"])

    def choice_of(self, file: str, item: str, raw: Any, what: str, kind: type[E]) -> E | None:
        """An optional enumerated key such as `audience` or `mirror`."""
        if raw is None:
            return None
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in kind)
            self.add(file, item, f"{what} must be one of {allowed}, found {raw!r}")
            return None

    def expression(self, file: str, item: str, raw: Any, what: str) -> ex.Expression | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.add(file, item, f"{what} must be a non-empty expression string")
            return None
        try:
            return ex.compile_expression(raw)
        except ex.ExpressionError as error:
            self.add(file, item, f"{what}: {error}")
            return None
