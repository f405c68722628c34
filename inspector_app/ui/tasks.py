"""Run one piece of work off the UI thread, with progress and cancel, and report back on the UI thread.

Modelled on Anki's `CollectionOp`: the job runs in a worker thread with its own installation
(`opened_app`, because an SQLite connection belongs to the thread that opened it); when it ends,
exactly one of `on_done`, `on_cancelled` or `on_error` runs on the UI thread. Every `Exception` of
the job reaches `on_error` (by default `show_error`: an `AppError` as its Dutch message, anything
else through the crash-report dialog), so a dialog never reads a result that was never made. A
`BaseException` such as KeyboardInterrupt is raised again on the UI thread. There is no nested
event loop: the caller returns at once and continues in the callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from inspector_app.errors import AppError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext, opened_app

T = TypeVar("T")

# Tasks still running or waiting for their callbacks; holding them here keeps a QThread from being
# garbage-collected (which aborts the process) when the caller keeps no reference.
_RUNNING: set[Task[Any]] = set()


def documents_folder() -> Path:
    """Where file choosers start: the user's Documents folder, else the home folder."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class TaskCancelledError(Exception):
    """The user pressed Cancel; raised from `Progress.__call__` to stop the job where it reports."""


class Progress:
    """Handed to the job: call it with `(done, total, text)`; it raises TaskCancelledError once Cancel was pressed.

    Jobs that must stop at a safe point of their own (between files, say) ask `stop_requested()` and
    report with `emit`, which never raises.
    """

    def __init__(self, task: Task[Any]) -> None:
        self._task = task

    def __call__(self, done: int, total: int, text: str) -> None:
        if self.stop_requested():
            raise TaskCancelledError
        self.emit(done, total, text)

    def emit(self, done: int, total: int, text: str) -> None:
        """Report without the cancel check, for jobs that stop by `stop_requested()` themselves."""
        self._task.progressed.emit(done, total, text)

    def stop_requested(self) -> bool:
        return self._task.isInterruptionRequested()


Job = Callable[[AppContext, Progress], T]


class Task(QThread, Generic[T]):
    """One job in a worker thread; `settled` is emitted on the UI thread after the callback ran."""

    progressed = Signal(int, int, str)
    settled = Signal()

    def __init__(
        self,
        data_dir: Path,
        job: Job[T],
        on_done: Callable[[T], object],
        on_error: Callable[[Exception], object],
        on_cancelled: Callable[[], object],
        dialog: QProgressDialog | None = None,
    ) -> None:
        super().__init__()
        self.data_dir, self.job, self.dialog = data_dir, job, dialog
        self.on_done, self.on_error, self.on_cancelled = on_done, on_error, on_cancelled
        self.result: T | None = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.done = False
        # QThread lives in the thread that made it (the UI thread), so this slot runs there (queued).
        self.finished.connect(self._settle)

    def run(self) -> None:
        """Worker thread: never touch widgets here; everything is handed over in `_settle`."""
        try:
            with opened_app(self.data_dir) as app:
                self.result = self.job(app, Progress(self))
        except TaskCancelledError:
            self.cancelled = True
        except BaseException as error:  # noqa: BLE001 -- handed to the UI thread, which shows it or raises it again
            self.error = error

    def _settle(self) -> None:
        _RUNNING.discard(self)
        self.done = True
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
        try:
            error = self.error
            if error is not None and not isinstance(error, Exception):
                raise error
            if error is not None:
                self.on_error(error)
            elif self.cancelled:
                self.on_cancelled()
            else:
                self.on_done(self.result)  # type: ignore[arg-type]  # set by run() when no error
        finally:
            self.settled.emit()


def show_error(parent: QWidget | None, error: Exception, title: str | None = None) -> None:
    """The one way a failed task is shown: AppError and OSError as a message, anything else as a crash."""
    if isinstance(error, AppError):
        QMessageBox.warning(parent, title or _("Niet gelukt"), error.message)
    elif isinstance(error, OSError):
        QMessageBox.warning(
            parent,
            title or _("Niet gelukt"),
            _("Het bestand of de map kan niet worden gebruikt: {error}", error=error),
        )
    else:
        from inspector_app.ui.app import show_unexpected_error

        show_unexpected_error(type(error), error, error.__traceback__)


def stop_all_tasks() -> None:
    """On quit: ask every running task to stop and wait for it, so none is cut off mid-file.

    A QThread destroyed while it runs aborts the process; jobs stop at their next progress report,
    and what they write is atomic (a bundle, a PDF, one imported file), so waiting is short and safe.
    """
    for task in list(_RUNNING):
        task.requestInterruption()
    for task in list(_RUNNING):
        task.wait()


_quit_hooked = False


def _stop_tasks_on_quit() -> None:
    global _quit_hooked
    instance = QCoreApplication.instance()
    if instance is not None and not _quit_hooked:
        instance.aboutToQuit.connect(stop_all_tasks)
        _quit_hooked = True


def run_task(
    parent: QWidget,
    app: AppContext,
    title: str,
    job: Job[T],
    *,
    on_done: Callable[[T], object],
    on_error: Callable[[Exception], object] | None = None,
    on_cancelled: Callable[[], object] | None = None,
    label: str | None = None,
) -> Task[T]:
    """Start `job(app, progress)` in a worker thread with a progress dialog; return at once.

    `on_error` defaults to `show_error` on `parent`; `on_cancelled` defaults to doing nothing.
    `title` names the progress window; `label` is its text until the job reports (default: title).
    The progress dialog is window-modal, so the parent cannot start the same work twice meanwhile.
    """
    dialog = QProgressDialog(label or title, _("Annuleren"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)

    task: Task[T] = Task(
        app.paths.data_dir,
        job,
        on_done,
        on_error or (lambda error: show_error(parent, error)),
        on_cancelled or (lambda: None),
        dialog,
    )

    def show(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(text)

    task.progressed.connect(show)
    dialog.canceled.connect(task.requestInterruption)
    _stop_tasks_on_quit()
    _RUNNING.add(task)
    task.start()
    return task
