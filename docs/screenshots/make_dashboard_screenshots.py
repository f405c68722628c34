"""The office dashboard (menu Overzicht) in Dutch and English, full size and at 1024×600.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_dashboard_screenshots.py

An office store in a throwaway folder with 600 synthetic demo visits. The demo marks referrals as
sent at the moment it runs; here they are moved to 1 to 20 days after their visit so the median
figure shows what an office would see. Writes dashboard-{nl,en}-{1440x900,1024x600}.png and the
whole scrolled page as dashboard-{nl,en}-page.png. Prints every horizontal scroll bar that shows.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from inspector_app.i18n import set_language
from inspector_app.services import keys as keys_service
from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt_translation import install_qt_translation

OUT = Path(__file__).resolve().parent


def realistic_sent_dates(db: object) -> None:
    rng = random.Random(14)
    rows = db.execute(  # type: ignore[attr-defined]
        "SELECT r.id, v.started_at FROM referrals r JOIN visits v ON v.id = r.visit_id WHERE r.sent_at IS NOT NULL"
    ).fetchall()
    with db.conn:  # type: ignore[attr-defined]
        for referral_id, started in rows:
            sent = date.fromisoformat(started[:10]) + timedelta(days=rng.randint(1, 20))
            db.execute(
                "UPDATE referrals SET sent_at = ? WHERE id = ?", [f"{sent}T10:00:00.000Z", referral_id]
            )  # type: ignore[attr-defined]


def main() -> None:
    qt = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="dashboard-shots-"))
    try:
        app = open_app(folder / "data")
        app.settings.profile.name = "Kantoor Westerdam"
        keys_service.init_office(app, "Westerdam")
        create_demo_visits(app, 600, seed=14)
        realistic_sent_dates(app.db)
        for lang in ("nl", "en"):
            set_language(lang)
            install_qt_translation(lang)
            for width, height in ((1440, 900), (1024, 600)):
                window = MainWindow(app)
                window.resize(width, height)
                window.show()
                window.show_dashboard()
                page = window.dashboard
                assert page is not None
                today = date.today()
                page.start.setDate(QDate(today.year - 1, 1, 1))
                page.end.setDate(QDate(today.year - 1, 12, 31))
                QApplication.processEvents()
                name = f"dashboard-{lang}-{width}x{height}.png"
                window.grab().save(str(OUT / name))
                bars = [
                    area.accessibleName() or type(area).__name__
                    for area in window.findChildren(QAbstractScrollArea)
                    if area.isVisible() and area.horizontalScrollBar().isVisible()
                ]
                print(OUT / name, "sideways scrolling:", bars or "none")
                if width == 1440:
                    content = page.scroll_area.widget()
                    content.grab().save(str(OUT / f"dashboard-{lang}-page.png"))
                window.close()
                window.deleteLater()
                QApplication.processEvents()
        app.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        set_language("nl")
    del qt


if __name__ == "__main__":
    main()
