"""`inspector-app forms list|check`: the shipped checklists and validation of definition files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from inspector_app.cli.inspect_views import form_view
from inspector_app.cli.output import print_json
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.loader import (
    FormDefinitionError,
    UnknownFormError,
    definition_files,
    load_all_forms,
    load_form_file,
    resolve_form_id,
)
from inspector_app.i18n import _, current_language


def register(forms: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app forms ...` to its parser (made by cli.main)."""
    commands = forms.add_subparsers(dest="forms_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("alle checklists tonen"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=list_forms)
    check = commands.add_parser("check", help=_("een checklistdefinitie (of map) controleren"))
    check.add_argument("path", type=Path, metavar="PATH")
    check.set_defaults(handler=check_forms)
    show = commands.add_parser("show", help=_("één checklist tonen: vragen, keuzes en regels"))
    show.add_argument("form", metavar="FORM", help=_("checklist-id of PB/MS/CS/AH"))
    show.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    show.set_defaults(handler=show_form)


def show_form(args: argparse.Namespace) -> int:
    forms = load_all_forms()
    try:
        form = forms[resolve_form_id(args.form, forms.values())]
    except UnknownFormError:
        known = ", ".join(f"{f.id} ({f.location_type.value})" for f in forms.values())
        raise NotFoundError(
            _("Onbekende checklist '{name}'; kies uit: {known}", name=args.form, known=known)
        ) from None
    view = form_view(form, current_language())
    if args.json:
        print_json(view)
        return 0
    print(_("{id} versie {version}: {title}", id=view["id"], version=view["version"], title=view["title"]))
    for section in view["sections"]:
        print(f"\n[{section['id']}] {section['title']}")
        for question in section["questions"]:
            extra = f"  ({', '.join(c['value'] for c in question['choices'])})" if question["choices"] else ""
            print(f"  {question['id']:<10} {question['type']:<9} {question['label']}{extra}")
    print()
    for rule in view["rules"]:
        outcome = ", ".join(rule["raises"]) or (
            f"<{rule['raise_selected']}>" if rule["raise_selected"] else ""
        )
        flags = (" " + _("acuut")) if rule["acute"] else ""
        weight = f" [{rule['weight']}]" if rule["weight"] else ""
        print(f"  {rule['id']:<28} {rule['when'] or ''} -> {outcome}{weight}{flags}")
    return 0


def list_forms(args: argparse.Namespace) -> int:
    forms = load_all_forms()
    rows = [
        {
            "id": form.id,
            "version": form.version,
            "location_type": form.location_type.value,
            "title": form.title.get(current_language()),
            "questions": len(form.questions),
            "rules": len(form.rules),
        }
        for form in forms.values()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(
            _(
                "{id}  ({code}, versie {version})  {title}: {questions} vragen, {rules} regels",
                id=row["id"],
                code=row["location_type"],
                version=row["version"],
                title=row["title"],
                questions=row["questions"],
                rules=row["rules"],
            )
        )
    return 0


def check_forms(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.exists():
        raise InvalidInputError(_("Bestand of map niet gevonden: {path}", path=path))
    files = definition_files(path) if path.is_dir() else [path]
    if not files:
        raise InvalidInputError(_("Geen checklistdefinities (*.toml) gevonden in {path}", path=path))
    failed = 0
    for file in files:
        if file.name.startswith("_"):
            print(_("{file}: fragment; wordt gecontroleerd met de checklists die het opnemen", file=file))
            continue
        try:
            form = load_form_file(file)
        except FormDefinitionError as error:
            failed += 1
            for problem in error.problems:
                print(str(problem))
            continue
        print(
            _(
                "{file}: in orde ({id} versie {version}, {questions} vragen, {rules} regels)",
                file=file,
                id=form.id,
                version=form.version,
                questions=len(form.questions),
                rules=len(form.rules),
            )
        )
    return 1 if failed else 0
