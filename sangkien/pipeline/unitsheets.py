"""Every unit's result sheet of a year: ``sangkien build YEAR --units``.

The unit notebook (``notebooks/bao-cao-don-vi.ipynb``) is executed under Papermill once per unit that
put forward an initiative that year, in ``jobs`` worker processes, each working through its share of the
units in one warm kernel (:mod:`sangkien.pipeline.processes.warm`: started once, cleared between units, so a sheet
costs its own work, not a kernel's start and imports); each sheet is rendered to HTML and PDF like the
yearly report, into ``don-vi/`` of the year's staging folder, under a readable ASCII file name
(:func:`sangkien.pipeline.names.unique_stems`): outputs of the year's build, published with its report
(:mod:`~sangkien.pipeline.build`). A sheet built so is the same, byte for byte, as the sheet built alone
(:func:`sangkien.pipeline.build.build_unit`), which goes through the same plan and publishing.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from sangkien import paths
from sangkien.errors import problems_of, writing_into
from sangkien.pipeline import exporters, indexes
from sangkien.pipeline.indexes import UNIT_SHEETS
from sangkien.pipeline.processes import workers
from sangkien.pipeline.processes.workers import Outcome

SHEET_FORMATS = exporters.SHEET_FORMATS
"""A unit's sheet is a notice read and sent as it is: no Word draft (the build's other formats are ignored)."""


def sheet_formats(formats) -> tuple[str, ...]:
    """The formats of the build a unit's sheet is made in.

    >>> sheet_formats(("html", "pdf", "docx")), sheet_formats(("docx",))
    (('html', 'pdf'), ())
    """
    return tuple(f for f in formats if f in SHEET_FORMATS)


def planned(register, year: int) -> list[tuple[str, str]]:
    """``[(unit, file stem)]``: the year's unit sheets, in the order of the units' index, each under the
    readable ASCII file name every way of building it gives (:func:`sangkien.pipeline.names.unique_stems`)."""
    from sangkien.figures import frame, units_of_year
    from sangkien.pipeline.names import unique_stems

    units = units_of_year(frame(register), year)
    stems = unique_stems(units)
    return [(unit, stems[unit]) for unit in units]


def build_batch(year: int, register_file: str, notebook: str, folder: str, shown: str,
            formats: tuple[str, ...], batch: list[tuple[str, str]], claims: str | None = None,
            warm: bool = False) -> list[Outcome]:
    """Runs in a worker: the sheets of ``batch`` [(unit, stem)], one after another, into ``folder`` (the
    output folder the analyst knows it by: ``shown``), from the parameters and register the build kept in
    ``register_file`` (no input file is read again), all in one warm kernel (:mod:`~sangkien.pipeline.processes.warm`).
    With ``claims`` (a folder shared with the other builders of the year's sheets), only the units it
    claims first (:func:`claimed`); the others are built elsewhere. ``warm``: the renderers are warm
    already (a worker forked from a build that warmed them: :func:`sheets_alongside`).

    Returns each unit's outcome ('built' or 'failed'); never raises (but stops the worker on SIGTERM)."""
    from sangkien.inputs import snapshot
    from sangkien.pipeline import render
    from sangkien.pipeline.processes import execute
    from sangkien.pipeline.processes.warm import WarmKernel

    execute.prepare()
    try:
        params, _ = snapshot.load(register_file, year)
    except Exception as exc:
        problems, status = problems_of(exc)
        return [Outcome(unit, "failed", exit_status=status, problems=problems) for unit, stem in batch
                if claims is None or claimed(claims, stem)]

    # while the kernel starts: nbconvert's templates, and WeasyPrint's fonts for a PDF; a sheet has no Word draft
    renderers = None if warm else render.Background(lambda: render.warm_up(word=False, pdf="pdf" in formats))
    runner = WarmKernel()
    scratch = Path(tempfile.mkdtemp(prefix="sangkien-units-"))

    def stop() -> None:
        runner.discard()
        if renderers is not None:
            renderers.stopped()  # before the worker's temporary folders (WeasyPrint's fonts among them) go
        shutil.rmtree(scratch, ignore_errors=True)

    try:
        return [workers.attempt(unit, _sheet, runner, renderers, params, unit, stem, register_file, Path(notebook),
                                Path(folder), shown, formats, scratch, on_stop=stop)
                for unit, stem in batch if claims is None or claimed(claims, stem)]
    finally:
        stop()


def claimed(claims: str | Path, stem: str) -> bool:
    """Whether this process claims the unit's sheet (file stem ``stem``) for itself: the first of the year's
    builders to ask (a file made in ``claims`` only if none is there: one builder each, whatever the
    timing). The builders go through the units in turn and skip those claimed, so that each takes the next
    one left: none of them is idle while another has several to go."""
    try:
        os.close(os.open(os.path.join(claims, stem), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def _sheet(runner, renderers, params, unit: str, stem: str, register_file: str, notebook: Path, folder: Path,
           shown: str, formats: tuple[str, ...], scratch: Path) -> Outcome:
    """One unit's sheet: its notebook executed in ``runner``'s kernel (into ``scratch``), its pages written
    into ``folder``."""
    from sangkien.pipeline import render
    from sangkien.report import wording

    with writing_into(scratch.parent):
        executed = runner.run(notebook, scratch / f"{stem}.ipynb", params,
                              extra={"unit": unit, "register_file": register_file})
    if renderers is not None:
        renderers.join()
    page = render.export_html(executed, wording.unit_page_title(params.year, unit))
    with writing_into(shown):
        exporters.write_sheet(page, folder, stem, formats, (params.issuing_body,),
                              wording.notice_subject(params.year, unit))  # Author and Subject (Info and XMP)
    return Outcome(unit, "built")


UNIT_STARTUP = "sangkien.report.unit"
"""The module the build's own kernel for unit sheets imports as it boots, while the year's report is made
(:func:`sangkien.pipeline.processes.execute.startup`)."""


class _Here:
    """The build's own share of the year's sheets: once its report is made, the build process (its
    renderers warm from the report) takes the units no worker has claimed yet, last first, in a warm
    kernel: the report's own, cleared (:meth:`~sangkien.pipeline.processes.warm.WarmKernel.adopt`), or, when
    the report runs in none the build keeps (``start``), one started now (it boots while the report is made).
    One worker process fewer for ``--jobs N``: the year's report is one of the N."""

    def __init__(self, params, register_file: Path, notebook: Path, folder: Path, shown: str,
                 formats: tuple[str, ...], start: bool = True):
        from sangkien.pipeline.processes import execute
        from sangkien.pipeline.processes.warm import WarmKernel

        self.args = params, str(register_file), notebook, folder, shown, formats
        self.runner = WarmKernel(startup=execute.startup(UNIT_STARTUP))
        if start:
            self.runner.start()
        self.scratch = Path(tempfile.mkdtemp(prefix="sangkien-units-"))

    def build(self, units: list[tuple[str, str]], claims: str) -> list[Outcome]:
        """The sheets of ``units`` this process claims (:func:`claimed`), each outcome as a worker's; a stop
        (KeyboardInterrupt) goes on up."""
        import time

        params, register_file, notebook, folder, shown, formats = self.args
        outcomes = []
        for unit, stem in units:
            if not claimed(claims, stem):
                continue
            started = time.perf_counter()
            try:
                outcome = _sheet(self.runner, None, params, unit, stem, register_file, notebook, folder, shown,
                                 formats, self.scratch)
            except Exception as exc:
                problems, status = problems_of(exc)
                outcome = Outcome(unit, "failed", exit_status=status, problems=problems)
            outcome.seconds = time.perf_counter() - started
            outcomes.append(outcome)
        return outcomes

    def discard(self) -> None:
        self.runner.discard()
        shutil.rmtree(self.scratch, ignore_errors=True)


@contextlib.contextmanager
def sheets_alongside(params, register, register_file: Path, staging: Path, formats: tuple[str, ...],
                     jobs: int | None = None, notebook: Path | None = None, kernel=None):
    """Every unit's sheet of ``params.year`` into ``staging/don-vi/``, ``jobs`` at a time: started now in
    worker processes and built while the block runs (the year's own report: its kernel leaves a core idle,
    and the workers' start costs seconds). With ``jobs`` of 2 or more, the report is one of them: ``jobs - 1``
    workers, and once the report is made the build process itself (:class:`_Here`); with 1, one worker.
    Each builder takes the next unit no other has claimed (:func:`claimed`). ``kernel``: the one the year's
    report runs in, left running after it (:func:`~sangkien.pipeline.processes.execute.run_report`'s
    ``keep``): the build process makes its sheets in it (a kernel's start less), or, with one worker,
    discards it once the report is made.

    The block gets a function that waits for the sheets and returns ``{stem: {"unit": name, "html": path,
    "pdf": path}}`` (paths relative to ``staging``), or raises CellError (or the first failing unit's
    error, in the index's order) naming the unit when a sheet failed; its ``report_made()``, called once
    the report ran in ``kernel``, hands that kernel over (cleared at once) or discards it. A block that
    raises (or is stopped) stops the workers; what they made is in the staging folder, which goes with it."""
    formats = sheet_formats(formats)
    notebook = Path(notebook or paths.UNIT_NOTEBOOK)
    stems = dict(planned(register, params.year))
    order = list(stems.items())
    folder = staging / UNIT_SHEETS
    folder.mkdir()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(order)))
    claims = tempfile.mkdtemp(prefix="sangkien-claims-")
    here = None
    try:
        if jobs > 1:
            here = _Here(params, register_file, notebook, folder, str(staging.parent), formats, start=kernel is None)
        count = jobs - 1 if here is not None else 1
        fork = warmed_to_fork(formats)
        with workers.pool(count, fork) as pool:
            futures = [pool.submit(build_batch, params.year, str(register_file), str(notebook), str(folder),
                                   str(staging.parent), tuple(formats), order, claims, fork) for _ in range(count)]

            def sheets() -> dict[str, dict[str, str]]:
                outcomes = here.build(order[::-1], claims) if here is not None else []
                if here is not None:
                    here.discard()  # its kernel's memory back before the workers' last sheets
                for future in futures:
                    outcomes.extend(future.result())
                place = {unit: i for i, (unit, _) in enumerate(order)}
                failures = sorted((o for o in outcomes if o.failed), key=lambda o: place.get(o.subject, 0))
                return finished(staging, params.year, order, formats, failures)

            def report_made() -> None:
                if kernel is not None and here is not None:
                    here.runner.adopt(kernel)
                elif kernel is not None:
                    kernel.discard()  # its memory back while the worker builds the sheets

            sheets.report_made = report_made
            yield sheets
    finally:
        if here is not None:
            here.discard()
        shutil.rmtree(claims, ignore_errors=True)


def warmed_to_fork(formats: tuple[str, ...]) -> bool:
    """Whether the sheets' workers are forked copies of this process (where a fork is sound:
    :func:`sangkien.pipeline.processes.forked.sound`), the renderers the sheets use warmed up first, here,
    while the year's kernel boots (:func:`sangkien.pipeline.render.warm_up`): each worker then starts with
    them, and with every module imported, instead of importing and warming up on its own (two CPU-seconds
    a worker, a tenth of the sheets of a year of fifty units). The build's own thread finds them warm."""
    from sangkien.pipeline import render
    from sangkien.pipeline.processes import forked

    if not forked.sound():
        return False
    render.warm_up(word=False, pdf="pdf" in formats)
    return forked.sound()  # no thread of its own left working


def finished(staging: Path, year: int, sheets: list[tuple[str, str]], formats: tuple[str, ...],
             failures: list[Outcome]) -> dict[str, dict[str, str]]:
    """The year's sheets once every batch is back (``sheets``: [(unit, stem)] in the index's order): the
    first of ``failures``' error (:func:`raise_first`), else the index written into ``staging/don-vi/`` and
    the sheets as the manifest records them, ``{stem: {"unit": name, kind: path}}`` (paths relative to
    ``staging``)."""
    if failures:
        raise_first(failures)
    made = {stem: {"unit": unit, **{e.key: f"{UNIT_SHEETS}/{e.sheet_name(stem)}" for e in exporters.sheet_exporters(formats)}}
            for unit, stem in sheets}
    (staging / UNIT_SHEETS).mkdir(exist_ok=True)
    indexes.write_units(staging / UNIT_SHEETS, year, made)
    return made


def raise_first(failures: list[Outcome]) -> None:
    """The first failing unit's error, its lines naming the unit, and how many others failed."""
    first = failures[0]
    lines = [f'phiếu kết quả của đơn vị "{first.subject}": {line}' for line in first.problems]
    if len(failures) > 1:
        lines.append(f"và {len(failures) - 1} đơn vị khác cũng lỗi: "
                     + "; ".join(f'"{o.subject}"' for o in failures[1:6]) + ("; …" if len(failures) > 6 else ""))
    raise workers.error(lines, first.exit_status)
