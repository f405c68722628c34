"""Which checklist content may go into which document (domain.md c.4), as the checklist declares it.

The visit report goes into the licence holder's file, so it gets only what the municipality needs to
enforce. Each section and question of a checklist declares its `audience` (docs/form-format.md):

- `signal`: the restricted signal form only (the persons repeat, observation lists and everything in
  their sections); the report's person list shows role and pseudonymous code only;
- `identification`: about the visit itself, shown in the report's identification part and not
  repeated among the findings;
- `report`: the findings of the visit report.

The two closing lists (violations, follow-up) are named by `report_list`. Follow-up choices that pass
a signal to a partner (choices with a `referral`) are never printed in the report. The loader
(`forms/semantics.py`) refuses a checklist whose indicator-raising question declares no audience.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.forms.model import (
    Audience,
    FormDefinition,
    Question,
    ReportList,
    Section,
)


@dataclass(frozen=True)
class ReportLayout:
    """The findings sections of the visit report and the special questions of the closing section."""

    sections: tuple[Section, ...]
    violation_question: Question | None
    follow_up_question: Question | None


def signal_only_question_ids(form: FormDefinition) -> frozenset[str]:
    """Questions whose answers may appear on the signal form but never in the visit report."""
    return frozenset(q.id for q in form.questions.values() if q.audience is Audience.SIGNAL)


def report_layout(form: FormDefinition) -> ReportLayout:
    violation = form.report_list(ReportList.VIOLATIONS)
    follow_up = form.report_list(ReportList.FOLLOW_UP)
    special = {q.id for q in (violation, follow_up) if q is not None}
    sections = []
    for section in form.sections:
        if section.audience is Audience.SIGNAL:
            continue
        questions = tuple(
            q for q in section.questions if q.audience is Audience.REPORT and q.id not in special
        )
        if questions:
            sections.append(Section(section.id, section.title, questions, False, section.visible_when))
    return ReportLayout(tuple(sections), violation, follow_up)


def report_choices(question: Question, values: list[str]) -> list[str]:
    """The chosen values that may be printed in the visit report: not those that refer a signal."""
    return [value for value in values if not ((choice := question.choice(value)) and choice.referral)]
