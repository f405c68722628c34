"""Open the practice environment ("oefenomgeving") ready to explore: who you are, and demo visits.

The practice store has its own settings file; the first time it is opened the profile, contact person
and language come over from the real settings, so the newcomer is not asked twice. An empty practice
store gets demo visits, the real store never does.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.settings import Settings

PRACTICE_DEMO_VISITS = 60


def open_practice(
    data_dir: str | os.PathLike[str] | Path | None, real_settings: Settings | None = None
) -> AppContext:
    """The practice store of `data_dir`, with a profile (from `real_settings`) and demo visits."""
    app = open_app(data_dir, practice=True)
    try:
        if app.settings.is_first_run and real_settings is not None and not real_settings.is_first_run:
            app.settings.profile = copy.deepcopy(real_settings.profile)
            app.settings.contact_person = copy.deepcopy(real_settings.contact_person)
            app.settings.language = real_settings.language
            if not app.settings_read_only:
                app.save_settings()
        if app.db.execute("SELECT 1 FROM visits LIMIT 1").fetchone() is None:
            create_demo_visits(app, PRACTICE_DEMO_VISITS)
    except BaseException:
        app.close()
        raise
    return app
