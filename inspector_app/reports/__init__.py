"""PDF documents of a visit (report, signal form, receipt), rendered by reportlab from plain view models.

Nothing here reads the database: the services layer builds the view models in `model.py`, so the
documents can be tested, previewed and batch-rendered without a session, and the layering stays one-way.
"""
