"""The in-memory shape of a validated checklist definition."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from inspector_app.domain.model import LocationType, Weight
from inspector_app.domain.policy import PolicyKey
from inspector_app.forms.expressions import Expression
from inspector_app.i18n import LocalText, current_language


class QuestionType(StrEnum):
    YESNO = "yesno"
    SINGLE = "single"
    MULTIPLE = "multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    PHOTO = "photo"
    COMPUTED = "computed"


YESNO_VALUES = ("yes", "no", "unknown")
YESNO_LABELS = {
    "yes": LocalText("Ja", "Yes"),
    "no": LocalText("Nee", "No"),
    "unknown": LocalText("Onbekend", "Unknown"),
}
FINDING_KINDS = ("compliance", "hygiene", "fire", "context")
PERSON_ROLE_QUESTION = "P-ROLE"
PERSON_AGE_QUESTION = "P-AGE"
PERSON_LANGUAGES_QUESTION = "P-LANG"
REPEAT_PERSONS = "persons"


class Audience(StrEnum):
    """Who may read an answer (domain.md c.4): declared in the checklist, applied by `reports.audience`."""

    SIGNAL = "signal"
    """Only the restricted signal form; never the visit report in the licence holder's file."""
    REPORT = "report"
    """The findings of the visit report (the default for a question that raises no indicator)."""
    IDENTIFICATION = "identification"
    """About the visit itself: printed in the report's identification part, not among the findings."""


class Mirror(StrEnum):
    """The visit field a header question holds: prefilled at start, kept in the visit row, printed."""

    VISIT_TYPE = "visit_type"
    VISIT_DATE = "visit_date"
    START_TIME = "start_time"
    END_TIME = "end_time"
    LOCATION_REFERENCE = "location_reference"
    INSPECTOR_COUNT = "inspector_count"
    PARTNERS = "partners"
    LEGAL_GROUND = "legal_ground"
    LEGAL_EXPLANATION = "legal_explanation"
    INTERPRETER = "interpreter"


class ReportList(StrEnum):
    """A closing multiple-choice list the visit report prints in a part of its own."""

    VIOLATIONS = "violations"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Choice:
    value: str
    label: LocalText
    referral: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    label: LocalText
    section_id: str
    repeat: bool
    help: LocalText | None = None
    required: bool = False
    visible_when: Expression | None = None
    constraint: Expression | None = None
    constraint_message: LocalText | None = None
    unit: str | None = None
    unit_en: str | None = None
    choices: tuple[Choice, ...] = ()
    expression: Expression | None = None
    audience: Audience = Audience.REPORT
    """Declared on the question or inherited from its section."""
    mirror: Mirror | None = None
    report_list: ReportList | None = None
    policy: PolicyKey | None = None
    """Prefilled at the start of a visit from this municipal policy key; the visit keeps the value."""

    @property
    def allowed_values(self) -> tuple[str, ...] | None:
        """The values a yes/no or choice answer may take, or None for open types."""
        if self.type is QuestionType.YESNO:
            return YESNO_VALUES
        if self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            return tuple(choice.value for choice in self.choices)
        return None

    def unit_text(self, language: str | None = None) -> str | None:
        """The unit in the current language (a symbol such as m² is the same in both)."""
        if self.unit is None:
            return None
        return (self.unit_en or self.unit) if (language or current_language()) == "en" else self.unit

    def choice(self, value: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.value == value), None)

    def value_label(self, value: str, language: str | None = None) -> str:
        if self.type is QuestionType.YESNO and value in YESNO_LABELS:
            return YESNO_LABELS[value].get(language)
        choice = self.choice(value)
        return choice.label.get(language) if choice else value


@dataclass(frozen=True)
class Section:
    id: str
    title: LocalText
    questions: tuple[Question, ...]
    repeat: bool = False
    visible_when: Expression | None = None
    audience: Audience = Audience.REPORT


@dataclass(frozen=True)
class Rule:
    id: str
    when: Expression | None
    raises: tuple[str, ...] = ()
    raise_selected: str | None = None
    weight: Weight | None = None
    finding: LocalText | None = None
    finding_kind: str | None = None
    acute: bool = False
    per_person: bool = False


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    location_type: LocationType
    title: LocalText
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    roles: tuple[Choice, ...]
    source: Path
    description: LocalText | None = None
    questions: dict[str, Question] = field(default_factory=dict)
    computed_order: tuple[str, ...] = ()

    @property
    def repeat_question_ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.questions.values() if q.repeat)

    def mirrored(self, mirror: Mirror) -> Question | None:
        """The header question that holds `mirror`, if this checklist has one."""
        return next((q for q in self.questions.values() if q.mirror is mirror), None)

    def report_list(self, kind: ReportList) -> Question | None:
        return next((q for q in self.questions.values() if q.report_list is kind), None)

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]

    def role(self, value: str) -> Choice | None:
        return next((role for role in self.roles if role.value == value), None)
