"""An opaque 8-bit PNG laid into the PDF as its own compressed data, not unpacked and packed again.

Written for WeasyPrint 70.0 (``weasyprint.images.RasterImage.get_x_object``) and Pillow 13.0.0. A PDF image
with ``/FlateDecode`` and a PNG predictor (``/Predictor 15``) is the concatenated IDAT data of a PNG, which
WeasyPrint obtains by opening the image with Pillow and saving it again as PNG (Pillow's default
compression), then reading the IDAT chunks back: for a chart of a unit's sheet about 13 ms, a twentieth of
the sheet's layout. For a PNG whose IDAT data is already what the PDF takes (8-bit grey or RGB, not
interlaced, no palette nor transparency: :func:`idat`) the IDAT chunks are read from the PNG itself.

The bytes of the PDF do not change for the report's charts: :func:`sangkien.report.charts.to_png` packs them
with Pillow's default compression, as WeasyPrint would again (tests/pipeline/test_pdf_png.py checks it).
Any other PNG is laid in as before.

When a pin moves, compare ``RasterImage.__init__``, ``get_x_object`` and ``_get_png_data`` with :func:`install`.
"""
from __future__ import annotations

import struct

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {"L": 0, "RGB": 2}
"""The PNG colour type (IHDR) of each image mode whose IDAT data a PDF image takes as it is."""


def idat(png: bytes, mode: str) -> bytes | None:
    """The concatenated IDAT data of ``png`` when a PDF can take it as it is for an image of ``mode`` (8-bit,
    the colour type of that mode, not interlaced, no transparency chunk); None otherwise."""
    if mode not in _COLOR_TYPES or not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    depth, color_type, _compression, _filter, interlace = png[24:29]
    if (depth, color_type, interlace) != (8, _COLOR_TYPES[mode], 0):
        return None
    chunks, at = [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack("!I4s", png[at:at + 8])
        if kind == b"tRNS":
            return None
        if kind == b"IDAT":
            chunks.append(png[at + 8:at + 8 + length])
        at += 12 + length
    return b"".join(chunks) or None


def install() -> None:
    """Make WeasyPrint lay in a PNG that :func:`idat` accepts with its own IDAT data (idempotent)."""
    from weasyprint.images import RasterImage

    original = getattr(RasterImage.get_x_object, "__wrapped__", RasterImage.get_x_object)

    def get_x_object(self, interpolate, dpi_ratio):
        data = idat(self.image_data.data, self.mode) if dpi_ratio == 1 and self.format == "PNG" else None
        if data is None:
            return original(self, interpolate, dpi_ratio)
        self._get_png_data = lambda _image: data  # this image's only: WeasyPrint calls it once, for the image
        try:
            return original(self, interpolate, dpi_ratio)
        finally:
            del self._get_png_data

    get_x_object.__wrapped__ = original
    RasterImage.get_x_object = get_x_object
