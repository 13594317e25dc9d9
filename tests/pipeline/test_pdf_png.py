"""A chart laid into the PDF with its own IDAT data (:mod:`sangkien.pipeline.workarounds.weasyprint_png`): the
data WeasyPrint would pack again, byte for byte, so a page's PDF is the same with the workaround as without;
a PNG whose data a PDF cannot take as it is (alpha, palette, 16 bits, interlaced, transparency) laid in as
WeasyPrint lays it.

Slow: WeasyPrint's first import in a process looks its libraries up with ``ldconfig`` and ``gcc``."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from sangkien.pipeline.exporters import pdf
from sangkien.pipeline.workarounds import weasyprint_png
from sangkien.report import charts
from tests.pipeline.test_pdf_stylesheet import AUTHORS, SUBJECT, _unit_page
from tests.report.test_charts import CHARTS

pytestmark = pytest.mark.slow


def _weasyprints_own(png: bytes) -> bytes:
    """The IDAT data WeasyPrint lays in for an opaque PNG: the image opened and packed again by Pillow."""
    pdf.print_setup()
    from weasyprint.images import RasterImage

    return RasterImage._get_png_data(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("name", list(CHARTS))
def test_a_charts_own_data_is_the_data_weasyprint_would_pack(name):
    png = charts.to_png(CHARTS[name]())
    assert weasyprint_png.idat(png, "RGB") == _weasyprints_own(png)


def _png(mode: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 30), (90, 120, 30) if mode.startswith("RGB") else 100).save(buffer, format="png", **options)
    return buffer.getvalue()


def _interlaced(png: bytes) -> bytes:
    """``png`` with IHDR saying Adam7 (Pillow writes no interlaced PNG; the CRC is not read)."""
    return png[:28] + b"\x01" + png[29:]


def test_only_data_a_pdf_takes_as_it_is():
    assert weasyprint_png.idat(_png("RGB"), "RGB") == _weasyprints_own(_png("RGB"))
    assert weasyprint_png.idat(_png("L"), "L") == _weasyprints_own(_png("L"))
    assert weasyprint_png.idat(_png("RGB"), "L") is None  # the mode WeasyPrint gave it, not the PNG's
    for png, mode in ((_png("RGBA"), "RGBA"), (_png("P"), "RGB"), (_png("I;16"), "L"),
                      (_interlaced(_png("RGB")), "RGB"), (_png("RGB", transparency=(0, 0, 0)), "RGB"),
                      (b"GIF89a", "RGB")):
        assert weasyprint_png.idat(png, mode) is None, (mode, png[:30])


def test_a_sheet_is_the_same_pdf_with_the_workaround_as_without(monkeypatch):
    page = _unit_page(0)
    assert "data:image/png;base64," in page  # its chart
    with_it = pdf.pdf_bytes(page, AUTHORS, SUBJECT)
    from weasyprint.images import RasterImage

    monkeypatch.setattr(RasterImage, "get_x_object", RasterImage.get_x_object.__wrapped__)
    assert pdf.pdf_bytes(page, AUTHORS, SUBJECT) == with_it
