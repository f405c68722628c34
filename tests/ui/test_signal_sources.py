"""The signal panel shows the sources of the selected indicator (resources/sources.toml), and nothing
while no indicator is selected."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.checklist_page import ChecklistPage


def test_selecting_an_indicator_shows_its_sources(qtbot: QtBot, ui_app: AppContext) -> None:
    visit = start_visit(ui_app, NewVisit(form="CS", location=LocationInput("Bouwplaats Noord")))
    session = VisitSession(ui_app, visit)
    session.answer_text("P-ROLE[1]", "worker")
    session.answer_text("CS-27[1]", "ja")  # fined for sickness: gen.fines (S31 Omroep Zeeland, S32 NLA)
    page = ChecklistPage(ui_app, "A. Jansen")
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.open_visit(visit)
    panel = page.panel
    assert panel.sources.isHidden()
    panel.select_slug("gen.fines")
    assert panel.selected_slug() == "gen.fines"
    assert not panel.sources.isHidden()
    text = panel.sources.text()
    assert (
        text.startswith("Bronnen: ") and "Omroep Zeeland" in text and "Nederlandse Arbeidsinspectie" in text
    )
    panel.tree.clearSelection()
    panel.tree.setCurrentIndex(panel.tree.rootIndex())
    assert panel.sources.isHidden()
