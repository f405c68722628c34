"""The answers of a visit as its rules read them, built from its stored rows.

The visit session (every edit) and the sync merge (re-deriving a merged visit's automatic
indicators) both run the rules; they build the rules' input here, so a merged visit's indicators are
exactly those an edit with the same answers would raise.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspector_app.domain.model import AnswerValue
from inspector_app.domain.records import AnswerRow, PersonRow
from inspector_app.forms.state import AnswerSet


def answer_set_of(
    answers: Mapping[tuple[str, int], AnswerRow], persons: Mapping[int, PersonRow]
) -> AnswerSet:
    """The answers as the rules read them: header values and one scope per present person."""
    top: dict[str, AnswerValue] = {}
    per_person: dict[int, dict[str, AnswerValue]] = {number: {} for number in persons}
    for (question_id, number), row in answers.items():
        if row.value is None:
            continue
        if number == 0:
            top[question_id] = row.value
        elif number in per_person:
            per_person[number][question_id] = row.value
    return AnswerSet(top=top, persons=per_person)
