"""Turn reportlab's PDF into PDF/A-2b: sRGB output intent, PDF/A XMP metadata, a content-derived ID.

Archives keep records as PDF/A (Nationaal Archief preferred formats). reportlab (open source) writes
no XMP and no output intent, so its output is finished here with pikepdf (qpdf):

- an sRGB output intent (`GTS_PDFA1`) with an ICC profile made by Little CMS through Pillow, its
  header date fixed so the profile bytes (and so the PDF bytes) never depend on the day it was made;
- XMP with `pdfaid:part=2`, `pdfaid:conformance=B`, title, language, author and the dates the view
  model gives (the finalisation time, never "now"), and the document info dictionary kept equal to it;
- no page transitions (`/Trans`), no JavaScript, no encryption;
- the trailer `/ID` and `xmpMM:DocumentID` derived from the content (qpdf's deterministic ID), so the
  same visit revision always gives the same bytes.

Fonts are embedded by the renderers themselves (every table and canvas uses the shipped DejaVu/Droid
fonts; `blocks.table_style` sets the table font so reportlab's Helvetica default is never referenced).
"""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime
from functools import cache

import pikepdf
from PIL import ImageCms

from inspector_app.reports.model import DocumentMeta

SRGB_IDENTIFIER = "sRGB IEC61966-2.1"
# ICC header: version at bytes 8..11, creation date-time at 24..35 (six big-endian uint16).
_ICC_VERSION = slice(8, 12)
_ICC_DATE = slice(24, 36)
# PDF/A-2 is based on PDF 1.7, which names ICC.1:2004-10 (profile version 4.2) as the newest it knows.
_ICC_V42 = bytes((4, 0x20, 0, 0))
_ICC_FIXED_DATE = b"".join(part.to_bytes(2, "big") for part in (2000, 1, 1, 0, 0, 0))
_NAMESPACE = uuid.UUID("6f1d7a36-0a57-4b8e-9d0e-52a4f7c1b2a9")  # for xmpMM:DocumentID


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (Little CMS's built-in sRGB), the same bytes on every run."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[_ICC_VERSION] = _ICC_V42
    data[_ICC_DATE] = _ICC_FIXED_DATE
    return bytes(data)


def _moment(iso: str | None) -> datetime:
    """A stored UTC time as an aware datetime; documents of visits without one say 2000-01-01."""
    if iso:
        try:
            moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return (
                (moment if moment.tzinfo else moment.replace(tzinfo=UTC))
                .astimezone(UTC)
                .replace(microsecond=0)
            )
    return datetime(2000, 1, 1, tzinfo=UTC)


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S") + "+00'00'"


def _output_intent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile[pikepdf.Name.N] = 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String(SRGB_IDENTIFIER),
        Info=pikepdf.String(SRGB_IDENTIFIER),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=pdf.make_indirect(profile),
    )


def _strip_interactive(pdf: pikepdf.Pdf) -> None:
    """No page transitions, no scripts or actions that run on opening (forbidden in PDF/A)."""
    for page in pdf.pages:
        for key in ("/Trans", "/AA"):
            if key in page.obj:
                del page.obj[key]
    for key in ("/OpenAction", "/AA", "/Names"):
        if key in pdf.Root and (key != "/Names" or "/JavaScript" in pdf.Root.Names):
            del pdf.Root[key]


def make_pdfa(data: bytes, meta: DocumentMeta) -> bytes:
    """reportlab's PDF bytes as PDF/A-2b; a pure function of `data` and `meta`."""
    created = _moment(meta.created_at)
    modified = max(created, _moment(meta.modified_at)) if meta.modified_at else created
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _strip_interactive(pdf)
        pdf.Root[pikepdf.Name.OutputIntents] = pikepdf.Array([_output_intent(pdf)])
        pdf.Root.Lang = pikepdf.String(meta.lang)
        info = pdf.docinfo
        for key in list(info.keys()):
            del info[key]
        document_id = uuid.uuid5(_NAMESPACE, hashlib.sha256(data).hexdigest())
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as xmp:
            xmp["pdfaid:part"] = "2"
            xmp["pdfaid:conformance"] = "B"
            xmp["dc:title"] = meta.title
            xmp["dc:language"] = [meta.lang]
            xmp["dc:creator"] = [meta.municipality or "inspector_app"]
            xmp["dc:description"] = meta.document_id
            xmp["pdf:Producer"] = "inspector_app (reportlab, pikepdf)"
            xmp["xmp:CreatorTool"] = "inspector_app"
            xmp["xmp:CreateDate"] = created.isoformat()
            xmp["xmp:ModifyDate"] = modified.isoformat()
            xmp["xmp:MetadataDate"] = modified.isoformat()
            xmp["xmpMM:DocumentID"] = f"uuid:{document_id}"
        # The XMP date sync writes the local form; spell the info dates exactly as PDF/A wants them.
        info[pikepdf.Name.CreationDate] = pikepdf.String(_pdf_date(created))
        info[pikepdf.Name.ModDate] = pikepdf.String(_pdf_date(modified))
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True, min_version="1.7")
    return output.getvalue()
