"""View models of the PDFs (visit report, signal form, receipt) and their render entry points."""
