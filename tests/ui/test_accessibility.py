"""What a screen reader gets: a name for every focusable control on every screen, readable colours on a
dark palette, the system font size, and weight in words, not only in colour (EN 301 549 clause 11).

The screens and the walk are those of `packaging/a11y_check.py`, which runs the same check over AT-SPI
under Xvfb; here it runs offscreen on Qt's own accessibility tree, the tree Qt hands to the platform.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QAccessible, QAccessibleInterface, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import Weight
from inspector_app.forms.model import QuestionType
from inspector_app.services.app import AppContext
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.signals import ledger
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.checklist_style import weight_text
from inspector_app.ui.visit_list import VisitListPage

CHECK_SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "a11y_check.py"


def _load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("a11y_check", CHECK_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


a11y_check = _load_check()


def test_the_walk_finds_unnamed_and_symbol_only_controls(qtbot: QtBot) -> None:
    """The check can fail: a bare line edit and a "◀" button are reported until they get names."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    edit, arrow, named = QLineEdit(), QPushButton("◀"), QPushButton("Opslaan")
    for widget in (QLabel("Kop"), edit, arrow, named):
        layout.addWidget(widget)
    window.show()
    found = a11y_check.unnamed_focusable(window)
    assert len(found) == 2, found
    assert any("QLineEdit" in entry for entry in found) and any("QPushButton" in entry for entry in found)
    edit.setAccessibleName("Zoeken")
    arrow.setAccessibleName("Vorige persoon")
    assert a11y_check.unnamed_focusable(window) == []


@pytest.mark.usefixtures("qapp")
def test_every_screen_names_its_focusable_controls(ui_app: AppContext) -> None:
    """Main window and visit list, each section of each checklist with persons (all question types,
    Afronding included) and of a final visit, the signal panel, and every dialog: zero unnamed
    focusable controls. Before the names were added this listed 286 (the issue found 1 + 8)."""
    a11y_check.prepare_app(ui_app)
    walked: list[str] = []
    unnamed: dict[str, list[str]] = {}
    for name, widget in a11y_check.screens(ui_app, (1024, 600)):
        walked.append(name)
        found = a11y_check.unnamed_focusable(widget)
        if found:
            unnamed[name] = sorted(set(found))
    assert unnamed == {}, "\n".join(f"{name}: {entries}" for name, entries in unnamed.items())
    expected = {"visit list (main window)", "new visit", "settings", "first run", "indicator picker"}
    expected |= {"finalize refused", "amend", "referral", "export", "import", "receipt", "keys"}
    expected |= {"conflicts", "about", "checklist prostitution_business / afronding"}
    assert expected <= set(walked)
    assert any(name.startswith("checklist final ") for name in walked)


def test_each_answer_field_is_named_after_its_question(qtbot: QtBot, ui_app: AppContext) -> None:
    """Typed fields carry the question's label as their name; buttons and boxes name the question in
    their description, so "Ja" or "Wissen" among fifty others still says which question it is."""
    page = ChecklistPage(ui_app, "A. Jansen")
    qtbot.addWidget(page)
    page.show()
    page.open_visit(
        start_visit(ui_app, NewVisit(form="prostitution_business", location=LocationInput("Test")))
    )
    assert page.session is not None
    seen: set[QuestionType] = set()
    for row in range(page.navigator.count()):
        page.navigator.setCurrentRow(row)
        for widget in page.views[page.session.form.sections[row].id].widgets.values():
            label = widget.question.label.get()
            target = widget.editor.focus_target()
            named = target.accessibleName() == label or target.accessibleDescription() == label
            assert named, (widget.ref, target.accessibleName(), target.accessibleDescription())
            assert widget.clear_button.accessibleDescription() == label
            assert label in widget.note.accessibleName()
            seen.add(widget.question.type)
    assert {QuestionType.YESNO, QuestionType.TEXT, QuestionType.INTEGER, QuestionType.DATE} <= seen


def _contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def dark_palette(qapp: QApplication) -> Iterator[QPalette]:
    """A dark theme as a platform would set it; the original palette comes back afterwards."""
    original = QPalette(qapp.palette())
    dark = QPalette(qapp.palette())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        dark.setColor(group, QPalette.ColorRole.Window, QColor("#202124"))
        dark.setColor(group, QPalette.ColorRole.WindowText, QColor("#f1f1f1"))
        dark.setColor(group, QPalette.ColorRole.Base, QColor("#2b2b2b"))
        dark.setColor(group, QPalette.ColorRole.Text, QColor("#f1f1f1"))
    qapp.setPalette(dark)
    yield dark
    qapp.setPalette(original)


def _text_colour(label: QLabel) -> QColor:
    label.ensurePolished()
    return label.palette().color(QPalette.ColorRole.WindowText)


def test_hints_ids_and_errors_are_readable_on_a_dark_palette(
    qtbot: QtBot, ui_app: AppContext, dark_palette: QPalette
) -> None:
    """Fixed greys (#555, #666) and the fixed dark red had 2.0-2.6:1 on a dark theme; now at least 4.5:1."""
    page = ChecklistPage(ui_app, "A. Jansen")
    qtbot.addWidget(page)
    page.show()
    page.open_visit(
        start_visit(ui_app, NewVisit(form="prostitution_business", location=LocationInput("Test")))
    )
    window = dark_palette.color(QPalette.ColorRole.Window)
    widgets = list(page.views[page.session.form.sections[0].id].widgets.values()) if page.session else []
    assert widgets
    with_help = next(w for w in widgets if w.question.help is not None)
    assert with_help.question.help is not None
    shown = {with_help.question.id, with_help.question.help.get()}
    labels = [child for child in with_help.findChildren(QLabel) if child.text() in shown]
    assert len(labels) == 2
    with_help.show_error("Vul een geldig getal in.")
    for label in [*labels, with_help.error, page.saved_label, page.panel.empty]:
        assert _contrast(_text_colour(label), window) >= 4.5, (label.text(), _text_colour(label).name())


def test_help_text_follows_the_system_font_size(qtbot: QtBot, ui_app: AppContext, qapp: QApplication) -> None:
    """The help line was fixed at 11 px whatever the system font size; now it takes the app's font."""
    original = QFont(qapp.font())
    large = QFont(original)
    large.setPointSizeF(18)
    qapp.setFont(large)
    try:
        page = ChecklistPage(ui_app, "A. Jansen")
        qtbot.addWidget(page)
        page.show()
        page.open_visit(
            start_visit(ui_app, NewVisit(form="prostitution_business", location=LocationInput("T")))
        )
        assert page.session is not None
        widgets = page.views[page.session.form.sections[0].id].widgets.values()
        with_help = next(w for w in widgets if w.question.help is not None)
        assert with_help.question.help is not None
        help_text = with_help.question.help.get()
        help_label = next(c for c in with_help.findChildren(QLabel) if c.text() == help_text)
        help_label.ensurePolished()
        assert help_label.font().pixelSize() == -1  # not fixed in pixels
        assert help_label.font().pointSizeF() == pytest.approx(18)
    finally:
        qapp.setFont(original)


def _accessible_names(widget: QWidget) -> list[str]:
    names: list[str] = []

    def walk(iface: QAccessibleInterface | None) -> None:
        if iface is None or not iface.isValid():
            return
        names.append(iface.text(QAccessible.Text.Name))
        for index in range(iface.childCount()):
            walk(iface.child(index))

    walk(QAccessible.queryAccessibleInterface(widget))
    return names


def test_weight_reaches_a_screen_reader_as_words_not_colour(qtbot: QtBot, ui_app: AppContext) -> None:
    """The panel's indicator rows and the visit list's signal column say the weight in letters and
    words in their accessible names; the colour of the icon is never the only carrier."""
    a11y_check.prepare_app(ui_app)
    rows = [row for row in find_visits(ui_app, VisitFilter()) if row.count_h or row.count_m or row.count_l]
    assert rows, "the demo visits carry signals"
    page = ChecklistPage(ui_app, "A. Jansen")
    qtbot.addWidget(page)
    page.show()
    page.open_visit(rows[0].id)
    assert page.session is not None
    standing = ledger.standing(page.session.observations.values())
    names = _accessible_names(page.panel.tree)
    assert standing
    for indicator in standing:
        assert any(f"[{weight_text(indicator.weight)}]" in name for name in names), indicator.slug
    assert {weight_text(weight)[0] for weight in Weight} == {"H", "M", "L"}

    page_list = VisitListPage(ui_app)
    qtbot.addWidget(page_list)
    page_list.show()
    list_names = _accessible_names(page_list.table)
    expected = (
        f"H {rows[0].count_h}"
        if rows[0].count_h
        else f"M {rows[0].count_m}"
        if rows[0].count_m
        else f"L {rows[0].count_l}"
    )
    assert any(expected in name for name in list_names)
