"""One entry point from a view model to PDF/A-2b bytes, whatever the document kind."""

from __future__ import annotations

from inspector_app.reports.model import ReceiptView, ReportView, SignalFormView, VisitReportView
from inspector_app.reports.pdfa import make_pdfa
from inspector_app.reports.receipt import render_receipt
from inspector_app.reports.signal_form import render_signal_form
from inspector_app.reports.visit_report import render_visit_report


def render_document(view: ReportView) -> bytes:
    return make_pdfa(_render(view), view.meta)


def _render(view: ReportView) -> bytes:
    if isinstance(view, VisitReportView):
        return render_visit_report(view)
    if isinstance(view, SignalFormView):
        return render_signal_form(view)
    if isinstance(view, ReceiptView):
        return render_receipt(view)
    raise TypeError(f"not a report view: {type(view).__name__}")
