"""Embedded fonts are subset by the project's own HarfBuzz (uharfbuzz), never by what the machine has:
the same page gives the same PDF bytes with or without Debian's libharfbuzz-subset0, at any moment."""
from __future__ import annotations

import io

import pypdf
import pytest
from fontTools.ttLib import TTFont

from sangkien import paths
from sangkien.pipeline.exporters import pdf as pdf_exporter
from sangkien.pipeline.workarounds import weasyprint_subset

PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Thử phông</title></head>
<body><h1>BÁO CÁO</h1><p>Kết quả phong trào thi đua nghiên cứu, phát huy sáng kiến, cải tiến kỹ thuật
năm 2023: <b>ưu tiên</b> <i>đổi mới</i> — 1.500.050,30 đồng; 12,38%.</p></body></html>"""


def _embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor["/FontFile2"].get_object().get_data()
            fonts[str(descriptor["/FontName"])] = TTFont(io.BytesIO(data))
    return fonts


def _pdf(tmp_path, name: str) -> bytes:
    target = tmp_path / name
    pdf_exporter.write_pdf(PAGE, target)
    return target.read_bytes()


@pytest.mark.slow  # loading WeasyPrint asks ldconfig for its libraries
def test_a_page_gives_the_same_bytes_with_the_system_subsetter_hidden_or_present(tmp_path, monkeypatch):
    from weasyprint.pdf import fonts

    present = _pdf(tmp_path, "present.pdf")
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without libharfbuzz-subset0
    hidden = _pdf(tmp_path, "hidden.pdf")
    assert hidden == present


@pytest.mark.slow  # loading WeasyPrint asks ldconfig for its libraries
def test_no_clock_in_an_embedded_font(tmp_path):
    shipped = {TTFont(path)["head"].modified for path in sorted(paths.FONTS_DIR.glob("*.ttf"))}
    embedded = _embedded_fonts(_pdf(tmp_path, "page.pdf"))
    assert len(embedded) >= 3  # regular, bold, italic at least
    assert {font["head"].modified for font in embedded.values()} <= shipped


@pytest.mark.slow  # loading WeasyPrint asks ldconfig for its libraries
def test_the_subset_keeps_every_glyph_the_page_uses_under_its_own_id(tmp_path):
    embedded = _embedded_fonts(_pdf(tmp_path, "page.pdf"))
    regular = next(font for name, font in embedded.items() if name.endswith("+SangkienSerif"))
    cmap = regular.getBestCmap()
    for char in "Kếtquảphongtràothiđuanghiêncứukỹ12,38%":
        assert ord(char) in cmap, char
    assert "GSUB" not in regular and "GPOS" not in regular  # WeasyPrint's dropped tables


def test_a_font_that_cannot_be_subset_is_kept_whole():
    assert weasyprint_subset.subset_font(b"not a font", 0, {1, 2}, hinting=True, notdef_outline=False) is None


@pytest.mark.parametrize("hinting", [True, False])
def test_subsetting_twice_gives_the_same_bytes(hinting):
    font = next(iter(sorted(paths.FONTS_DIR.glob("*.ttf")))).read_bytes()
    first = weasyprint_subset.subset_font(font, 0, {3, 36, 68, 500}, hinting, notdef_outline=True)
    assert first is not None and len(first) < len(font)
    assert weasyprint_subset.subset_font(font, 0, {3, 36, 68, 500}, hinting, notdef_outline=True) == first
