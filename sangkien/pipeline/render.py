"""From an executed notebook to the HTML page (nbconvert, house template), the PDF (WeasyPrint, PDF/A-2b)
and the Word draft (:mod:`~sangkien.pipeline.word`, from the same page).

All run in the building process, heavy libraries imported once: during a build, while the kernel works,
a thread imports and warms them up and writes the annexes (:func:`ahead`); then :func:`render_report`
writes the year's pages, the PDF and the Word draft side by side (the Word draft in a forked process,
:mod:`~sangkien.pipeline.forked`, when ``overlap``: a second core).
"""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import html as html_lib
import re
import threading
import time
from functools import lru_cache
from pathlib import Path

from sangkien import paths
from sangkien.pipeline.forked import Forked
from sangkien.pipeline.manifest import timed
from sangkien.pipeline.workarounds import weasyprint_exit

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


weasyprint_exit.release_at_exit(_print_setup.cache_clear)


def warm_up() -> None:
    """Import nbconvert, WeasyPrint and docxtpl, load the fonts, and export a page of one cell (the
    templates compiled, and the selectors nbconvert looks for in every page: half a second the first
    time), ahead of use (safe to run in a thread)."""
    import nbformat

    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", {"text/html": "<p>.</p>"})])
    export_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("."), cell]), "")
    _print_setup()
    import docxtpl  # noqa: F401  (the Word draft's)
    import lxml.html  # noqa: F401


class Ahead:
    """A thread of the build that works while the kernel runs: :func:`warm_up`, then the annexes
    (:func:`write_annexes`, which need no notebook) into the staging folder."""

    def __init__(self, params, register, staging: Path):
        self._work = (params, register, staging)
        self._annexes: dict[str, str] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            warm_up()
            self._annexes = write_annexes(*self._work)
        except BaseException as exc:  # raised in the build's thread, by annexes()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def annexes(self) -> dict[str, str]:
        """The annexes' outputs for the manifest, once the thread is over; its error, raised here."""
        self.join()
        if self._error is not None:
            raise self._error
        return self._annexes


@contextlib.contextmanager
def ahead(params, register, staging: Path):
    """:class:`Ahead` started; however the block ends, its thread is over when the block is (it writes
    into the staging folder, which a failure removes). Start it after
    :func:`sangkien.pipeline.execute.prepare` and the build's own imports: two threads importing the same
    modules at once can fail."""
    early = Ahead(params, register, staging)
    try:
        yield early
    finally:
        early.join()


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


def export_html(notebook, title: str, toc_marker: str | None = None) -> str:
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


PDF_VARIANT = "pdf/a-2b"
"""PDF/A-2b (ISO 19005-2, level B) for archiving: fonts embedded, XMP metadata, an sRGB output intent;
unlike PDF/A-1 it allows the transparency of the charts' PNG images and of a seal's image."""


def pdf_identifier(page: str) -> bytes:
    """The PDF's file identifier: a digest of the page it is laid out from, so that the same inputs give
    the same bytes and another page another identifier.

    >>> pdf_identifier("<p>x</p>") == pdf_identifier("<p>x</p>") != pdf_identifier("<p>y</p>")
    True
    """
    return hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode()


def write_pdf(page: str, target: Path, authors: tuple[str, ...] = (), description: str = "") -> None:
    """Lay the HTML page out on A4 with the shipped fonts and write it as PDF/A-2b; the XMP metadata
    names the page's title, ``authors`` (the issuing body) and ``description`` (the subject line)."""
    from weasyprint import HTML

    font_config, fonts_css = _print_setup()
    html = HTML(string=page, base_url=str(paths.TEMPLATES_DIR) + "/", url_fetcher=_local_fetcher())
    document = html.render(stylesheets=[fonts_css], font_config=font_config)
    document.metadata.authors = list(authors) or document.metadata.authors
    document.metadata.description = description or document.metadata.description
    document.write_pdf(str(target), pdf_variant=PDF_VARIANT, pdf_identifier=pdf_identifier(page))


def render_report(executed: Path, params, staging: Path, formats: tuple[str, ...], early: Ahead,
                  timings: dict[str, float], overlap: bool = True) -> dict[str, str]:
    """The year's pages from the executed notebook into ``staging``, with the annexes ``early`` wrote.

    Returns the outputs for the manifest (``{kind: file name}``: notebook, annex (the workbook),
    annex_csv, html, pdf, docx) and records the time of the page ("html"), of the PDF ("pdf") and of
    the Word draft ("docx") in ``timings``. With ``overlap`` the PDF and the Word draft are made side by
    side (:func:`write_documents`)."""
    import nbformat

    from sangkien.report import wording
    from sangkien.report.markup import TOC_MARK

    notebook = nbformat.read(str(executed), as_version=4)
    outputs = {"notebook": executed.name, **early.annexes()}
    base = paths.report_basename(params.year)
    with timed(timings, "html"):
        page = export_html(notebook, wording.report_page_title(params.year), TOC_MARK)
        if "html" in formats:
            (staging / f"{base}.html").write_text(page, encoding="utf-8")
            outputs["html"] = f"{base}.html"
    outputs.update(write_documents(page, params, staging, formats, timings, overlap))
    return outputs


def write_documents(page: str, params, staging: Path, formats: tuple[str, ...], timings: dict[str, float],
                    overlap: bool = True) -> dict[str, str]:
    """The PDF and the Word draft of ``page`` (as ``formats`` asks) into ``staging``; their outputs, and
    their times in ``timings``. With ``overlap`` and both asked, the Word draft is made in a forked
    process while this one lays the PDF out: on two cores it costs no time of its own."""
    from sangkien.pipeline import final, word

    base = paths.report_basename(params.year)
    wanted = (page, final.is_draft(params), word.made_on(params))
    aside = Forked(_word_draft, *wanted) if overlap and {"pdf", "docx"} <= set(formats) else None
    outputs = {}
    try:
        if "pdf" in formats:
            with timed(timings, "pdf"):
                write_pdf(page, staging / f"{base}.pdf", (params.issuing_body,), params.subject_line)
            outputs["pdf"] = f"{base}.pdf"
        if "docx" in formats:
            data, timings["docx"] = aside.result() if aside else _word_draft(*wanted)
            (staging / f"{base}.docx").write_bytes(data)
            outputs["docx"] = f"{base}.docx"
    finally:
        if aside:
            aside.stop()
    return outputs


def _word_draft(page: str, draft: bool, made: datetime.date) -> tuple[bytes, float]:
    """The Word draft's bytes (:func:`sangkien.pipeline.word.docx_bytes`) and the seconds they took."""
    from sangkien.pipeline import word

    started = time.perf_counter()
    data = word.docx_bytes(page, draft, made)
    return data, round(time.perf_counter() - started, 3)


def write_annexes(params, register, staging: Path) -> dict[str, str]:
    """The recognised initiatives of the year as a workbook (``annex``) and as CSV (``annex_csv``)."""
    from sangkien import figures
    from sangkien.report import annex, document

    rows = figures.rows_of_year(figures.frame(register), params.year)
    annex.write_workbook(rows, params, document.appendix_subtitle(params), staging / annex.file_name(params.year))
    annex.write(rows, params.blocks, staging / annex.csv_name(params.year))
    return {"annex": annex.file_name(params.year), "annex_csv": annex.csv_name(params.year)}
