"""The office exports: counts against the store, what the visits export must never hold, the signals
export's role check and audit entry, and hostile targets that must leave no file behind."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector_app.cli.main import main
from inspector_app.domain.catalogue import load_catalogue
from inspector_app.errors import InvalidInputError
from inspector_app.i18n import set_language
from inspector_app.services import export_rows, exports
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.exports import ExportFormat, RestrictedExportError
from inspector_app.services.visits import VisitFilter
from tests.sync.conftest import office  # noqa: F401  # pytest registers imported fixtures

FILTERS = [
    (VisitFilter(), ""),
    (VisitFilter(status="final"), "v.status = 'final'"),
    (VisitFilter(location_type="PB"), "l.location_type = 'PB'"),
    (
        VisitFilter(since="2026-03-01", until="2026-09-01"),
        "v.started_at >= '2026-03-01' AND v.started_at < '2026-09-01'",
    ),
    (VisitFilter(has_high=True), "v.count_h > 0"),
    (
        VisitFilter(referral_status="none"),
        "NOT EXISTS (SELECT 1 FROM referrals r WHERE r.visit_id = v.id)",
    ),
]


@pytest.fixture
def demo(app: AppContext) -> AppContext:
    create_demo_visits(app, 120, seed=14)
    return app


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _xlsx_rows(path: Path) -> list[list[object]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _independent(app: AppContext, condition: str) -> tuple[int, int]:
    """Visits and referrals of a filter, counted by SQL written here, not by the export's query."""
    where = f"WHERE {condition}" if condition else ""
    visits = app.db.execute(
        f"SELECT count(*) FROM visits v JOIN locations l ON l.id = v.location_id {where}"
    ).fetchone()[0]
    referrals = app.db.execute(
        "SELECT count(*) FROM referrals WHERE visit_id IN"
        f" (SELECT v.id FROM visits v JOIN locations l ON l.id = v.location_id {where})"
    ).fetchone()[0]
    return int(visits), int(referrals)


@pytest.mark.parametrize(("visit_filter", "condition"), FILTERS)
@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
def test_visit_export_counts_match_the_store(
    demo: AppContext, tmp_path: Path, visit_filter: VisitFilter, condition: str, fmt: ExportFormat
) -> None:
    target = tmp_path / f"visits.{fmt.value}"
    result = exports.export_visits(demo, visit_filter, fmt, target)
    rows = _csv_rows(target) if fmt is ExportFormat.CSV else _xlsx_rows(target)
    header, body = rows[0], rows[1:]
    visits, referrals = _independent(demo, condition)
    assert result.rows == len(body) == visits
    assert visits > 0
    assert sum(int(str(row[header.index("doorverwijzingen")] or 0)) for row in body) == referrals
    assert len({row[0] for row in body}) == visits  # one row per visit


def test_visit_export_counts_per_weight_and_acute(demo: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "v.csv"
    exports.export_visits(demo, VisitFilter(), ExportFormat.CSV, target)
    header, *body = _csv_rows(target)
    stored = {
        str(r[0]): (r[1], r[2], r[3], "ja" if r[4] else "nee")
        for r in demo.db.execute("SELECT id, count_h, count_m, count_l, acute FROM visits")
    }
    columns = [header.index(c) for c in ("signalen_hoog", "signalen_midden", "signalen_laag", "acuut")]
    exported = {row[0]: tuple(row[i] for i in columns) for row in body}
    assert exported == {k: (str(h), str(m), str(low), a) for k, (h, m, low, a) in stored.items()}


def test_visit_export_has_no_persons_and_no_indicators(demo: AppContext, tmp_path: Path) -> None:
    codes = [str(r[0]) for r in demo.db.execute("SELECT code FROM persons")]
    assert codes, "the demo store must hold persons for this test to mean something"
    catalogue = load_catalogue()
    words = [slug for slug in catalogue.indicators] + [
        text for entry in catalogue.indicators.values() for text in (entry.label.nl, entry.label.en)
    ]
    for fmt in ExportFormat:
        target = tmp_path / f"v.{fmt.value}"
        exports.export_visits(demo, VisitFilter(), fmt, target)
        rows = _csv_rows(target) if fmt is ExportFormat.CSV else _xlsx_rows(target)
        text = "\n".join("\t".join(str(cell) for cell in row) for row in rows)
        assert not [code for code in codes if code in text]
        assert not [word for word in words if word in text]


def test_visit_export_labels_follow_the_language_and_codes_do_not(demo: AppContext, tmp_path: Path) -> None:
    dutch, english = tmp_path / "nl.csv", tmp_path / "en.csv"
    exports.export_visits(demo, VisitFilter(location_type="PB"), ExportFormat.CSV, dutch)
    set_language("en")
    exports.export_visits(demo, VisitFilter(location_type="PB"), ExportFormat.CSV, english)
    nl_header, nl_first, *_rest = _csv_rows(dutch)
    en_header, en_first, *_rest2 = _csv_rows(english)
    assert en_header[3] == "location_type_code" and nl_header[3] == "locatietype_code"
    assert (nl_first[2], en_first[2]) == ("Prostitutiebedrijf", "Prostitution business")
    assert nl_first[3] == en_first[3] == "PB"
    assert nl_first[10] == en_first[10]  # status code


def test_signal_export_is_refused_outside_the_office_and_audited(app: AppContext, tmp_path: Path) -> None:
    create_demo_visits(app, 5, seed=3)
    target = tmp_path / "signals.csv"
    with pytest.raises(RestrictedExportError) as refused:
        exports.export_signals(app, VisitFilter(), ExportFormat.CSV, target)
    assert "kantoor" in refused.value.message
    assert not target.exists()
    actions = [str(r[0]) for r in app.db.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")]
    assert actions == ["export.signals.refused"]


def test_signal_export_cli_refusal_exit_code(
    app: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(app.paths.data_dir)
    app.close()
    code = main(["--data-dir", folder, "export", "signals", "-o", str(tmp_path / "s.csv")])
    assert code == RestrictedExportError.exit_code != 0
    assert "kantoorrol" in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()


def test_signal_export_at_the_office(office: AppContext, tmp_path: Path) -> None:  # noqa: F811
    create_demo_visits(office, 80, seed=5)
    target = tmp_path / "signals.xlsx"
    result = exports.export_signals(office, VisitFilter(), ExportFormat.XLSX, target)
    header, *body = _xlsx_rows(target)
    standing = office.db.execute(
        "SELECT count(*) FROM indicator_observations WHERE active = 1 AND dismissed = 0"
    ).fetchone()[0]
    assert result.rows == len(body) == standing > 0
    catalogue = load_catalogue()
    for row in body:
        slug = str(row[0])
        assert row[1] == catalogue[slug].label.nl and row[3] == catalogue[slug].category.value
    codes = {str(r[0]) for r in office.db.execute("SELECT code FROM persons")}
    named = {code for row in body for code in str(row[header.index("personen")] or "").split()}
    assert named and named <= codes
    referred = office.db.execute(
        "SELECT count(*) FROM indicator_observations o WHERE o.active = 1 AND o.dismissed = 0 AND EXISTS"
        " (SELECT 1 FROM referrals r, json_each(r.slugs) s WHERE r.visit_id = o.visit_id AND s.value = o.slug)"
    ).fetchone()[0]
    assert sum(1 for row in body if row[header.index("doorverwijzing_code")]) == referred
    audit = office.db.execute("SELECT action, entity FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(audit) == ("export.signals", "export")


def test_csv_to_stdout(demo: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(demo.paths.data_dir)
    count = demo.db.execute("SELECT count(*) FROM visits WHERE status = 'final'").fetchone()[0]
    demo.close()
    capsys.readouterr()
    assert main(["--data-dir", folder, "export", "visits", "--status", "final", "-o", "-"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == count + 1


def test_xlsx_to_stdout_is_refused(demo: AppContext) -> None:
    with pytest.raises(InvalidInputError, match="CSV"):
        exports.export_visits(demo, VisitFilter(), ExportFormat.XLSX, None, io.StringIO())


# ------------------------------------------------------------------------------------ hostile targets


def _left_over(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_missing_folder_is_a_clear_message(demo: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="bestaat niet"):
        exports.export_visits(demo, VisitFilter(), ExportFormat.CSV, tmp_path / "nope" / "v.csv")
    assert not (tmp_path / "nope").exists()


def test_target_that_is_a_folder(demo: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="is een map"):
        exports.export_visits(demo, VisitFilter(), ExportFormat.CSV, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_read_only_folder(demo: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InvalidInputError, match="niet worden geschreven"):
            exports.export_visits(demo, VisitFilter(), ExportFormat.CSV, folder / "v.csv")
        assert _left_over(folder) == []
    finally:
        folder.chmod(0o700)


def test_folder_refusing_the_temporary_file(
    demo: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only or full folder does to the first write, also where os.access says yes (root)."""

    def refused(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(InvalidInputError, match="geen \\(half\\) bestand"):
        exports.export_visits(demo, VisitFilter(), ExportFormat.XLSX, tmp_path / "v.xlsx")
    assert not (tmp_path / "v.xlsx").exists()


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_full_disk_mid_export_leaves_the_old_file(
    demo: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: ExportFormat
) -> None:
    target = tmp_path / f"v.{fmt.value}"
    target.write_bytes(b"previous export")
    real_rows = export_rows.visit_export_rows

    def filling_up(app: AppContext, visit_filter: VisitFilter):  # type: ignore[no-untyped-def]
        for index, row in enumerate(real_rows(app, visit_filter)):
            if index == 50:
                raise OSError(errno.ENOSPC, "No space left on device")
            yield row

    monkeypatch.setattr(exports, "visit_export_rows", filling_up)
    with pytest.raises(InvalidInputError, match="No space left"):
        exports.export_visits(demo, VisitFilter(), fmt, target)
    assert target.read_bytes() == b"previous export"
    assert not [name for name in _left_over(tmp_path) if name.endswith(".tmp")]


def test_cancel_leaves_no_file(demo: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class CancelledError(Exception):
        pass

    seen: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> None:
        seen.append((done, total))
        raise CancelledError

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 10)
    with pytest.raises(CancelledError):
        exports.export_visits(demo, VisitFilter(), ExportFormat.CSV, tmp_path / "v.csv", progress=cancel)
    assert seen == [(10, 120)]
    assert [p for p in tmp_path.iterdir() if p.suffix in (".csv", ".tmp")] == []
