"""Build the sections, questions, choices, roles and rules of a definition from its raw TOML tables."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from inspector_app.domain.model import Recipient, Weight
from inspector_app.domain.policy import PolicyKey
from inspector_app.forms.definition.checks import check_refs
from inspector_app.forms.definition.problems import Problems
from inspector_app.forms.definition.read import Draft
from inspector_app.forms.definition.schema import (
    CHOICE_KEYS,
    CHOICE_TYPES,
    CHOICE_VALUE_RE,
    NUMERIC_TYPES,
    QUESTION_ID_RE,
    QUESTION_KEYS,
    ROLE_CODE_RE,
    ROLE_KEYS,
    RULE_ID_RE,
    RULE_KEYS,
    SECTION_ID_RE,
    SECTION_KEYS,
)
from inspector_app.forms.model import (
    FINDING_KINDS,
    PERSON_ROLE_QUESTION,
    REPEAT_PERSONS,
    Audience,
    Choice,
    Mirror,
    Question,
    QuestionType,
    ReportList,
    Rule,
    Section,
)
from inspector_app.i18n import LocalText


class DefinitionParser:
    """Turns raw tables into model objects of one form, reporting every problem to `problems`."""

    def __init__(self, file: str, indicator_slugs: Collection[str], problems: Problems) -> None:
        self.file = file
        self.slugs = indicator_slugs
        self.problems = problems
        self.declared_audience: set[str] = set()
        """Questions whose audience is written in the file (on the question or on its section)."""

    def roles(self, file: str, raw: Any) -> tuple[Choice, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict) or set(raw) != {"roles"} or not isinstance(raw["roles"], list):
            self.problems.add(file, "persons", "[persons] must hold exactly a list 'roles'")
            return ()
        roles: list[Choice] = []
        for index, role in enumerate(raw["roles"], start=1):
            item = f"persons role {index}"
            if not isinstance(role, dict):
                self.problems.add(file, item, "must be a table")
                continue
            self.problems.unknown_keys(file, item, role, ROLE_KEYS)
            value, code = role.get("value"), role.get("code")
            if not isinstance(value, str) or not CHOICE_VALUE_RE.match(value):
                self.problems.add(file, item, f"value must match {CHOICE_VALUE_RE.pattern}")
                continue
            if not isinstance(code, str) or not ROLE_CODE_RE.match(code):
                self.problems.add(
                    file, item, "code must be 2 or 3 capital letters (used in pseudonymous codes)"
                )
                continue
            label = self.problems.text(file, item, {k: role.get(k) for k in ("nl", "en")}, "label")
            if label is not None:
                roles.append(Choice(value=value, label=label, code=code))
        if len({role.value for role in roles}) != len(roles):
            self.problems.add(file, "persons", "role values must be unique")
        return tuple(roles)

    def sections(self, draft: Draft, roles: tuple[Choice, ...]) -> list[Section]:
        sections: list[Section] = []
        seen_sections: set[str] = set()
        seen_questions: set[str] = set()
        if not draft.sections:
            self.problems.add(self.file, "", "a form needs at least one section")
        for file, raw in draft.sections:
            section_id = raw.get("id")
            item = f"section {section_id!r}"
            self.problems.unknown_keys(file, item, raw, SECTION_KEYS)
            if not isinstance(section_id, str) or not SECTION_ID_RE.match(section_id):
                self.problems.add(file, item, f"section id must match {SECTION_ID_RE.pattern}")
                continue
            if section_id in seen_sections:
                self.problems.add(file, item, "duplicate section id")
            seen_sections.add(section_id)
            repeat = raw.get("repeat")
            if repeat not in (None, REPEAT_PERSONS):
                self.problems.add(file, item, f"repeat must be {REPEAT_PERSONS!r}, found {repeat!r}")
            title = self.problems.text(file, item, raw.get("title"), "title")
            visible = self.problems.expression(file, item, raw.get("visible_when"), "visible_when")
            audience = self.problems.choice_of(file, item, raw.get("audience"), "audience", Audience)
            questions: list[Question] = []
            raw_questions = raw.get("questions", [])
            if not isinstance(raw_questions, list) or not raw_questions:
                self.problems.add(file, item, "a section needs at least one question")
                raw_questions = []
            for raw_question in raw_questions:
                question = self._question(file, section_id, repeat is not None, raw_question, roles, audience)
                if question is None:
                    continue
                if question.id in seen_questions:
                    self.problems.add(file, f"question {question.id}", "duplicate question id")
                    continue
                seen_questions.add(question.id)
                questions.append(question)
            if title is not None:
                sections.append(
                    Section(
                        section_id,
                        title,
                        tuple(questions),
                        repeat is not None,
                        visible,
                        audience or Audience.REPORT,
                    )
                )
        return sections

    def _question(
        self,
        file: str,
        section_id: str,
        repeat: bool,
        raw: Any,
        roles: tuple[Choice, ...],
        section_audience: Audience | None,
    ) -> Question | None:
        if not isinstance(raw, dict):
            self.problems.add(file, f"section {section_id!r}", "every question must be a table")
            return None
        question_id = raw.get("id")
        item = f"question {question_id}"
        self.problems.unknown_keys(file, item, raw, QUESTION_KEYS)
        if not isinstance(question_id, str) or not QUESTION_ID_RE.match(question_id):
            self.problems.add(file, item, f"question id must match {QUESTION_ID_RE.pattern}")
            return None
        try:
            qtype = QuestionType(str(raw.get("type")))
        except ValueError:
            kinds = ", ".join(t.value for t in QuestionType)
            self.problems.add(file, item, f"type must be one of {kinds}, found {raw.get('type')!r}")
            return None
        label = self.problems.text(file, item, raw.get("label"), "label")
        help_text = self.problems.text(file, item, raw.get("help"), "help", required=False)
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problems.add(file, item, "required must be true or false")
            required = False
        if required and qtype is QuestionType.COMPUTED:
            self.problems.add(file, item, "a computed value cannot be required")
        choices = self._choices(file, item, qtype, raw.get("choices"), question_id, roles)
        unit = raw.get("unit")
        unit_en: str | None = None
        if isinstance(unit, dict):
            unit_text = self.problems.text(file, item, unit, "unit")
            unit, unit_en = (unit_text.nl, unit_text.en) if unit_text else (None, None)
        if unit is not None and (qtype not in NUMERIC_TYPES or not isinstance(unit, str)):
            self.problems.add(file, item, "unit is only for integer, decimal and computed questions")
        expression = self.problems.expression(file, item, raw.get("expression"), "expression")
        if qtype is QuestionType.COMPUTED and "expression" not in raw:
            self.problems.add(file, item, "a computed question needs an expression")
        if qtype is not QuestionType.COMPUTED and "expression" in raw:
            self.problems.add(file, item, "only computed questions have an expression")
        constraint = self.problems.expression(file, item, raw.get("constraint"), "constraint")
        message = self.problems.text(file, item, raw.get("constraint_message"), "constraint_message", False)
        if ("constraint" in raw) != ("constraint_message" in raw):
            self.problems.add(file, item, "constraint and constraint_message go together")
        visible = self.problems.expression(file, item, raw.get("visible_when"), "visible_when")
        for expr, what in ((visible, "visible_when"), (expression, "expression")):
            if expr is not None and expr.uses_self:
                self.problems.add(file, item, f"{what} cannot use '.' (only constraints can)")
        audience = (
            self.problems.choice_of(file, item, raw.get("audience"), "audience", Audience) or section_audience
        )
        if audience is not None:
            self.declared_audience.add(question_id)
        mirror = self.problems.choice_of(file, item, raw.get("mirror"), "mirror", Mirror)
        report_list = self.problems.choice_of(file, item, raw.get("report_list"), "report_list", ReportList)
        policy = self.problems.choice_of(file, item, raw.get("policy"), "policy", PolicyKey)
        if label is None:
            return None
        return Question(
            id=question_id,
            type=qtype,
            label=label,
            section_id=section_id,
            repeat=repeat,
            help=help_text,
            required=required,
            visible_when=visible,
            constraint=constraint,
            constraint_message=message,
            unit=unit if isinstance(unit, str) else None,
            unit_en=unit_en,
            choices=choices,
            expression=expression,
            audience=audience or Audience.REPORT,
            mirror=mirror,
            report_list=report_list,
            policy=policy,
        )

    def _choices(
        self, file: str, item: str, qtype: QuestionType, raw: Any, question_id: str, roles: tuple[Choice, ...]
    ) -> tuple[Choice, ...]:
        if question_id == PERSON_ROLE_QUESTION:
            if raw is not None:
                self.problems.add(file, item, "P-ROLE takes its choices from [persons] roles")
            return roles
        if qtype not in CHOICE_TYPES:
            if raw is not None:
                self.problems.add(file, item, "choices are only for single and multiple questions")
            return ()
        if not isinstance(raw, list) or not raw:
            self.problems.add(file, item, "a choice question needs a non-empty choices list")
            return ()
        choices: list[Choice] = []
        for entry in raw:
            if not isinstance(entry, dict):
                self.problems.add(file, item, "every choice must be a table")
                continue
            self.problems.unknown_keys(file, item, entry, CHOICE_KEYS)
            value = entry.get("value")
            if not isinstance(value, str) or not CHOICE_VALUE_RE.match(value):
                self.problems.add(file, item, f"choice value {value!r} must match {CHOICE_VALUE_RE.pattern}")
                continue
            referral = entry.get("referral")
            if referral is not None and referral not in {r.value for r in Recipient}:
                recipients = ", ".join(r.value for r in Recipient)
                self.problems.add(file, item, f"choice {value!r}: referral must be one of {recipients}")
                referral = None
            label = self.problems.text(
                file, item, {k: entry.get(k) for k in ("nl", "en")}, f"choice {value!r}"
            )
            if label is not None:
                choices.append(Choice(value=value, label=label, referral=referral))
        if len({choice.value for choice in choices}) != len(choices):
            self.problems.add(file, item, "choice values must be unique")
        return tuple(choices)

    def rules(self, draft: Draft, questions: dict[str, Question]) -> list[Rule]:
        rules: list[Rule] = []
        seen: set[str] = set()
        repeat_ids = {qid for qid, q in questions.items() if q.repeat}
        for index, (file, raw) in enumerate(draft.rules, start=1):
            rule_id = raw.get("id")
            when = self.problems.expression(file, f"rule {rule_id or index}", raw.get("when"), "when")
            if rule_id is None:
                first = when.refs[0] if when and when.refs else raw.get("raise_selected", "rule")
                rule_id = f"{first}.{index}"
            item = f"rule {rule_id}"
            self.problems.unknown_keys(file, item, raw, RULE_KEYS)
            if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
                self.problems.add(file, item, f"rule id must match {RULE_ID_RE.pattern}")
                continue
            if rule_id in seen:
                self.problems.add(file, item, "duplicate rule id")
            seen.add(rule_id)
            raises = self._raises(file, item, raw.get("raise", []))
            selected = raw.get("raise_selected")
            if selected is not None:
                self._check_raise_selected(file, item, selected, questions)
            weight, finding, kind, acute = self._rule_outcome(file, item, raw)
            if not (raises or selected or finding or acute):
                self.problems.add(file, item, "a rule must raise, raise_selected, make a finding or be acute")
            if when is None and selected is None:
                self.problems.add(file, item, "a rule needs a 'when' condition")
            if when is not None:
                check_refs(self.problems, file, item, when, questions, in_repeat=True)
            refs = set(when.refs if when else ()) | ({selected} if isinstance(selected, str) else set())
            rules.append(
                Rule(
                    id=rule_id,
                    when=when,
                    raises=tuple(raises),
                    raise_selected=selected if isinstance(selected, str) else None,
                    weight=weight,
                    finding=finding,
                    finding_kind=kind if isinstance(kind, str) else None,
                    acute=acute,
                    per_person=bool(refs & repeat_ids),
                )
            )
        return rules

    def _raises(self, file: str, item: str, raises: Any) -> list[str]:
        if not isinstance(raises, list) or not all(isinstance(s, str) for s in raises):
            self.problems.add(file, item, "raise must be a list of indicator slugs")
            return []
        for slug in raises:
            if slug not in self.slugs:
                self.problems.add(file, item, f"unknown indicator slug {slug!r}")
        return raises

    def _rule_outcome(
        self, file: str, item: str, raw: dict[str, Any]
    ) -> tuple[Weight | None, LocalText | None, Any, bool]:
        """The weight, finding (with its kind) and acute flag of one rule."""
        weight = None
        if "weight" in raw:
            try:
                weight = Weight(raw["weight"])
            except ValueError:
                self.problems.add(file, item, f"weight must be H, M or L, found {raw['weight']!r}")
        finding = self.problems.text(file, item, raw.get("finding"), "finding", required=False)
        kind = raw.get("finding_kind")
        if (finding is None) != (kind is None):
            self.problems.add(file, item, "finding and finding_kind go together")
        if kind is not None and kind not in FINDING_KINDS:
            self.problems.add(file, item, f"finding_kind must be one of {', '.join(FINDING_KINDS)}")
        acute = raw.get("acute", False)
        if not isinstance(acute, bool):
            self.problems.add(file, item, "acute must be true or false")
            acute = False
        return weight, finding, kind, acute

    def _check_raise_selected(
        self, file: str, item: str, selected: Any, questions: dict[str, Question]
    ) -> None:
        question = questions.get(selected) if isinstance(selected, str) else None
        if question is None:
            self.problems.add(file, item, f"raise_selected names unknown question {selected!r}")
            return
        if question.type is not QuestionType.MULTIPLE:
            self.problems.add(
                file, item, f"raise_selected needs a multiple-choice question, {selected} is not"
            )
        for choice in question.choices:
            if choice.value not in self.slugs:
                self.problems.add(
                    file, item, f"choice {choice.value!r} of {selected} is not an indicator slug"
                )
