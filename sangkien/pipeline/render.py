"""From an executed notebook to every output of the year's report, through the exporters of
:mod:`sangkien.pipeline.exporters` (the HTML page, the PDF, the Word draft, the annexes).

All run in the building process, heavy libraries imported once. During a build, while the kernel works,
a thread imports and warms them up, makes the register's frame and the outputs that need no page (the
annexes) (:func:`ahead`); then :func:`render_report` makes the page, and lays the PDF out while a forked process
(:mod:`~sangkien.pipeline.processes.forked`) makes what may be made beside it (the Word draft) on the other
core (``overlap``).
"""
from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from sangkien.pipeline import exporters
from sangkien.pipeline.exporters.html import export_html
from sangkien.pipeline.manifest import timed
from sangkien.pipeline.processes.forked import Forked
from sangkien.report.edition import Edition, edition_of


def warm_page() -> None:
    """Import nbconvert and export a page of one cell (the templates compiled, and the selectors nbconvert
    looks for in every page: half a second the first time), ahead of use (safe to run in a thread): every
    format is made from the page."""
    import nbformat

    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", {"text/html": "<p>.</p>"})])
    export_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("."), cell]), "")


def warm_up(word: bool = True, pdf: bool = True) -> None:
    """:func:`warm_page`; with ``pdf``, the PDF exporter's WeasyPrint and fonts too (half a CPU-second
    more, wasted on a build without a PDF); with ``word``, the Word draft's libraries."""
    warm_page()
    for exporter, wanted in ((exporters.pdf.EXPORTER, pdf), (exporters.docx.EXPORTER, word)):
        if wanted:
            exporter.warm()


class Background:
    """``work()`` in a thread of its own, started at once: :meth:`join` waits for it and raises its error
    there (never in the thread, where Python would only print it); what it returned is ``result``."""

    def __init__(self, work):
        self._error: BaseException | None = None
        self.result = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work) -> None:
        try:
            self.result = work()
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


ASIDE_FROM = 50_000
"""Rows of a register from which its annexes are made by a forked copy (:func:`made_aside`): below, they take
tens of milliseconds, less than the fork and the bytes sent back cost (a batch of the sample's years was
slower with it)."""


def made_aside(params, register, formats: tuple[str, ...] = exporters.FORMATS, edition: Edition | None = None
               ) -> Forked | None:
    """The outputs of ``formats`` that need no page (the annexes:
    :attr:`~sangkien.pipeline.exporters.Exporter.without_page`) made from now on by a forked copy of this
    process (:class:`~sangkien.pipeline.processes.forked.Forked`; its result ``{kind: (file name, bytes)}``),
    None when there are none, the register is smaller than :data:`ASIDE_FROM` rows, or a fork is not sound
    here (:func:`~sangkien.pipeline.processes.forked.sound`). On a second core beside the kernel, from the
    moment the inputs are valid: a national year's list of tens of thousands of initiatives takes seconds,
    which a thread of this process began only once the build was ready to run its notebook, and ran in turn
    with this process's other work.
    Fork it before any other thread of this process works (before :func:`ahead`, before a pool of workers)."""
    from sangkien.pipeline.processes import forked

    made = tuple(e for e in exporters.of_build(formats) if e.without_page)
    if not made or len(register) < ASIDE_FROM or not forked.sound():  # then made by the thread of :func:`ahead`
        return None
    return Forked(without_page, exporters.Source("", params, register, edition or edition_of(params)), made)


@contextlib.contextmanager
def annexes_aside(params, register, formats: tuple[str, ...] = exporters.FORMATS, edition: Edition | None = None):
    """:func:`made_aside` for the block (None, or the forked copy, ended however the block ends)."""
    aside = made_aside(params, register, formats, edition)
    try:
        yield aside
    finally:
        if aside is not None:
            aside.stop()


def without_page(source, made) -> dict[str, tuple[str, bytes]]:
    """What the exporters ``made`` make without a page, as ``{kind: (file name, bytes)}`` (no file written)."""
    return {e.key: (e.file_name(source.params.year), e.make(source)) for e in made}


@contextlib.contextmanager
def ahead(register, overlap: bool = True, formats: tuple[str, ...] = exporters.FORMATS, params=None,
          edition: Edition | None = None, aside: Forked | None = None):
    """The thread of the build that works while the kernel runs (a :class:`Background`): :func:`warm_page`
    and what the exporters of ``formats`` load ahead (:attr:`~sangkien.pipeline.exporters.Exporter.warm`);
    with ``overlap``, what is made beside the PDF loads its own libraries in the process that makes it.
    Unless a forked copy makes them (``aside``, :func:`made_aside`: :func:`render_report` takes them from it,
    once the PDF is laid out), the outputs that need no page (the annexes) are then the thread's ``result``
    (``{kind: (file name, bytes)}``) for :func:`render_report`: given the ``params`` (and ``edition``), made
    by the thread itself (the register's frame first, :func:`sangkien.figures.frame`). The block's end waits
    for the thread (after a stop, :data:`STOP_WAIT` seconds at most: :meth:`Background.stopped`). Start it after
    :func:`sangkien.pipeline.processes.execute.prepare` and the build's own imports (pandas): two threads importing
    the same modules at once can fail."""
    def work() -> dict[str, tuple[str, bytes]]:
        from sangkien import figures

        warm_page()
        run = exporters.of_build(formats)
        for exporter in run:
            if exporter.warm is not None and not (overlap and exporter.beside_pdf):
                exporter.warm()
        if aside is not None:
            return {}
        figures.frame(register)
        if params is None:
            return {}
        source = exporters.Source("", params, register, edition or edition_of(params))
        return without_page(source, tuple(e for e in run if e.without_page))

    early = Background(work)
    try:
        yield early
    except BaseException:
        early.stopped()
        raise
    early.wait()


def render_report(notebook, params, register, staging: Path, formats: tuple[str, ...], early: Background,
                  timings: dict[str, float], overlap: bool = True, edition: Edition | None = None,
                  annexes: Forked | None = None) -> dict[str, str]:
    """The year's page, documents and annexes from the executed notebook (a nbformat node) into ``staging``,
    by every exporter a build in ``formats`` runs (:func:`sangkien.pipeline.exporters.of_build`).

    Returns the outputs for the manifest (``{kind: file name}``, in the order of
    :data:`~sangkien.pipeline.exporters.OUTPUTS`) and records the seconds of the page and of each
    chosen format in ``timings`` ("html": the page and its file, "pdf", "docx"). With ``overlap`` (and a
    PDF asked), what may be made beside the PDF (the Word draft) is made in a forked process
    while this one lays the PDF out: on two cores it costs no time of its own. ``edition``: the
    parameters' (:func:`sangkien.report.edition.edition_of`), when the build has it already. ``annexes``: the
    forked copy making the annexes (:func:`made_aside`), waited for once the PDF is laid out: the page and the
    PDF need nothing of it, and a national year's annexes may take the copy longer than the kernel took."""
    from sangkien.report import wording
    from sangkien.report.markup import TOC_MARK

    early.join()  # before forking too: no other thread works then
    with timed(timings, "html"):
        page = export_html(notebook, wording.report_page_title(params.year), TOC_MARK)
    source = exporters.Source(page, params, register, edition or edition_of(params))
    run = exporters.of_build(formats)
    made_ahead: dict[str, tuple[str, bytes]] = early.result or {}
    for name, data in made_ahead.values():
        (staging / name).write_bytes(data)
    besides = tuple(e for e in run if e.beside_pdf)
    aside = Forked(beside_pdf, source, besides) if overlap and exporters.pdf.EXPORTER in run else None
    try:
        for exporter in run:
            if exporter.make is not None and not exporter.beside_pdf and exporter.key not in made_ahead \
                    and not (annexes is not None and exporter.without_page):
                started = time.perf_counter()
                exporter.write(source, staging)
                _add_seconds(timings, exporter, time.perf_counter() - started)
        made, seconds = aside.result() if aside else beside_pdf(source, besides)
    finally:
        if aside:
            aside.stop()
    if annexes is not None:
        made = {**annexes.result(), **made}
    for name, data in made.values():
        (staging / name).write_bytes(data)
    for exporter in besides:
        _add_seconds(timings, exporter, seconds.get(exporter.key, 0.0))
    return {e.key: e.file_name(params.year) for e in run}


def _add_seconds(timings: dict[str, float], exporter, seconds: float) -> None:
    """A chosen format's seconds added to its entry of ``timings`` (the page's, for the HTML file)."""
    if exporter.chosen:
        timings[exporter.key] = round(timings.get(exporter.key, 0.0) + seconds, 3)


def beside_pdf(source, besides) -> tuple[dict[str, tuple[str, bytes]], dict[str, float]]:
    """What is made beside the PDF by the exporters ``besides``, as ``{kind: (file name, bytes)}``, and
    the seconds each took (``{kind: s}``); no file is written: this is what the forked child runs."""
    made, seconds = {}, {}
    for exporter in besides:
        started = time.perf_counter()
        made[exporter.key] = (exporter.file_name(source.params.year), exporter.make(source))
        seconds[exporter.key] = time.perf_counter() - started
    return made, seconds
