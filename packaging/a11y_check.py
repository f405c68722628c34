"""Counts the focusable controls without an accessible name on every screen, as a screen reader sees them.

Two ways, on the same screens (`screens()`):

- In-process (what `tests/ui/test_accessibility.py` runs offscreen): the Qt accessibility tree,
  `QAccessible.queryAccessibleInterface` and its children, the tree Qt hands to the platform.
- Over AT-SPI (what Orca reads on Linux), run by hand: `python3 packaging/a11y_check.py`. This starts
  Xvfb and a private D-Bus session with the AT-SPI bus, runs the app in a child process (the venv's
  Python) that shows one screen at a time, and walks each screen's AT-SPI tree from this process with
  `pyatspi` (the system Python). A client cannot walk its own process: Qt answers AT-SPI on its main
  thread, so the walker lives in the parent. See packaging/README.md, "Accessibility check".

Exit status 0 when every screen has zero unnamed focusable controls, 1 when some have, 2 when the app
could not show its screens (then nothing was checked).
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from inspector_app.services.app import AppContext

REPO = Path(__file__).resolve().parents[1]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
FORMS = ("prostitution_business", "massage_parlour", "construction_site", "labour_migrant_housing")
READY = "A11Y-SCREEN"
DONE = "A11Y-DONE"
APPLICATION_NAME = "inspector_app_a11y_check"
NOT_CONTROLS = frozenset({"Cell", "StaticText"})  # QAccessible role names
ATSPI_NOT_CONTROLS = frozenset({"table cell", "label", "frame", "dialog", "window"})  # AT-SPI role names


# ------------------------------------------------------------------------------------------ Qt side


def unnamed_focusable(widget: QWidget) -> list[str]:
    """The focusable, visible accessible objects under `widget` whose name is empty.

    Invisible objects (a closed combo-box popup, a stack page not shown) are skipped: a screen reader
    does not reach them either, and `screens()` shows every page once. Not controls, so not counted:
    table cells (an empty cell is an empty value; its column header names it) and labels (a label is
    named by the text it shows; a selectable status label is empty until there is something to say).
    Each entry says the role, the widget class and the chain of roles above it, so the failing control
    can be found.
    """
    from PySide6.QtGui import QAccessible

    found: list[str] = []

    def walk(iface: Any, trail: str, depth: int) -> None:
        if iface is None or not iface.isValid() or depth > 80:
            return
        state = iface.state()
        if state.invisible:
            return
        role = iface.role().name
        if state.focusable and role not in NOT_CONTROLS and not meaningful(iface.text(QAccessible.Text.Name)):
            obj = iface.object()
            kind = type(obj).__name__ if obj is not None else "item"
            found.append(f"{trail}/{role} ({kind})")
        for index in range(iface.childCount()):
            walk(iface.child(index), f"{trail}/{role}", depth + 1)

    walk(QAccessible.queryAccessibleInterface(widget), "", 0)
    return found


def meaningful(name: str | None) -> bool:
    """A name a listener can use: at least one letter or digit ("◀" or "…" alone say nothing)."""
    return any(character.isalnum() for character in name or "")


def prepare_app(app: AppContext) -> None:
    """A profile (no first-run dialog) and demo visits, so lists, panels and markers are filled."""
    from inspector_app.services.demo.generator import create_demo_visits

    app.settings.profile.name = "Toezichthouder 1001"
    app.settings.profile.municipality = "Westerdam"
    app.settings.contact_person.name = "A. Jansen"
    app.settings.contact_person.phone = "0600000000"
    app.save_settings()
    create_demo_visits(app, 24)


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _round in range(3):
        QApplication.processEvents()


def _checklist_screens(app: AppContext, size: tuple[int, int]) -> Iterator[tuple[str, QWidget]]:
    """Every section of a new visit of each form with two persons, and of a final demo visit."""
    from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
    from inspector_app.ui.checklist_page import ChecklistPage

    page = ChecklistPage(app, "A. Jansen, 0600000000")
    page.resize(*size)
    page.show()
    for form in FORMS:
        visit_id = start_visit(
            app, NewVisit(form=form, location=LocationInput("Testlocatie", "Kade 1", "1234 AB"))
        )
        page.open_visit(visit_id)
        assert page.session is not None
        for row in range(page.navigator.count()):
            page.navigator.setCurrentRow(row)
            section = page.session.form.sections[row]
            view = page.views[section.id]
            if view.manages_persons and not view.blocks:
                for _person in range(2):
                    view.add_button.click()
            _settle()
            yield f"checklist {form} / {section.id}", page
    final = [row for row in find_visits(app, VisitFilter()) if row.status == "final"]
    if final:
        page.open_visit(final[0].id)
        assert page.session is not None
        for row in range(page.navigator.count()):
            page.navigator.setCurrentRow(row)
            _settle()
            yield f"checklist final {final[0].form_id} / {page.session.form.sections[row].id}", page
    page.close()
    page.deleteLater()


def _shown(widget: QWidget, size: tuple[int, int]) -> QWidget:
    widget.resize(*size)
    widget.show()
    _settle()
    return widget


def screens(app: AppContext, size: tuple[int, int] = (1024, 600)) -> Iterator[tuple[str, QWidget]]:
    """Each page and dialog of the app, shown, one at a time; the caller walks it before the next."""
    from inspector_app.domain.catalogue import load_catalogue
    from inspector_app.services.visit.session import VisitSession
    from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
    from inspector_app.ui.about_dialog import AboutDialog
    from inspector_app.ui.dialogs import FirstRunDialog, SettingsDialog
    from inspector_app.ui.finalize_dialog import AmendDialog, FinalizeRefusedDialog
    from inspector_app.ui.indicator_picker import IndicatorPickerDialog
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.new_visit_dialog import NewVisitDialog
    from inspector_app.ui.referral_dialog import ReferralDialog
    from inspector_app.ui.sync_conflicts import ConflictsDialog
    from inspector_app.ui.sync_dialogs import ApplyReceiptDialog, ExportDialog, ImportDialog
    from inspector_app.ui.sync_keys import KeysDialog

    window = _shown(MainWindow(app), size)
    yield "visit list (main window)", window
    window.close()
    yield from _checklist_screens(app, size)

    session = VisitSession(app, start_visit(app, NewVisit(form="AH", location=LocationInput("Logies Test"))))
    session.answer("AH-20c", "yes")
    form = session.form
    question = next(q for s in form.sections for q in s.questions if not s.repeat)
    dialogs: list[tuple[str, Any]] = [
        ("new visit", lambda: NewVisitDialog(app)),
        ("settings", lambda: SettingsDialog(app)),
        ("first run", lambda: FirstRunDialog(app)),
        ("indicator picker", lambda: IndicatorPickerDialog(None, load_catalogue())),
        ("finalize refused", lambda: FinalizeRefusedDialog(form, [question.id], [(question.id, "Ongeldig")])),
        ("amend", lambda: AmendDialog(question, question.id, None, lambda _ids: [])),
        ("referral", lambda: ReferralDialog(session)),
        ("export", lambda: ExportDialog(app, [row.id for row in find_visits(app, VisitFilter())][:2])),
        ("import", lambda: ImportDialog(app)),
        ("receipt", lambda: ApplyReceiptDialog(app)),
        ("keys", lambda: KeysDialog(app)),
        ("conflicts", lambda: ConflictsDialog(app)),
        ("about", AboutDialog),
    ]
    for name, make in dialogs:
        dialog = _shown(make(), size)
        yield name, dialog
        dialog.close()
        dialog.deleteLater()


# ---------------------------------------------------------------------------------------- AT-SPI side


def _serve_until_told() -> None:
    """Keep answering AT-SPI (Qt does so on its event loop) until the walker writes a line."""
    from PySide6.QtWidgets import QApplication

    while not select.select([sys.stdin], [], [], 0.02)[0]:
        QApplication.processEvents()
    sys.stdin.readline()


def _child(data_dir: Path, size: tuple[int, int]) -> int:
    """Show the screens one by one; after each, print READY and wait for a line on stdin."""
    from PySide6.QtWidgets import QApplication

    from inspector_app.services.app import open_app

    QApplication.setApplicationName(APPLICATION_NAME)  # before the bridge starts: AT-SPI reads it once
    qt_app = QApplication([sys.argv[0], "-platform", "xcb"])
    qt_app.setQuitOnLastWindowClosed(False)  # screens close one after another
    app = open_app(data_dir)
    prepare_app(app)
    for name, widget in screens(app, size):
        widget.raise_()
        widget.activateWindow()
        _settle()
        print(f"{READY}\t{name}\t{widget.windowTitle()}", flush=True)
        _serve_until_told()
    print(DONE, flush=True)
    app.close()
    return 0


def _atspi_unnamed(application_name: str, window_title: str) -> tuple[list[str], int]:
    """Walk the AT-SPI tree of the app's showing window: the focusable, showing, unnamed objects,
    and how many focusable controls there were (zero means the walk did not reach the app)."""
    import pyatspi  # type: ignore[import-not-found]  # system package python3-pyatspi

    desktop = pyatspi.Registry.getDesktop(0)
    found: list[str] = []
    controls = [0]

    def walk(node: Any, trail: str, depth: int) -> None:
        if node is None or depth > 80:
            return
        states = node.getState()
        if not states.contains(pyatspi.STATE_SHOWING):
            return
        role = node.getRoleName()
        if states.contains(pyatspi.STATE_FOCUSABLE) and role not in ATSPI_NOT_CONTROLS:
            controls[0] += 1
            if not meaningful(node.name):
                found.append(f"{trail}/{role}")
        for index in range(node.childCount):
            walk(node.getChildAtIndex(index), f"{trail}/{role}", depth + 1)

    for index in range(desktop.childCount):
        application = desktop.getChildAtIndex(index)
        if application is None or application.name != application_name:
            continue
        for window_index in range(application.childCount):
            window = application.getChildAtIndex(window_index)
            if window is not None and window.getState().contains(pyatspi.STATE_SHOWING):
                if window_title and window.name != window_title:
                    continue
                walk(window, "", 0)
    return found, controls[0]


def _start_display() -> tuple[subprocess.Popen[bytes], str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb not found: apt-get install xvfb")
    display = ":93"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    return server, display


def _parent(size: tuple[int, int]) -> int:
    """Run the child under Xvfb with AT-SPI switched on, walk each screen, print counts."""
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        # a private session bus for the AT-SPI bus launcher; re-run this script inside it
        runner = shutil.which("dbus-run-session")
        if runner is None:
            raise SystemExit("dbus-run-session not found: apt-get install dbus")
        return subprocess.call([runner, "--", sys.executable, *sys.argv])
    server, display = _start_display()
    launcher = next(
        (
            p
            for p in ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
            if Path(p).exists()
        ),
        None,
    )
    bus = (
        subprocess.Popen([launcher, "--launch-immediately"], env=dict(os.environ, DISPLAY=display))
        if launcher
        else None
    )
    time.sleep(1.0)
    env = dict(os.environ, DISPLAY=display, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    env.pop("QT_ACCESSIBILITY", None)
    python = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)
    total = walked = 0
    with tempfile.TemporaryDirectory() as folder:
        child = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "--child", folder, "--size", f"{size[0]}x{size[1]}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            cwd=REPO,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            for line in child.stdout:
                if line.startswith(DONE):
                    break
                if not line.startswith(READY):
                    continue
                _mark, name, title = [*line.rstrip("\n").split("\t"), "", ""][:3]
                time.sleep(0.3)  # let the bridge publish the new window
                unnamed, controls = _atspi_unnamed(APPLICATION_NAME, title)
                total += len(unnamed)
                walked += 1 if controls else 0
                print(f"{len(unnamed):3d} unnamed of {controls:3d} focusable  {name}")
                for entry in unnamed:
                    print(f"       {entry}")
                child.stdin.write("\n")
                child.stdin.flush()
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
            if bus is not None:
                bus.terminate()
            server.terminate()
    if walked == 0 or child.returncode:
        print(f"the app did not show its screens (exit status {child.returncode}); nothing was checked")
        return 2
    print(f"unnamed focusable controls (AT-SPI, {size[0]}x{size[1]}, {walked} screens): {total}")
    return 0 if total == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--child", metavar="DATA_DIR", help=argparse.SUPPRESS)
    parser.add_argument("--size", default="1024x600", help="window size, WIDTHxHEIGHT (default 1024x600)")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.split("x"))
    if args.child:
        sys.path.insert(0, str(REPO))
        return _child(Path(args.child), (width, height))
    return _parent((width, height))


if __name__ == "__main__":
    raise SystemExit(main())
