"""What a checklist definition file may contain: format version, id patterns and allowed keys."""

from __future__ import annotations

import re

from inspector_app.forms.model import QuestionType

DEFINITION_FORMAT = 1
FORM_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
SECTION_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
QUESTION_ID_RE = re.compile(r"^[A-Z]{1,4}-[A-Z0-9]{1,8}[a-z]?$")
CHOICE_VALUE_RE = re.compile(r"^[a-z0-9_.]{1,64}$")
ROLE_CODE_RE = re.compile(r"^[A-Z]{2,3}$")
RULE_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

FORM_KEYS = {
    "format",
    "id",
    "version",
    "location_type",
    "title",
    "description",
    "persons",
    "sections",
    "rules",
}
FRAGMENT_KEYS = {"format", "sections", "rules"}
SECTION_KEYS = {"id", "title", "repeat", "visible_when", "questions", "audience"}
QUESTION_KEYS = {
    "id",
    "type",
    "label",
    "help",
    "required",
    "visible_when",
    "constraint",
    "constraint_message",
    "unit",
    "choices",
    "expression",
    "audience",
    "mirror",
    "report_list",
    "policy",
}
CHOICE_KEYS = {"value", "nl", "en", "referral"}
ROLE_KEYS = {"value", "code", "nl", "en"}
RULE_KEYS = {"id", "when", "raise", "raise_selected", "weight", "finding", "finding_kind", "acute"}
NUMERIC_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.COMPUTED}
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
