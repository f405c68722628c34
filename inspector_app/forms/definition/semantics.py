"""Checks of the checklist semantics declared as data: header mirrors, report lists and audiences.

`audience` decides what reaches the licence holder's file (domain.md c.4), so the loader refuses a
definition where that decision is missing or contradicts what the checklist itself says:

- a question that raises an indicator (named by a rule that raises, or a `raise_selected` list) must
  declare its audience, on the question or on its section: adding a sensitive question can never
  leak it into the visit report by default;
- the persons repeat is signal material (what a person said); only the role (P-ROLE) is printed,
  in the report's person list;
- a list whose choices are indicator slugs (`raise_selected`) is an observation list: its section
  is signal material as a whole.
"""

from __future__ import annotations

from collections.abc import Collection

from inspector_app.domain.policy import APV_MIN_AGES, PolicyKey
from inspector_app.forms.model import (
    PERSON_ROLE_QUESTION,
    Audience,
    Mirror,
    Question,
    QuestionType,
    ReportList,
    Rule,
    Section,
)

MIRROR_TYPES = {
    Mirror.VISIT_TYPE: QuestionType.SINGLE,
    Mirror.VISIT_DATE: QuestionType.DATE,
    Mirror.START_TIME: QuestionType.TIME,
    Mirror.END_TIME: QuestionType.TIME,
    Mirror.LOCATION_REFERENCE: QuestionType.TEXT,
    Mirror.INSPECTOR_COUNT: QuestionType.INTEGER,
    Mirror.PARTNERS: QuestionType.MULTIPLE,
    Mirror.LEGAL_GROUND: QuestionType.SINGLE,
    Mirror.LEGAL_EXPLANATION: QuestionType.TEXT,
    Mirror.INTERPRETER: QuestionType.SINGLE,
}

Problem = tuple[str, str]
"""(item, message); the loader adds the file."""


def sensitive_question_ids(rules: Collection[Rule]) -> set[str]:
    """Questions whose answers raise an indicator: read by a raising rule, or an observation list."""
    found: set[str] = set()
    for rule in rules:
        if rule.raise_selected:
            found.add(rule.raise_selected)
        if (rule.raises or rule.raise_selected) and rule.when is not None:
            found.update(rule.when.refs)
    return found


def _unique_roles(questions: list[Question]) -> list[Problem]:
    problems: list[Problem] = []
    mirrors: dict[Mirror, str] = {}
    lists: dict[ReportList, str] = {}
    for question in questions:
        item = f"question {question.id}"
        if question.mirror is not None:
            wanted = MIRROR_TYPES[question.mirror]
            if question.type is not wanted:
                problems.append((item, f"mirror {question.mirror.value!r} needs a {wanted.value} question"))
            if question.mirror in mirrors:
                problems.append(
                    (item, f"mirror {question.mirror.value!r} is also on {mirrors[question.mirror]}")
                )
            mirrors[question.mirror] = question.id
        if question.report_list is not None:
            if question.type is not QuestionType.MULTIPLE:
                problems.append((item, "report_list needs a multiple-choice question"))
            if question.report_list in lists:
                kind = question.report_list.value
                problems.append((item, f"report_list {kind!r} is also on {lists[question.report_list]}"))
            lists[question.report_list] = question.id
        if question.repeat and (question.mirror or question.report_list):
            problems.append((item, "a person question cannot be a mirror or a report list"))
        problems.extend(_policy_problems(question, item))
    return problems


def _policy_problems(question: Question, item: str) -> list[Problem]:
    """A policy-prefilled question must be able to hold every value the policy key allows."""
    if question.policy is None:
        return []
    if question.repeat:
        return [(item, "a person question cannot be prefilled from the policy")]
    if question.policy is PolicyKey.APV_MIN_AGE:
        values = {choice.value for choice in question.choices}
        wanted = {str(age) for age in APV_MIN_AGES}
        if question.type is not QuestionType.SINGLE or not wanted <= values:
            return [
                (item, f"policy 'apv_min_age' needs a single-choice question with choices {sorted(wanted)}")
            ]
        return []
    if question.type is not QuestionType.TEXT:
        return [(item, f"policy {question.policy.value!r} needs a text question")]
    return []


def _audience_problems(
    sections: list[Section], rules: list[Rule], declared: Collection[str]
) -> list[Problem]:
    problems: list[Problem] = []
    sensitive = sensitive_question_ids(rules)
    observation_lists = {rule.raise_selected for rule in rules if rule.raise_selected}
    for section in sections:
        for question in section.questions:
            item = f"question {question.id}"
            if question.id in sensitive and question.id not in declared:
                problems.append(
                    (
                        item,
                        "raises an indicator but declares no audience; set audience = 'signal' or"
                        " 'report' on the question or its section (decides what reaches the visit report)",
                    )
                )
            if (
                question.repeat
                and question.audience is not Audience.SIGNAL
                and question.id != PERSON_ROLE_QUESTION
            ):
                problems.append(
                    (item, "a persons repeat question is signal material: audience must be 'signal'")
                )
            if question.id in observation_lists and section.audience is not Audience.SIGNAL:
                problems.append(
                    (
                        f"section {section.id!r}",
                        f"{question.id} lists indicator slugs (raise_selected): its section needs audience = 'signal'",
                    )
                )
    return problems


def semantic_problems(sections: list[Section], rules: list[Rule], declared: Collection[str]) -> list[Problem]:
    """Every problem with the declared mirrors, report lists and audiences of one form."""
    questions = [question for section in sections for question in section.questions]
    return _unique_roles(questions) + _audience_problems(sections, rules, declared)
