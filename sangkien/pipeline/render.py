"""From an executed notebook to the HTML page (nbconvert, house template), the PDF (WeasyPrint, PDF/A-2b),
the Word draft (:mod:`~sangkien.pipeline.word`, from the same page) and the annexes.

All run in the building process, heavy libraries imported once. During a build, while the kernel works,
a thread imports and warms them up and makes the register's frame (:func:`ahead`); then
:func:`render_report` writes the page, and lays the PDF out while a forked process
(:mod:`~sangkien.pipeline.forked`) makes the Word draft and the annexes on the other core (``overlap``).
"""
from __future__ import annotations

import contextlib
import hashlib
import html as html_lib
import re
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

from sangkien import paths
from sangkien.pipeline.forked import Forked
from sangkien.pipeline.manifest import timed
from sangkien.pipeline.workarounds import weasyprint_exit, weasyprint_libraries, weasyprint_subset

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


def _print_setup():
    """WeasyPrint's font configuration and the fonts' CSS, made once per temporary folder: the fonts are
    copied into the temporary folder, so a command run in a private one (``files.private_tempdir``,
    removed when the command ends) must not leave a later PDF of the same process without its fonts."""
    return _print_setup_in(tempfile.gettempdir())


@lru_cache(maxsize=1)
def _print_setup_in(folder: str):
    weasyprint_libraries.loaded()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    weasyprint_subset.install()
    font_config = FontConfiguration()
    fonts_css = CSS(filename=str(paths.PRINT_FONTS_CSS), font_config=font_config, url_fetcher=_local_fetcher())
    return font_config, fonts_css


weasyprint_exit.release_at_exit(_print_setup_in.cache_clear)


def warm_up(word: bool = True, pdf: bool = True) -> None:
    """Import nbconvert and export a page of one cell (the templates compiled, and the selectors nbconvert
    looks for in every page: half a second the first time), ahead of use (safe to run in a thread); with
    ``pdf``, import WeasyPrint and load the fonts (half a CPU-second more, wasted on a build without a
    PDF); with ``word``, import the Word draft's libraries too."""
    import nbformat

    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", {"text/html": "<p>.</p>"})])
    export_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("."), cell]), "")
    if pdf:
        _print_setup()
    if word:
        import docxtpl  # noqa: F401
        import lxml.html  # noqa: F401


class Background:
    """``work()`` in a thread of its own, started at once: :meth:`join` waits for it and raises its error
    there (never in the thread, where Python would only print it)."""

    def __init__(self, work):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work) -> None:
        try:
            work()
        except BaseException as exc:  # raised in the caller's thread, by join()
            self._error = exc

    def join(self) -> None:
        """Wait for the thread's end; its error, raised here."""
        self.wait()
        if self._error is not None:
            raise self._error

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the thread's end (at most ``timeout`` seconds), its error left unsaid: on a stop, what
        it was for is no longer wanted, and the temporary folders it works in are about to go."""
        self._thread.join(timeout)

    def stopped(self) -> None:
        """Wait for the thread after a stop, :data:`STOP_WAIT` seconds at most: a stop that lands inside an
        import in the main thread can leave that module's import lock held, and a thread importing the
        same module would wait for it for ever (seen with SIGTERM during a build's kernel stage); the
        thread is a daemon, its errors are kept, and the process ends without it."""
        self.wait(STOP_WAIT)


STOP_WAIT = 5.0
"""Seconds a stopping build waits for its background thread (:meth:`Background.stopped`)."""


@contextlib.contextmanager
def ahead(register, overlap: bool = True, formats: tuple[str, ...] = ("html", "pdf", "docx")):
    """The thread of the build that works while the kernel runs (a :class:`Background`): :func:`warm_up`
    (the renderers of ``formats`` only), then the register's frame (:func:`sangkien.figures.frame`, kept in
    the register's cache for the annexes and the manifest); with ``overlap`` the Word draft's libraries are
    left to the process that makes it beside the PDF. The block's end waits for the thread (after a stop,
    :data:`STOP_WAIT` seconds at most: :meth:`Background.stopped`). Start it after
    :func:`sangkien.pipeline.execute.prepare` and the build's own imports (pandas): two threads importing
    the same modules at once can fail."""

    def work() -> None:
        from sangkien import figures

        warm_up(word=not overlap and "docx" in formats, pdf="pdf" in formats)
        figures.frame(register)

    early = Background(work)
    try:
        yield early
    except BaseException:
        early.stopped()
        raise
    early.wait()


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
    font_config, fonts_css = _print_setup()  # first: WeasyPrint imported as it should be
    from weasyprint import HTML

    html = HTML(string=page, base_url=str(paths.TEMPLATES_DIR) + "/", url_fetcher=_local_fetcher())
    document = html.render(stylesheets=[fonts_css], font_config=font_config)
    document.metadata.authors = list(authors) or document.metadata.authors
    document.metadata.description = description or document.metadata.description
    document.write_pdf(str(target), pdf_variant=PDF_VARIANT, pdf_identifier=pdf_identifier(page))


OUTPUTS = ("notebook", "annex", "annex_csv", "html", "pdf", "docx")
"""The kinds of output of a year's report, in the manifest's order."""


def render_report(notebook, params, register, staging: Path, formats: tuple[str, ...], early: Background,
                  timings: dict[str, float], overlap: bool = True) -> dict[str, str]:
    """The year's page, documents and annexes from the executed notebook (a nbformat node) into ``staging``.

    Returns the outputs for the manifest (``{kind: file name}``: notebook, annex (the workbook),
    annex_csv, html, pdf, docx) and records the time of the page ("html"), of the PDF ("pdf") and of
    the Word draft ("docx") in ``timings``. With ``overlap`` (and a PDF asked), the Word draft and the
    annexes are made in a forked process while this one lays the PDF out: on two cores they cost no
    time of their own."""
    from sangkien.report import wording
    from sangkien.report.markup import TOC_MARK

    early.join()  # before forking too: no other thread works then
    base = paths.report_basename(params.year)
    outputs = {"notebook": f"{base}.ipynb"}
    with timed(timings, "html"):
        page = export_html(notebook, wording.report_page_title(params.year), TOC_MARK)
        if "html" in formats:
            (staging / f"{base}.html").write_text(page, encoding="utf-8")
            outputs["html"] = f"{base}.html"
    besides = (page, params, register, "docx" in formats)
    aside = Forked(beside_pdf, *besides) if overlap and "pdf" in formats else None
    try:
        if "pdf" in formats:
            with timed(timings, "pdf"):
                write_pdf(page, staging / f"{base}.pdf", (params.issuing_body,), params.subject_line)
            outputs["pdf"] = f"{base}.pdf"
        made, seconds = aside.result() if aside else beside_pdf(*besides)
    finally:
        if aside:
            aside.stop()
    for kind, (name, data) in made.items():
        (staging / name).write_bytes(data)
        outputs[kind] = name
    timings.update(seconds)
    return {kind: outputs[kind] for kind in OUTPUTS if kind in outputs}


def beside_pdf(page: str, params, register, docx: bool) -> tuple[dict[str, tuple[str, bytes]], dict[str, float]]:
    """What is made beside the PDF, as ``{kind: (file name, bytes)}``: the recognised initiatives of the
    year as a workbook (``annex``) and as CSV (``annex_csv``), and with ``docx`` the Word draft of
    ``page`` (``docx``); and the Word draft's seconds (``{"docx": s}``)."""
    from sangkien import figures
    from sangkien.pipeline import final, word
    from sangkien.report import annex, document

    rows = figures.rows_of_year(figures.frame(register), params.year)
    workbook = annex.recognized_workbook(rows, params, document.appendix_subtitle(params))
    made = {"annex": (annex.file_name(params.year), workbook),
            "annex_csv": (annex.csv_name(params.year), annex.recognized_csv(rows, params.blocks).encode("utf-8-sig"))}
    if not docx:
        return made, {}
    started = time.perf_counter()
    draft = word.docx_bytes(page, final.is_draft(params), word.made_on(params))
    made["docx"] = (f"{paths.report_basename(params.year)}.docx", draft)
    return made, {"docx": round(time.perf_counter() - started, 3)}
