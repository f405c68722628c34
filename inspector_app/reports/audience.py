"""Which checklist content may go into which document (domain.md c.4).

The visit report goes into the licence holder's file, so it gets only what the municipality needs to
enforce: the compliance sections. Signal material goes to the restricted signal form only:

- every repeat section except the person list (the [P] interview rows: what a person said about debts,
  documents, threats) — the person list itself shows role and pseudonymous code only;
- person-list questions other than the role (age band, languages, "asks for help now");
- an observation section, recognised by containing a question whose choices are indicator slugs
  (`raise_selected`), together with everything else in it (e.g. "signs of drug production");
- follow-up choices that pass a signal to a partner (choices with a `referral`).

Questions about the visit itself (H-01, H-02*, H-03, H-05, H-06*, H-08) are shown in the report's
identification part and not repeated among the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.forms.model import (
    PERSON_ROLE_QUESTION,
    FormDefinition,
    Question,
    QuestionType,
    Section,
)

HEADER_SHOWN_IN_IDENTIFICATION = frozenset(
    {"H-01", "H-02a", "H-02b", "H-02c", "H-03", "H-04a", "H-05", "H-06a", "H-06b", "H-08"}
)
CLOSING_SECTION = "afronding"


@dataclass(frozen=True)
class ReportLayout:
    """The findings sections of the visit report and the special questions of the closing section."""

    sections: tuple[Section, ...]
    violation_question: Question | None
    follow_up_question: Question | None


def _is_person_list(section: Section) -> bool:
    return any(question.id == PERSON_ROLE_QUESTION for question in section.questions)


def _is_observation_section(form: FormDefinition, section: Section) -> bool:
    targets = {rule.raise_selected for rule in form.rules if rule.raise_selected}
    return any(question.id in targets for question in section.questions)


def signal_only_question_ids(form: FormDefinition) -> frozenset[str]:
    """Questions whose answers may appear on the signal form but never in the visit report."""
    found: set[str] = set()
    for section in form.sections:
        if section.repeat or _is_observation_section(form, section):
            found.update(q.id for q in section.questions if q.id != PERSON_ROLE_QUESTION)
    return frozenset(found)


def _closing_question(form: FormDefinition, with_referrals: bool) -> Question | None:
    """In the closing section: the multiple-choice list of violations (no referral choices) or the
    follow-up list (the one whose choices can refer a signal)."""
    for section in form.sections:
        if section.id != CLOSING_SECTION:
            continue
        for question in section.questions:
            if question.type is QuestionType.MULTIPLE and (
                any(choice.referral for choice in question.choices) == with_referrals
            ):
                return question
    return None


def report_layout(form: FormDefinition) -> ReportLayout:
    violation = _closing_question(form, with_referrals=False)
    follow_up = _closing_question(form, with_referrals=True)
    hidden = signal_only_question_ids(form) | HEADER_SHOWN_IN_IDENTIFICATION
    special = {q.id for q in (violation, follow_up) if q is not None}
    sections = []
    for section in form.sections:
        if section.repeat or _is_observation_section(form, section) or _is_person_list(section):
            continue
        questions = tuple(q for q in section.questions if q.id not in hidden and q.id not in special)
        if questions:
            sections.append(Section(section.id, section.title, questions, False, section.visible_when))
    return ReportLayout(tuple(sections), violation, follow_up)


def report_choices(question: Question, values: list[str]) -> list[str]:
    """The chosen values that may be printed in the visit report: not those that refer a signal."""
    return [value for value in values if not ((choice := question.choice(value)) and choice.referral)]
