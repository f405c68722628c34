"""The F1 list of shortcuts, generated from the window's actions and shortcuts.

A hand-kept table missed Ctrl+E, Ctrl+I and Alt+←/→; reading the actions (menus) and the `QShortcut`s
(whose `whatsThis` holds their description) from the widget tree lists every key that really works.
Keys handled inside a control (J/N/O, arrows in a group, Enter in the list) are no actions; they are
listed in `IN_CONTROL_KEYS`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QWidget

from inspector_app.i18n import _


def in_control_keys() -> list[tuple[str, str]]:
    """Keys a focused control handles itself, so no action carries them."""
    return [
        (_("J / N / O"), _("Ja / Nee / Onbekend bij een ja/nee-vraag met focus")),
        (_("← / →"), _("Tussen de knoppen van een vraag (één tabstop per groep)")),
        (_("Tab / Shift+Tab"), _("Volgende / vorige vraag")),
        (_("↓ / Enter in het zoekveld"), _("Naar de lijst / eerste bezoek openen")),
        (_("Enter"), _("Gekozen bezoek openen")),
        (_("Spatie"), _("Aanvinken of knop met focus indrukken")),
        (_("Enter / Shift+Enter in een notitie of reden"), _("Vastleggen / nieuwe regel")),
    ]


def shortcut_rows(root: QWidget) -> list[tuple[str, str]]:
    """(keys, description) of every action and described shortcut under `root`, sorted, no doubles."""
    rows: dict[str, str] = {}
    for action in root.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.setdefault(keys, action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"))
    for shortcut in root.findChildren(QShortcut):
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and shortcut.whatsThis():
            rows.setdefault(keys, shortcut.whatsThis())
    found = sorted(rows.items(), key=lambda row: row[1].casefold())
    return found + in_control_keys()


def show_shortcut_help(root: QWidget) -> None:
    rows = "".join(
        f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(text.rstrip('…'))}</td></tr>"
        for keys, text in shortcut_rows(root)
    )
    box = QMessageBox(root)
    box.setWindowTitle(_("Sneltoetsen"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<table cellspacing='6'>{rows}</table>")
    box.exec()
