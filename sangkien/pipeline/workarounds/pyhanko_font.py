"""A TrueType font for pyHanko's stamps that is drawn with the right letter spacing.

Written for pyHanko 0.38.0 (``pyhanko.pdf_utils.font.opentype``, with uharfbuzz): ``GlyphAccumulator``
writes a font's glyph widths (the CIDFont's ``/W``) and its ``TJ`` adjustments in the font's own units,
which a PDF reader takes as thousandths of an em. That is right for a font of 1000 units per em only:
Tinos (like Times New Roman) has 2048, and its letters were drawn about twice as far apart as they
should be, running out of the stamp. :class:`ThousandthsFactory` makes the accumulator work in
thousandths of an em (HarfBuzz's scale, the widths, the units per em it divides by), so the widths,
the adjustments and the layout agree with what the reader draws. The font descriptor's ascent,
descent and bounding box stay in the font's units (pyHanko reads them from the font's tables; viewers
draw the embedded glyphs whatever they say). Check a stamp's spacing whenever the pin moves.
"""
from __future__ import annotations

import functools
import io

THOUSAND = 1000


@functools.cache
def _factory_class():
    """The factory class, made on first use: pyHanko's OpenType support needs uharfbuzz (ImportError
    without it), and this module is imported (by the doctests) where it may be missing."""
    from dataclasses import dataclass

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ThousandthsAccumulator(GlyphAccumulator):
        """A glyph accumulator whose widths and advances are in thousandths of an em."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._font_units = self.units_per_em
            self.units_per_em = THOUSAND
            self.hb_font.scale = (THOUSAND, THOUSAND)

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            # the font's /W is written from ``_glyphs``: keep the widths scaled there
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * THOUSAND / self._font_units))
            return self._glyphs[glyph_id]

    @dataclass(frozen=True)
    class ThousandthsFactory(GlyphAccumulatorFactory):
        """:class:`GlyphAccumulatorFactory` making :class:`ThousandthsAccumulator` engines."""

        def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            with open(self.font_file, "rb") as handle:
                font = io.BytesIO(handle.read())
            return ThousandthsAccumulator(
                writer=writer, font_handle=font, font_size=self.font_size, ot_script_tag=self.ot_script_tag,
                ot_language_tag=self.ot_language_tag, writing_direction=self.writing_direction,
                bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream)

    return ThousandthsFactory


def font_factory(font_file: str, font_size: int):
    """pyHanko's font engine factory for a stamp's text in ``font_file`` at ``font_size``, drawn in
    thousandths of an em. ImportError when uharfbuzz (``pyhanko[opentype]``) is not installed."""
    return _factory_class()(font_file, font_size=font_size)
