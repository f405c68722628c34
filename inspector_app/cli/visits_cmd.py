"""`inspector-app visits ...`: start, answer, tick, dismiss, show, list, finalize and amend visits."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from inspector_app.cli.output import print_json
from inspector_app.cli.visit_filters import add_filter_options, visit_filter
from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.labels import CATEGORY_LABELS, WEIGHT_LABELS, label_text
from inspector_app.domain.model import (
    Category,
    IndicatorSource,
    VisitStatus,
    Weight,
)
from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import format_value
from inspector_app.forms.model import QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.values import parse_answer_text
from inspector_app.i18n import _, current_language, n_
from inspector_app.services.app import opened_app
from inspector_app.services.documents.zaak import set_zaak
from inspector_app.services.reinspections import (
    FollowUpRequest,
    finalize_with_follow_up,
    follow_up_detail,
    set_follow_up,
)
from inspector_app.services.visit.detail import visit_detail
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.indicators import dismiss, needs_factual_note, restore, tick
from inspector_app.services.visit.persons import remove_person
from inspector_app.services.visits import (
    LocationInput,
    NewVisit,
    find_visits,
    open_visit,
    start_visit,
)


def register(visits: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app visits ...` to its parser (made by cli.main)."""
    commands = visits.add_subparsers(dest="visits_command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help=_("een nieuw bezoek starten; drukt het bezoek-id af"))
    new.add_argument("--form", required=True, help=_("checklist-id of locatietype (PB, MS, CS, AH)"))
    new.add_argument("--location", dest="location_id", help=_("id van een locatie uit het register"))
    new.add_argument("--location-name", help=_("naam van de locatie (nieuw of bestaand)"))
    new.add_argument("--address", default="", help=_("adres"))
    new.add_argument("--postcode", default="", help=_("postcode"))
    new.add_argument("--city", default="", help=_("plaats"))
    new.add_argument("--kvk", default="", help=_("KvK-nummer"))
    new.add_argument("--licence", default="", help=_("vergunningnummer"))
    new.add_argument(
        "--foreign",
        action="store_true",
        help=_("adres in het buitenland: postcode en KvK-nummer niet als Nederlands controleren"),
    )
    new.add_argument("--started-at", help=_("begin als JJJJ-MM-DDTUU:MM (standaard: nu)"))
    new.add_argument("--visit-type", help=_("gepland, onaangekondigd, hercontrole of melding"))
    new.add_argument("--inspector", action="append", default=[], help=_("toezichthouder (herhaalbaar)"))
    new.add_argument("--partner", action="append", default=[], help=_("aanwezige partner (herhaalbaar)"))
    new.add_argument("--legal-ground", help=_("grondslag: apv_awb, toestemming, machtiging of anders"))
    new.add_argument(
        "--follows-up",
        metavar="VISIT",
        help=_("dit bezoek is de hercontrole van dat eerdere bezoek (zelfde locatie; soort: hercontrole)"),
    )
    new.set_defaults(handler=new_visit)

    answer = commands.add_parser("answer", help=_("een vraag beantwoorden (leeg antwoord wist)"))
    answer.add_argument("visit")
    answer.add_argument("question", help=_("vraag-id, voor een persoon bijv. PB-19[2]"))
    answer.add_argument("value")
    answer.add_argument("--note", help=_("notitie bij de vraag"))
    answer.set_defaults(handler=answer_question)

    amend = commands.add_parser("amend", help=_("aanvulling op een definitief bezoek, met reden"))
    amend.add_argument("visit")
    amend.add_argument("question")
    amend.add_argument("value")
    amend.add_argument("--reason", required=True, help=_("waarom de correctie nodig is"))
    amend.set_defaults(handler=amend_question)

    zaak = commands.add_parser(
        "set-zaak", help=_("het zaaknummer (en zaaktype) waaronder het bezoek wordt gearchiveerd")
    )
    zaak.add_argument("visit")
    zaak.add_argument("number", help=_("zaaknummer uit het zaaksysteem, bijv. Z-2026-000123"))
    zaak.add_argument("--zaaktype", default="", help=_("zaaktype, bijv. Toezicht prostitutiebedrijf"))
    zaak.set_defaults(handler=set_zaak_cmd)

    tick = commands.add_parser("tick", help=_("een signaal handmatig aanvinken"))
    tick.add_argument("visit")
    tick.add_argument("slug", help=_("indicator uit de signaalcatalogus, bijv. gen.fear"))
    tick.add_argument("--note", required=True, help=_("feitelijke waarneming (wat gezien/gehoord)"))
    tick.set_defaults(handler=tick_indicator)

    dismiss = commands.add_parser("dismiss", help=_("een signaal afwijzen, met reden"))
    dismiss.add_argument("visit")
    dismiss.add_argument("slug")
    dismiss.add_argument("--reason", required=True)
    dismiss.set_defaults(handler=dismiss_indicator)

    undo = commands.add_parser("restore", help=_("een afwijzing ongedaan maken, met reden"))
    undo.add_argument("visit")
    undo.add_argument("slug")
    undo.add_argument("--reason", required=True, help=_("waarom het signaal toch geldt"))
    undo.set_defaults(handler=restore_indicator)

    photo = commands.add_parser("photo", help=_("een foto (van het pand, geen gezichten) toevoegen"))
    photo.add_argument("visit")
    photo.add_argument("question", help=_("fotovraag, bijv. PB-33"))
    photo.add_argument("file", type=Path)
    photo.add_argument("--caption", default="", help=_("bijschrift: wat, waar"))
    photo.set_defaults(handler=add_photo_file)

    person = commands.add_parser("person-remove", help=_("een persoon uit het bezoek halen"))
    person.add_argument("visit")
    person.add_argument("number", type=int)
    person.set_defaults(handler=remove_person_cmd)

    show = commands.add_parser("show", help=_("een bezoek tonen"))
    show.add_argument("visit")
    show.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    show.set_defaults(handler=show_visit)

    listing = commands.add_parser("list", help=_("bezoeken tonen"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    add_filter_options(listing)
    listing.add_argument("--limit", type=int)
    listing.set_defaults(handler=list_all)

    finalize = commands.add_parser("finalize", help=_("bezoek definitief maken"))
    finalize.add_argument("visit")
    planned = finalize.add_mutually_exclusive_group()
    planned.add_argument(
        "--follow-up-weeks", type=int, metavar="N", help=_("hercontrole binnen N weken na het bezoek")
    )
    planned.add_argument("--follow-up-date", metavar="JJJJ-MM-DD", help=_("hercontrole op deze datum"))
    finalize.set_defaults(handler=finalize_one)

    follow_up = commands.add_parser(
        "follow-up",
        help=_("een hercontrole van een bezoek plannen (binnen N weken of op een datum) of wissen"),
    )
    follow_up.add_argument("visit")
    when = follow_up.add_mutually_exclusive_group(required=True)
    when.add_argument("--weeks", type=int, metavar="N", help=_("hercontrole binnen N weken na het bezoek"))
    when.add_argument("--date", metavar="JJJJ-MM-DD", help=_("hercontrole op deze datum"))
    when.add_argument("--clear", action="store_true", help=_("geen hercontrole (meer)"))
    follow_up.set_defaults(handler=follow_up_one)

    assign = commands.add_parser(
        "assign", help=_("kantoor: een bezoek ook aan een andere laptop toewijzen (gezamenlijk bezoek)")
    )
    assign.add_argument("visit", help=_("bezoek-id (of de eerste tekens van een bezoek op dit kantoor)"))
    assign.add_argument("device", help=_("apparaat-id of vingerafdruk van de laptop"))
    assign.add_argument("--reason", required=True, help=_("reden van de toewijzing"))
    assign.set_defaults(handler=assign_visit)


def new_visit(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        location = (
            LocationInput(
                args.location_name or "",
                args.address,
                args.postcode,
                args.city,
                args.kvk,
                args.licence,
                foreign=args.foreign,
            )
            if args.location_name
            else None
        )
        visit_id = start_visit(
            app,
            NewVisit(
                form=args.form,
                location_id=args.location_id,
                location=location,
                started_at=args.started_at,
                visit_type=args.visit_type,
                inspectors=tuple(args.inspector),
                partners=tuple(args.partner),
                legal_ground=args.legal_ground,
                follows_up=args.follows_up,
            ),
        )
    print(visit_id)
    return 0


def answer_question(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        session = open_visit(app, args.visit)
        question, _person = parse_ref(session.form, args.question)
        value = parse_answer_text(question, args.value)
        if needs_factual_note(session, args.question, value) and not (args.note or "").strip():
            raise InvalidInputError(
                _(
                    "{question}: een signaal dat u zelf aankruist vraagt een feitelijke notitie, net als "
                    "'visits tick'; geef --note TEKST (wat is gezien of gehoord)",
                    question=args.question,
                )
            )
        if args.note is None:
            changes = session.answer(args.question, value)
        else:
            changes = session.answer_with_note(args.question, value, args.note)
        _print_indicator_changes(changes.indicators_added, changes.indicators_removed)
    return 0


def amend_question(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        session = open_visit(app, args.visit)
        question, _person = parse_ref(session.form, args.question)
        changes = amend_visit(session, args.question, parse_answer_text(question, args.value), args.reason)
        _print_indicator_changes(changes.indicators_added, changes.indicators_removed)
    return 0


def set_zaak_cmd(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        zaak = set_zaak(open_visit(app, args.visit), args.number, args.zaaktype)
    print(zaak.zaaknummer + (f" ({zaak.zaaktype})" if zaak.zaaktype else ""))
    return 0


def _print_indicator_changes(added: tuple[str, ...], removed: tuple[str, ...]) -> None:
    catalogue = load_catalogue()
    for slug in added:
        print(_("signaal: {slug} ({label})", slug=slug, label=catalogue[slug].label.get()))
    for slug in removed:
        print(_("signaal vervallen: {slug}", slug=slug))


def tick_indicator(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        tick(open_visit(app, args.visit), args.slug, args.note)
    return 0


def dismiss_indicator(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        dismiss(open_visit(app, args.visit), args.slug, args.reason)
    return 0


def restore_indicator(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        restore(open_visit(app, args.visit), args.slug, args.reason)
    return 0


def add_photo_file(args: argparse.Namespace) -> int:
    from inspector_app.services.visit.photos import add_photo  # Pillow: only for this subcommand

    with opened_app(args.data_dir) as app:
        photo_id, _changes = add_photo(open_visit(app, args.visit), args.question, args.file, args.caption)
    print(photo_id)
    return 0


def remove_person_cmd(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        remove_person(open_visit(app, args.visit), args.number)
    return 0


def finalize_one(args: argparse.Namespace) -> int:
    request = FollowUpRequest(args.follow_up_weeks, args.follow_up_date)
    with opened_app(args.data_dir) as app:
        session = open_visit(app, args.visit)
        changes = finalize_with_follow_up(session, request)
        due = follow_up_detail(app, session.visit_id)["reinspection_due"]
    print(_("Bezoek is definitief."))
    if due:
        print(_("Hercontrole gepland op {day}.", day=due))
    if changes.referrals:
        print(
            n_(
                "{count} conceptdoorverwijzing aangemaakt.",
                "{count} conceptdoorverwijzingen aangemaakt.",
                len(changes.referrals),
            )
        )
    return 0


def follow_up_one(args: argparse.Namespace) -> int:
    request = FollowUpRequest() if args.clear else FollowUpRequest(args.weeks, args.date)
    with opened_app(args.data_dir) as app:
        due = set_follow_up(app, open_visit(app, args.visit), request)
    print(_("Hercontrole gepland op {day}.", day=due) if due else _("Geen hercontrole gepland."))
    return 0


def assign_visit(args: argparse.Namespace) -> int:
    # Imported here: the other visit commands start without loading the sync and key libraries.
    from inspector_app.services import assignments

    with opened_app(args.data_dir) as app:
        done = assignments.assign(app, args.visit, args.device, args.reason)
    print(
        _(
            "Bezoek {visit} is toegewezen aan apparaat {device}.",
            visit=done.visit_id[:8],
            device=done.device_id[:8],
        )
    )
    return 0


def list_all(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        rows = find_visits(app, visit_filter(args, limit=args.limit))
    if args.json:
        payload = [
            {
                "id": row.id,
                "form": row.form_id,
                "form_version": row.form_version,
                "status": row.status,
                "location": row.location_name,
                "location_id": row.location_id,
                "address": row.address,
                "postcode": row.postcode,
                "location_type": row.location_type,
                "visit_type": row.visit_type,
                "started_at": row.started_at,
                "ended_at": row.ended_at,
                "indicators": {"H": row.count_h, "M": row.count_m, "L": row.count_l},
                "acute": row.acute,
            }
            for row in rows
        ]
        print_json(payload)
        return 0
    for row in rows:
        print(
            f"{row.id[:8]}  {row.started_at.replace('T', ' ')}  {label_text(VisitStatus, row.status):<10} "
            f"{row.location_type}  {row.location_name}  "
            f"H{row.count_h} M{row.count_m} L{row.count_l}{'  ' + _('ACUUT') if row.acute else ''}"
        )
    if not rows:
        print(_("Geen bezoeken gevonden."))
    return 0


def show_visit(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        session = open_visit(app, args.visit)
        detail = visit_detail(session)
        if args.json:
            print_json(detail)
            return 0
        _print_detail(session, detail)
    return 0


def _print_detail(session: Any, detail: dict[str, Any]) -> None:
    language = current_language()
    form = session.form
    location = detail["location"]
    print(_("Bezoek {id}  ({status})", id=detail["id"], status=label_text(VisitStatus, detail["status"])))
    print(
        _(
            "Checklist: {title} (versie {version})",
            title=form.title.get(language),
            version=detail["form_version"],
        )
    )
    print(
        _(
            "Locatie: {name}, {address} {postcode}",
            name=location["name"],
            address=location["address"],
            postcode=location["postcode"],
        )
    )
    print(_("Begin: {start}", start=detail["started_at"].replace("T", " ")))
    for advice in detail["advice"]:
        print(f"!! {advice['text']}")
    answers = detail["answers"]
    for section in form.sections:
        refs = (
            [(q, f"{q.id}[{p['number']}]") for p in detail["persons"] for q in section.questions]
            if section.repeat
            else [(q, q.id) for q in section.questions]
        )
        lines = []
        for question, ref in refs:
            value = (
                detail["computed"].get(ref) if question.type is QuestionType.COMPUTED else answers.get(ref)
            )
            if value is None:
                continue
            shown = format_value(question, value, language)
            note = detail["notes"].get(ref)
            lines.append(f"  {ref:<10} {question.label.get(language)}: {shown}")
            if note:
                lines.append(f"  {'':<10} {_('notitie')}: {note}")
        if lines:
            print(f"\n== {section.title.get(language)}")
            print("\n".join(lines))
    catalogue = load_catalogue()
    if detail["indicators"]:
        print("\n== " + _("Signalen"))
    for item in sorted(detail["indicators"], key=lambda i: (-Weight(i["weight"]).rank, i["slug"])):
        entry = catalogue[item["slug"]]
        state = _(" (afgewezen: {reason})", reason=item["dismiss_reason"]) if item["dismissed"] else ""
        source = _("handmatig") if item["source"] == IndicatorSource.MANUAL else ", ".join(item["raised_by"])
        print(
            f"  [{item['weight']}] {entry.label.get(language)} ({item['slug']}; "
            f"{CATEGORY_LABELS[Category(item['category'])].get(language)}; "
            f"{WEIGHT_LABELS[Weight(item['weight'])].get(language)}) <- {source}{state}"
        )
    if detail["missing_required"]:
        print("\n" + _("Verplicht en nog open: {refs}", refs=", ".join(detail["missing_required"])))
