"""Answer addresses moved to `forms/refs.py`; re-exported here."""

from inspector_app.forms.refs import REF_RE as REF_RE
from inspector_app.forms.refs import answer_ref as answer_ref
from inspector_app.forms.refs import parse_ref as parse_ref
