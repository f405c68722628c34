"""Answer values moved to `forms/values.py` (parsing and checking are checklist rules); re-exported here."""

from inspector_app.forms.values import MAX_NUMBER as MAX_NUMBER
from inspector_app.forms.values import MAX_TEXT_LENGTH as MAX_TEXT_LENGTH
from inspector_app.forms.values import YESNO_WORDS as YESNO_WORDS
from inspector_app.forms.values import check_answer as check_answer
from inspector_app.forms.values import parse_answer_text as parse_answer_text
