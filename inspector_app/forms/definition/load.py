"""Load checklist definitions: one file, a folder, or the shipped set overlaid with the installed one.

Every problem found is reported, each naming the file, the question or rule, and what is wrong, so an
author fixes a definition in one pass. A definition that does not validate is never used. Reading is
`read.py`, building the model `parse.py`, whole-form checks `checks.py` and `semantics.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import LocationType
from inspector_app.forms.definition import checks
from inspector_app.forms.definition.parse import DefinitionParser
from inspector_app.forms.definition.problems import FormDefinitionError, FormProblem, Problems
from inspector_app.forms.definition.read import DefinitionReader, Draft
from inspector_app.forms.definition.schema import DEFINITION_FORMAT, FORM_ID_RE, FORM_KEYS
from inspector_app.forms.definition.semantics import semantic_problems
from inspector_app.forms.model import FormDefinition
from inspector_app.paths import forms_dir, installed_forms_dir

logger = logging.getLogger(__name__)


def _load_definition(
    path: Path, indicator_slugs: Collection[str], problems: Problems
) -> FormDefinition | None:
    """Read, parse and check one form; None when any problem was found (they are in `problems`)."""
    file = str(path)
    reader = DefinitionReader(problems)
    parser = DefinitionParser(file, indicator_slugs, problems)
    raw = reader.read(path)
    if raw is None:
        return None
    problems.unknown_keys(file, "", raw, FORM_KEYS)
    if raw.get("format") != DEFINITION_FORMAT:
        problems.add(file, "", f"format must be {DEFINITION_FORMAT}, found {raw.get('format')!r}")
    form_id = raw.get("id")
    if not isinstance(form_id, str) or not FORM_ID_RE.match(form_id):
        problems.add(file, "", f"id must match {FORM_ID_RE.pattern}, found {form_id!r}")
        form_id = "?"
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 2**31:
        shown = (
            repr(version) if not isinstance(version, int) or version < 10**12 else f"{str(version)[:12]}..."
        )
        problems.add(file, "", f"version must be a positive integer below 2^31, found {shown}")
        version = 0
    location_type: LocationType | None = None
    try:
        location_type = LocationType(str(raw.get("location_type")))
    except ValueError:
        codes = ", ".join(t.value for t in LocationType)
        found = raw.get("location_type")
        problems.add(file, "", f"location_type must be one of {codes}, found {found!r}")
    title = problems.text(file, "title", raw.get("title"), "title")
    description = problems.text(file, "description", raw.get("description"), "description", False)
    roles = parser.roles(file, raw.get("persons"))

    draft = Draft()
    reader.gather(path, raw, draft, allow_include=True)
    sections = parser.sections(draft, roles)
    questions = {q.id: q for section in sections for q in section.questions}
    checks.check_expressions(problems, file, sections, questions)
    computed_order = checks.computed_order(problems, file, questions)
    rules = parser.rules(draft, questions)
    for item, message in semantic_problems(sections, rules, parser.declared_audience):
        problems.add(file, item, message)
    if any(section.repeat for section in sections) and not roles:
        problems.add(file, "persons", "a form with a persons repeat needs [persons] roles")
    if problems or title is None or location_type is None:
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
        source=path,
        questions=questions,
        computed_order=computed_order,
    )


def load_form_file(path: Path, indicator_slugs: Collection[str] | None = None) -> FormDefinition:
    """Load and validate one definition file; raise FormDefinitionError listing every problem."""
    slugs = indicator_slugs if indicator_slugs is not None else load_catalogue().indicators.keys()
    problems = Problems()
    form = _load_definition(path, slugs, problems)
    if form is None:
        raise FormDefinitionError(problems.found or [FormProblem(str(path), "", "invalid definition")])
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


def load_all_forms(folder: Path | None = None, *, data_dir: Path | None = None) -> dict[str, FormDefinition]:
    """Every form by id, loaded once per process per folder.

    Without `folder`: the shipped forms, overlaid with the set installed in `data_dir` (default: the
    platform's data folder) from the office's latest reference bundle (`paths.installed_forms_dir`),
    form by form where the installed version is the same or newer. An installed set that does not load
    is ignored (the shipped forms stay in use). Callers holding an open store pass its data folder, so
    a second store (another `--data-dir`, the practice environment) never uses the first one's set.
    """
    if folder is not None:
        return _load_all(folder.resolve())
    shipped = _load_all(forms_dir().resolve())
    installed = installed_forms_dir(data_dir)
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
