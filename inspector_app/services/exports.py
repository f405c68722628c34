"""Office exports for spreadsheets: visits (no persons, no signal detail) and, restricted, signals.

Rows stream from one cursor into the csv module or openpyxl's write-only workbook, into a temporary
file next to the target that is renamed over it only when complete: a full disk, an error or a cancel
leaves no half file and the previous file, if any, as it was. Labels follow the chosen language and
every label has its code in a column of its own, so a script can filter on the code whatever language
the export was made in. The signals export holds pseudonymous person codes and which indicators
stand: only the office may make it, and every export (and every refused attempt) is in the audit log.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from inspector_app.errors import AppError, InvalidInputError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.export_rows import (
    signal_columns,
    signal_export_rows,
    visit_columns,
    visit_export_rows,
)
from inspector_app.services.keys import is_office
from inspector_app.storage import exports as exports_repo
from inspector_app.storage.audit import AuditEntry, append
from inspector_app.storage.db import writing
from inspector_app.storage.visits import VisitFilter, count_visits


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportKind(StrEnum):
    VISITS = "visits"
    SIGNALS = "signals"


class RestrictedExportError(AppError):
    """An export the installation's role does not allow (the signals export outside the office)."""

    exit_code = 77  # EX_NOPERM


Progress = Callable[[int, int], None]
"""Called with (rows written, rows in total) every few thousand rows; raising from it cancels."""

PROGRESS_EVERY = 2000
SIGNALS_ACTION = "export.signals"
SIGNALS_REFUSED_ACTION = "export.signals.refused"


@dataclass(frozen=True)
class ExportResult:
    kind: ExportKind
    format: ExportFormat
    path: Path | None  # None: written to a stream (stdout)
    rows: int


# ------------------------------------------------------------------------------------ writing


def _write_csv(
    handle: IO[str], header: list[str], rows: Iterable[list[Any]], tick: Callable[[], None]
) -> int:
    writer = csv.writer(handle)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % PROGRESS_EVERY == 0:
            tick()
    return count


def _write_xlsx(
    path: Path, sheet: str, header: list[str], rows: Iterable[list[Any]], tick: Callable[[], None]
) -> int:
    from openpyxl import Workbook  # only for this export: the other commands start without it

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(header)
    count = 0
    try:
        for row in rows:
            worksheet.append(row)
            count += 1
            if count % PROGRESS_EVERY == 0:
                tick()
    except BaseException:
        _discard(worksheet)
        raise
    workbook.save(str(path))
    return count


def _discard(worksheet: Any) -> None:
    """A cancelled or failed XLSX: end the sheet's XML stream and remove openpyxl's own temporary file
    (write-only mode spools the rows there), so neither lingers until garbage collection."""
    with contextlib.suppress(Exception):
        worksheet.close()
    writer = getattr(worksheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def _check_target(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInputError(
            _("De map {folder} bestaat niet; kies een bestaande map voor de export.", folder=str(folder))
        )
    if target.is_dir():
        raise InvalidInputError(_("{path} is een map; geef een bestandsnaam.", path=str(target)))
    if not os.access(folder, os.W_OK):
        raise InvalidInputError(
            _("In de map {folder} mag niet worden geschreven; kies een andere map.", folder=str(folder))
        )


def _write_file(
    target: Path,
    fmt: ExportFormat,
    sheet: str,
    header: list[str],
    rows: Iterable[list[Any]],
    tick: Callable[[], None],
) -> int:
    """Write to a temporary file in the target's folder, fsync, then rename it over the target."""
    _check_target(target)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _file_problem(target, error) from error
    partial = Path(temporary)
    try:
        if fmt is ExportFormat.CSV:
            with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
                count = _write_csv(handle, header, rows, tick)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.close(descriptor)
            count = _write_xlsx(partial, sheet, header, rows, tick)
            with partial.open("rb") as written:
                os.fsync(written.fileno())
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise _file_problem(target, error) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def _file_problem(target: Path, error: OSError) -> InvalidInputError:
    return InvalidInputError(
        _(
            "De export naar {path} is niet gelukt ({problem}); er is geen (half) bestand achtergelaten."
            " Kies een andere map of maak ruimte vrij.",
            path=str(target),
            problem=error.strerror or type(error).__name__,
        )
    )


def export_visits(
    app: AppContext,
    visit_filter: VisitFilter,
    fmt: ExportFormat,
    target: Path | None,
    stream: IO[str] | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the visits of the filter to `target` (or, CSV only, to `stream`)."""
    total = count_visits(app.db, visit_filter) if progress else 0
    rows = visit_export_rows(app, visit_filter)
    count = _write(fmt, target, stream, _("Bezoeken"), visit_columns(), rows, progress, total)
    return ExportResult(ExportKind.VISITS, fmt, target, count)


def require_signals_role(app: AppContext) -> None:
    """Refuse (and record the attempt) unless this is the office installation."""
    if is_office(app):
        return
    with writing(app.db):
        append(app.db, AuditEntry(app.actor, app.device_id, SIGNALS_REFUSED_ACTION, "export", "signals"))
    raise RestrictedExportError(
        _(
            "De signalenexport bevat persoonscodes en mag alleen op het kantoor worden gemaakt"
            " (kantoorrol). Deze installatie is geen kantoor; de poging is vastgelegd in het auditlog."
        )
    )


def export_signals(
    app: AppContext,
    visit_filter: VisitFilter,
    fmt: ExportFormat,
    target: Path | None,
    stream: IO[str] | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Office only: write the standing indicators of the filter's visits, and audit that it was made."""
    require_signals_role(app)
    total = exports_repo.count_signal_rows(app.db, visit_filter) if progress else 0
    rows = signal_export_rows(app, visit_filter)
    count = _write(fmt, target, stream, _("Signalen"), signal_columns(), rows, progress, total)
    details = {
        "format": fmt.value,
        "rows": count,
        "file": target.name if target is not None else "-",
        "filter": {k: v for k, v in visit_filter.__dict__.items() if v not in (None, "", False, 0)},
    }
    with writing(app.db):
        append(
            app.db,
            AuditEntry(app.actor, app.device_id, SIGNALS_ACTION, "export", "signals", None, None, details),
        )
    return ExportResult(ExportKind.SIGNALS, fmt, target, count)


def _write(
    fmt: ExportFormat,
    target: Path | None,
    stream: IO[str] | None,
    sheet: str,
    header: list[str],
    rows: Generator[list[Any]],
    progress: Progress | None,
    total: int,
) -> int:
    written = [0]

    def tick() -> None:
        written[0] += PROGRESS_EVERY
        if progress is not None:
            progress(min(written[0], total), total)

    # The cursor is closed here, also on a cancel, not when the generator is collected after the
    # worker's connection is gone.
    with contextlib.closing(rows):
        if target is None:
            if stream is None or fmt is not ExportFormat.CSV:
                raise InvalidInputError(
                    _("Naar de standaarduitvoer (-o -) kan alleen CSV worden geschreven.")
                )
            return _write_csv(stream, header, rows, tick)
        # No report after the rename: a cancel raised from there would come when the file is complete.
        return _write_file(target, fmt, sheet, header, rows, tick)
