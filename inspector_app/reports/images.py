"""Photos for the PDF: decoded from the local media folder only (the services hand over a reader that decrypts in memory), downscaled before embedding.

Stored photos are up to 2048 px; printed at 83 mm they need about 500 px. Downscaling keeps a report
with 30 photos small and fast to open. JPEG `draft` mode lets libjpeg decode at 1/2..1/8 scale, which
is most of the speed. Results are cached by content hash for batch runs.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from inspector_app.reports.model import PhotoSource

MAX_EDGE = 512  # ~155 dpi at the printed width of 83 mm; lets libjpeg decode a 2048 px photo at 1/4


@lru_cache(maxsize=64)
def _downscaled(source: PhotoSource) -> tuple[bytes, int, int] | None:
    data = source.read()
    if data is None:
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            if opened.format == "JPEG":
                opened.draft("RGB", (MAX_EDGE, MAX_EDGE))
            image = opened.convert("RGBA" if "A" in opened.getbands() else "RGB")
    except (OSError, UnidentifiedImageError, PILImage.DecompressionBombError, ValueError):
        return None
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    output = io.BytesIO()
    if image.mode == "RGBA":
        image.save(output, format="PNG")
    else:
        image.save(output, format="JPEG", quality=80)
    return output.getvalue(), image.width, image.height


def load_photo(source: PhotoSource | None) -> tuple[io.BytesIO, int, int] | None:
    """The downscaled image and its pixel size, or None when the file is missing or unreadable."""
    if source is None:
        return None
    found = _downscaled(source)
    if found is None:
        return None
    data, width, height = found
    return io.BytesIO(data), width, height
