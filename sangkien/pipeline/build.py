"""Building one year's report in three steps, the same on every path (``build YEAR``, the API,
``build --all --jobs``, ``--scheduler``, one unit's sheet):

1. :func:`plan`: the inputs loaded and validated once, ``--final``'s requirements, the fingerprint and
   whether the published year is up to date (a :class:`Plan`); :meth:`Plan.staging` then checks the
   names the build will write are free, takes the year's lock and makes the staging folder;
2. :func:`make`: the notebook executed and every file rendered into a folder (the staging folder here; a
   Dask worker's scratch folder, whose files go back as bytes: :mod:`~sangkien.pipeline.cluster`);
3. :func:`publish`: the manifest written (:mod:`~sangkien.pipeline.manifest`), then the year published
   (:func:`sangkien.pipeline.stage.publish`).

Each step leans on modules of its own: :mod:`~sangkien.pipeline.freshness`, :mod:`~sangkien.pipeline.stage`,
:mod:`~sangkien.pipeline.processes.execute`, :mod:`~sangkien.pipeline.render`, :mod:`~sangkien.pipeline.unitsheets`.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import inputs, paths
from sangkien.errors import ParamsError, writing_into
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import exporters, freshness, manifest, stage, yearstate
from sangkien.pipeline.indexes import UNIT_SHEETS
from sangkien.report.edition import Edition, edition_of

# The heavy modules (pandas, matplotlib, Papermill, nbconvert, WeasyPrint) are imported once a year
# turns out to need building: finding it up to date takes a fraction of a second.

FORMATS = exporters.FORMATS


@dataclass
class BuildResult:
    year: int
    folder: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    up_to_date: bool = False
    """True when nothing changed since the published build, which was kept as it is."""
    reason: str = ""
    """Why the year was rebuilt, or why it was up to date (Vietnamese)."""


@dataclass
class Plan:
    """A year's build decided before any kernel starts: its validated inputs, what it makes, where, and
    whether the published year is up to date already (``published``: its manifest then)."""

    params: Params
    register: Register
    out_dir: Path
    notebook: Path
    formats: tuple[str, ...]
    units: bool
    fingerprint: dict[str, str]
    reason: str
    """Why the year is built, or why it is up to date (Vietnamese)."""
    edition: Edition
    """Draft or final, and the date the files say they were made: decided here, once, for every exporter."""
    published: dict | None = None

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def folder(self) -> Path:
        """The year's folder, where the build publishes."""
        return self.out_dir / str(self.params.year)

    @property
    def up_to_date(self) -> bool:
        return self.published is not None

    @property
    def failed_dir(self) -> Path:
        """Where the partly executed notebook of a failing cell is kept."""
        return self.out_dir / "_failed" / str(self.params.year)

    def result(self, outputs: dict[str, str] | None = None, written: dict | None = None) -> BuildResult:
        """The build's result: the published year's when it is up to date, else the one just published."""
        record = self.published if written is None else written
        outputs = record["outputs"] if outputs is None else outputs
        return BuildResult(self.year, self.folder, {k: self.folder / v for k, v in outputs.items()}, record,
                           up_to_date=written is None, reason=self.reason)

    @contextlib.contextmanager
    def staging(self, names: list[str] | None = None, wait: bool = False):
        """The year's staging folder: ParamsError first, touching nothing, when a file the build writes
        (``names``, default :func:`file_names`) would take the place of a file it does not own; then the
        year's lock (BuildLockedError while another build holds it; with ``wait``, once it let it go) and
        the folder (:func:`sangkien.pipeline.stage.staging`), removed when the block fails."""
        if names is None:
            names = file_names(self.params, self.register, self.formats, self.units)
        stage.check_free(self.folder, names)
        with stage.staging(self.out_dir, self.year, wait) as folder:
            yield folder


def plan(year: int, params_file: str | Path | None = None, data_file: str | Path | None = None,
         out_dir: str | Path | None = None, formats: tuple[str, ...] = FORMATS, notebook: str | Path | None = None,
         force: bool = False, units: bool | None = False, final: bool = False, reopen: str | None = None,
         pass_signed: bool = False) -> Plan:
    """The first step of every build of YEAR: the output folder checked, the parameters and the register
    loaded and validated (ParamsError, DataError), with ``final`` what the version to sign lacks
    (ParamsError, :mod:`~sangkien.pipeline.final`), the fingerprint, and whether the published year is
    up to date (never with ``force``; what an interrupted build left is cleared first); a year to build
    must have rows of its own (ParamsError).

    A build keeps what the year was built with: ``units`` False keeps the unit sheets of a year published
    with them (None: dropped, ``--no-units``). A signed year is closed (:mod:`~sangkien.pipeline.yearstate`):
    kept as it is when its inputs are unchanged (or ``pass_signed``: ``build --all``), else ParamsError
    naming the signed file; ``reopen`` (the reason) moves its signed file into ``YEAR/luu-tru/`` and
    rebuilds it."""
    out_dir = Path(out_dir or paths.REPORTS_DIR)
    units = kept_units(out_dir, year, units)
    stage.check_out(out_dir, year, units)
    params, register = inputs.load(year, params_file, data_file)
    edition = edition_of(params)
    if final:
        from sangkien.pipeline.final import require_final

        require_final(params, edition)
    notebook = Path(notebook or paths.REPORT_NOTEBOOK)
    fingerprint = freshness.of_build(params, register.sha256, notebook, formats, units)
    year_plan = Plan(params, register, out_dir, notebook, tuple(formats), units, fingerprint, "--force", edition)
    finish_interrupted(out_dir, params.year)
    if reopen is not None and yearstate.reopen(out_dir, params.year, reopen, params.timezone) is not None:
        force, year_plan.reason = True, f"mở lại năm đã ký: {reopen.strip()}"
    if force and yearstate.signed_record(year_plan.folder) is None:  # nothing to ask of the published year
        require_rows(params, register)
        return year_plan
    state = published_state(out_dir, params.year, fingerprint)
    signed = yearstate.closed(year_plan.folder, state.up_to_date, state.reason, force, pass_signed)
    if signed is not None or (state.up_to_date and not force):
        year_plan.reason = signed or state.reason
        year_plan.published = state.manifest or manifest.published(year_plan.folder)
        return year_plan
    if not force:
        year_plan.reason = state.reason
    require_rows(params, register)
    return year_plan


def kept_units(out_dir: Path, year: int, units: bool | None) -> bool:
    """Whether the build makes the unit sheets: asked (True), dropped (None: ``--no-units``), or else as the
    published year was built (False: kept when its manifest lists unit sheets)."""
    if units is None or units:
        return bool(units)
    record = manifest.published(out_dir / str(year))
    return bool(record and record.get("units") and record.get("outputs"))


@dataclass
class Made:
    """What :func:`make` put in its folder, for the manifest."""

    outputs: dict[str, str] | None
    """``{kind: file name}`` of the report's outputs (None: unit sheets made alone)."""
    timings: dict[str, float]
    sheets: dict | None = None
    """The unit sheets (``{stem: {"unit", kind: path}}``), when the build makes them."""


def make(params: Params, register: Register, notebook: Path, folder: Path, formats: tuple[str, ...],
         failed_dir: Path, kernel=None, register_file: Path | None = None, units: bool = False,
         jobs: int | None = None, overlap: bool = False, edition: Edition | None = None, aside=None) -> Made:
    """The second step: the year's notebook executed (in ``kernel``, one started ahead, if given) and every
    file rendered into ``folder``; with ``units``, every unit's sheet built alongside in ``jobs`` worker
    processes (the build process's own share in ``kernel``, once the report ran in it). ``register_file``:
    the snapshot of the inputs for the kernels, when one was kept already
    (a Dask worker's), else kept in ``folder`` for the run and removed. While the notebook runs, a thread
    warms the renderers up and makes the annexes (:func:`render.ahead`), unless ``aside``, a forked copy, makes
    them (:func:`render.annexes_aside`: a large register, where a fork is sound; its creator ends it), taken
    from it once the PDF is laid out; with ``overlap`` (and no unit sheets,
    which take the second core) the Word draft is made beside the PDF. ``edition``: the plan's."""
    from sangkien.pipeline import render, unitsheets
    from sangkien.pipeline.processes import execute

    execute.prepare()
    timings: dict[str, float] = {}
    kept = register_file or execute.snapshot(params, register, folder)
    # the unit sheets start first and are built while the report is: their workers take the second core
    alongside = (unitsheets.sheets_alongside(params, register, kept, folder, formats, jobs, kernel=kernel) if units
                 else contextlib.nullcontext(lambda: None))
    overlap = overlap and not units
    with manifest.timed(timings, "units") if units else contextlib.nullcontext(), alongside as sheets:
        with render.ahead(register, overlap, formats, params, edition, aside) as early:
            with manifest.timed(timings, "execute"):
                executed = execute.run_report(notebook, folder, params, kept, failed_dir, kernel_manager=kernel,
                                              keep=units)
            if units:
                sheets.report_made()  # the build's own unit sheets are made in its kernel
            outputs = render.render_report(executed, params, register, folder, formats, early, timings, overlap,
                                           edition, annexes=aside)
        sheets = sheets()
    if register_file is None:
        kept.unlink(missing_ok=True)  # for the kernels only: not published
    return Made(outputs, timings, sheets)


def publish(plan: Plan, staging: Path, made: Made) -> BuildResult:
    """The third step: the manifest written last into ``staging`` (it records every other file's digest),
    then the year published (:func:`sangkien.pipeline.stage.publish`: only the build's own files replaced).
    Unit sheets made alone (``made.outputs`` None: :func:`build_unit`) are added to the published
    manifest, the rest of the year left as it is."""
    if made.outputs is None:
        written = manifest.with_sheets(staging, manifest.published(plan.folder), plan.year, made.sheets)
    else:
        written = manifest.write(staging, plan.params, plan.register, made.outputs, made.timings, made.sheets,
                                 plan.fingerprint, yearstate.state_of_edition(plan.params, plan.edition),
                                 yearstate.lacking(plan.params, plan.edition),
                                 manifest.published(plan.folder))
    stage.publish(staging, plan.folder)
    return plan.result(written["outputs"], written)


def build_year(
    year: int,
    params_file: str | Path | None = None,
    data_file: str | Path | None = None,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    notebook: str | Path | None = None,
    force: bool = False,
    units: bool = False,
    jobs: int | None = None,
    final: bool = False,
    overlap: bool = True,
    reopen: str | None = None,
    pass_signed: bool = False,
) -> BuildResult:
    """Build YEAR's report into ``out_dir/YEAR/`` (default ``reports/``): :func:`plan`, :func:`make`,
    :func:`publish`.

    The year is only rebuilt when one of its inputs changed since the published build (see
    :mod:`sangkien.pipeline.freshness`) or ``force`` is true; otherwise the result says it is up to date.
    Raises ParamsError (bad parameters, or an output folder that is a file or a link, or holds a file of
    the analyst's under an output's name) or DataError (bad register) before the notebook runs (the
    parameters and the register before any kernel starts), CellError when a notebook cell fails,
    BuildLockedError when the year is being built already, OutputError when the outputs cannot be
    written (permission, disk full). With ``units``, every unit's result sheet of
    the year is built too (``jobs`` at a time) into ``YEAR/don-vi/``, and published with the report in
    the same step. Publishing replaces only the files the previous build wrote
    (:func:`sangkien.pipeline.stage.publish`); the parameters and register are read once, and every part
    of the build works from what was read then (:mod:`sangkien.inputs.snapshot`). With ``final`` (the version to
    sign), ParamsError naming what is still empty (:mod:`~sangkien.pipeline.final`), before anything.

    The kernel starts once the inputs are validated and boots while the build prepares (:mod:`execute`).
    ``overlap``: the PDF and the Word draft side by side, on two cores (a batch of years passes False).
    A signed year is closed, ``reopen`` (the reason) reopens it, and ``units`` False keeps the unit sheets
    of a year built with them (None drops them): :func:`plan`.
    """
    year_plan = plan(year, params_file, data_file, out_dir, formats, notebook, force, units, final, reopen,
                     pass_signed)
    if year_plan.up_to_date:
        return year_plan.result()
    from sangkien.pipeline import progress
    from sangkien.pipeline.processes import execute

    progress.say(f"đã đọc sổ đăng ký {year_plan.register.path.name}: {len(year_plan.register)} dòng; "
                 f"khởi động nhân Python (kernel)")
    from sangkien.pipeline import render

    # The annexes are made from now on by a forked copy of this process, and the kernel boots (and imports
    # pandas and matplotlib) while this process checks the output folder and imports its own libraries;
    # both are gone however the block ends.
    with render.annexes_aside(year_plan.params, year_plan.register, year_plan.formats, year_plan.edition) as aside, \
            execute.kernel_ahead() as kernel, year_plan.staging() as staging:
        with progress.watching(staging, _units_count(year_plan)):
            made = make(year_plan.params, year_plan.register, year_plan.notebook, staging, year_plan.formats,
                        year_plan.failed_dir, kernel=kernel, units=year_plan.units, jobs=jobs, overlap=overlap,
                        edition=year_plan.edition, aside=aside)
        return publish(year_plan, staging, made)


def _units_count(year_plan: Plan) -> int:
    """How many unit notices the build makes (for the terminal's bar: 0 when nothing is said)."""
    from sangkien.pipeline import progress

    if not (year_plan.units and progress.on()):
        return 0
    from sangkien.pipeline.unitsheets import planned

    return len(planned(year_plan.register, year_plan.year))


def build_unit(year: int, unit: str, params_file=None, data_file=None, out_dir=None,
               formats: tuple[str, ...] = ("html", "pdf")) -> dict[str, Path]:
    """One unit's sheet as a single call, for fanning units out over many workers or machines (Airflow,
    Dask: see docs/scaling.md): the year planned (:func:`plan`), the sheet made under the name ``build
    YEAR --units`` gives it, then published (:func:`publish`): recorded in the year's manifest (a year never
    built gets one naming the sheet alone), so the next ``build YEAR --units`` replaces it as its own.
    Returns ``{format: path}``. The sheet is made outside the year's lock, which it takes (waiting for
    another build of the year to end) only to publish: the units of a year may be built side by side.
    ``build YEAR --units`` remains the way to publish a year with all its sheets in one consistent step."""
    from sangkien.inputs.renames import today_name
    from sangkien.pipeline import unitsheets
    from sangkien.report.unit import find_unit

    formats = unitsheets.sheet_formats(formats)
    year_plan = plan(year, params_file, data_file, out_dir, formats, force=True, units=True)
    stems = dict(unitsheets.planned(year_plan.register, year_plan.year))
    name = find_unit(today_name(unit, year_plan.params.reorganisation), list(stems), year_plan.year)
    files = {e.key: f"{UNIT_SHEETS}/{e.sheet_name(stems[name])}" for e in exporters.sheet_exporters(formats)}
    stage.check_free(year_plan.folder, list(files.values()))
    scratch = year_plan.out_dir / f".unit-{year_plan.year}-{stems[name]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:  # made inside: a stop landing right after the folder is made removes it too
        _make_sheet(year_plan, name, stems[name], scratch)
        with year_plan.staging(list(files.values()), wait=True) as staging:
            os.rename(scratch / UNIT_SHEETS, staging / UNIT_SHEETS)
            publish(year_plan, staging, Made(None, {}, {stems[name]: {"unit": name, **files}}))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {kind: year_plan.folder / path for kind, path in files.items()}


def _make_sheet(year_plan: Plan, unit: str, stem: str, scratch: Path) -> None:
    """The make step of one unit's sheet: into ``scratch/don-vi/`` (:func:`unitsheets.build_batch`)."""
    from sangkien.pipeline import unitsheets
    from sangkien.pipeline.processes import execute, workers

    with writing_into(year_plan.out_dir):
        (scratch / UNIT_SHEETS).mkdir(parents=True)
    kept = execute.snapshot(year_plan.params, year_plan.register, scratch)
    [outcome] = unitsheets.build_batch(year_plan.year, str(kept), str(paths.UNIT_NOTEBOOK), str(scratch / UNIT_SHEETS),
                                       str(year_plan.folder / UNIT_SHEETS), year_plan.formats, [(unit, stem)])
    if outcome.failed:
        raise workers.error(outcome.problems, outcome.exit_status)


def file_names(params: Params, register: Register, formats: tuple[str, ...], units: bool) -> list[str]:
    """The files the build will write in the year's folder (known before it starts), from the exporters'
    registry (:func:`sangkien.pipeline.exporters.file_names`)."""
    stems = None
    if units:
        from sangkien.pipeline.unitsheets import planned

        stems = [stem for _, stem in planned(register, params.year)]
    return exporters.file_names(params.year, formats, stems)


def finish_interrupted(out_dir: Path, year: int) -> None:
    """What an interrupted build of the year left (a staging folder; a publishing cut short by a kill,
    finished), cleared under the year's lock before anything looks at the year."""
    if any(out_dir.glob(f".staging-{year}-*")):
        with stage.year_lock(out_dir, year):
            stage.clean_stale(out_dir, year)


def published_state(out_dir: Path, year: int, fingerprint: dict[str, str]) -> freshness.Freshness:
    """Whether the published year is up to date, and why; when it seems so, asked again under the
    year's lock (no build of it runs then)."""
    final = out_dir / str(year)
    state = freshness.check(final, fingerprint)
    if state.up_to_date:
        with stage.year_lock(out_dir, year):
            stage.clean_stale(out_dir, year)
            state = freshness.check(final, fingerprint)
    return state


def require_rows(params: Params, register: Register) -> None:
    """ParamsError when the register has no row of the report's year."""
    if params.year not in register.years:
        years = ", ".join(str(y) for y in register.years)
        raise ParamsError(f"{params.params_file}: sổ đăng ký {params.data} không có dòng nào của năm {params.year} "
                          f"(các năm có trong sổ: {years}); kiểm tra khóa year hoặc data")
