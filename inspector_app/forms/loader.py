"""Load checklist definitions from `forms/*.toml` and validate them strictly.

Every problem found is reported, each naming the file, the question or rule, and what is wrong, so an
author fixes a definition in one pass. A definition that does not validate is never used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import LocationType, Recipient
from inspector_app.forms import expressions as ex
from inspector_app.forms.definition_checks import (
    CHOICE_KEYS,
    CHOICE_TYPES,
    CHOICE_VALUE_RE,
    DEFINITION_FORMAT,
    FORM_ID_RE,
    FORM_KEYS,
    FRAGMENT_KEYS,
    NUMERIC_TYPES,
    QUESTION_ID_RE,
    QUESTION_KEYS,
    ROLE_CODE_RE,
    ROLE_KEYS,
    SECTION_ID_RE,
    SECTION_KEYS,
    DefinitionChecks,
    Draft,
)
from inspector_app.forms.definition_checks import FormDefinitionError as FormDefinitionError
from inspector_app.forms.definition_checks import FormProblem as FormProblem
from inspector_app.forms.model import (
    PERSON_ROLE_QUESTION,
    REPEAT_PERSONS,
    Audience,
    Choice,
    FormDefinition,
    Mirror,
    Question,
    QuestionType,
    ReportList,
    Rule,
    Section,
)
from inspector_app.forms.semantics import semantic_problems
from inspector_app.paths import forms_dir, installed_forms_dir

logger = logging.getLogger(__name__)


class _Loader(DefinitionChecks):
    """Reads a definition file and its fragments into a FormDefinition."""

    def load(self) -> FormDefinition | None:
        file = str(self.path)
        raw = self._read(self.path)
        if raw is None:
            return None
        self._unknown_keys(file, "", raw, FORM_KEYS)
        if raw.get("format") != DEFINITION_FORMAT:
            self.problem(file, "", f"format must be {DEFINITION_FORMAT}, found {raw.get('format')!r}")
        form_id = raw.get("id")
        if not isinstance(form_id, str) or not FORM_ID_RE.match(form_id):
            self.problem(file, "", f"id must match {FORM_ID_RE.pattern}, found {form_id!r}")
            form_id = "?"
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.problem(file, "", f"version must be a positive integer, found {version!r}")
            version = 0
        location_type: LocationType | None = None
        try:
            location_type = LocationType(str(raw.get("location_type")))
        except ValueError:
            codes = ", ".join(t.value for t in LocationType)
            found = raw.get("location_type")
            self.problem(file, "", f"location_type must be one of {codes}, found {found!r}")
        title = self._text(file, "title", raw.get("title"), "title")
        description = self._text(file, "description", raw.get("description"), "description", False)
        roles = self._roles(file, raw.get("persons"))

        draft = Draft()
        self._gather(self.path, raw, draft, allow_include=True)
        sections = self._sections(draft, roles)
        questions = {q.id: q for section in sections for q in section.questions}
        self._check_expressions(sections, questions)
        computed_order = self._computed_order(questions)
        rules = self._rules(draft, questions)
        for item, message in semantic_problems(sections, rules, self.declared_audience):
            self.problem(file, item, message)
        if any(section.repeat for section in sections) and not roles:
            self.problem(file, "persons", "a form with a persons repeat needs [persons] roles")
        if self.problems or title is None or location_type is None:
            return None
        return FormDefinition(
            id=form_id,
            version=version,
            location_type=location_type,
            title=title,
            description=description,
            sections=tuple(sections),
            rules=tuple(rules),
            roles=roles,
            source=self.path,
            questions=questions,
            computed_order=computed_order,
            **_person_scope_dependencies(sections, rules, questions),
        )

    def _roles(self, file: str, raw: Any) -> tuple[Choice, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict) or set(raw) != {"roles"} or not isinstance(raw["roles"], list):
            self.problem(file, "persons", "[persons] must hold exactly a list 'roles'")
            return ()
        roles: list[Choice] = []
        for index, role in enumerate(raw["roles"], start=1):
            item = f"persons role {index}"
            if not isinstance(role, dict):
                self.problem(file, item, "must be a table")
                continue
            self._unknown_keys(file, item, role, ROLE_KEYS)
            value, code = role.get("value"), role.get("code")
            if not isinstance(value, str) or not CHOICE_VALUE_RE.match(value):
                self.problem(file, item, f"value must match {CHOICE_VALUE_RE.pattern}")
                continue
            if not isinstance(code, str) or not ROLE_CODE_RE.match(code):
                self.problem(file, item, "code must be 2 or 3 capital letters (used in pseudonymous codes)")
                continue
            label = self._text(file, item, {k: role.get(k) for k in ("nl", "en")}, "label")
            if label is not None:
                roles.append(Choice(value=value, label=label, code=code))
        if len({role.value for role in roles}) != len(roles):
            self.problem(file, "persons", "role values must be unique")
        return tuple(roles)

    def _gather(self, path: Path, raw: dict[str, Any], draft: Draft, allow_include: bool) -> None:
        file = str(path)
        sections = raw.get("sections", [])
        rules = raw.get("rules", [])
        if not isinstance(sections, list) or not isinstance(rules, list):
            self.problem(file, "", "sections and rules must be arrays of tables")
            return
        for section in sections:
            if not isinstance(section, dict):
                self.problem(file, "", "every [[sections]] entry must be a table")
                continue
            if "include" in section:
                self._include(path, section, draft, allow_include)
            else:
                draft.sections.append((file, section))
        for rule in rules:
            if isinstance(rule, dict):
                draft.rules.append((file, rule))
            else:
                self.problem(file, "", "every [[rules]] entry must be a table")

    def _include(self, path: Path, section: dict[str, Any], draft: Draft, allow_include: bool) -> None:
        file = str(path)
        name = section["include"]
        if not allow_include:
            self.problem(file, f"include {name!r}", "fragments cannot include other fragments")
            return
        if set(section) != {"include"}:
            self.problem(file, f"include {name!r}", "an include entry holds nothing but 'include'")
        if not isinstance(name, str) or not re.fullmatch(r"_[a-z0-9_]+\.toml", name):
            self.problem(file, f"include {name!r}", "must name a fragment file like '_header.toml'")
            return
        fragment_path = path.parent / name
        fragment = self._read(fragment_path)
        if fragment is None:
            return
        self._unknown_keys(str(fragment_path), "", fragment, FRAGMENT_KEYS)
        if fragment.get("format") != DEFINITION_FORMAT:
            self.problem(str(fragment_path), "", f"format must be {DEFINITION_FORMAT}")
        self._gather(fragment_path, fragment, draft, allow_include=False)

    def _sections(self, draft: Draft, roles: tuple[Choice, ...]) -> list[Section]:
        sections: list[Section] = []
        seen_sections: set[str] = set()
        seen_questions: set[str] = set()
        if not draft.sections:
            self.problem(str(self.path), "", "a form needs at least one section")
        for file, raw in draft.sections:
            section_id = raw.get("id")
            item = f"section {section_id!r}"
            self._unknown_keys(file, item, raw, SECTION_KEYS)
            if not isinstance(section_id, str) or not SECTION_ID_RE.match(section_id):
                self.problem(file, item, f"section id must match {SECTION_ID_RE.pattern}")
                continue
            if section_id in seen_sections:
                self.problem(file, item, "duplicate section id")
            seen_sections.add(section_id)
            repeat = raw.get("repeat")
            if repeat not in (None, REPEAT_PERSONS):
                self.problem(file, item, f"repeat must be {REPEAT_PERSONS!r}, found {repeat!r}")
            title = self._text(file, item, raw.get("title"), "title")
            visible = self._expression(file, item, raw.get("visible_when"), "visible_when")
            audience = self._choice_of(file, item, raw.get("audience"), "audience", Audience)
            questions: list[Question] = []
            raw_questions = raw.get("questions", [])
            if not isinstance(raw_questions, list) or not raw_questions:
                self.problem(file, item, "a section needs at least one question")
                raw_questions = []
            for raw_question in raw_questions:
                question = self._question(file, section_id, repeat is not None, raw_question, roles, audience)
                if question is None:
                    continue
                if question.id in seen_questions:
                    self.problem(file, f"question {question.id}", "duplicate question id")
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
            self.problem(file, f"section {section_id!r}", "every question must be a table")
            return None
        question_id = raw.get("id")
        item = f"question {question_id}"
        self._unknown_keys(file, item, raw, QUESTION_KEYS)
        if not isinstance(question_id, str) or not QUESTION_ID_RE.match(question_id):
            self.problem(file, item, f"question id must match {QUESTION_ID_RE.pattern}")
            return None
        try:
            qtype = QuestionType(str(raw.get("type")))
        except ValueError:
            kinds = ", ".join(t.value for t in QuestionType)
            self.problem(file, item, f"type must be one of {kinds}, found {raw.get('type')!r}")
            return None
        label = self._text(file, item, raw.get("label"), "label")
        help_text = self._text(file, item, raw.get("help"), "help", required=False)
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problem(file, item, "required must be true or false")
            required = False
        if required and qtype is QuestionType.COMPUTED:
            self.problem(file, item, "a computed value cannot be required")
        choices = self._choices(file, item, qtype, raw.get("choices"), question_id, roles)
        unit = raw.get("unit")
        unit_en: str | None = None
        if isinstance(unit, dict):
            unit_text = self._text(file, item, unit, "unit")
            unit, unit_en = (unit_text.nl, unit_text.en) if unit_text else (None, None)
        if unit is not None and (qtype not in NUMERIC_TYPES or not isinstance(unit, str)):
            self.problem(file, item, "unit is only for integer, decimal and computed questions")
        expression = self._expression(file, item, raw.get("expression"), "expression")
        if qtype is QuestionType.COMPUTED and "expression" not in raw:
            self.problem(file, item, "a computed question needs an expression")
        if qtype is not QuestionType.COMPUTED and "expression" in raw:
            self.problem(file, item, "only computed questions have an expression")
        constraint = self._expression(file, item, raw.get("constraint"), "constraint")
        message = self._text(file, item, raw.get("constraint_message"), "constraint_message", False)
        if ("constraint" in raw) != ("constraint_message" in raw):
            self.problem(file, item, "constraint and constraint_message go together")
        visible = self._expression(file, item, raw.get("visible_when"), "visible_when")
        for expr, what in ((visible, "visible_when"), (expression, "expression")):
            if expr is not None and expr.uses_self:
                self.problem(file, item, f"{what} cannot use '.' (only constraints can)")
        audience = self._choice_of(file, item, raw.get("audience"), "audience", Audience) or section_audience
        if audience is not None:
            self.declared_audience.add(question_id)
        mirror = self._choice_of(file, item, raw.get("mirror"), "mirror", Mirror)
        report_list = self._choice_of(file, item, raw.get("report_list"), "report_list", ReportList)
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
        )

    def _choices(
        self, file: str, item: str, qtype: QuestionType, raw: Any, question_id: str, roles: tuple[Choice, ...]
    ) -> tuple[Choice, ...]:
        if question_id == PERSON_ROLE_QUESTION:
            if raw is not None:
                self.problem(file, item, "P-ROLE takes its choices from [persons] roles")
            return roles
        if qtype not in CHOICE_TYPES:
            if raw is not None:
                self.problem(file, item, "choices are only for single and multiple questions")
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(file, item, "a choice question needs a non-empty choices list")
            return ()
        choices: list[Choice] = []
        for entry in raw:
            if not isinstance(entry, dict):
                self.problem(file, item, "every choice must be a table")
                continue
            self._unknown_keys(file, item, entry, CHOICE_KEYS)
            value = entry.get("value")
            if not isinstance(value, str) or not CHOICE_VALUE_RE.match(value):
                self.problem(file, item, f"choice value {value!r} must match {CHOICE_VALUE_RE.pattern}")
                continue
            referral = entry.get("referral")
            if referral is not None and referral not in {r.value for r in Recipient}:
                recipients = ", ".join(r.value for r in Recipient)
                self.problem(file, item, f"choice {value!r}: referral must be one of {recipients}")
                referral = None
            label = self._text(file, item, {k: entry.get(k) for k in ("nl", "en")}, f"choice {value!r}")
            if label is not None:
                choices.append(Choice(value=value, label=label, referral=referral))
        if len({choice.value for choice in choices}) != len(choices):
            self.problem(file, item, "choice values must be unique")
        return tuple(choices)

    # ------------------------------------------------------------------------ cross-references


def _person_scope_dependencies(
    sections: list[Section], rules: list[Rule], questions: dict[str, Question]
) -> dict[str, Any]:
    """What a person's evaluation reads besides the person's own answers."""
    expressions: list[ex.Expression] = []
    for section in sections:
        if not section.repeat:
            continue
        expressions += [e for e in (section.visible_when,) if e is not None]
        for question in section.questions:
            expressions += [e for e in (question.visible_when, question.expression) if e is not None]
    expressions += [rule.when for rule in rules if rule.per_person and rule.when is not None]
    top_refs = {ref for e in expressions for ref in e.refs if not questions[ref].repeat}
    aggregates = any(
        isinstance(node, ex.Call) and node.name in ("persons", "count_persons")
        for e in expressions
        for node in ex.walk(e.tree)
    )
    return {"person_scope_top_refs": frozenset(top_refs), "person_scope_is_local": not aggregates}


def load_form_file(path: Path, indicator_slugs: Collection[str] | None = None) -> FormDefinition:
    """Load and validate one definition file; raise FormDefinitionError listing every problem."""
    slugs = indicator_slugs if indicator_slugs is not None else load_catalogue().indicators.keys()
    loader = _Loader(path, slugs)
    form = loader.load()
    if form is None:
        raise FormDefinitionError(loader.problems or [FormProblem(str(path), "", "invalid definition")])
    return form


def definition_files(folder: Path | None = None) -> list[Path]:
    """The form files in `folder` (fragments starting with `_` are not forms)."""
    root = folder or forms_dir()
    return sorted(p for p in root.glob("*.toml") if not p.name.startswith("_"))


@cache
def _load_all(folder: Path) -> dict[str, FormDefinition]:
    forms: dict[str, FormDefinition] = {}
    problems: list[FormProblem] = []
    for path in definition_files(folder):
        try:
            form = load_form_file(path)
        except FormDefinitionError as error:
            problems.extend(error.problems)
            continue
        if form.id in forms:
            problems.append(FormProblem(str(path), "", f"form id {form.id!r} is used twice"))
        forms[form.id] = form
    if problems:
        raise FormDefinitionError(problems)
    return forms


def load_all_forms(folder: Path | None = None) -> dict[str, FormDefinition]:
    """Every form by id, loaded once per process per folder.

    Without `folder`: the shipped forms, overlaid with the set installed from the office's latest
    reference bundle (`paths.installed_forms_dir()`), form by form where the installed version is the
    same or newer. An installed set that does not load is ignored (the shipped forms stay in use).
    """
    if folder is not None:
        return _load_all(folder.resolve())
    shipped = _load_all(forms_dir().resolve())
    installed = installed_forms_dir()
    if installed is None:
        return shipped
    try:
        extra = _load_all(installed.resolve())
    except (FormDefinitionError, OSError):
        logger.warning("installed checklists in %s do not load; using the shipped ones", installed)
        return shipped
    merged = dict(shipped)
    for form_id, form in extra.items():
        if form_id not in merged or form.version >= merged[form_id].version:
            merged[form_id] = form
    return merged


class UnknownFormError(LookupError):
    """No checklist with that id or location type exists."""


def resolve_form_id(name: str, forms: Iterable[FormDefinition]) -> str:
    """Accept a form id or its location type code (PB, MS, CS, AH)."""
    for form in forms:
        if name in (form.id, form.location_type.value) or name.upper() == form.location_type.value:
            return form.id
    raise UnknownFormError(name)


def load_form_by_id(form_id: str, folder: Path | None = None) -> FormDefinition:
    forms = load_all_forms(folder)
    return forms[resolve_form_id(form_id, forms.values())]
