"""HTML: the report's page, one self-contained file (images embedded, no scripts, a contents list), made
from the executed notebook with nbconvert's HTML exporter and the house template; every other format of
the report is made from this page. A unit's sheet is a page too (``STEM.html``)."""
from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source

REMOVE_TAG = "remove-cell"
"""Cells with this tag (notes for analysts) are not shown in the report."""


@lru_cache(maxsize=1)
def _nbconvert_exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from traitlets.config import Config

    class HouseExporter(HTMLExporter):
        """nbconvert's HTML exporter, its page as the house template writes it. Written for nbconvert 7.17.2,
        whose ``HTMLExporter.from_notebook_node`` then parses the whole page and writes it again with
        BeautifulSoup (10 ms a unit's notice, 4 % of its work; 40 ms a year's report) to give an image
        without one an English alternative text and JupyterLab's cell wrappers a tab stop: the house
        template gives every image its alternative text (``alt``) and writes no such wrapper
        (``tests/pipeline/test_documents_read_right.py`` checks both on built pages). Check that method
        whenever the pin moves."""

        def from_notebook_node(self, nb, resources=None, **kw):
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True  # headings as written (add_contents numbers them)
    config.HTMLExporter.optimistic_validation = True  # the notebook validated once, not after each preprocessor
    exporter = HouseExporter(config=config, template_name=paths.HOUSE_TEMPLATE,
                             extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    return exporter


_HEADING = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def add_contents(page: str, marker: str | None) -> str:
    """Give every h2/h3 a stable id and put a table of contents where ``marker`` stands (screen only); no
    contents without a marker (a unit's notice)."""
    entries = []

    def renumber(match: re.Match) -> str:
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.S)
        attrs = re.sub(r'\s*id="[^"]*"', "", attrs)
        anchor = f"muc-{len(entries) + 1}"
        entries.append((level, anchor, html_lib.unescape(_TAG.sub("", inner)).strip()))
        return f'<h{level} id="{anchor}"{attrs}>{inner}</h{level}>'

    page = _HEADING.sub(renumber, page)
    if not marker or marker not in page:
        return page
    items = "".join(
        f'<li class="l{level}"><a href="#{anchor}">{html_lib.escape(text)}</a></li>' for level, anchor, text in entries
    )
    nav = f'<nav class="toc"><div class="toc-title">Mục lục</div><ol>{items}</ol></nav>' if entries else ""
    return page.replace(marker, nav, 1)


def house_style() -> str:
    """The house stylesheet as every page carries it: its ``<style>`` element, in the page's head (a PDF is
    laid out with the stylesheet parsed once instead: :func:`sangkien.pipeline.exporters.pdf.pdf_bytes`)."""
    return f"<style>\n{paths.STYLESHEET.read_text(encoding='utf-8')}\n</style>"


def export_html(notebook, title: str, toc_marker: str | None = None) -> str:
    """The self-contained HTML page of an executed notebook (a nbformat node)."""
    resources = {"sangkien": {"title": title, "style": house_style()}}
    body, _ = _nbconvert_exporter().from_notebook_node(notebook, resources=resources)
    return add_contents(body, toc_marker)


def page_bytes(page: str) -> bytes:
    """The page's file: UTF-8."""
    return page.encode("utf-8")


def file_name(year: int) -> str:
    """The report's page's file: ``bao-cao-YEAR.html``."""
    return f"{paths.report_basename(year)}.html"


def make(source: Source) -> bytes:
    """The report's page, as it is."""
    return page_bytes(source.page)


def sheet_bytes(page: str, authors: tuple[str, ...] = (), subject: str = "") -> bytes:
    """A unit sheet's page file (its title and text say who and what: no other metadata)."""
    return page_bytes(page)


EXPORTER = Exporter("html", file_name, make, chosen=True,
                    suffix="html", sheet=sheet_bytes)
