"""Meaning, not only type: every decoded record of a field bundle checked before anything is stored.

`records.decode_jsonl` guarantees each row has the table's columns with their wire types. Here each
row is checked against what the store and the app rely on: the schema's CHECKs (enums, person number
>= 1, flags 0/1), ids of their exact pattern, dates that parse, counts >= 0, text that is valid
Unicode without NUL or reading-direction overrides, JSON columns that parse to their shape, indicator
slugs from the catalogue, and answers and photos that name a question (and a person) of the checklist
version the visit names, with a value of that question's type. The first failure rejects the whole
bundle, naming the record kind, its line and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from inspector_app.domain.catalogue import Catalogue
from inspector_app.domain.model import (
    ConsentStatus,
    IndicatorSource,
    LocationType,
    Recipient,
    ReferralStatus,
    Urgency,
    VisitStatus,
    Weight,
)
from inspector_app.errors import AppError
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.values import check_answer
from inspector_app.i18n import _
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.identifiers import is_sha256, is_uuid
from inspector_app.sync.limits import MAX_PHOTO_PIXELS
from inspector_app.sync.records import FILES, Row

FormLookup = Callable[[str, int], FormDefinition | None]
"""(form id, version) -> that checklist version, or None when this office does not know it."""

MEDIA_TYPES = ("image/jpeg", "image/png")
REVISION_KINDS = ("edit", "final", "addendum")
# Unicode controls that reorder what is shown (Trojan Source): never part of an inspector's text.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ID_COLUMNS = frozenset({"id", "visit_id", "location_id", "head_rev", "base_rev", "device_id"})
_NO_IDS: frozenset[str] = frozenset()
_DATE_COLUMNS = frozenset({"at"})  # and every column whose name ends in "_at"
_FLAGS: dict[str, tuple[str, ...]] = {
    "visits": ("acute",),
    "persons": ("removed",),
    "indicator_observations": ("active", "dismissed"),
}
_ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "locations": {"location_type": tuple(t.value for t in LocationType)},
    "visits": {"status": tuple(s.value for s in VisitStatus)},
    "visit_revisions": {"kind": REVISION_KINDS},
    "indicator_observations": {
        "source": tuple(s.value for s in IndicatorSource),
        "weight": tuple(w.value for w in Weight),
    },
    "photos": {"media_type": MEDIA_TYPES},
    "referrals": {
        "recipient": tuple(r.value for r in Recipient),
        "urgency": tuple(u.value for u in Urgency),
        "consent_status": tuple(c.value for c in ConsentStatus),
        "status": tuple(s.value for s in ReferralStatus),
    },
}
_AT_LEAST: dict[str, dict[str, int]] = {
    "visits": {"form_version": 1, "count_h": 0, "count_m": 0, "count_l": 0},
    "persons": {"number": 1},
    "answers": {"person_number": 0},
    "photos": {"person_number": 0, "width": 1, "height": 1, "size": 1},
    "audit_log": {"seq": 1},
}
_STRING_LISTS: dict[str, tuple[str, ...]] = {
    "visits": ("inspectors", "partners"),
    "indicator_observations": ("raised_by", "rule_ids"),
    "referrals": ("slugs", "person_codes"),
}


class _FaultError(Exception):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


def _text(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise _FaultError(name, _("geen geldige Unicode-tekst")) from error
    if "\x00" in value:
        raise _FaultError(name, _("bevat een NUL-teken"))
    if not _BIDI_CONTROLS.isdisjoint(value):
        raise _FaultError(name, _("bevat tekens die de leesrichting omdraaien"))


def _date(name: str, value: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError as error:
        raise _FaultError(name, _("geen geldige datum of tijd: {value}", value=value[:40])) from error


def _string_list(name: str, value: Any) -> list[str]:
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError) as error:
        raise _FaultError(name, _("geen geldige JSON")) from error
    if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
        raise _FaultError(name, _("geen lijst van teksten"))
    for item in parsed:
        _text(name, item)
    return parsed


def _common(table: str, row: Row) -> None:
    """What holds for every column of every kind: text, ids, dates, enums, flags, lower bounds."""
    ids = _NO_IDS if table == "audit_log" else _ID_COLUMNS
    for name, value in row.items():
        if type(value) is str:
            # ASCII text without NUL is valid as it is: the full check only for the rest (fast path).
            if not value.isascii() or "\x00" in value:
                _text(name, value)
            if name in _DATE_COLUMNS or name[-3:] == "_at":
                _date(name, value)
        if name in ids and value is not None and not is_uuid(value):
            raise _FaultError(name, _("geen geldig id"))
    for name, allowed in _ENUMS.get(table, {}).items():
        if row[name] not in allowed:
            raise _FaultError(name, _("onbekende waarde {value}", value=str(row[name])[:40]))
    for name in _FLAGS.get(table, ()):
        if row[name] not in (0, 1):
            raise _FaultError(name, _("moet 0 of 1 zijn"))
    for name, least in _AT_LEAST.get(table, {}).items():
        if row[name] < least:
            raise _FaultError(name, _("moet ten minste {least} zijn", least=least))
    for name in _STRING_LISTS.get(table, ()):
        _string_list(name, row[name])


def _columns_hold(table: str, rows: list[Row]) -> bool:
    """Whether `_common` accepts every row, worked out column by column: the text checks on one
    joined string per column (a NUL, a reading-direction control or a lone surrogate in any value is
    one in the join, and none appears where values meet), dates and ids once per distinct value.
    False only says some row fails; the row-by-row pass then names it."""
    if not rows:
        return True
    names = list(rows[0])
    if any(list(row) != names for row in rows):  # rows of one decoded file share their columns
        return False
    ids = _NO_IDS if table == "audit_log" else _ID_COLUMNS
    try:
        if not all(_column_holds(name, [row[name] for row in rows], name in ids) for name in names):
            return False
        for name, allowed in _ENUMS.get(table, {}).items():
            if not {row[name] for row in rows} <= set(allowed):
                return False
        for name in _FLAGS.get(table, ()):
            if not {row[name] for row in rows} <= {0, 1}:
                return False
        for name, least in _AT_LEAST.get(table, {}).items():
            if min(row[name] for row in rows) < least:
                return False
        for name in _STRING_LISTS.get(table, ()):
            for value in {row[name] for row in rows}:
                _string_list(name, value)
    except (_FaultError, TypeError):
        return False
    return True


def _column_holds(name: str, values: list[Any], is_id: bool) -> bool:
    """`_common`'s text, date and id checks for one column's values (raises _FaultError like it)."""
    texts = [value for value in values if type(value) is str]
    joined = "".join(texts)
    if not joined.isascii() or "\x00" in joined:
        _text(name, joined)
    distinct = set(texts)
    if name in _DATE_COLUMNS or name[-3:] == "_at":
        for value in distinct:
            _date(name, value)
    return not is_id or (len(texts) == len(values) - values.count(None) and all(map(is_uuid, distinct)))


class BundleValidator:
    """Checks the rows of one bundle; knows its visits' checklists once the visits are checked."""

    def __init__(self, tables: dict[str, list[Row]], forms: FormLookup, catalogue: Catalogue) -> None:
        self.tables = tables
        self.forms = forms
        self.catalogue = catalogue
        self.visit_forms: dict[str, FormDefinition] = {}
        self.person_numbers: set[tuple[str, int]] = set()
        self._cache: dict[tuple[str, int], FormDefinition | None] = {}
        self._answers_checked: set[tuple[int, str]] = set()

    def _form(self, form_id: str, version: int) -> FormDefinition | None:
        key = (form_id, version)
        if key not in self._cache:
            self._cache[key] = self.forms(form_id, version)
        return self._cache[key]

    def rows(self) -> Iterator[tuple[str, int, Row, Callable[[Row], None]]]:
        # Visits and persons first: answers and photos are checked against them.
        order = [
            "locations",
            "visits",
            "persons",
            *(t for t in FILES if t not in ("locations", "visits", "persons")),
        ]
        checks: dict[str, Callable[[Row], None]] = {
            "visits": self._visit,
            "persons": self._person,
            "answers": self._answer,
            "indicator_observations": self._observation,
            "photos": self._photo,
            "referrals": self._referral,
            "visit_revisions": self._revision,
            "visit_follow_ups": self._follow_up,
        }
        for table in order:
            check = checks.get(table, _nothing)
            for index, row in enumerate(self.tables.get(table, [])):
                yield table, index, row, check

    def _visit(self, row: Row) -> None:
        form = self._form(str(row["form_id"]), int(row["form_version"]))
        if form is None:
            raise _FaultError(
                "form_id",
                _(
                    "checklist {form} versie {version} is onbekend op dit kantoor",
                    form=str(row["form_id"])[:40],
                    version=row["form_version"],
                ),
            )
        self.visit_forms[str(row["id"])] = form

    def _person(self, row: Row) -> None:
        self.person_numbers.add((str(row["visit_id"]), int(row["number"])))

    def _question(self, row: Row) -> Any:
        form = self.visit_forms.get(str(row["visit_id"]))
        if form is None:  # the reference check (records of a visit not in the bundle) names it
            return None
        question = form.questions.get(str(row["question_id"]))
        if question is None:
            raise _FaultError(
                "question_id",
                _(
                    "vraag {question} bestaat niet in checklist {form}",
                    question=str(row["question_id"])[:40],
                    form=form.id,
                ),
            )
        number = int(row["person_number"])
        if number and not question.repeat:
            raise _FaultError(
                "person_number", _("vraag {question} gaat niet over personen", question=question.id)
            )
        if number and (str(row["visit_id"]), number) not in self.person_numbers:
            raise _FaultError(
                "person_number", _("persoon {number} bestaat niet in dit bezoek", number=number)
            )
        return question

    def _answer(self, row: Row) -> None:
        question = self._question(row)
        if question is None or row["value"] is None:
            return
        # The same answer to the same question recurs across visits ("ja", a count): checked once.
        # The question objects live in `_cache` as long as this validator, so their ids are stable.
        seen = (id(question), row["value"])
        if seen in self._answers_checked:
            return
        try:
            value = json.loads(row["value"])
        except (TypeError, ValueError) as error:
            raise _FaultError("value", _("geen geldige JSON")) from error
        if isinstance(value, str):
            _text("value", value)
        try:
            check_answer(question, value)
        except (AppError, ValueError, TypeError) as error:
            raise _FaultError(
                "value",
                _("past niet bij vraag {question}: {error}", question=question.id, error=str(error)[:120]),
            ) from error
        self._answers_checked.add(seen)

    def _slug(self, name: str, slug: str) -> None:
        if slug not in self.catalogue:
            raise _FaultError(name, _("onbekend signaal {slug}", slug=slug[:60]))

    def _observation(self, row: Row) -> None:
        self._slug("slug", str(row["slug"]))

    def _photo(self, row: Row) -> None:
        if not is_sha256(row["sha256"]):
            raise _FaultError("sha256", _("geen geldige SHA-256"))
        if int(row["width"]) * int(row["height"]) > MAX_PHOTO_PIXELS:
            raise _FaultError("width", _("foto groter dan {cap} pixels", cap=MAX_PHOTO_PIXELS))
        self._question(row)

    def _referral(self, row: Row) -> None:
        for slug in _string_list("slugs", row["slugs"]):
            self._slug("slugs", slug)

    def _revision(self, row: Row) -> None:
        sha = row["content_sha256"]
        if sha is not None and not is_sha256(sha):
            raise _FaultError("content_sha256", _("geen geldige SHA-256"))

    def _follow_up(self, row: Row) -> None:
        """A re-inspection row belongs to a visit of this bundle (whose sender may change it); the earlier
        visit it follows up is any visit id (it may be one only the office holds)."""
        if row["visit_id"] not in self._bundle_visits():
            raise _FaultError("visit_id", _("hoort bij geen bezoek in de bundel"))
        due = row["due_date"]
        if due is not None and not _ISO_DAY.fullmatch(due):
            raise _FaultError("due_date", _("geen datum als JJJJ-MM-DD"))
        earlier = row["follows_up"]
        if earlier is not None and (not is_uuid(earlier) or earlier == row["visit_id"]):
            raise _FaultError("follows_up", _("geen geldig id"))

    def _bundle_visits(self) -> set[str]:
        """Worked out once per bundle (the visits are checked before any re-inspection row)."""
        found: set[str] | None = self.__dict__.get("_visit_ids")
        if found is None:
            found = self.__dict__["_visit_ids"] = {str(v["id"]) for v in self.tables.get("visits", [])}
        return found


_ISO_DAY = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _nothing(_row: Row) -> None:
    return None


def line_of(data: bytes, index: int) -> int:
    """The file line of the index-th record (records are the non-empty lines), worked out on failure."""
    seen = -1
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line:
            seen += 1
            if seen == index:
                return number
    return index + 1


def validate_records(
    tables: dict[str, list[Row]], entries: dict[str, bytes], forms: FormLookup, catalogue: Catalogue
) -> None:
    """Refuse the bundle at the first record whose content the office cannot stand behind."""
    validator = BundleValidator(tables, forms, catalogue)
    columns_hold = {table: _columns_hold(table, rows) for table, rows in tables.items()}
    for table, index, row, check in validator.rows():
        try:
            if not columns_hold[table]:
                _common(table, row)
            check(row)
        except _FaultError as fault:
            file = FILES[table]
            raise BundleRejectedError(
                "invalid_record",
                _(
                    "Ongeldig record in {file}, regel {line}, veld {field}: {problem}",
                    file=file,
                    line=line_of(entries.get(file, b""), index),
                    field=fault.field,
                    problem=fault.problem,
                ),
            ) from fault
