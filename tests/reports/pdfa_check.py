"""A PDF/A-2b checker for the tests: the parts of ISO 19005-2 the documents could get wrong.

It is not veraPDF; it checks what our own pipeline is responsible for: every font embedded (walked
through pages, form XObjects and their resources, not just what `pdffonts` prints), an sRGB output intent
with an ICC stream, PDF/A XMP identification agreeing with the document info, language and title set,
no encryption, no JavaScript or actions, no page transitions, the binary header comment.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf


def _fonts(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> list[pikepdf.Object]:
    found: list[pikepdf.Object] = []
    if not isinstance(resources, pikepdf.Dictionary):
        return found
    for font in dict(resources.get("/Font", pikepdf.Dictionary())).values():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        found.append(font)
        for descendant in font.get("/DescendantFonts", pikepdf.Array()):
            found.append(descendant)
        if font.get("/Subtype") == "/Type3":
            found += _fonts(font.get("/Resources"), seen)
    for xobject in dict(resources.get("/XObject", pikepdf.Dictionary())).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources"), seen)
    return found


def embedded_fonts(pdf: pikepdf.Pdf) -> list[str]:
    """The BaseFont of every font the pages use; asserts each one has its program embedded."""
    seen: set[tuple[int, int]] = set()
    names = []
    for page in pdf.pages:
        for font in _fonts(page.obj.get("/Resources"), seen):
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # the descendant (checked on its own) or glyph procedures carry the outlines
            descriptor = font.get("/FontDescriptor")
            name = str(font.get("/BaseFont"))
            assert descriptor is not None, f"font {name} has no descriptor (a standard font, not embedded)"
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
            names.append(name)
    return names


def check_pdfa(data: bytes) -> pikepdf.Pdf:
    """Assert `data` is a PDF/A-2b document as far as this checker can tell; returns it opened."""
    assert data.startswith(b"%PDF-1.")
    comment = data.split(b"\n", 2)[1]
    assert comment.startswith(b"%") and sum(byte > 127 for byte in comment[1:5]) == 4, comment
    pdf = pikepdf.open(io.BytesIO(data))
    assert not pdf.is_encrypted
    root = pdf.Root
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in root.get("/Names", pikepdf.Dictionary())
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/Launch" not in data
    assert str(root.get("/Lang", "")) in ("nl", "en")
    intents = list(root.get("/OutputIntents", pikepdf.Array()))
    assert len(intents) == 1
    intent = intents[0]
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    assert isinstance(profile, pikepdf.Stream) and int(profile.N) == 3
    icc = profile.read_bytes()
    assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB ", "not an RGB ICC profile"
    assert icc[8] in (2, 4) and (icc[8], icc[9]) <= (4, 0x20), "ICC version newer than PDF 1.7 knows"
    metadata = root.Metadata
    assert "/Filter" not in metadata.stream_dict, "XMP must stay readable without decoding"
    with pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
        title = xmp["dc:title"]
        assert title and title == str(pdf.docinfo.Title)
        assert list(xmp["dc:language"]) == [str(root.Lang)]
        assert xmp["xmp:CreateDate"] and xmp["xmp:ModifyDate"]
        assert str(xmp["xmpMM:DocumentID"]).startswith("uuid:")
    for page in pdf.pages:
        assert "/Trans" not in page.obj and "/AA" not in page.obj
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            assert annotation.get("/Subtype") != "/Widget"
            assert int(annotation.get("/F", 0)) & 4, "annotations must be printable"
    fonts = embedded_fonts(pdf)
    assert fonts, "no fonts at all"
    assert not any("Helvetica" in name or "Times" in name or "Courier" in name for name in fonts), fonts
    assert not pdf.open_outline().root or all(item.title for item in pdf.open_outline().root)
    _check_pdffonts(data)
    return pdf


def _check_pdffonts(data: bytes) -> None:
    """`pdffonts` (poppler) lists every font as embedded, when the tool is installed."""
    tool = shutil.which("pdffonts")
    if tool is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        listing = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    for row in rows:
        # name type encoding emb sub uni id gen: "emb" is the 4th column from the right end's 5th.
        columns = row.split()
        assert columns[-5] == "yes", f"not embedded: {row}"
