"""The DPO's retention screen (office): the periods, what `retention run --dry-run` would remove, and
removing it after confirmation, off the UI thread (services.retention)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.i18n import _, n_
from inspector_app.services import retention as retention_service
from inspector_app.services.app import AppContext
from inspector_app.services.retention import RetentionRun
from inspector_app.ui.tasks import Progress, Task, run_task


class RetentionDialog(QDialog):
    """Shows the dry run on opening; 'Nu verwijderen…' asks once, then runs and shows the outcome."""

    removed = Signal(object)  # the RetentionRun, after a real run

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.task: Task[RetentionRun] | None = None
        self.setWindowTitle(_("Bewaartermijnen (FG)"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(_("Bewaartermijnen en wat nu verwijderd zou worden"))
        self.table.setHorizontalHeaderLabels([_("Soort gegevens"), _("Termijn"), _("Nu te verwijderen")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        layout.addWidget(
            QLabel(
                _("Termijnen stelt u vast met 'inspector-app retention set KLASSE DAGEN' (docs/privacy.md).")
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.remove_button = QPushButton(_("Nu &verwijderen…"))
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self.confirm_and_remove)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.plan = self.refresh()

    def refresh(self) -> RetentionRun:
        plan = retention_service.plan(self.app)
        self.table.setRowCount(len(plan.rules))
        for row, rule in enumerate(plan.rules):
            period = _("nooit") if rule.days is None else _("{days} dagen", days=rule.days)
            due = _(
                "{visits} bezoeken, {rows} regels, {files} bestanden",
                visits=len(rule.visits),
                rows=rule.rows,
                files=len(rule.files),
            )
            texts = (retention_service.describe(rule.record_class), period, due)
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        anything = any(r.visits or r.rows or r.files for r in plan.rules)
        self.remove_button.setEnabled(anything)
        self.summary.setText(
            n_(
                "Volgens de bewaartermijnen wordt nu {count} bezoek verwijderd, met alles wat erbij hoort.",
                "Volgens de bewaartermijnen worden nu {count} bezoeken verwijderd, met alles wat erbij hoort.",
                plan.total_visits,
            )
            if anything
            else _("Er is nu niets over de bewaartermijn.")
        )
        self.plan = plan
        return plan

    def confirm_and_remove(self) -> None:
        answer = QMessageBox.question(
            self,
            _("Definitief verwijderen"),
            _(
                "De getoonde gegevens ({count} bezoeken en wat erbij hoort) worden definitief verwijderd, "
                "ook uit kopieën en het auditlog (de keten met vingerafdrukken blijft). Dit kan niet "
                "ongedaan worden gemaakt. Doorgaan?",
                count=self.plan.total_visits,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def job(app: AppContext, _progress: Progress) -> RetentionRun:
            return retention_service.run(app)

        self.task = run_task(
            self, self.app, _("Verwijderen volgens de bewaartermijnen"), job, on_done=self._done
        )

    def _done(self, outcome: RetentionRun) -> None:
        self.refresh()
        self.removed.emit(outcome)
        extra = (
            ""
            if outcome.compacted
            else " "
            + _("De database kon niet helemaal worden opgeschoond; sluit de app en voer 'retention run' uit.")
        )
        text = (
            n_(
                "{count} bezoek verwijderd. Auditketen: in orde.",
                "{count} bezoeken verwijderd. Auditketen: in orde.",
                outcome.total_visits,
            )
            if outcome.chain_ok
            else n_(
                "{count} bezoek verwijderd. Auditketen: NIET in orde.",
                "{count} bezoeken verwijderd. Auditketen: NIET in orde.",
                outcome.total_visits,
            )
        )
        QMessageBox.information(self, _("Verwijderd"), text + extra)
