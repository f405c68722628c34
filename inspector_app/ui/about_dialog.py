"""Help → Over…: the version and the licences of the bundled components.

The licence texts are files in `resources/licenses/` (copied from the installed distributions by
`packaging/collect_licenses.py`, listed in `components.json`) and ship with the frozen build.
"""

from __future__ import annotations

import json
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app import __version__
from inspector_app.i18n import _
from inspector_app.paths import resources_dir


def load_components() -> list[dict[str, object]]:
    """The bundled components from `resources/licenses/components.json` (empty if it is missing)."""
    try:
        data = json.loads((resources_dir() / "licenses" / "components.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Over Signalering mensenhandel"))
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            "<h3>"
            + _("Signalering mensenhandel")
            + "</h3><p>"
            + _("Versie {version}", version=__version__)
            + "<br>"
            + _("Licentie van de app: {licence}", licence="EUPL-1.2")
            + f"<br>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}</p>"
        )
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(_("Meegeleverde onderdelen en hun licenties:")))
        row = QHBoxLayout()
        self.components = load_components()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Meegeleverde onderdelen"))
        for item in self.components:
            version = f" {item.get('version')}" if item.get("version") else ""
            self.list.addItem(f"{item.get('name')}{version} — {item.get('license')}")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(_("Licentietekst"))
        self.text.setReadOnly(True)
        row.addWidget(self.list, 2)
        row.addWidget(self.text, 3)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self.show_licence)
        if self.components:
            self.list.setCurrentRow(0)

    def show_licence(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        files = self.components[row].get("files")
        texts = []
        for name in files if isinstance(files, list) else []:
            try:
                texts.append(f"== {name} ==\n\n" + (resources_dir() / str(name)).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                texts.append(_("Licentiebestand {name} ontbreekt.", name=name))
        self.text.setPlainText("\n\n".join(texts))


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
