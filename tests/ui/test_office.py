"""The office view: filters by signal and referral status, and recording a referral."""

from __future__ import annotations

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import Recipient
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.visit.referrals import visit_referrals
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.question_widgets import YesNoEditor
from inspector_app.ui.referral_dialog import ReferralDialog


def test_office_records_a_referral(qtbot: QtBot, ui_app: AppContext, messages: list[str]) -> None:
    session = VisitSession(
        ui_app, start_visit(ui_app, NewVisit(form="AH", location=LocationInput("Logies Test")))
    )
    session.answer("AH-20c", "yes")
    dialog = ReferralDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    dialog.recipient.setCurrentIndex(dialog.recipient.findData("labour_inspectorate"))
    dialog.add()
    assert dialog.list.count() == 1
    dialog.status.setCurrentIndex(dialog.status.findData("sent"))
    dialog.sent_at.setDate(QDate(2026, 11, 23))
    dialog.channel.setText("beveiligde e-mail")
    dialog.reference.setText("NLA-2026-0042")
    dialog.save()
    (row,) = visit_referrals(session)
    assert (row.recipient, row.status, row.sent_at, row.reference) == (
        "labour_inspectorate",
        "sent",
        "2026-11-23",
        "NLA-2026-0042",
    )
    assert row.slugs == ["hou.locked_surveilled"]
    assert "NLA-2026-0042" in dialog.list.item(0).text()
    dialog.recipient.setCurrentIndex(dialog.recipient.findData("comensha"))
    dialog.add()
    dialog.status.setCurrentIndex(dialog.status.findData("sent"))
    dialog.save()  # CoMensha needs written consent first: refused with a message, nothing changed
    assert messages and "toestemming" in messages[-1]
    assert {r.recipient: r.status for r in visit_referrals(session)}[Recipient.COMENSHA] == "draft"


def test_office_opens_visits_read_only(qtbot: QtBot, ui_app: AppContext) -> None:
    from inspector_app.ui.main_window import MainWindow

    keys_service.init_office(ui_app, "Westerdam")  # the office key makes an installation the office
    visit_id = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Kantoor")))
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    assert window.visit_list.office and window.visit_list.signal.count() > 100
    window.open_visit(visit_id)
    page = window.checklist
    assert page.locked() and not page.finalize_button.isEnabled()
    widget = page.widget("PB-05")
    assert widget is not None and isinstance(widget.editor, YesNoEditor)
    widget.editor.buttons["no"].click()
    assert page.session is not None and page.session.value("PB-05") is None  # nothing changed


def test_office_list_filters_by_signal_and_referral_status(qtbot: QtBot, ui_app: AppContext) -> None:
    """The office's "Signaal" and "Doorverwijzing" filters narrow the list (they once only refreshed it)."""
    from inspector_app.ui.main_window import MainWindow

    keys_service.init_office(ui_app, "Westerdam")
    locked = VisitSession(
        ui_app, start_visit(ui_app, NewVisit(form="AH", location=LocationInput("Logies Noord")))
    )
    locked.answer("AH-20c", "yes")  # raises hou.locked_surveilled
    plain = start_visit(ui_app, NewVisit(form="AH", location=LocationInput("Logies Zuid")))
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    visit_list = window.visit_list

    def listed() -> set[str]:
        return {row.id for row in visit_list.model.rows}

    assert listed() == {locked.visit_id, plain}
    visit_list.signal.setCurrentIndex(visit_list.signal.findData("hou.locked_surveilled"))
    assert listed() == {locked.visit_id}
    visit_list.signal.setCurrentIndex(0)
    visit_list.referral_status.setCurrentIndex(visit_list.referral_status.findData("none"))
    assert listed() == {locked.visit_id, plain}  # neither has a referral yet
    visit_list.referral_status.setCurrentIndex(visit_list.referral_status.findData("sent"))
    assert listed() == set()
