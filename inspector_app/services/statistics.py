"""The office's figures for a period: what the dashboard draws and the annual summary publishes.

Five figures, each a small table (rows on the chart's axis, one column per series) so that the chart,
its table for screen readers, the PDF and the spreadsheet are one and the same data:

- visits per month by location type;
- standing indicators by category and weight (one per slug per visit, at its strongest weight);
- referrals by recipient and status;
- median days from the visit to the referral being sent, per recipient and over all;
- locations with repeated signals (two or more visits with standing indicators in the period).

Every cell keeps a drill-down key (`Drill`): `visits_behind` gives the ids of exactly the visits the
cell counted, for the visit list. Qt-free: the CLI's `export summary` reads the same figures.
"""

from __future__ import annotations

import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.labels import (
    CATEGORY_LABELS,
    LOCATION_TYPE_LABELS,
    RECIPIENT_LABELS,
    REFERRAL_STATUS_LABELS,
    WEIGHT_LABELS,
)
from inspector_app.domain.model import Category, LocationType, Recipient, ReferralStatus, Weight
from inspector_app.errors import InvalidInputError
from inspector_app.i18n import LocalText as T
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.storage import statistics as queries

ALL = "*"  # the row code of "all recipients" in the median figure
MAX_PERIOD_DAYS = 3 * 366  # a dashboard of more than three years of months is not readable


class FigureKind(StrEnum):
    VISITS = "visits"
    SIGNALS = "signals"
    REFERRALS = "referrals"
    MEDIAN_DAYS = "median_days"
    REPEATED = "repeated"


FIGURE_TITLES = {
    FigureKind.VISITS: T("Bezoeken per maand en soort locatie", "Visits per month and location type"),
    FigureKind.SIGNALS: T("Signalen per categorie en gewicht", "Signals by category and weight"),
    FigureKind.REFERRALS: T("Doorverwijzingen per ontvanger en status", "Referrals by recipient and status"),
    FigureKind.MEDIAN_DAYS: T(
        "Mediaan aantal dagen van bezoek tot verzonden doorverwijzing",
        "Median days from visit to referral sent",
    ),
    FigureKind.REPEATED: T(
        "Locaties met herhaalde signalen (2 of meer bezoeken met signalen)",
        "Locations with repeated signals (2 or more visits with signals)",
    ),
}
ROW_HEADERS = {
    FigureKind.VISITS: T("Maand", "Month"),
    FigureKind.SIGNALS: T("Categorie", "Category"),
    FigureKind.REFERRALS: T("Ontvanger", "Recipient"),
    FigureKind.MEDIAN_DAYS: T("Ontvanger", "Recipient"),
    FigureKind.REPEATED: T("Locatie", "Location"),
}
ALL_RECIPIENTS = T("Alle ontvangers", "All recipients")
MEDIAN_DAYS = T("Mediaan dagen", "Median days")
SENT_REFERRALS = T("Verzonden doorverwijzingen", "Referrals sent")
VISITS_WITH_SIGNALS = T("Bezoeken met signalen", "Visits with signals")
VISITS = T("Bezoeken", "Visits")


@dataclass(frozen=True)
class Period:
    """The days `start` to `end` (both included), at one location type or all."""

    start: date
    end: date
    location_type: LocationType | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(_("De einddatum ligt vóór de begindatum; kies een latere einddatum."))
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise InvalidInputError(_("Kies een periode van hoogstens drie jaar."))

    @classmethod
    def year(cls, year: int, location_type: LocationType | None = None) -> Period:
        if not 2000 <= year <= 2100:
            raise InvalidInputError(_("Geef een jaartal tussen 2000 en 2100, niet {year}.", year=year))
        return cls(date(year, 1, 1), date(year, 12, 31), location_type)

    @property
    def scope(self) -> queries.Scope:
        until = self.end + timedelta(days=1)
        return queries.Scope(self.start.isoformat(), until.isoformat(), self.location_type)

    def months(self) -> list[str]:
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


@dataclass(frozen=True)
class Column:
    """A series of a figure. `drawn` columns are bars; `count` columns hold counts (suppressed when
    published); the others hold a measure (median days)."""

    code: str
    label: str
    drawn: bool = True
    count: bool = True


Cell = int | float | None


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    values: tuple[Cell, ...]


@dataclass(frozen=True)
class Drill:
    """Which visits one cell counted: the figure, the row's code and the column's code."""

    kind: FigureKind
    row: str
    column: str


@dataclass(frozen=True)
class Figure:
    kind: FigureKind
    title: str
    row_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    stacked: bool = False  # the drawn columns of a row add up (visits per month by type)

    def drill(self, row: int, column: int) -> Drill:
        return Drill(self.kind, self.rows[row].code, self.columns[column].code)

    def value(self, row_code: str, column_code: str) -> Cell:
        index = [c.code for c in self.columns].index(column_code)
        return next(r.values[index] for r in self.rows if r.code == row_code)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    lang: str
    visits: int
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    # How many locations of each type had repeated signals: the annual summary publishes these counts
    # and names no location.
    repeated_types: dict[LocationType, int] = field(default_factory=dict)

    def figure(self, kind: FigureKind) -> Figure:
        return next(f for f in self.figures if f.kind is kind)


def _location_types(period: Period) -> list[LocationType]:
    return [period.location_type] if period.location_type else list(LocationType)


def build_dashboard(app: AppContext, period: Period, lang: str | None = None) -> Dashboard:
    """The five figures of `period`, labelled in `lang` (default: the current language)."""
    catalogue = load_catalogue()
    scope = period.scope
    places = queries.visits_by_location(app.db, scope)  # one pass for the visits and repeated figures
    repeated = queries.repeated_signal_locations(app.db, places)
    visits = _visits_figure(period, places, lang)
    figures = (
        visits,
        _signals_figure(app, scope, catalogue, lang),
        _referrals_figure(app, scope, lang),
        _median_figure(app, scope, lang),
        _repeated_figure(repeated, lang),
    )
    total = sum(int(v or 0) for row in visits.rows for v in row.values)
    repeated_types = dict.fromkeys(_location_types(period), 0)
    for place in repeated:
        repeated_types[LocationType(place.location_type)] += 1
    return Dashboard(period, lang or "", total, figures, repeated_types)


def _visits_figure(period: Period, places: list[queries.LocationVisits], lang: str | None) -> Figure:
    types = _location_types(period)
    counts = {(m, t): n for m, t, n in queries.visits_per_month(places, [t.value for t in types])}
    columns = tuple(Column(t.value, LOCATION_TYPE_LABELS[t].get(lang)) for t in types)
    rows = tuple(
        Row(month, month, tuple(counts.get((month, t.value), 0) for t in types)) for month in period.months()
    )
    return Figure(
        FigureKind.VISITS,
        FIGURE_TITLES[FigureKind.VISITS].get(lang),
        ROW_HEADERS[FigureKind.VISITS].get(lang),
        columns,
        rows,
        stacked=True,
    )


def category_of(catalogue: Catalogue, slug: str) -> Category:
    """The catalogue's category of `slug`; a slug this catalogue does not know counts as general."""
    return catalogue[slug].category if slug in catalogue else Category.GENERAL


def _signals_figure(app: AppContext, scope: queries.Scope, catalogue: Catalogue, lang: str | None) -> Figure:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for slug, weight, n in queries.standing_by_slug(app.db, scope):
        counts[(category_of(catalogue, slug).value, weight)] += n
    weights = list(Weight)
    columns = tuple(Column(w.value, WEIGHT_LABELS[w].get(lang)) for w in weights)
    rows = tuple(
        Row(c.value, CATEGORY_LABELS[c].get(lang), tuple(counts[(c.value, w.value)] for w in weights))
        for c in Category
    )
    kind = FigureKind.SIGNALS
    return Figure(
        kind, FIGURE_TITLES[kind].get(lang), ROW_HEADERS[kind].get(lang), columns, rows, stacked=True
    )


def _referrals_figure(app: AppContext, scope: queries.Scope, lang: str | None) -> Figure:
    counts = {(r, s): n for r, s, n in queries.referrals_by_recipient(app.db, scope)}
    statuses = list(ReferralStatus)
    columns = tuple(Column(s.value, REFERRAL_STATUS_LABELS[s].get(lang)) for s in statuses)
    rows = tuple(
        Row(
            r.value, RECIPIENT_LABELS[r].get(lang), tuple(counts.get((r.value, s.value), 0) for s in statuses)
        )
        for r in Recipient
    )
    kind = FigureKind.REFERRALS
    return Figure(
        kind, FIGURE_TITLES[kind].get(lang), ROW_HEADERS[kind].get(lang), columns, rows, stacked=True
    )


def days_between(visited: str, sent: str) -> int | None:
    """Calendar days from the visit's date to the sent date; None for a date that does not parse."""
    try:
        return (date.fromisoformat(sent) - date.fromisoformat(visited)).days
    except ValueError:
        return None


def _median_figure(app: AppContext, scope: queries.Scope, lang: str | None) -> Figure:
    per_recipient: dict[str, list[int]] = defaultdict(list)
    for recipient, visited, sent in queries.sent_referral_dates(app.db, scope):
        days = days_between(visited, sent)
        if days is not None:
            per_recipient[recipient].append(days)
            per_recipient[ALL].append(days)
    columns = (
        Column("median", MEDIAN_DAYS.get(lang), drawn=True, count=False),
        Column("sent", SENT_REFERRALS.get(lang), drawn=False),
    )
    codes = [ALL] + [r.value for r in Recipient if per_recipient.get(r.value)]
    rows = tuple(
        Row(
            code,
            ALL_RECIPIENTS.get(lang) if code == ALL else RECIPIENT_LABELS[Recipient(code)].get(lang),
            (_median(per_recipient.get(code, [])), len(per_recipient.get(code, []))),
        )
        for code in codes
    )
    kind = FigureKind.MEDIAN_DAYS
    return Figure(kind, FIGURE_TITLES[kind].get(lang), ROW_HEADERS[kind].get(lang), columns, rows)


def _median(days: list[int]) -> float | None:
    return float(stats.median(days)) if days else None


def _repeated_figure(found: list[queries.RepeatedLocation], lang: str | None) -> Figure:
    columns = (
        Column("flagged", VISITS_WITH_SIGNALS.get(lang)),
        Column("visits", VISITS.get(lang), drawn=False),
    )
    rows = tuple(
        Row(
            place.location_id,
            f"{place.name} ({place.postcode})" if place.postcode else place.name,
            (place.visits_with_signals, place.visits),
        )
        for place in found
    )
    kind = FigureKind.REPEATED
    return Figure(kind, FIGURE_TITLES[kind].get(lang), ROW_HEADERS[kind].get(lang), columns, rows)


def visits_behind(app: AppContext, period: Period, drill: Drill) -> list[str]:
    """The ids of the visits one cell counted (sorted), with the same conditions as the count."""
    db, scope = app.db, period.scope
    if drill.kind is FigureKind.VISITS:
        return queries.visit_ids_in_month(db, scope, drill.row, drill.column)
    if drill.kind is FigureKind.SIGNALS:
        catalogue = load_catalogue()
        category = Category(drill.row)
        slugs = sorted(s for s, i in catalogue.indicators.items() if i.category is category)
        if category is Category.GENERAL:  # unknown slugs count as general (category_of)
            slugs += _unknown_slugs(app, period, catalogue)
        return queries.visit_ids_with_standing(db, scope, slugs, drill.column)
    if drill.kind is FigureKind.REFERRALS:
        return queries.visit_ids_with_referral(db, scope, drill.row, drill.column)
    if drill.kind is FigureKind.MEDIAN_DAYS:
        if drill.row == ALL:
            return sorted(
                {i for r in Recipient for i in queries.visit_ids_with_referral(db, scope, r, None, True)}
            )
        return queries.visit_ids_with_referral(db, scope, drill.row, None, sent_only=True)
    return queries.visit_ids_at_location(db, scope, drill.row)


def _unknown_slugs(app: AppContext, period: Period, catalogue: Catalogue) -> list[str]:
    return sorted(
        {slug for slug, _w, _n in queries.standing_by_slug(app.db, period.scope) if slug not in catalogue}
    )
