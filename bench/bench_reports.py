"""Report benchmark: one visit report (36 answered questions, 6 photos) and 1,000 reports, beside the
floor of bare reportlab writing the same number of plain pages.

Run as `.venv/bin/python bench/bench_reports.py [--quick]`. Everything happens in a temporary data
folder that is removed afterwards. The photo cache is cleared before every timed report, so each one
pays for decoding and downscaling its photos as a batch of different visits would. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from inspector_app.errors import AppError
from inspector_app.forms.model import QuestionType
from inspector_app.reports import images
from inspector_app.reports.fonts import register_fonts
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.documents.render import render_report
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit

QUESTIONS = 36
PHOTOS = 6
ONE_REPORT_TARGET_MS = 300.0


def bench_visit(app: AppContext, folder: Path) -> VisitSession:
    """A prostitution-business visit with 36 answered questions and 6 photos of 2048 x 1536 px."""
    request = NewVisit(
        form="PB",
        location=LocationInput("Club Bench", "Kade 1", "1234 AB", "Middelburcht", "12345678", "VG-1"),
        started_at="2026-03-14T21:05",
        visit_type="gepland",
        inspectors=("Toezichthouder 1001", "Toezichthouder 1002"),
        legal_ground="apv_awb",
    )
    session = VisitSession(app, start_visit(app, request))
    for question in session.form.questions.values():
        if len([a for a in session.answers.values() if a.value is not None]) >= QUESTIONS - 1:  # + photos
            break
        if question.repeat or session.answers.get((question.id, 0)) is not None:
            continue
        value: object = {
            QuestionType.YESNO: "yes",
            QuestionType.INTEGER: 4,
            QuestionType.DECIMAL: 12.5,
            QuestionType.TEXT: "Ruimtes gecontroleerd; waarnemingen vastgelegd per sectie.",
            QuestionType.SINGLE: question.choices[0].value if question.choices else None,
            QuestionType.MULTIPLE: [question.choices[-1].value] if question.choices else None,
        }.get(question.type)
        if value is None:
            continue
        try:
            session.answer(question.id, value)  # type: ignore[arg-type]
        except AppError:
            continue
    for index in range(PHOTOS):
        path = folder / f"photo{index}.jpg"
        noise = Image.effect_noise((2048, 1536), 30 + index).convert("RGB")
        noise.save(path, format="JPEG", quality=85)
        add_photo(session, "PB-33", path, f"Werkkamer {index + 1}")
    return session


def plain_pages(documents: int, pages: int) -> float:
    """The floor: bare reportlab canvases, one line of Helvetica per page, same page count."""
    start = time.perf_counter()
    for _ in range(documents):
        canvas = Canvas(io.BytesIO(), invariant=1)
        for page in range(pages):
            canvas.setFont("Helvetica", 10)
            canvas.drawString(72, 720, f"Pagina {page + 1}")
            canvas.showPage()
        canvas.save()
    return time.perf_counter() - start


def timed_report(session: VisitSession) -> float:
    images._downscaled.cache_clear()
    start = time.perf_counter()
    render_report(session)
    return time.perf_counter() - start


def main() -> int:
    if not os.environ.get("INSPECTOR_APP_PASSPHRASE_FILE"):  # the encrypted store, without an OS key store
        secret = Path(tempfile.mkdtemp(prefix="bench-passphrase-")) / "passphrase"
        secret.write_text("bench-passphrase-not-secret\n", encoding="utf-8")
        os.environ["INSPECTOR_APP_PASSPHRASE_FILE"] = str(secret)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 reports instead of 1,000")
    args = parser.parse_args()
    batch = 100 if args.quick else 1000
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        app = open_app(folder / "data")
        app.settings.profile.municipality = "Gemeente Middelburcht"
        session = bench_visit(app, folder)
        answered = len([a for a in session.answers.values() if a.value is not None])
        start = time.perf_counter()
        register_fonts()
        fonts = time.perf_counter() - start
        first = timed_report(session)
        data = render_report(session)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        singles = [timed_report(session) for _ in range(20)]
        start = time.perf_counter()
        for _ in range(batch):
            timed_report(session)
        total = time.perf_counter() - start
        floor = plain_pages(batch, pages)
        app.close()
    median = statistics.median(singles) * 1000
    print(f"visit: {answered} answered questions, {PHOTOS} photos, {pages} pages, {len(data) / 1024:.0f} KiB")
    print(f"font registration (once per process)   {fonts * 1000:8.1f} ms")
    print(f"first report (cold)                    {first * 1000:8.1f} ms")
    print(
        f"one report, median of 20               {median:8.1f} ms   target <= {ONE_REPORT_TARGET_MS:.0f} ms"
        f"   {'ok' if median <= ONE_REPORT_TARGET_MS else 'OVER TARGET'}"
    )
    print(f"{batch} reports                         {total:8.2f} s    ({total / batch * 1000:.1f} ms each)")
    print(
        f"floor: reportlab, {batch * pages} plain pages      {floor:8.2f} s    ({floor / batch * 1000:.1f} ms per"
        f" {pages}-page document)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
