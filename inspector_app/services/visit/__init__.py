"""One visit's use cases; `session.VisitSession.commit` is the only writer of its tables."""
