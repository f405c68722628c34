"""The annual summary for the council and the RIEC: the dashboard's figures for a year, published.

Published means small-number suppression on every count (domain/suppression.py, threshold from the
policy): a count from 1 to the threshold could single out a location or the people at it. Beyond
that:

- no marginal totals: with a total beside its cells a single suppressed cell could be computed back;
- no location is named: "locations with repeated signals" becomes a count per location type;
- a median over fewer sent referrals than the threshold is not shown (it would tell a few dates).

The same figures give the PDF/A (reports/summary.py) and the spreadsheet (services/summary_xlsx.py).
The PDF is a pure function of the store: its dates are the newest visit change of the year, never
"now", so the same store gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from inspector_app.domain.labels import LOCATION_TYPE_LABELS
from inspector_app.domain.model import LocationType
from inspector_app.domain.suppression import Published, format_cell, suppress
from inspector_app.errors import InvalidInputError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import LANGUAGES, _
from inspector_app.i18n import LocalText as T
from inspector_app.logs import log_event
from inspector_app.reports.model import DocumentMeta
from inspector_app.reports.pdfa import make_pdfa
from inspector_app.reports.summary import ChartData, SummarySection, SummaryView, render_summary
from inspector_app.services.app import AppContext
from inspector_app.services.policy import current_policy
from inspector_app.services.statistics import (
    Figure,
    FigureKind,
    Period,
    build_dashboard,
)
from inspector_app.storage.statistics import latest_change

SUMMARY_KIND = "summary"

TITLE = T("Jaaroverzicht mensenhandel {year}", "Annual overview human trafficking {year}")
SUBTITLE = T(
    "{municipality} — inspecties, signalen en doorverwijzingen van 1 januari tot en met 31 december {year}",
    "{municipality} — inspections, signals and referrals from 1 January to 31 December {year}",
)
NO_MUNICIPALITY = T("Gemeente (niet ingesteld)", "Municipality (not set)")
SUPPRESSION_NOTE = T(
    "Aantallen van 1 tot {threshold} zijn weergegeven als '< {threshold}' en in de grafieken niet getekend: "
    "zo klein kunnen ze een locatie of de mensen daar herkenbaar maken. Totalen zijn weggelaten, zodat "
    "weggelaten aantallen niet zijn terug te rekenen. Locaties worden niet bij naam genoemd.",
    "Counts from 1 to {threshold} are shown as '< {threshold}' and not drawn in the charts: that small, "
    "they could make a location or the people there recognisable. Totals are left out so that hidden "
    "counts cannot be computed back. No location is named.",
)
COUNTING_NOTE = T(
    "Signalen zijn staande indicatoren: per bezoek één per indicator, op het zwaarste gewicht; "
    "weggestreepte indicatoren tellen niet mee. Bezoeken tellen mee in de maand waarin ze begonnen, "
    "ook als ze nog niet definitief zijn.",
    "Signals are standing indicators: per visit one per indicator, at its strongest weight; dismissed "
    "indicators do not count. Visits count in the month they started, also when not yet final.",
)
MEDIAN_NOTE = T(
    "Een mediaan over minder dan {threshold} verzonden doorverwijzingen wordt niet getoond (—).",
    "A median over fewer than {threshold} referrals sent is not shown (—).",
)
REPEATED_TITLE = T(
    "Locaties met herhaalde signalen per soort locatie", "Locations with repeated signals by location type"
)
REPEATED_NOTE = T(
    "Locaties met twee of meer bezoeken met signalen in het jaar.",
    "Locations with two or more visits with signals in the year.",
)
LOCATIONS = T("Locaties", "Locations")


class SummaryFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


@dataclass(frozen=True)
class PublishedFigure:
    """One figure as published: cells are numbers, or a text where a count is suppressed."""

    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Published, ...]], ...]
    drawn: tuple[tuple[float, ...], ...]  # per drawn column, per row; 0 where suppressed
    drawn_columns: tuple[str, ...]
    stacked: bool = False
    horizontal: bool = False
    note: str = ""


@dataclass(frozen=True)
class AnnualSummary:
    year: int
    lang: str
    municipality: str
    threshold: int
    practice: bool
    changed_at: str | None
    figures: tuple[PublishedFigure, ...]

    @property
    def title(self) -> str:
        return TITLE.get(self.lang).format(year=self.year)

    @property
    def subtitle(self) -> str:
        municipality = self.municipality or NO_MUNICIPALITY.get(self.lang)
        return SUBTITLE.get(self.lang).format(municipality=municipality, year=self.year)

    @property
    def notes(self) -> tuple[str, ...]:
        return (
            SUPPRESSION_NOTE.get(self.lang).format(threshold=self.threshold),
            COUNTING_NOTE.get(self.lang),
        )

    def fingerprint(self) -> str:
        """A hash of everything published: the PDF's revision, so a changed figure shows."""
        content = [[f.title, f.columns, f.rows] for f in self.figures]
        encoded = json.dumps([self.year, self.lang, self.municipality, self.threshold, content])
        return hashlib.sha256(encoded.encode()).hexdigest()


def build_summary(app: AppContext, year: int, lang: str) -> AnnualSummary:
    if lang not in LANGUAGES:
        raise InvalidInputError(_("Onbekende taal {lang}; kies nl of en", lang=lang))
    period = Period.year(year)
    policy = current_policy(app)
    threshold = policy.suppression_threshold
    dashboard = build_dashboard(app, period, lang)
    figures = [
        _counts(dashboard.figure(FigureKind.VISITS), threshold),
        _counts(dashboard.figure(FigureKind.SIGNALS), threshold, horizontal=True),
        _counts(dashboard.figure(FigureKind.REFERRALS), threshold, horizontal=True),
        _medians(dashboard.figure(FigureKind.MEDIAN_DAYS), threshold, lang),
        _repeated(dashboard.repeated_types, threshold, lang),
    ]
    return AnnualSummary(
        year,
        lang,
        policy.municipality,
        threshold,
        app.practice,
        latest_change(app.db, period.scope),
        tuple(figures),
    )


def _published(count: int, threshold: int) -> tuple[Published, float]:
    shown = suppress(count, threshold)
    return (shown.text if shown.suppressed else count), float(shown.drawn)


def _counts(figure: Figure, threshold: int, horizontal: bool = False) -> PublishedFigure:
    rows = []
    drawn: list[list[float]] = [[] for _c in figure.columns]
    for row in figure.rows:
        cells = []
        for index, value in enumerate(row.values):
            cell, bar = _published(int(value or 0), threshold)
            cells.append(cell)
            drawn[index].append(bar)
        rows.append((row.label, tuple(cells)))
    return PublishedFigure(
        figure.title,
        figure.row_header,
        tuple(c.label for c in figure.columns),
        tuple(rows),
        tuple(tuple(series) for series in drawn),
        tuple(c.label for c in figure.columns),
        stacked=figure.stacked,
        horizontal=horizontal,
    )


def _medians(figure: Figure, threshold: int, lang: str) -> PublishedFigure:
    rows = []
    bars = []
    for row in figure.rows:
        median, sent = row.values
        count = int(sent or 0)
        enough = count >= threshold and median is not None
        cell, _bar = _published(count, threshold)
        rows.append((row.label, (float(median) if enough and median is not None else "—", cell)))
        bars.append(float(median) if enough and median is not None else 0.0)
    return PublishedFigure(
        figure.title,
        figure.row_header,
        tuple(c.label for c in figure.columns),
        tuple(rows),
        (tuple(bars),),
        (figure.columns[0].label,),
        horizontal=True,
        note=MEDIAN_NOTE.get(lang).format(threshold=threshold),
    )


def _repeated(counts: dict[LocationType, int], threshold: int, lang: str) -> PublishedFigure:
    rows = []
    bars = []
    for location_type in LocationType:
        cell, bar = _published(counts.get(location_type, 0), threshold)
        rows.append((LOCATION_TYPE_LABELS[location_type].get(lang), (cell,)))
        bars.append(bar)
    label = LOCATIONS.get(lang)
    return PublishedFigure(
        REPEATED_TITLE.get(lang),
        T("Soort locatie", "Location type").get(lang),
        (label,),
        tuple(rows),
        (tuple(bars),),
        (label,),
        horizontal=True,
        note=REPEATED_NOTE.get(lang),
    )


def summary_view(summary: AnnualSummary) -> SummaryView:
    lang = summary.lang
    sections = []
    for figure in summary.figures:
        chart = ChartData(
            tuple(label for label, _cells in figure.rows),
            figure.drawn_columns,
            figure.drawn,
            stacked=figure.stacked,
            horizontal=figure.horizontal,
        )
        sections.append(
            SummarySection(
                figure.title,
                figure.row_header,
                figure.columns,
                tuple((label, tuple(format_cell(c, lang) for c in cells)) for label, cells in figure.rows),
                chart,
                figure.note,
            )
        )
    meta = DocumentMeta(
        kind=SUMMARY_KIND,
        document_id=f"JO-{summary.year}",
        title=summary.title,
        lang=lang,
        revision=summary.fingerprint(),
        draft=False,
        municipality=summary.municipality,
        created_at=summary.changed_at,
        practice=summary.practice,
    )
    return SummaryView(meta, summary.title, summary.subtitle, summary.notes, tuple(sections))


def render_summary_pdf(summary: AnnualSummary) -> bytes:
    view = summary_view(summary)
    return make_pdfa(render_summary(view), view.meta)


def _workbook(summary: AnnualSummary) -> bytes:
    from inspector_app.services.summary_xlsx import summary_workbook  # openpyxl loads on first use

    return summary_workbook(summary)


def save_summary(app: AppContext, year: int, fmt: SummaryFormat | str, path: Path, lang: str) -> Path:
    """Write the summary of `year` atomically as PDF/A or XLSX: the file is complete or absent."""
    try:
        chosen = SummaryFormat(fmt)
    except ValueError:
        raise InvalidInputError(_("Onbekend formaat {format}; kies xlsx of pdf", format=fmt)) from None
    if path.is_dir():
        raise InvalidInputError(_("{path} is een map; geef een bestandsnaam", path=path))
    summary = build_summary(app, year, lang)
    writers = {SummaryFormat.PDF: render_summary_pdf, SummaryFormat.XLSX: _workbook}
    data = writers[chosen](summary)
    try:
        atomic_write_bytes(path, data)
    except OSError as error:
        raise InvalidInputError(
            _("Kan {path} niet schrijven: {error}", path=path, error=error.strerror or error)
        ) from None
    log_event("summary_made", year=year, format=chosen.value, lang=lang)
    return path
