"""Discreet mode everywhere: with it on, no view shows a signal text or weight mark, and a marker says so.

Every visible widget of the window is walked (texts, tooltips, accessible names and descriptions, combo
items, list items, table cells and their tooltips), on the visit list and on every section of visits
with signals, the window title and the status bar included. The same walk with the mode off must find
signal texts, so the test can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.forms.loader import load_all_forms
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.persons import add_person
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.report_actions import ReportActions

# Weight marks as the app writes them ("H 2", "[M]", "H – Hoog", "2 hoog"), the acute mark, and the
# weight words; "18 t/m 20" (an age band) is no mark.
WEIGHT_MARK = re.compile(r"(?<![\w/-])[HML] \d|\[[HML]\]|⚠|ACUUT|(?i:\b(hoog|midden|laag)\b)")


def _signal_texts() -> set[str]:
    catalogue = load_catalogue()
    texts = {indicator.label.get() for indicator in catalogue.indicators.values()}
    return {text for text in texts if len(text) > 12} | set(catalogue.indicators)


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    found = []
    hidden = getattr(view, "isColumnHidden", lambda _column: False)
    for row in range(min(model.rowCount(QModelIndex()), 200)):
        for column in range(model.columnCount(QModelIndex())):
            if hidden(column):
                continue
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    found.append(value)
    return found


def _visible_texts(window: QMainWindow) -> list[str]:
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
            texts += [widget.item(i).toolTip() for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QListWidget):
            texts += _model_texts(widget)
    return [text for text in texts if text]


def _form_texts() -> set[str]:
    """The checklists' own words (questions, choices, help): the same on every visit, signals or not.

    Some choices read like an indicator ("Mag/kan niet vrij weg"); the inspector needs them to answer,
    so they are not a signal shown. A raised signal shows with its weight mark, which is still caught."""
    texts: set[str] = set()
    for form in load_all_forms().values():
        for question in form.questions.values():
            texts.add(question.label.get())
            texts.update(choice.label.get() for choice in question.choices)
            if question.help is not None:
                texts.add(question.help.get())
    return texts


def _leaks(texts: list[str], signals: set[str]) -> list[str]:
    form = _form_texts()
    return sorted(
        {t for t in texts if WEIGHT_MARK.search(t) or (t not in form and any(s in t for s in signals))}
    )


def _walk_every_view(window: MainWindow, visit_ids: list[str]) -> list[str]:
    """The visit list, then every section of each visit: what each view shows."""
    window.show_list()
    QApplication.processEvents()
    window.grab()
    texts = _visible_texts(window)
    for visit_id in visit_ids:
        window.open_visit(visit_id)
        navigator = window.checklist.navigator
        for row in range(navigator.count()):
            navigator.setCurrentRow(row)
            QApplication.processEvents()
            window.grab()
            texts += _visible_texts(window)
    window.show_list()
    return texts


@pytest.fixture
def signal_visits(ui_app: AppContext) -> list[str]:
    """Demo visits around three visits whose signals are made on purpose (the random demo answers move
    with every checklist version, so no seed is relied on): one acute, two high."""
    create_demo_visits(ui_app, 60, seed=2)
    made = []
    for name, question, answer in (
        ("Logies Slot", "AH-20c", "yes"),  # locked in, cannot open from inside: H and acute
        ("Logies Werk", "AH-40[1]", "ander_werk"),  # a resident does other work than promised: H
        ("Logies Belofte", "AH-40[1]", "ander_werk"),  # a resident does other work than promised: H
    ):
        session = VisitSession(ui_app, start_visit(ui_app, NewVisit(form="AH", location=LocationInput(name))))
        if "[" in question:
            add_person(session, "resident")
        session.answer(question, answer)
        made.append(session.visit_id)
    rows = {r.id: r for r in find_visits(ui_app, VisitFilter())}
    assert rows[made[0]].acute and all(rows[v].count_h and not rows[v].acute for v in made[1:])
    return made


def test_no_view_shows_a_signal_in_discreet_mode(
    qtbot: QtBot, ui_app: AppContext, signal_visits: list[str]
) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.show()
    signals = _signal_texts()
    plain = _walk_every_view(window, signal_visits)
    assert _leaks(plain, signals), "without discreet mode the walk must see signals (else it proves nothing)"
    assert not window.discreet_label.isVisible()
    window.toggle_discreet()
    assert window.discreet_label.isVisible() and window.discreet_label.text() == "Discreet"
    # a signal raised while the mode is on stays hidden too, in the checklist and in the list
    draft = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Discreet")))
    window.open_visit(draft)
    window.checklist.commands.add_person("sex_worker")
    window.checklist._answered("PB-20[1]", "no")
    assert window.checklist.session is not None and window.checklist.session.standing_observations()
    hidden = _walk_every_view(window, [draft, *signal_visits])
    assert _leaks(hidden, signals) == []
    assert window.discreet_label.isVisible()  # persistent: still there after every view
    window.toggle_discreet()
    assert not window.discreet_label.isVisible()
    assert _leaks(_walk_every_view(window, signal_visits[:1]), signals)


@pytest.mark.usefixtures("signal_visits")
def test_discreet_mode_ignores_a_hidden_signal_filter(qtbot: QtBot, ui_app: AppContext) -> None:
    """A 'high only' filter set before the mode was switched on would tell which premises have signals."""
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    everything = window.visit_list.model.total
    window.visit_list.high_only.setChecked(True)
    assert window.visit_list.model.total < everything
    window.toggle_discreet()
    assert window.visit_list.model.total == everything and not window.visit_list.high_only.isVisibleTo(window)


def test_no_pdf_preview_in_discreet_mode(
    qtbot: QtBot,
    ui_app: AppContext,
    signal_visits: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],  # noqa: ARG001  # no modal box may block the test
) -> None:
    opened: list[object] = []
    monkeypatch.setattr("inspector_app.ui.report_actions.QDesktopServices.openUrl", opened.append)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.toggle_discreet()
    assert isinstance(window.reports, ReportActions) and window.reports.discreet
    path = window.reports.save_one(signal_visits[0], ReportKind.VISIT, tmp_path / "r.pdf")
    assert path is not None and path.exists() and opened == []
    notice = window.reports.notice  # the "saved as" note says where it went, and why nothing opened
    assert notice is not None and "niet op het scherm" in notice.text() and str(path) in notice.text()
    window.toggle_discreet()
    window.reports.save_one(signal_visits[0], ReportKind.VISIT, tmp_path / "r2.pdf")
    assert len(opened) == 1
