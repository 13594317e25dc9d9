"""WeasyPrint's fonts subset by the HarfBuzz that the project installs, whatever the machine has.

Written for WeasyPrint 70.0 (``weasyprint.pdf.fonts.Font.subset``) and uharfbuzz 0.55.0 (HarfBuzz 12, with
its subsetter). WeasyPrint subsets an embedded font with the system's ``libharfbuzz-subset`` when it can
load it, and otherwise with fontTools, which stamps the current time into each font's ``head.modified``:
the same report then gives other bytes at every build, and other bytes on a machine with the library
than on one without. Here every subset is made by uharfbuzz (a wheel pinned in requirements.txt, brought
by pyHanko's ``opentype`` extra), with the flags and tables of WeasyPrint's own HarfBuzz route; a
HarfBuzz subset keeps the font's own ``head`` dates, so the bytes depend on the inputs only. It is also
the fast route (fontTools takes about a tenth of a second a font).

When the WeasyPrint pin moves, compare ``Font.subset`` and ``Font._harfbuzz_subset`` with :func:`subset`.
"""
from __future__ import annotations

import logging

NAME = "uharfbuzz"
"""The subsetter, as the manifest records it (with its version)."""
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
"""The tables WeasyPrint leaves out of an embedded font (a PDF shapes no text)."""
_LOGGER = logging.getLogger("weasyprint")


def subset_font(content: bytes, index: int, gids, hinting: bool, notdef_outline: bool) -> bytes | None:
    """The font ``content`` (face ``index``) cut down to the glyphs ``gids``, which keep their ids (a PDF's
    text refers to them), in two passes as WeasyPrint's HarfBuzz route does: the used glyphs and what they
    need, then every glyph up to the last used one (empty ones after it dropped). None when HarfBuzz cannot.
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(content), index)
    request = hb.SubsetInput()
    request.glyph_set.update(sorted(gids))
    request.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in DROPPED_TABLES)
    outline = hb.SubsetFlags.NOTDEF_OUTLINE if notdef_outline else hb.SubsetFlags.DEFAULT
    kept = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | outline
    request.flags = kept | hb.SubsetFlags.RETAIN_GIDS
    try:
        first = hb.subset(face, request)
        request.glyph_set.update(range(max(gids) + 1))
        request.flags = kept | (hb.SubsetFlags.DEFAULT if hinting else hb.SubsetFlags.NO_HINTING)
        data = hb.subset(first, request).blob.data
    except RuntimeError:  # uharfbuzz's "Subsetting failed": not a font HarfBuzz can cut
        return None
    return bytes(data) or None


def subset(font, to_unicode, hinting) -> None:
    """``weasyprint.pdf.fonts.Font.subset``, by :func:`subset_font`."""
    if not to_unicode:
        return
    data = subset_font(font.file_content, font.index, to_unicode, hinting, bool(font.missing))
    if data is None:
        _LOGGER.warning('Unable to subset "%s" with HarfBuzz', font.family)
        return
    font.file_content = data


def install() -> None:
    """Make WeasyPrint subset every font with :func:`subset` (idempotent)."""
    from weasyprint.pdf import fonts

    fonts.Font.subset = subset


def version() -> str:
    """``uharfbuzz X (HarfBuzz Y)``, for the manifest."""
    import uharfbuzz as hb

    return f"{NAME} {hb.__version__} (HarfBuzz {hb.version_string()})"
