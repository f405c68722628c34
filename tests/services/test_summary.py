"""The annual summary: PDF/A, the same bytes for the same store, every count suppressed under the
policy's threshold, and a spreadsheet that reads back with the figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]
from pypdf import PdfReader

from inspector_app.domain.labels import CATEGORY_LABELS, LOCATION_TYPE_LABELS, RECIPIENT_LABELS
from inspector_app.domain.model import Category, LocationType, Recipient, ReferralStatus, Weight
from inspector_app.errors import InvalidInputError
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.policy import set_policy
from inspector_app.services.summary import build_summary, render_summary_pdf, save_summary
from tests.reports.pdfa_check import check_pdfa
from tests.services.office_store import Independent, make_office_store

YEAR = date.today().year - 1


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    context = open_app(Path(tmp_path_factory.mktemp("summary")) / "data")
    context.settings.profile.name = "Kantoor 1"
    make_office_store(context, visits=200, seed=11)
    yield context
    context.close()


def _published(count: int, threshold: int) -> int | str:
    return f"< {threshold}" if 0 < count < threshold else count


def _year(app: AppContext) -> Independent:
    return Independent(app, date(YEAR, 1, 1), date(YEAR, 12, 31))


def test_every_count_is_suppressed_under_the_threshold(office: AppContext) -> None:
    raw = _year(office)
    summary = build_summary(office, YEAR, "nl")
    assert summary.threshold == 5
    visits, signals, referrals, medians, repeated = summary.figures
    per_month = raw.visits_per_month()
    for row_index, (label, cells) in enumerate(visits.rows):
        month = f"{YEAR}-{row_index + 1:02d}"
        assert label == month
        assert list(cells) == [_published(per_month[(month, t.value)], 5) for t in LocationType]
        for series, t in enumerate(LocationType):  # a suppressed count is never drawn
            count = per_month[(month, t.value)]
            assert visits.drawn[series][row_index] == (0 if 0 < count < 5 else count)
    counted = raw.signals()
    assert [cells for _label, cells in signals.rows] == [
        tuple(_published(counted[(c.value, w.value)], 5) for w in Weight) for c in Category
    ]
    by = raw.referrals_by()
    assert [cells for _label, cells in referrals.rows] == [
        tuple(_published(by[(r.value, s.value)], 5) for s in ReferralStatus) for r in Recipient
    ]
    shown = [cell for _label, cells in (*visits.rows, *signals.rows, *referrals.rows) for cell in cells]
    assert "< 5" in shown and 0 in shown and any(isinstance(c, int) and c >= 5 for c in shown)
    expected_medians = raw.medians()
    for label, (median, sent) in medians.rows:
        code = (
            "*"
            if label == "Alle ontvangers"
            else next(r.value for r in Recipient if RECIPIENT_LABELS[r].nl == label)
        )
        true_median, true_sent = expected_medians[code]
        assert sent == _published(true_sent, 5)
        assert median == (true_median if true_sent >= 5 else "—")
    per_type = {t: 0 for t in LocationType}
    for location_id in raw.repeated():
        per_type[LocationType(raw.types[location_id])] += 1
    assert [cells for _label, cells in repeated.rows] == [(_published(per_type[t], 5),) for t in LocationType]
    assert [label for label, _cells in repeated.rows] == [LOCATION_TYPE_LABELS[t].nl for t in LocationType]


def test_the_threshold_follows_the_policy(office: AppContext) -> None:
    raw = _year(office)
    counted = raw.signals()
    try:
        set_policy(office, "suppression_threshold", "3")
        summary = build_summary(office, YEAR, "nl")
        assert summary.threshold == 3
        cells = [c for _label, row in summary.figures[1].rows for c in row]
        assert cells == [_published(counted[(c.value, w.value)], 3) for c in Category for w in Weight]
        set_policy(office, "suppression_threshold", "20")
        summary = build_summary(office, YEAR, "nl")
        cells = [c for _label, row in summary.figures[1].rows for c in row]
        assert cells == [_published(counted[(c.value, w.value)], 20) for c in Category for w in Weight]
    finally:
        set_policy(office, "suppression_threshold", "5")


def test_the_pdf_is_pdfa_and_the_same_bytes_for_the_same_store(office: AppContext, tmp_path: Path) -> None:
    first = save_summary(office, YEAR, "pdf", tmp_path / "a.pdf", "nl").read_bytes()
    second = save_summary(office, YEAR, "pdf", tmp_path / "b.pdf", "nl").read_bytes()
    assert first == second
    check_pdfa(first)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "a.pdf").pages)
    assert f"Jaaroverzicht mensenhandel {YEAR}" in text and "< 5" in text
    for location in office.db.execute("SELECT name FROM locations").fetchall():
        assert location[0] not in text  # no location is named
    english = render_summary_pdf(build_summary(office, YEAR, "en"))
    check_pdfa(english)
    assert english != first


def test_a_changed_figure_changes_the_pdf(office: AppContext) -> None:
    before = render_summary_pdf(build_summary(office, YEAR, "nl"))
    try:
        set_policy(office, "municipality", "Westerdam")
        after = render_summary_pdf(build_summary(office, YEAR, "nl"))
    finally:
        set_policy(office, "municipality", "")
    assert after != before


def test_the_spreadsheet_reads_back_with_the_figures(office: AppContext, tmp_path: Path) -> None:
    raw = _year(office)
    path = save_summary(office, YEAR, "xlsx", tmp_path / "jaar.xlsx", "en")
    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    assert names[0] == "Notes" and len(names) == 6
    signals = [list(row) for row in book[names[2]].iter_rows(values_only=True)]
    assert signals[1] == ["Category", "High", "Medium", "Low"]
    counted = raw.signals()
    for category, row in zip(Category, signals[2:7], strict=True):
        assert row[0] == CATEGORY_LABELS[category].en
        assert row[1:] == [_published(counted[(category.value, w.value)], 5) for w in Weight]
    visits = [list(row) for row in book[names[1]].iter_rows(values_only=True)]
    per_month = raw.visits_per_month()
    assert visits[2][0] == f"{YEAR}-01"
    assert visits[2][1:] == [_published(per_month[(f"{YEAR}-01", t.value)], 5) for t in LocationType]
    notes = [row[0] for row in book["Notes"].iter_rows(values_only=True) if row and row[0]]
    assert any("< 5" in str(note) for note in notes)
    book.close()


def test_bad_requests_are_refused_and_write_nothing(office: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="xlsx of pdf"):
        save_summary(office, YEAR, "csv", tmp_path / "x.csv", "nl")
    with pytest.raises(InvalidInputError, match="map"):
        save_summary(office, YEAR, "pdf", tmp_path, "nl")
    with pytest.raises(InvalidInputError, match="2000 en 2100"):
        save_summary(office, 1850, "pdf", tmp_path / "x.pdf", "nl")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(InvalidInputError, match="niet schrijven"):
        save_summary(office, YEAR, "pdf", tmp_path / "file" / "x.pdf", "nl")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
