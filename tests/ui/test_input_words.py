"""Words that read right: walk the visible strings of the main screens and dialogs.

The walk fails on a raw enum value ("given", "not_applicable") and on a stray mnemonic ampersand
(an "&" shown as such, e.g. a form label without a buddy: "&Ontvangstbewijs:"). It also covers the
reproduced "ACUUT: Acuut" banner and the weight on a question's signal mark.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from inspector_app.domain import model
from inspector_app.domain.model import AdviceLevel, Weight
from inspector_app.i18n import set_language
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.signals.advice import escalation_advice
from inspector_app.signals.ledger import StandingIndicator
from inspector_app.ui.about_dialog import AboutDialog
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.dialogs import FirstRunDialog, SettingsDialog
from inspector_app.ui.finalize_dialog import FinalizeRefusedDialog
from inspector_app.ui.indicator_picker import IndicatorPickerDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.referral_dialog import ReferralDialog
from inspector_app.ui.signal_panel import AdviceBanner, ReasonDialog
from inspector_app.ui.sync_dialogs import ApplyReceiptDialog, ExportDialog, ImportDialog
from inspector_app.ui.sync_keys import KeysDialog

# Codes shown on purpose (H/M/L beside the word, PB/MS/CS/AH) are not in this list: only the internal
# values that read as English words or identifiers.
SHOWN_ON_PURPOSE = (Weight, model.LocationType)
DUTCH_WORDS = {"indicator"}  # ConflictKind.INDICATOR is also the Dutch word the UI uses
RAW_VALUES = sorted(
    {
        member.value
        for member in vars(model).values()
        if isinstance(member, type) and issubclass(member, enum.Enum) and member not in SHOWN_ON_PURPOSE
        for member in member
        if isinstance(member.value, str) and len(member.value) >= 3
    }
    - DUTCH_WORDS
)
RAW_VALUE = re.compile(r"(?<![\w.\-])(" + "|".join(map(re.escape, RAW_VALUES)) + r")(?![\w.\-])")
MNEMONIC = re.compile(r"(?<!&)&(?![&\s]|[a-z]+;|#\d+;)")  # "&&" and "&amp;" are not mnemonics


def plain(text: str) -> str:
    return QTextDocumentFragment.fromHtml(text).toPlainText() if QtGui.Qt.mightBeRichText(text) else text


def tree_texts(item: QTreeWidgetItem) -> Iterator[str]:
    yield item.text(0)
    yield item.toolTip(0)
    for index in range(item.childCount()):
        child = item.child(index)
        if child is not None:
            yield from tree_texts(child)


Texts = Iterator[tuple[str, bool]]  # (text, whether an "&" in it is a mnemonic Qt interprets)


def label_texts(label: QLabel) -> Texts:
    rich = QtGui.Qt.mightBeRichText(label.text())
    yield (plain(label.text()) if rich else label.text()), label.buddy() is not None and not rich


def combo_texts(combo: QComboBox) -> Texts:
    for index in range(combo.count()):
        yield combo.itemText(index), False


def list_texts(widget: QListWidget) -> Texts:
    for index in range(widget.count()):
        item = widget.item(index)
        yield item.text(), False
        yield item.toolTip(), False


def tree_widget_texts(widget: QTreeWidget) -> Texts:
    for index in range(widget.topLevelItemCount()):
        top = widget.topLevelItem(index)
        if top is not None:
            for text in tree_texts(top):
                yield text, False


def table_texts(widget: QTableWidget) -> Texts:
    for row in range(widget.rowCount()):
        for column in range(widget.columnCount()):
            cell = widget.item(row, column)
            if cell is not None:
                yield cell.text(), False
    for column in range(widget.columnCount()):
        header = widget.horizontalHeaderItem(column)
        if header is not None:
            yield header.text(), False


def tab_texts(widget: QTabWidget) -> Texts:
    for index in range(widget.count()):
        yield widget.tabText(index), True


def menu_texts(menu: QMenu) -> Texts:
    for action in menu.actions():
        yield action.text(), True
        yield action.toolTip(), False


KINDS: list[tuple[type[QWidget], Callable[[Any], Texts]]] = [
    (QLabel, label_texts),
    (QAbstractButton, lambda w: iter([(w.text(), True)])),
    (QGroupBox, lambda w: iter([(w.title(), True)])),
    (QLineEdit, lambda w: iter([(w.placeholderText(), False)])),
    (QComboBox, combo_texts),
    (QListWidget, list_texts),
    (QTreeWidget, tree_widget_texts),
    (QTableWidget, table_texts),
    (QTabWidget, tab_texts),
    (QMenu, menu_texts),
]


def strings(root: QWidget) -> Iterator[tuple[str, str, bool]]:
    """(where, text, mnemonic_allowed) for every text a user can see or hear under `root`."""
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        if widget.isWindow() and widget.windowTitle():
            yield where, widget.windowTitle(), False
        if widget.toolTip():
            yield where, plain(widget.toolTip()), False
        if widget.accessibleName():
            yield where, widget.accessibleName(), False
        for kind, texts in KINDS:
            if isinstance(widget, kind):
                for text, mnemonic in texts(widget):
                    yield where, text, mnemonic
                break


def problems(root: QWidget) -> list[str]:
    found = []
    for where, text, mnemonic_allowed in strings(root):
        raw = RAW_VALUE.search(text)
        if raw:
            found.append(f"{where}: raw value {raw.group(1)!r} in {text!r}")
        if not mnemonic_allowed and MNEMONIC.search(text):
            found.append(f"{where}: stray '&' in {text!r}")
    return found


def demo_visit(app: AppContext) -> str:
    create_demo_visits(app, 30)
    rows = find_visits(app, VisitFilter())
    rows.sort(key=lambda row: (row.count_h, row.count_m, row.count_l), reverse=True)
    return rows[0].id


def test_the_checker_catches_what_it_should(qtbot: QtBot) -> None:
    """The walk itself can fail: a raw value and a label that shows its '&' are both reported."""
    root = QWidget()
    qtbot.addWidget(root)
    QLabel("&Ontvangstbewijs:", root)
    QLabel("Toestemming: given", root)
    found = problems(root)
    assert any("stray '&'" in line for line in found)
    assert any("'given'" in line for line in found)
    ok = QWidget()
    qtbot.addWidget(ok)
    buddy = QLineEdit(ok)
    label = QLabel("&Naam", ok)
    label.setBuddy(buddy)
    QLabel("Koffie &amp; thee", ok)
    assert problems(ok) == []


def test_main_window_and_checklist_read_right(qtbot: QtBot, ui_app: AppContext) -> None:
    visit_id = demo_visit(ui_app)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    found = problems(window)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            found += problems(menu)
    window.checklist.open_visit(visit_id)
    for index in range(window.checklist.navigator.count()):
        window.checklist.navigator.setCurrentRow(index)
    found += problems(window)
    assert found == []


@pytest.mark.parametrize(
    "make",
    [
        NewVisitDialog,
        SettingsDialog,
        FirstRunDialog,
        KeysDialog,
        ImportDialog,
        ApplyReceiptDialog,
        lambda app: ExportDialog(app, []),
        lambda _app: AboutDialog(),
        lambda _app: IndicatorPickerDialog(None, None, {"gen.fear"}),
        lambda _app: ReasonDialog("Signaal afwijzen", "Waarom?", "Afwijzen"),
    ],
)
def test_dialogs_read_right(qtbot: QtBot, ui_app: AppContext, make: object) -> None:
    dialog = make(ui_app)  # type: ignore[operator]
    qtbot.addWidget(dialog)
    dialog.show()
    assert problems(dialog) == []


def test_visit_dialogs_read_right(qtbot: QtBot, ui_app: AppContext) -> None:
    session = VisitSession(ui_app, demo_visit(ui_app))
    referral = ReferralDialog(session)
    qtbot.addWidget(referral)
    refused = FinalizeRefusedDialog(session.form, ["H-04a"], [("H-02a", "verwacht een datum")])
    qtbot.addWidget(refused)
    assert problems(referral) == [] and problems(refused) == []


def test_the_acute_banner_does_not_say_acuut_twice(qtbot: QtBot) -> None:
    """Regression: the banner read "ACUUT: Acuut (…): bel 112"."""
    acute = escalation_advice(
        [StandingIndicator("gen.injuries", Weight.HIGH), StandingIndicator("gen.threats", Weight.HIGH)]
    )
    assert acute[0].level is AdviceLevel.ACUTE
    banner = AdviceBanner()
    qtbot.addWidget(banner)
    banner.show_advice(acute, "A. Jansen")
    text = banner.texts[0]
    assert text.startswith("ACUUT (letsel en bedreiging): bel 112")
    assert text.upper().count("ACUUT") == 1


def test_the_question_mark_shows_the_weight_like_the_panel(qtbot: QtBot, ui_app: AppContext) -> None:
    page = ChecklistPage(ui_app, "A. Jansen")
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    page.open_visit(start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Gewicht"))))
    page._answered("PB-05", "no")
    assert page.session is not None
    (row,) = [r for r in page.session.standing_observations() if "PB-05" in r.raised_by]
    widget = page.widget("PB-05")
    assert widget is not None and widget.is_marked
    weight = Weight(row.weight)
    assert f"{weight.value} – " in widget.mark.text()  # "M – Middel": letter and word, not colour


def test_counts_on_screen_use_the_singular_for_one(qtbot: QtBot, ui_app: AppContext) -> None:
    """Regression: "1 bezoeken" under the visit list and "1 personen" beside the person selector."""
    visit_id = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Een")))
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.visit_list.refresh()
    assert window.visit_list.count.text() == "1 bezoek"
    session = VisitSession(ui_app, visit_id)
    session.answer("P-ROLE[1]", "sex_worker")
    window.open_visit(visit_id)
    window.checklist.jump_to("PB-20[1]")  # a person section: its selector says how many persons
    texts = [label.text() for label in window.checklist.findChildren(QLabel)]
    assert "1 persoon" in texts and "1 personen" not in texts


def test_no_stray_ampersand_in_english_either(qtbot: QtBot, ui_app: AppContext) -> None:
    """The English catalogue carries its own mnemonics: the same walk, '&' only (English words may match values)."""
    set_language("en")
    try:
        roots: list[QWidget] = [
            NewVisitDialog(ui_app),
            SettingsDialog(ui_app),
            ImportDialog(ui_app),
            ApplyReceiptDialog(ui_app),
            ExportDialog(ui_app, []),
            KeysDialog(ui_app),
        ]
        window = MainWindow(ui_app)
        roots.append(window)
        for root in roots:
            qtbot.addWidget(root)
        for action in window.menuBar().actions():  # the menus belong to the window: not added to qtbot
            menu = action.menu()
            if isinstance(menu, QMenu):
                roots.append(menu)
        found = [line for root in roots for line in problems(root) if "stray '&'" in line]
    finally:
        set_language("nl")
    assert found == []
