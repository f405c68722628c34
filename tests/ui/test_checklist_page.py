"""The checklist page: every form opens, answers save at once, signals as you go, persons, finalize."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import AdviceLevel, AnswerValue
from inspector_app.forms.model import QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.services.app import AppContext, open_app, opened_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.ui.checklist_editors import ComputedView
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.question_widgets import NumberEditor, TextEditor, YesNoEditor

FORMS = ["prostitution_business", "massage_parlour", "construction_site", "labour_migrant_housing"]
CONTACT = "A. Jansen, 0600000000"


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    return widget


def new_visit(app: AppContext, form: str = "prostitution_business") -> str:
    return start_visit(app, NewVisit(form=form, location=LocationInput("Testlocatie", "Kade 1", "1234 AB")))


def slugs_in_panel(page: ChecklistPage) -> set[str]:
    found: set[str] = set()
    tree = page.panel.tree
    for index in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(index)
        assert group is not None
        for child_index in range(group.childCount()):
            child = group.child(child_index)
            assert child is not None
            slug = child.data(0, Qt.ItemDataRole.UserRole + 1)
            if slug:
                found.add(str(slug))
    return found


def yesno(page: ChecklistPage, ref: str) -> YesNoEditor:
    widget = page.widget(ref)
    assert widget is not None
    assert isinstance(widget.editor, YesNoEditor)
    return widget.editor


def value_for(page: ChecklistPage, ref: str) -> AnswerValue:
    assert page.session is not None
    question, _person = parse_ref(page.session.form, ref)
    kind = question.type
    if kind is QuestionType.YESNO:
        return "yes"
    if kind is QuestionType.SINGLE:
        return question.choices[0].value
    if kind is QuestionType.MULTIPLE:
        return [question.choices[0].value]
    if kind is QuestionType.INTEGER:
        return 2
    if kind is QuestionType.DECIMAL:
        return 2.0
    if kind is QuestionType.DATE:
        return "2026-03-01"
    if kind is QuestionType.TIME:
        return "23:00"
    return "feitelijke tekst"


@pytest.mark.parametrize("form", FORMS)
def test_opens_a_visit_of_each_form(page: ChecklistPage, ui_app: AppContext, form: str) -> None:
    visit_id = new_visit(ui_app, form)
    page.open_visit(visit_id)
    assert page.current_visit_id() == visit_id
    assert page.session is not None
    assert page.navigator.count() == len(page.session.form.sections)
    for row in range(page.navigator.count()):
        page.navigator.setCurrentRow(row)
        section = page.session.form.sections[row]
        assert page.stack.currentWidget() is page.views[section.id]
    assert "verplicht open" in page.navigator.item(0).text()
    assert page.finalize_button.isEnabled()
    assert not page.final_box.isVisible()


def test_yes_no_by_key_and_click_raise_h_and_m_signals(
    qtbot: QtBot, page: ChecklistPage, ui_app: AppContext
) -> None:
    page.open_visit(new_visit(ui_app))
    assert page.commands.add_person("sex_worker") == 1
    page.jump_to("PB-20[1]")
    id_question = page.widget("PB-20[1]")
    assert id_question is not None and id_question.isVisible()
    editor = yesno(page, "PB-20[1]")
    qtbot.keyClick(editor.buttons["yes"], Qt.Key.Key_N)
    assert page.session is not None
    assert page.session.value("PB-20[1]") == "no"
    assert editor.buttons["no"].isChecked()
    assert "gen.id_held_by_other" in slugs_in_panel(page)
    assert id_question.is_marked
    assert AdviceLevel.ESCALATE in page.banner.levels
    assert page.banner.isVisible()
    assert "A. Jansen" in " ".join(page.banner.texts)
    assert page.saved_label.text().startswith("Opgeslagen ")

    manager = yesno(page, "PB-05")
    qtbot.mouseClick(manager.buttons["no"], Qt.MouseButton.LeftButton)
    assert page.session.value("PB-05") == "no"
    assert "sex.no_manager_present" in slugs_in_panel(page)  # weight L in the catalogue
    widget = page.widget("PB-05")
    assert widget is not None and widget.is_marked

    register = yesno(page, "PB-09")  # sex.admin_missing, weight M
    qtbot.mouseClick(register.buttons["no"], Qt.MouseButton.LeftButton)
    assert "sex.admin_missing" in slugs_in_panel(page)
    panel_text = page.panel.tree.topLevelItem(0)
    assert panel_text is not None
    weights = {
        page.panel.tree.topLevelItem(i).child(j).text(0).split("[")[-1]  # type: ignore[union-attr]
        for i in range(page.panel.tree.topLevelItemCount())
        for j in range(page.panel.tree.topLevelItem(i).childCount())  # type: ignore[union-attr]
    }
    assert {"H – Hoog]", "M – Midden]", "L – Laag]"} <= weights

    qtbot.keyClick(manager.buttons["no"], Qt.Key.Key_J)
    assert page.session.value("PB-05") == "yes"
    assert "sex.no_manager_present" not in slugs_in_panel(page)
    assert not widget.is_marked
    qtbot.keyClick(editor.buttons["no"], Qt.Key.Key_O)
    assert page.session.value("PB-20[1]") == "unknown"
    assert "gen.id_held_by_other" not in slugs_in_panel(page)
    assert AdviceLevel.ESCALATE not in page.banner.levels
    qtbot.mouseClick(register.buttons["no"], Qt.MouseButton.LeftButton)  # clicking again clears
    assert page.session.value("PB-09") is None
    assert not page.banner.isVisible()


def test_signal_panel_item_jumps_to_the_question(page: ChecklistPage, ui_app: AppContext) -> None:
    page.open_visit(new_visit(ui_app))
    page.commands.add_person("sex_worker")
    page._answered("PB-20[1]", "no")
    page.navigator.setCurrentRow(0)
    page.jump_to("H-01")
    tree = page.panel.tree
    group = tree.topLevelItem(0)
    assert group is not None
    indicator = group.child(0)
    assert indicator is not None
    ref_item = indicator.child(0)
    assert ref_item is not None
    page.panel._activated(ref_item)
    assert page.stack.currentWidget() is page.views["gesprek"]


def test_manual_tick_with_picker_and_dismissal_with_reason(
    page: ChecklistPage, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.open_visit(new_visit(ui_app))

    def fill_picker() -> None:
        dialog = page.commands.picker
        assert dialog is not None
        dialog.filter.setText("schuld")
        assert dialog.list.count() >= 1
        assert not dialog.ok_button.isEnabled()  # a factual note is required
        dialog.note.setPlainText("Persoon vertelde over een reisschuld van 3000 euro.")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    QTimer.singleShot(0, fill_picker)
    page.commands.open_picker()
    assert page.session is not None
    ticked = [row for row in page.session.standing_observations() if row.source == "manual"]
    assert len(ticked) == 1
    slug = ticked[0].slug
    assert slug in slugs_in_panel(page)

    monkeypatch.setattr(page.commands, "ask_reason", lambda *_args: "Bleek een studieschuld bij DUO.")
    page.panel.select_slug(slug)
    assert page.panel.dismiss_button.isEnabled()
    page.panel.dismiss_button.click()
    assert slug not in {row.slug for row in page.session.standing_observations()}
    assert slug not in slugs_in_panel(page)
    items = [page.panel.tree.topLevelItem(i) for i in range(page.panel.tree.topLevelItemCount())]
    assert any(item is not None and item.text(0).startswith("Afgewezen") for item in items)


def test_repeat_with_several_persons(
    page: ChecklistPage, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.open_visit(new_visit(ui_app))
    row = next(i for i in range(page.navigator.count()) if "personen" in page.navigator.item(i).text())
    page.navigator.setCurrentRow(row)
    view = page.views["personen"]
    for role in ("sex_worker", "sex_worker", "operator"):
        view.role_combo.setCurrentIndex(view.role_combo.findData(role))
        view.add_button.click()
    assert page.session is not None
    assert sorted(page.session.persons) == [1, 2, 3]
    assert [block.title().split(" · ")[0] for block in view.blocks.values()] == [
        f"Persoon {page.session.persons[n].code}" for n in (1, 2, 3)
    ]
    assert page.session.persons[1].code.startswith("SW-")
    for number, age in ((1, "21_29"), (2, "30_49"), (3, "50_plus")):
        page._answered(f"P-AGE[{number}]", age)
    page._answered("PB-20[2]", "no")
    assert page.session.value("P-AGE[3]") == "50_plus"
    gesprek = page.view("gesprek")  # one person at a time, chosen in the section's person selector
    assert gesprek.current_person == 1 and gesprek.blocks[1].isVisibleTo(gesprek)
    assert gesprek.person_combo.count() == 3
    gesprek.show_person(3)  # the operator: the sex-worker interview does not apply
    assert not gesprek.blocks[3].isVisibleTo(gesprek) and gesprek.empty.isVisibleTo(gesprek)
    gesprek.next_person_button.click()  # already the last person: stays
    assert gesprek.current_person == 3
    gesprek.previous_button.click()
    assert gesprek.current_person == 2 and gesprek.blocks[2].isVisibleTo(gesprek)
    assert "gen.id_held_by_other" in slugs_in_panel(page)

    monkeypatch.setattr(page, "confirm", lambda *_args: True)
    view.blocks[2].remove_button.click()
    assert sorted(page.session.persons) == [1, 3]
    assert sorted(view.blocks) == [1, 3]
    assert sorted(gesprek.blocks) == [1, 3]
    assert "gen.id_held_by_other" not in slugs_in_panel(page)  # raised only by the removed person


def test_finalize_refused_then_locked_read_only(
    page: ChecklistPage, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.open_visit(new_visit(ui_app))
    monkeypatch.setattr(page, "confirm", lambda *_args: True)
    page.commands.request_finalize()
    dialog = page.commands.refused_dialog
    assert dialog is not None and dialog.isVisible()
    assert "PB-01" in dialog.refs()
    assert page.session is not None and not page.session.is_final
    item = dialog.list.item(dialog.refs().index("PB-01"))
    dialog.list.itemActivated.emit(item)
    assert not dialog.isVisible()
    assert page.stack.currentWidget() is page.views["vergunning"]

    for _round in range(6):
        missing, _invalid = page.session.open_problems()
        if not missing:
            break
        for ref in missing:
            page._answered(ref, value_for(page, ref))
    assert page.session.open_problems() == ([], [])
    page.commands.request_finalize()
    assert page.session.is_final
    assert page.final_box.isVisible()
    assert "Definitief" in page.final_banner.text()
    assert not page.finalize_button.isEnabled()
    manager = yesno(page, "PB-05")
    assert not manager.buttons["no"].isEnabled()
    widget = page.widget("PB-05")
    assert widget is not None and not widget.amend_button.isHidden()
    assert not page.panel.tick_button.isEnabled()

    def amend_dialog() -> None:
        from PySide6.QtWidgets import QApplication

        modal = QApplication.activeModalWidget()
        assert modal is not None
        modal.editor.set_value("no")
        modal.reason.setText("Teruggelezen: beheerder was niet aanwezig.")
        modal.accept()

    QTimer.singleShot(0, amend_dialog)
    page.commands.amend("PB-05")
    assert page.session.value("PB-05") == "no"
    assert manager.buttons["no"].isChecked()


def test_discreet_mode_hides_panel_banner_and_marks(page: ChecklistPage, ui_app: AppContext) -> None:
    page.open_visit(new_visit(ui_app))
    page.commands.add_person("sex_worker")
    page._answered("PB-20[1]", "no")
    page.jump_to("PB-20[1]")
    widget = page.widget("PB-20[1]")
    assert widget is not None
    assert page.panel.isVisible() and page.banner.isVisible() and widget.is_marked
    page.set_discreet(True)
    assert not page.panel.isVisible()
    assert not page.banner.isVisible()
    assert not widget.is_marked
    page._answered("PB-05", "no")  # new signals stay hidden too
    marked = page.widget("PB-05")
    assert marked is not None and not marked.is_marked and not page.banner.isVisible()
    page.set_discreet(False)
    assert page.panel.isVisible() and page.banner.isVisible() and widget.is_marked and marked.is_marked


def test_reopening_shows_exactly_the_saved_state(
    qtbot: QtBot, page: ChecklistPage, ui_app: AppContext
) -> None:
    visit_id = new_visit(ui_app)
    page.open_visit(visit_id)
    page.commands.add_person("sex_worker")
    qtbot.keyClick(yesno(page, "PB-20[1]").buttons["yes"], Qt.Key.Key_N)
    share = page.widget("PB-16a")
    assert share is not None and isinstance(share.editor, NumberEditor)
    qtbot.keyClicks(share.editor.edit, "12,5")
    qtbot.keyClick(share.editor.edit, Qt.Key.Key_Return)
    note_text = page.widget("PB-36")
    assert note_text is not None and isinstance(note_text.editor, TextEditor)
    qtbot.keyClicks(note_text.editor.edit, "Deur naar achterruimte op slot.")
    qtbot.waitUntil(
        lambda: page.session is not None and page.session.value("PB-36") is not None, timeout=3000
    )
    note_text.note_button.setChecked(True)
    qtbot.keyClicks(note_text.note, "gezien om 22:10")
    page.flush_pending()
    assert page.session is not None
    assert page.session.value("PB-16a") == 12.5

    other = open_app(ui_app.paths.data_dir)
    try:
        again = ChecklistPage(other, CONTACT)
        qtbot.addWidget(again)
        again.open_visit(visit_id)
        assert yesno(again, "PB-20[1]").buttons["no"].isChecked()
        reopened_share = again.widget("PB-16a")
        assert reopened_share is not None and isinstance(reopened_share.editor, NumberEditor)
        assert reopened_share.editor.edit.text() == "12,5"
        reopened_text = again.widget("PB-36")
        assert reopened_text is not None and isinstance(reopened_text.editor, TextEditor)
        assert reopened_text.editor.edit.toPlainText() == "Deur naar achterruimte op slot."
        assert reopened_text.note.text() == "gezien om 22:10"
        assert slugs_in_panel(again) == slugs_in_panel(page)
        assert again.banner.levels == page.banner.levels
        assert [again.navigator.item(i).text() for i in range(again.navigator.count())] == [
            page.navigator.item(i).text() for i in range(page.navigator.count())
        ]
    finally:
        other.close()


def test_constraint_error_inline_and_nothing_saved(
    qtbot: QtBot, page: ChecklistPage, ui_app: AppContext
) -> None:
    page.open_visit(new_visit(ui_app))
    assert page.session is not None
    before = page.session.value("H-04a")
    widget = page.widget("H-04a")
    assert widget is not None and isinstance(widget.editor, NumberEditor)
    widget.editor.edit.clear()
    qtbot.keyClicks(widget.editor.edit, "0")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    assert widget.has_error
    assert "tussen 1 en 50" in widget.error.text()
    assert not widget.error_icon.isHidden()  # icon, not colour alone
    assert widget.editor.edit.text() == "0"  # the typed value stays
    assert page.session.value("H-04a") == before
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget.editor.edit, "3")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    assert not widget.has_error
    assert page.session.value("H-04a") == 3


def test_computed_value_updates_live(page: ChecklistPage, ui_app: AppContext) -> None:
    page.open_visit(new_visit(ui_app, "labour_migrant_housing"))
    page._answered("AH-06", 10)
    page._answered("AH-09a", 80.0)
    widget = page.widget("AH-09c")
    assert widget is not None and isinstance(widget.editor, ComputedView)
    assert "8" in widget.editor.label.text()


def test_screenshot_of_a_demo_visit_with_signals(
    qtbot: QtBot, page: ChecklistPage, ui_app: AppContext, tmp_path: Path
) -> None:
    """The page renders a demo visit with signals; docs/screenshots/ is made by make_screenshots.py."""
    create_demo_visits(ui_app, 40)
    visits = [row for row in find_visits(ui_app, VisitFilter()) if row.form_id == "prostitution_business"]
    visits.sort(key=lambda row: (row.status == "draft", row.count_h, row.count_m, row.count_l), reverse=True)
    page.open_visit(visits[0].id)
    assert page.session is not None
    standing = page.session.standing_observations()
    assert standing, "the demo visit should carry signals"
    refs = [ref for row in standing for ref in row.raised_by if "[" in ref] or [standing[0].raised_by[0]]
    page.jump_to(refs[0])
    qtbot.wait(50)
    assert page.banner.isVisible() and slugs_in_panel(page)
    assert page.grab().save(str(tmp_path / "checklist.png"))


def test_finalize_refused_after_confirming_keeps_the_messages(
    page: ChecklistPage, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: when finalize_visit refused after the pre-check passed, the dialog showed the
    invalid refs without their messages (`[(ref, "") for ref in error.invalid]`)."""
    from inspector_app.services.visit.session import VisitSession

    visit_id = new_visit(ui_app)
    page.open_visit(visit_id)
    assert page.session is not None
    page._answered("H-02b", "09:00")
    page._answered("H-02c", "10:00")
    for _round in range(6):
        missing, _invalid = page.session.open_problems()
        if not missing:
            break
        for ref in missing:
            page._answered(ref, value_for(page, ref))
    assert page.session.open_problems() == ([], [])

    def confirm_while_another_window_edits(*_args: object) -> bool:
        # Between the check and the confirmation the start time moves past the end time elsewhere.
        with opened_app(ui_app.paths.data_dir) as other:
            VisitSession(other, visit_id).answer("H-02b", "11:00")
        return True

    monkeypatch.setattr(page, "confirm", confirm_while_another_window_edits)
    page.commands.request_finalize()
    dialog = page.commands.refused_dialog
    assert dialog is not None and dialog.isVisible() and dialog.refs() == ["H-02c"]
    assert "De eindtijd ligt vóór de begintijd." in dialog.list.item(0).text()
    assert not page.session.is_final
