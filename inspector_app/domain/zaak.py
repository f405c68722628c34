"""What a zaaknummer and a zaaktype may look like: checked where one is typed and where one arrives."""

from __future__ import annotations

import re
from dataclasses import dataclass

ZAAKNUMMER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}")
"""Letters, digits and . _ / - (the forms zaaksystemen use, e.g. Z-2026-000123 or 2026/0456)."""
MAX_ZAAKTYPE = 80


@dataclass(frozen=True)
class Zaak:
    zaaknummer: str
    zaaktype: str = ""


def valid_zaaknummer(number: str) -> bool:
    return ZAAKNUMMER.fullmatch(number) is not None


def valid_zaaktype(kind: str) -> bool:
    return len(kind) <= MAX_ZAAKTYPE and all(char.isprintable() for char in kind)
