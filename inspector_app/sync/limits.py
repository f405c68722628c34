"""How much one field bundle may carry, checked on the raw records files before any row is decoded.

The caps are per kind of record and sized for what one laptop produces between two syncs with room to
spare: the benchmark's 10,000 visits of one laptop (about 90 answers and a few revisions, persons and
indicators each) fit; a bundle beyond them is refused before its rows cost memory (docs/bundle-format.md).
"""

from __future__ import annotations

from inspector_app.i18n import _
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import FILES

MAX_ROWS: dict[str, int] = {
    "visits": 20_000,
    "locations": 20_000,
    "visit_revisions": 200_000,
    "answers": 1_000_000,
    "persons": 200_000,
    "indicator_observations": 400_000,
    "photos": 20_000,
    "referrals": 40_000,
    "audit_log": 1_000_000,
    "visit_zaak": 20_000,
    "visit_follow_ups": 20_000,
}
MAX_ROWS_TOTAL = 2_500_000
# Per visit in the bundle, for the kinds that belong to a visit: what one visit can hold (a housing
# inspection with dozens of persons has a few hundred answers), far above what a real one has.
MAX_ROWS_PER_VISIT: dict[str, int] = {
    "visit_revisions": 200,
    "answers": 2_000,
    "persons": 200,
    "indicator_observations": 400,
    "photos": 200,
    "referrals": 50,
    "visit_follow_ups": 1,
}
MAX_PHOTO_PIXELS = 60_000_000  # the same cap as when a photo is added on the laptop
# The age header is plaintext anyone can write: before any key work it must end within this many
# bytes and carry at most this many recipient stanzas (a bundle has one per office key, a few at most).
MAX_AGE_HEADER = 8 * 1024
MAX_AGE_STANZAS = 8


def check_age_header(data: bytes) -> None:
    """Refuse an age header that is too long or has too many stanzas, reading only its first bytes."""
    head = data[: MAX_AGE_HEADER + 1]
    end = head.find(b"\n---")
    if end < 0:
        raise BundleRejectedError(
            "damaged" if len(data) <= MAX_AGE_HEADER else "header_too_large",
            _(
                "De kop van de versleutelde bundel is beschadigd of groter dan {cap} bytes.",
                cap=MAX_AGE_HEADER,
            ),
        )
    stanzas = head[:end].count(b"\n-> ")
    if stanzas > MAX_AGE_STANZAS:
        raise BundleRejectedError(
            "too_many_recipients",
            _(
                "De bundel is versleuteld voor {count} ontvangers, ten hoogste {cap} zijn toegestaan.",
                count=stanzas,
                cap=MAX_AGE_STANZAS,
            ),
        )


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def check_row_caps(entries: dict[str, bytes]) -> None:
    """Count lines (cheap: no decoding) and refuse a kind over its cap, or all kinds over the total."""
    total = 0
    counts = {table: _lines(entries.get(path, b"")) for table, path in FILES.items()}
    for table, path in FILES.items():
        rows = counts[table]
        per_visit = MAX_ROWS_PER_VISIT.get(table)
        if per_visit is not None and rows > per_visit * counts["visits"]:
            raise BundleRejectedError(
                "too_many_records",
                _(
                    "Te veel records in {file}: {count}, ten hoogste {cap} per bezoek in de bundel ({visits}).",
                    file=path,
                    count=rows,
                    visits=counts["visits"],
                    cap=per_visit,
                ),
            )
        if rows > MAX_ROWS[table]:
            raise BundleRejectedError(
                "too_many_records",
                _(
                    "Te veel records in {file}: {count}, ten hoogste {cap} per bundel.",
                    file=path,
                    count=rows,
                    cap=MAX_ROWS[table],
                ),
            )
        total += rows
    if total > MAX_ROWS_TOTAL:
        raise BundleRejectedError(
            "too_many_records",
            _("Te veel records in de bundel: {count}, ten hoogste {cap}.", count=total, cap=MAX_ROWS_TOTAL),
        )
