"""The desktop app shows the words the documents print: enum labels, numbers and computed values.

Before, the referral dialog said «Schriftelijk gegeven» and «Afgerond» where the signal form said
"Gegeven (schriftelijk)" and "Afgesloten"; the number field showed `1,23457e+06` for 1234567.5.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import ConsentStatus, ReferralStatus, Urgency
from inspector_app.forms.model import Question, QuestionType
from inspector_app.i18n import LocalText, set_language
from inspector_app.services.app import AppContext
from inspector_app.services.documents.signal_form import build_signal_form
from inspector_app.services.visit.referrals import ReferralUpdate, update_referral, visit_referrals
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.checklist_editors import ComputedView
from inspector_app.ui.question_widgets import NumberEditor
from inspector_app.ui.referral_dialog import ReferralDialog


def _combo_text(combo: object, value: str) -> str:
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    return combo.itemText(combo.findData(value))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_referral_dialog_and_signal_form_use_the_same_words(
    qtbot: QtBot, ui_app: AppContext, language: str
) -> None:
    set_language(language)
    session = VisitSession(
        ui_app, start_visit(ui_app, NewVisit(form="AH", location=LocationInput("Logies Test")))
    )
    session.answer("AH-20c", "yes")
    dialog = ReferralDialog(session)
    qtbot.addWidget(dialog)
    dialog.recipient.setCurrentIndex(dialog.recipient.findData("labour_inspectorate"))
    dialog.urgency.setCurrentIndex(dialog.urgency.findData(Urgency.DAYS.value))
    dialog.add()
    (row,) = visit_referrals(session)
    update_referral(
        ui_app,
        row.id,
        ReferralUpdate(status=ReferralStatus.CLOSED.value, consent_status=ConsentStatus.GIVEN.value),
    )
    (referral,) = build_signal_form(session, language).referrals
    printed = [field.value for field in referral.fields]
    shown = [
        _combo_text(dialog.consent, ConsentStatus.GIVEN.value),
        _combo_text(dialog.status, ReferralStatus.CLOSED.value),
        _combo_text(dialog.urgency, Urgency.DAYS.value),
    ]
    assert all(text in printed for text in shown), (shown, printed)
    assert shown[:2] == (
        ["Gegeven (schriftelijk)", "Afgesloten"] if language == "nl" else ["Given (in writing)", "Closed"]
    )


def _question(kind: QuestionType, unit: str = "") -> Question:
    return Question(
        id="T-01",
        type=kind,
        label=LocalText("Vraag", "Question"),
        section_id="t",
        repeat=False,
        unit=unit or None,
    )


def test_number_field_shows_every_digit_with_the_dutch_comma(qtbot: QtBot) -> None:
    editor = NumberEditor(_question(QuestionType.DECIMAL))
    qtbot.addWidget(editor)
    editor.set_value(1234567.5)
    assert editor.edit.text() == "1234567,5"
    editor.set_value(0.126)
    assert editor.edit.text() == "0,126"  # the report rounds to 0,13; an editor must not
    editor.set_value(3)
    assert editor.edit.text() == "3"


def test_computed_value_reads_like_the_report(qtbot: QtBot) -> None:
    view = ComputedView(_question(QuestionType.COMPUTED, unit="%"))
    qtbot.addWidget(view)
    view.set_value(12.5)
    assert view.label.text() == "Berekend: 12,5 %"
    view.set_value(True)
    assert view.label.text() == "Berekend: Ja"
