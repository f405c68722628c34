"""Plausible synthetic answers for any checklist, steered by its own rules.

Each visit draws a risk profile; an answer that a rule treats as a signal (`{Q} = 'no'`, a number past a
threshold) is given with that profile's probability, otherwise a harmless answer. Counts within one
visit agree with each other unless the profile says otherwise, so registers match head counts.
"""

from __future__ import annotations

import random
from typing import Any

from inspector_app.domain.model import AnswerValue
from inspector_app.forms import expressions as ex
from inspector_app.forms.model import FormDefinition, Question, QuestionType
from inspector_app.forms.state import (
    AnswerSet,
    ScopeContext,
    constraint_problem,
    evaluate_form,
    missing_required,
)

BAD_PROBABILITY = {"clean": 0.002, "concerns": 0.05, "serious": 0.25}
COMPANIES = [
    "Bouwbedrijf De Voorbeeldhaven",
    "Aannemersbedrijf Westerdam",
    "Uitzendbureau Proef",
    "Installatiebedrijf Testlaan",
    "Agro Demo",
]
NOTES = [
    "Rondgang gemaakt samen met de aanwezige beheerder.",
    "Gesprekken gevoerd buiten gehoorsafstand van de leiding.",
    "Ruimtes gecontroleerd; waarnemingen vastgelegd per sectie.",
    "Administratie ter plaatse ingezien.",
    "Tolk telefonisch ingeschakeld voor de gesprekken.",
]


def _bad_values(form: FormDefinition) -> dict[str, set[Any]]:
    """Per question, the literal values that make some rule fire (`{Q} = 'no'`, `{Q} in [...]`)."""
    bad: dict[str, set[Any]] = {}
    for rule in form.rules:
        if rule.when is None:
            continue
        for node in ex.walk(rule.when.tree):
            if isinstance(node, ex.Binary) and node.op == "=":
                for ref, lit in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(ref, ex.Ref) and isinstance(lit, ex.Literal):
                        bad.setdefault(ref.question_id, set()).add(lit.value)
            if (
                isinstance(node, ex.Binary)
                and node.op == "in"
                and isinstance(node.left, ex.Ref)
                and isinstance(node.right, ex.ListLiteral)
            ):
                values = {i.value for i in node.right.items if isinstance(i, ex.Literal)}
                bad.setdefault(node.left.question_id, set()).update(values)
    return bad


def _thresholds(form: FormDefinition) -> dict[str, tuple[str, float]]:
    """Per numeric question, a rule threshold like `{Q} > 60`, so values land on either side."""
    found: dict[str, tuple[str, float]] = {}
    for rule in form.rules:
        if rule.when is None:
            continue
        for node in ex.walk(rule.when.tree):
            if (
                isinstance(node, ex.Binary)
                and node.op in ("<", "<=", ">", ">=")
                and isinstance(node.left, ex.Ref)
                and isinstance(node.right, ex.Literal)
                and isinstance(node.right.value, int | float)
                and node.right.value != 0  # `> 0` asks "any at all?", not a norm
            ):
                found.setdefault(node.left.question_id, (node.op, float(node.right.value)))
    return found


class FormAnswerGenerator:
    def __init__(self, form: FormDefinition) -> None:
        self.form = form
        self.bad = _bad_values(form)
        self.thresholds = _thresholds(form)
        self.top_questions = [q for s in form.sections if not s.repeat for q in s.questions]
        self.person_questions = [q for s in form.sections if s.repeat for q in s.questions]

    def value(
        self, question: Question, rng: random.Random, profile: str, context: dict[str, Any]
    ) -> AnswerValue:
        bad_chance = BAD_PROBABILITY[profile]
        qtype = question.type
        if question.id in context:
            known: AnswerValue = context[question.id]
            return known
        if qtype in (QuestionType.YESNO, QuestionType.SINGLE):
            allowed = list(question.allowed_values or ())
            bad = [v for v in allowed if v in self.bad.get(question.id, set())]
            good = [v for v in allowed if v not in bad and v != "unknown"] or allowed
            if bad and rng.random() < bad_chance:
                return rng.choice(bad)
            if qtype is QuestionType.YESNO and not bad:
                return "yes" if rng.random() < 0.8 else "no"
            return rng.choice(good)
        if qtype is QuestionType.MULTIPLE:
            values = list(question.allowed_values or ())
            if any("." in v for v in values):  # observed-signal lists: choice values are slugs
                count = {"clean": 0, "concerns": rng.randint(0, 1), "serious": rng.randint(1, 3)}[profile]
                return sorted(rng.sample(values, min(count, len(values))))
            safe = [v for v in values if v not in self.bad.get(question.id, set())] or values
            return sorted(rng.sample(safe, min(len(safe), rng.randint(1, 2))))
        if qtype in (QuestionType.INTEGER, QuestionType.DECIMAL):
            number = self._number(question, rng, profile, int(context.get("_count", 4)))
            return round(number) if qtype is QuestionType.INTEGER else round(number, 1)
        if qtype is QuestionType.TEXT:
            return self._text(question, rng)
        if qtype is QuestionType.DATE:
            return str(context.get("_date"))
        if qtype is QuestionType.TIME:
            return str(context.get("_time"))
        if qtype is QuestionType.DATETIME:
            return f"{context.get('_date')}T{context.get('_time')}"
        return None

    @staticmethod
    def _text(question: Question, rng: random.Random) -> str:
        """Plausible fictitious text for the kind of field the label asks for."""
        label = question.label.nl.lower()
        if "nummer" in label:
            return f"DEMO-{rng.randint(2020, 2026)}-{rng.randint(1000, 9999)}"
        if "naam" in label or "aannemer" in label or "bedrijf" in label:
            return f"{rng.choice(COMPANIES)} B.V. (fictief)"
        if "talen" in label:
            return ", ".join(sorted(rng.sample(["ro", "pl", "bg", "en", "nl", "uk"], 2)))
        return rng.choice(NOTES)

    def _number(self, question: Question, rng: random.Random, profile: str, count: int) -> float:
        """A plausible number; counts of one visit agree with each other unless the profile is off."""
        threshold = self.thresholds.get(question.id)
        if threshold is not None:
            op, limit = threshold
            bad = rng.random() < BAD_PROBABILITY[profile] * 2
            above = (op in (">", ">=")) == bad
            scale = limit if limit else 10.0
            return max(
                0.0,
                limit + scale * rng.uniform(0.05, 0.5) if above else limit - scale * rng.uniform(0.05, 0.6),
            )
        unit = (question.unit or "").lower()
        if "m" in unit and "²" in unit:
            per_person = " per " in question.label.nl  # "oppervlakte per bewoner": a few m², not a total
            return rng.uniform(4, 9) if per_person else count * rng.uniform(12, 30)
        if "%" in unit:
            return rng.uniform(10, 60)
        if "€" in unit or "eur" in unit:
            return rng.uniform(50, 200)
        if "uur" in unit or "hour" in unit:
            return rng.uniform(6, 11)
        return rng.randint(1, 12) if rng.random() < BAD_PROBABILITY[profile] else count


def fill_answers(
    gen: FormAnswerGenerator,
    questions: list[Question],
    rng: random.Random,
    profile: str,
    context: dict[str, Any],
    fraction: float,
) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {}
    for question in questions:
        if question.type in (QuestionType.COMPUTED, QuestionType.PHOTO):
            continue
        if not question.required and rng.random() > fraction:
            continue
        value = gen.value(question, rng, profile, context)
        if value is not None and value != []:
            answers[question.id] = value
    return answers


def settle_answers(
    form: FormDefinition,
    answers: AnswerSet,
    gen: FormAnswerGenerator,
    rng: random.Random,
    context: dict[str, Any],
) -> AnswerSet:
    """Drop hidden or invalid answers and fill required ones, so a final visit validates."""
    top = dict(answers.top)
    persons = {n: dict(p) for n, p in answers.persons.items()}
    for _ in range(3):
        state = evaluate_form(form, AnswerSet(top, persons))
        top = {k: v for k, v in top.items() if k in state.top.visible}
        persons = {
            n: {k: v for k, v in p.items() if k in state.persons[n].visible} for n, p in persons.items()
        }
        top_context = ScopeContext(state.top.effective, None, persons)
        for qid in list(top):
            if constraint_problem(form.questions[qid], top[qid], top_context) is not None:
                del top[qid]
        for n, person in persons.items():
            person_context = ScopeContext(state.top.effective, state.persons[n].effective, persons)
            for qid in list(person):
                if constraint_problem(form.questions[qid], person[qid], person_context) is not None:
                    del person[qid]
        for ref in missing_required(form, evaluate_form(form, AnswerSet(top, persons))):
            qid, _sep, number = ref.partition("[")
            question = form.questions[qid]
            value = gen.value(question, rng, "clean", context)
            if number:
                persons[int(number.rstrip("]"))][qid] = value
            else:
                top[qid] = value
    return AnswerSet(top, persons)
