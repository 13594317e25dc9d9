"""From an executed notebook to the HTML page (nbconvert, house template) and the PDF (WeasyPrint).

Both run in the building process: no new interpreter, heavy libraries imported once (and, during a
build, while the kernel works: see :func:`warm_up`).
"""
from __future__ import annotations

import atexit
import html as html_lib
import re
from functools import lru_cache
from pathlib import Path

from sangkien import paths

REMOVE_TAG = "remove-cell"
"""Cells with this tag (notes for analysts) are not shown in the report."""


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE_TAG}
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    exporter = HTMLExporter(config=config, template_name=paths.HOUSE_TEMPLATE,
                            extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    return exporter


@lru_cache(maxsize=1)
def _print_setup():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts_css = CSS(filename=str(paths.PRINT_FONTS_CSS), font_config=font_config, url_fetcher=_local_fetcher())
    return font_config, fonts_css


# Drop WeasyPrint's font configuration while its libraries are still loaded (its finaliser fails at exit).
atexit.register(_print_setup.cache_clear)


def warm_up() -> None:
    """Import nbconvert and WeasyPrint and load the fonts ahead of use (safe to run in a thread)."""
    _exporter()
    _print_setup()


_HEADING = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def add_contents(page: str, marker: str) -> str:
    """Give every h2/h3 a stable id and put a table of contents where ``marker`` stands (screen only)."""
    entries = []

    def renumber(match: re.Match) -> str:
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.S)
        attrs = re.sub(r'\s*id="[^"]*"', "", attrs)
        anchor = f"muc-{len(entries) + 1}"
        entries.append((level, anchor, html_lib.unescape(_TAG.sub("", inner)).strip()))
        return f'<h{level} id="{anchor}"{attrs}>{inner}</h{level}>'

    page = _HEADING.sub(renumber, page)
    if marker not in page:
        return page
    items = "".join(
        f'<li class="l{level}"><a href="#{anchor}">{html_lib.escape(text)}</a></li>' for level, anchor, text in entries
    )
    nav = f'<nav class="toc"><div class="toc-title">Mục lục</div><ol>{items}</ol></nav>' if entries else ""
    return page.replace(marker, nav, 1)


def export_html(notebook, title: str, toc_marker: str) -> str:
    """The self-contained HTML page of an executed notebook (a nbformat node)."""
    css = paths.STYLESHEET.read_text(encoding="utf-8")
    body, _ = _exporter().from_notebook_node(notebook, resources={"sangkien": {"title": title, "css": css}})
    return add_contents(body, toc_marker)


@lru_cache(maxsize=1)
def _local_fetcher():
    """WeasyPrint's fetcher for embedded data and the package's own files; nothing from the network."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:") and not url.startswith(paths.PACKAGE.as_uri()):
                raise ValueError(f"not fetched (outside the package): {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("data", "file"))


def write_pdf(page: str, target: Path) -> None:
    """Lay the HTML page out on A4 with the shipped fonts and write the PDF."""
    from weasyprint import HTML

    font_config, fonts_css = _print_setup()
    document = HTML(string=page, base_url=str(paths.TEMPLATES_DIR) + "/", url_fetcher=_local_fetcher())
    document.write_pdf(str(target), stylesheets=[fonts_css], font_config=font_config)
