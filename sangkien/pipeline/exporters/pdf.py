"""PDF: the report's page laid out on A4 by WeasyPrint with the shipped fonts, as PDF/A-2b (XMP title and
issuing body, an sRGB output intent, fonts embedded, an identifier stable across identical builds). A
unit's sheet is laid out the same way (``STEM.pdf``).

The house stylesheet every page carries is parsed once per process (:func:`_house_sheet`), not once per
page: a worker lays out many unit sheets, and parsing it (its selectors compiled) is a tenth of a sheet's
layout. WeasyPrint takes a parsed stylesheet as a user stylesheet only, where the page's own is an author's;
the two cascade alike while the house stylesheet is the page's only one (:func:`_without_house_style`):
no declaration of it or of the fonts' CSS is ``!important``, the page's ``style`` attributes win over it
either way, and given after the fonts' CSS it wins their ties as an author's stylesheet does."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source
from sangkien.pipeline.exporters.html import house_style
from sangkien.pipeline.workarounds import weasyprint_exit

# The registry (and so the command line) imports this module: what only a PDF needs is imported when one is
# made.


def print_setup():
    """WeasyPrint's font configuration and the fonts' CSS, made once per temporary folder: the fonts are
    copied into the temporary folder, so a command run in a private one (``files.private_tempdir``,
    removed when the command ends) must not leave a later PDF of the same process without its fonts."""
    import tempfile

    return _print_setup_in(tempfile.gettempdir())


@lru_cache(maxsize=1)
def _print_setup_in(folder: str):
    from sangkien.pipeline.workarounds import weasyprint_libraries, weasyprint_png, weasyprint_subset

    weasyprint_libraries.loaded()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    weasyprint_subset.install()
    weasyprint_png.install()
    font_config = FontConfiguration()
    fonts_css = CSS(filename=str(paths.PRINT_FONTS_CSS), font_config=font_config, url_fetcher=_local_fetcher())
    return font_config, fonts_css


@lru_cache(maxsize=1)
def _house_sheet(style: str, font_config):
    """The house stylesheet's ``<style>`` element (:func:`~sangkien.pipeline.exporters.html.house_style`)
    parsed as WeasyPrint parses a page's own, once while it is unchanged."""
    from weasyprint import CSS

    text = style.removeprefix("<style>").removesuffix("</style>")
    return CSS(string=text, base_url=_BASE_URL, font_config=font_config, url_fetcher=_local_fetcher())


weasyprint_exit.release_at_exit(_print_setup_in.cache_clear)


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


_BASE_URL = str(paths.TEMPLATES_DIR) + "/"
"""The page's base URL, and the house stylesheet's, as WeasyPrint resolves them."""

PDF_VARIANT = "pdf/a-2b"
"""PDF/A-2b (ISO 19005-2, level B) for archiving: fonts embedded, XMP metadata, an sRGB output intent;
unlike PDF/A-1 it allows the transparency of the charts' PNG images and of a seal's image."""


_SCREEN_ONLY = re.compile(r'<footer class="colophon screen-only">.*?</footer>', re.S)
"""The page's colophon, never printed (it names the inputs' digests: a parameters file's comment changes it)."""


def pdf_identifier(page: str) -> bytes:
    """The PDF's file identifier: a digest of what the page prints (its screen-only colophon left out), so
    that the same document gives the same bytes, and another document another identifier.

    >>> pdf_identifier("<p>x</p>") == pdf_identifier("<p>x</p>") != pdf_identifier("<p>y</p>")
    True
    >>> pdf_identifier('<p>x</p><footer class="colophon screen-only"><ul><li>…</li></ul></footer>') == pdf_identifier("<p>x</p>")
    True
    """
    import hashlib

    printed = _SCREEN_ONLY.sub("", page)
    return hashlib.sha256(printed.encode("utf-8")).hexdigest()[:32].encode()


def _without_house_style(page: str, style: str) -> str | None:
    """The page without the house stylesheet's ``<style>`` element ``style``, when that is its only
    stylesheet (the page is then laid out with it parsed once: :func:`_house_sheet`); None when the page
    has another (an output's ``<style>``, a ``<link>``), beside which the house stylesheet must stay an
    author's."""
    if page.count("<style") != 1 or "<link" in page or style not in page:
        return None
    return page.replace(style, "", 1)


def pdf_bytes(page: str, authors: tuple[str, ...] = (), description: str = "") -> bytes:
    """The HTML page laid out on A4 with the shipped fonts, as PDF/A-2b; the XMP metadata names the page's
    title, ``authors`` (the issuing body) and ``description`` (the subject line)."""
    font_config, fonts_css = print_setup()  # first: WeasyPrint imported as it should be
    from weasyprint import HTML

    style = house_style()
    laid_out = _without_house_style(page, style)
    stylesheets = [fonts_css] if laid_out is None else [fonts_css, _house_sheet(style, font_config)]
    html = HTML(string=page if laid_out is None else laid_out, base_url=_BASE_URL, url_fetcher=_local_fetcher())
    document = html.render(stylesheets=stylesheets, font_config=font_config)
    document.metadata.authors = list(authors) or document.metadata.authors
    document.metadata.description = description or document.metadata.description
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=pdf_identifier(page))


def write_pdf(page: str, target: Path, authors: tuple[str, ...] = (), description: str = "") -> None:
    """Write the page's PDF (:func:`pdf_bytes`) to ``target``."""
    target.write_bytes(pdf_bytes(page, authors, description))


def file_name(year: int) -> str:
    """The report's PDF's file: ``bao-cao-YEAR.pdf``."""
    return f"{paths.report_basename(year)}.pdf"


def make(source: Source) -> bytes:
    """The report's PDF, its metadata naming the issuing body and the subject line."""
    return pdf_bytes(source.page, (source.params.issuing_body,), source.params.subject_line)


EXPORTER = Exporter("pdf", file_name, make, chosen=True, suffix="pdf", sheet=pdf_bytes, warm=print_setup)
