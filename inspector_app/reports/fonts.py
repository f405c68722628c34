"""Shipped fonts and per-character font fallback, so every name in a report has its glyphs.

DejaVu Sans covers Latin (Polish, Romanian ș/ț), Greek and Cyrillic (Bulgarian); Droid Sans Fallback
covers CJK. reportlab has no automatic fallback, so user text is split into runs and each run the main
font cannot draw is wrapped in a `<font>` tag naming the fallback. Text is escaped before it is marked
up: user text never becomes reportlab markup.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped,unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped,unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped,unused-ignore]

from inspector_app.paths import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}
# C0/C1 control characters (other than tab and newline) have no glyph and confuse the PDF text layer.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def register_fonts() -> None:
    """Register the shipped TrueType fonts once per process (parsing them costs tens of ms)."""
    folder = resources_dir() / "fonts"
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    # `<b>` inside a paragraph switches to the bold face; the CJK fallback has only one face.
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
        addMapping(BOLD, bold, italic, BOLD if bold else REGULAR)
        addMapping(FALLBACK, bold, italic, FALLBACK)


@cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined,unused-ignore]


def font_for(char: str) -> str:
    """The font that draws `char`: the main font when it can, else the fallback (else the main font)."""
    code = ord(char)
    if code in _covered(REGULAR) or code < 0x20:
        return REGULAR
    return FALLBACK if code in _covered(FALLBACK) else REGULAR


def clean(text: str) -> str:
    """User text without control characters and with Windows line ends normalised."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def rich(text: str) -> str:
    """User text as safe paragraph markup: escaped, line breaks kept, fallback font per run."""
    parts: list[str] = []
    for font, run in itertools.groupby(clean(text), key=font_for):
        escaped = escape("".join(run)).replace("\n", "<br/>")
        parts.append(escaped if font == REGULAR else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


def fonts_used(text: str) -> set[str]:
    """Which fonts `rich(text)` will draw with (tests check that no glyph is left to a font without it)."""
    return {font_for(char) for char in clean(text) if not char.isspace()}
