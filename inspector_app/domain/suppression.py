"""Small-number suppression of published counts: 1 up to the threshold is shown as "< threshold".

A count of two visits with signals at massage parlours in March can single out one parlour (and, with
the visit dates, the people working there). Figures that leave the office (the annual summary for the
council and the RIEC) therefore show such counts as "< 5"; 0 stays 0 (nothing to single out) and larger
counts stay exact. The threshold is municipal policy (`suppression_threshold`, default 5).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suppressed:
    """A count as published: the text to print, and the number to draw (0 when suppressed)."""

    text: str
    drawn: int
    suppressed: bool


def suppress(count: int, threshold: int) -> Suppressed:
    """`count` as published under `threshold`: "< threshold" for 1 .. threshold-1, else the number."""
    if 0 < count < threshold:
        return Suppressed(f"< {threshold}", 0, True)
    return Suppressed(str(count), count, False)


Published = int | float | str  # a published cell: a count, a median in days, or a suppressed "< 5"


def format_cell(value: Published, lang: str) -> str:
    """A published cell as printed: whole numbers plain, a half day with the language's decimal mark.

    Here, not beside the summary's PDF and XLSX writers, so the dashboard formats its tables without
    loading reportlab and pikepdf."""
    if isinstance(value, float):
        text = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
        return text.replace(".", ",") if lang == "nl" else text
    return str(value)
