"""The house stylesheet parsed once per process (:mod:`sangkien.pipeline.exporters.pdf`): a page laid out with
it is, byte for byte, the page laid out by WeasyPrint as it is (its own ``<style>`` parsed with it); a page
with another stylesheet keeps its own.

Slow: WeasyPrint's first import in a process looks its libraries up with ``ldconfig`` and ``gcc``."""
from __future__ import annotations

import nbformat
import pytest

from sangkien import inputs, paths
from sangkien.figures import frame, units_of_year
from sangkien.pipeline import render
from sangkien.pipeline.exporters import html as html_exporter
from sangkien.pipeline.exporters import pdf
from sangkien.report.unit import UnitReport

YEAR = 2023
AUTHORS, SUBJECT = ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",), "Thông báo kết quả"


def _as_it_is(page: str) -> bytes:
    """The page laid out by WeasyPrint with its own ``<style>``, as :func:`pdf.pdf_bytes` lays it out otherwise."""
    font_config, fonts_css = pdf.print_setup()
    from weasyprint import HTML

    html = HTML(string=page, base_url=str(paths.TEMPLATES_DIR) + "/", url_fetcher=pdf._local_fetcher())
    document = html.render(stylesheets=[fonts_css], font_config=font_config)
    document.metadata.authors, document.metadata.description = list(AUTHORS), SUBJECT
    return document.write_pdf(pdf_variant=pdf.PDF_VARIANT, pdf_identifier=pdf.pdf_identifier(page))


def _unit_page(index: int) -> str:
    """The page of the sample year's ``index``-th unit's sheet, its parts made in this process."""
    params, register = inputs.load(YEAR)
    sheet = UnitReport(params, register, units_of_year(frame(register), YEAR)[index])
    parts = (sheet.header(), sheet.summary(), sheet.trend_part(), sheet.list_part(), sheet.closing())
    cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", {"text/html": part.html})])
             for part in parts]
    return render.export_html(nbformat.v4.new_notebook(cells=cells), sheet.title())


def test_no_declaration_of_the_shipped_stylesheets_is_important():
    """What makes the house stylesheet cascade alike as the page's (an author's) and as WeasyPrint's user
    stylesheet (:mod:`~sangkien.pipeline.exporters.pdf`)."""
    for sheet in (paths.STYLESHEET, paths.PRINT_FONTS_CSS):
        assert "important" not in sheet.read_text(encoding="utf-8"), sheet


@pytest.mark.slow
def test_a_page_laid_out_with_the_parsed_house_stylesheet_is_the_page_laid_out_as_it_is(small_year):
    pages = [small_year.result.outputs["html"].read_text(encoding="utf-8"), _unit_page(0), _unit_page(-1)]
    for page in pages:
        assert pdf._without_house_style(page, html_exporter.house_style()) is not None, "not the house stylesheet"
        assert pdf.pdf_bytes(page, AUTHORS, SUBJECT) == _as_it_is(page)


@pytest.mark.slow
def test_a_page_with_a_stylesheet_of_its_own_keeps_the_house_one_as_its_own():
    """Before the house stylesheet, a rule it overrides as an author's stylesheet (and would not as a user's)."""
    page = _unit_page(0).replace("</title>", "</title>\n<style>body { font-size: 20pt; }</style>", 1)
    assert html_exporter.house_style() in page and pdf._without_house_style(page, html_exporter.house_style()) is None
    assert pdf.pdf_bytes(page, AUTHORS, SUBJECT) == _as_it_is(page)
