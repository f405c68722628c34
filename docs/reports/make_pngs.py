"""Render the example report pages in this folder: `.venv/bin/python docs/reports/make_pngs.py`.

Uses synthetic demo visits in a temporary data folder and `pdftoppm` (poppler-utils) for the PNGs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader

from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.documents.render import save_report
from inspector_app.services.documents.zaak import set_zaak
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.indicators import tick
from inspector_app.services.visit.photos import add_photo
from inspector_app.services.visit.referrals import add_referral
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.visits import VisitFilter, list_visits

HERE = Path(__file__).resolve().parent


def room_photo(path: Path, shade: int) -> Path:
    """A plain drawing of a room (walls, door, bed), standing in for a photo of the premises."""
    image = Image.new("RGB", (1600, 1200), (200 - shade, 190, 175))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 850, 1600, 1200), fill=(120, 95, 70))
    draw.rectangle((1150, 250, 1450, 850), fill=(90, 70, 55))
    draw.rectangle((150, 650, 800, 900), fill=(235, 235, 240), outline=(60, 60, 60), width=6)
    image.save(path, format="JPEG", quality=85)
    return path


def png(pdf: Path, name: str, page: int = 1) -> None:
    target = HERE / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    print(f"{target}.png")


def _page_with(pdf: Path, text: str) -> int:
    reader = PdfReader(pdf)
    return next(n for n, page in enumerate(reader.pages, 1) if text in page.extract_text())


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        app = open_app(folder / "data")
        app.settings.profile.municipality = "Gemeente Middelburcht"
        create_demo_visits(app, 16, seed=11)
        best: dict[str, VisitSession] = {}
        for row in list_visits(app.db, VisitFilter(status="final", limit=None)):
            session = VisitSession(app, row.id)
            current = best.get(session.form.location_type.value)
            if current is None or len(session.answers) > len(current.answers):
                best[session.form.location_type.value] = session
        for code, session in sorted(best.items()):
            pdf = folder / f"{code}.pdf"
            save_report(session, pdf)
            png(pdf, f"visit-report-{code}", page=2)
            if code == "PB":
                png(pdf, "visit-report-PB-page1")
        # the same prostitution-business visit, filed under a zaak and corrected twice after finalisation
        corrected = best["PB"]
        app.settings.profile.name = "Toezichthouder 1228"
        set_zaak(corrected, "Z-2026-000123", "Toezicht prostitutiebedrijf")
        amend_visit(corrected, "PB-05", "no", "Beheerder bleek de schoonmaker; verkeerd aangeklikt.")
        amend_visit(
            corrected, "PB-36", "Rondgang gemaakt; beheerder kwam later.", "Notitie aangevuld na overleg."
        )
        pdf = folder / "corrected.pdf"
        save_report(VisitSession(app, corrected.visit_id), pdf)
        png(pdf, "visit-report-PB-corrected", page=_page_with(pdf, "10. Aanvullingen"))
        png(pdf, "visit-report-PB-corrected-page1")
        # a draft prostitution-business visit with photos and signals: findings page, signal form, receipt
        request = NewVisit(
            form="PB",
            location=LocationInput(
                "Club Łódź", "Havenstraat 12", "4331 AB", "Middelburcht", "81234567", "VG-2026-17"
            ),
            started_at="2026-03-14T21:05",
            visit_type="onaangekondigd",
            inspectors=("Toezichthouder 1001", "Toezichthouder 1002"),
            legal_ground="apv_awb",
        )
        session = VisitSession(app, start_visit(app, request))
        for ref, value in {
            "PB-01": "ja",
            "PB-02": "VG-2026-17, geldig tot 31-12-2027",
            "PB-03": "club",
            "PB-05": "ja",
            "PB-12a": "21",
            "PB-12": "nee",
            "PB-28a": "nee",
            "PB-32a": "nee",
            "PB-34": "hygiene,brandveiligheid",
            "PB-35": "waarschuwing,aandachtsfunctionaris",
            "P-ROLE[1]": "operator",
            "P-ROLE[2]": "sex_worker",
            "P-AGE[2]": "18_20",
            "PB-20[2]": "nee",
            "PB-22[2]": "ja",
            "PB-27": "gen.fear",
            "PB-36": "Rondgang gemaakt met de beheerder (Ștefan, 王小明 op de vergunning).",
        }.items():
            session.answer_text(ref, value)
        session.set_note("PB-22[2]", "Zegt letterlijk: 'ik moet eerst mijn reis terugbetalen'.")
        tick(session, "gen.scripted_story", "Twee sekswerkers vertelden woordelijk hetzelfde verhaal.")
        add_referral(
            session, "contact_person", "days", note="Telefonisch besproken met de aandachtsfunctionaris."
        )
        for index in range(4):
            add_photo(
                session,
                "PB-33",
                room_photo(folder / f"room{index}.jpg", index * 30),
                f"Werkkamer {index + 1}",
            )
        for kind, name in (
            ("visit", "visit-report-PB-draft-photos"),
            ("signal", "signal-form"),
            ("receipt", "receipt"),
        ):
            pdf = folder / f"{kind}.pdf"
            save_report(session, pdf, kind)
            png(pdf, name, page=_page_with(pdf, "Foto 1") if kind == "visit" else 1)
        # violations from the answers (administration missing, a sex worker below the APV minimum age,
        # no alarm button) next to a hand-ticked one
        request = NewVisit(
            form="PB",
            location=LocationInput(
                "Club Zuid", "Kade 3", "4331 CD", "Middelburcht", "87654321", "VG-2026-21"
            ),
            started_at="2026-03-15T22:10",
            visit_type="onaangekondigd",
            inspectors=("Toezichthouder 1001",),
            legal_ground="apv_awb",
        )
        session = VisitSession(app, start_visit(app, request))
        for ref, value in {
            "PB-01": "ja",
            "PB-05": "ja",
            "PB-09": "nee",
            "PB-12a": "18",
            "PB-12": "nee",
            "PB-30": "nee",
            "PB-34": "hygiene",
        }.items():
            session.answer_text(ref, value)
        pdf = folder / "violations.pdf"
        save_report(session, pdf)
        png(pdf, "visit-report-PB-violations", page=_page_with(pdf, "7. Overtredingen"))
        # a licensed erotic massage parlour: the sex-business licence checks (checklist version 4)
        request = NewVisit(
            form="MS",
            location=LocationInput(
                "Salon Lotus", "Markt 7", "4331 EF", "Middelburcht", "81112222", "VG-2026-30"
            ),
            started_at="2026-03-16T15:00",
            visit_type="onaangekondigd",
            inspectors=("Toezichthouder 1001",),
            legal_ground="apv_awb",
        )
        session = VisitSession(app, start_visit(app, request))
        for ref, value in {
            "MS-03": "tantra_erotisch",
            "MS-04": "ja",
            "MS-07": "2",
            "MS-32a": "ja",
            "MS-32b": "nee",
            "MS-32c": "ja",
            "MS-32d": "ja",
            "MS-32e": "nee",
            "MS-32f": "ja",
            "MS-32g": "nee",
            "MS-30a": "ja",
            "MS-30b": "ja",
            "MS-30c": "ja",
        }.items():
            session.answer_text(ref, value)
        pdf = folder / "licensed-parlour.pdf"
        save_report(session, pdf)
        png(pdf, "visit-report-MS-licence", page=_page_with(pdf, "7. Overtredingen"))
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
