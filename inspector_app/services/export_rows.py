"""The rows and headers of the office exports, labelled in the current language beside their codes.

The visits rows hold no person and no indicator; the signals rows name persons only by the pseudonymous
codes of those whose answers raised the indicator. `services.exports` writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from typing import Any

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.labels import CATEGORY_LABELS, label_text
from inspector_app.domain.model import (
    Category,
    IndicatorSource,
    LocationType,
    ReferralStatus,
    VisitStatus,
    Weight,
)
from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import Mirror
from inspector_app.i18n import _, current_language
from inspector_app.services.app import AppContext
from inspector_app.storage import exports as exports_repo
from inspector_app.storage.visits import VisitFilter


def visit_columns() -> list[str]:
    """The header of the visits export, in the current language."""
    return [
        _("bezoek_id"),
        _("datum"),
        _("locatietype"),
        _("locatietype_code"),
        _("locatie_id"),
        _("locatie"),
        _("postcode"),
        _("soort_bezoek"),
        _("soort_bezoek_code"),
        _("status"),
        _("status_code"),
        _("signalen_hoog"),
        _("signalen_midden"),
        _("signalen_laag"),
        _("acuut"),
        _("doorverwijzingen"),
    ]


def signal_columns() -> list[str]:
    """The header of the signals export, in the current language."""
    return [
        _("indicator"),
        _("signaal"),
        _("categorie"),
        _("categorie_code"),
        _("gewicht"),
        _("gewicht_code"),
        _("bron"),
        _("bezoek_id"),
        _("datum"),
        _("locatie_id"),
        _("locatie"),
        _("locatietype_code"),
        _("doorverwijzing"),
        _("doorverwijzing_code"),
        _("personen"),
    ]


def _visit_type_labels(app: AppContext, language: str) -> dict[str, str]:
    """The visit types as the checklists' common header names them (one definition, not a copy here)."""
    labels: dict[str, str] = {}
    for form in load_all_forms(data_dir=app.paths.data_dir).values():
        question = form.mirrored(Mirror.VISIT_TYPE)
        if question is not None:
            labels.update({c.value: c.label.get(language) for c in question.choices})
    return labels


def _yes_no(flag: Any) -> str:
    return _("ja") if flag else _("nee")


def visit_export_rows(app: AppContext, visit_filter: VisitFilter) -> Generator[list[Any]]:
    """The visits export's rows: codes as stored beside their labels, no persons, no indicators."""
    language = current_language()
    types = _visit_type_labels(app, language)
    for (
        vid,
        day,
        ltype,
        lid,
        name,
        postcode,
        vtype,
        status,
        high,
        medium,
        low,
        acute,
        referrals,
    ) in exports_repo.visit_rows(app.db, visit_filter):
        yield [
            vid,
            day,
            label_text(LocationType, ltype, language),
            ltype,
            lid,
            name,
            postcode,
            types.get(vtype or "", vtype or ""),
            vtype or "",
            label_text(VisitStatus, status, language),
            status,
            high,
            medium,
            low,
            _yes_no(acute),
            referrals,
        ]


_PERSON_REF = re.compile(r"\[(\d+)\]$")


def _person_codes(raised_by: str, persons: str | None) -> str:
    """The pseudonymous codes of the persons whose answers raised the indicator (never more)."""
    by_number = dict(item.split("=", 1) for item in json.loads(persons or "[]"))
    numbers = {m.group(1) for ref in json.loads(raised_by) if (m := _PERSON_REF.search(str(ref)))}
    return " ".join(sorted(by_number[n] for n in numbers if n in by_number))


def signal_export_rows(app: AppContext, visit_filter: VisitFilter) -> Generator[list[Any]]:
    language = current_language()
    catalogue = load_catalogue()
    for (
        slug,
        weight,
        vid,
        day,
        lid,
        name,
        ltype,
        source,
        raised_by,
        referral,
        persons,
    ) in exports_repo.signal_rows(app.db, visit_filter):
        entry = catalogue.indicators.get(slug)
        category = entry.category.value if entry is not None else ""
        yield [
            slug,
            entry.label.get(language) if entry is not None else slug,
            CATEGORY_LABELS[Category(category)].get(language) if category else "",
            category,
            label_text(Weight, weight, language),
            weight,
            label_text(IndicatorSource, source, language),
            vid,
            day,
            lid,
            name,
            ltype,
            label_text(ReferralStatus, referral, language) if referral else _("geen"),
            referral or "",
            _person_codes(raised_by, persons),
        ]
