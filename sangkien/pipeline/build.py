"""Building one year's report, top to bottom: load the inputs; stop when the published year is up to
date; otherwise stage, execute, render, write the manifest and publish.

Each step is a module of its own: :mod:`~sangkien.pipeline.freshness` (is the year up to date?),
:mod:`~sangkien.pipeline.stage` (the lock, the staging folder, publishing), :mod:`~sangkien.pipeline.execute`
(Papermill), :mod:`~sangkien.pipeline.render` (HTML, PDF, annex), :mod:`~sangkien.pipeline.unitsheets`
and :mod:`~sangkien.pipeline.manifest`.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import inputs, paths
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import freshness, manifest, stage
from sangkien.pipeline.indexes import UNIT_SHEETS

# The heavy modules (pandas, matplotlib, Papermill, nbconvert, WeasyPrint) are imported once a year
# turns out to need building: finding it up to date takes a fraction of a second.


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


def build_year(
    year: int,
    params_file: str | Path | None = None,
    data_file: str | Path | None = None,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] = ("html", "pdf", "docx"),
    notebook: str | Path | None = None,
    force: bool = False,
    units: bool = False,
    jobs: int | None = None,
    final: bool = False,
    overlap: bool = True,
) -> BuildResult:
    """Build YEAR's report into ``out_dir/YEAR/`` (default ``reports/``).

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
    """
    out_dir = Path(out_dir or paths.REPORTS_DIR)
    stage.check_out(out_dir, year, units)
    params, register = inputs.load(year, params_file, data_file)
    if final:
        from sangkien.pipeline.final import require_final

        require_final(params)
    notebook = Path(notebook or paths.REPORT_NOTEBOOK)
    final = out_dir / str(params.year)
    fingerprint = freshness.of_build(params, register.sha256, notebook, formats, units)
    finish_interrupted(out_dir, params.year)
    state = None if force else published_state(out_dir, params.year, fingerprint)
    if state is not None and state.up_to_date:
        outputs = {k: final / v for k, v in state.manifest["outputs"].items()}
        return BuildResult(params.year, final, outputs, state.manifest, up_to_date=True, reason=state.reason)
    require_rows(params, register)
    from sangkien.pipeline import execute

    # The kernel boots (and imports pandas and matplotlib) while this process checks the output folder and
    # imports its own libraries (Papermill in this thread, first); it is gone however the block ends.
    with execute.kernel_ahead() as kernel:
        stage.check_free(final, file_names(params, register, formats, units))
        execute.prepare()
        with stage.staging(out_dir, params.year) as staging:
            outputs, written = _make(staging, params, register, notebook, out_dir, formats, units, jobs, kernel,
                                     overlap, fingerprint)
            stage.publish(staging, final)
    return BuildResult(params.year, final, {k: final / v for k, v in outputs.items()}, written,
                       reason="--force" if force else state.reason)


def _make(staging: Path, params: Params, register: Register, notebook: Path, out_dir: Path,
          formats: tuple[str, ...], units: bool, jobs: int | None, kernel, overlap: bool,
          fingerprint: dict[str, str]):
    """Every file of the year into ``staging``, the manifest last: ``(outputs, manifest)``. While the
    notebook runs, a thread warms the renderers up (:func:`render.ahead`)."""
    from sangkien.pipeline import execute, render, unitsheets

    timings: dict[str, float] = {}
    kept = execute.snapshot(params, register, staging)
    # the unit sheets start first and are built while the report is: their workers take the second core,
    # and the report's PDF and Word draft take turns
    alongside = (unitsheets.sheets_alongside(params, register, kept, staging, formats, jobs) if units
                 else contextlib.nullcontext(lambda: None))
    overlap = overlap and not units
    with manifest.timed(timings, "units") if units else contextlib.nullcontext(), alongside as sheets:
        with render.ahead(register, overlap, formats) as early:
            with manifest.timed(timings, "execute"):
                executed = execute.run_report(notebook, staging, params, kept,
                                              out_dir / "_failed" / str(params.year), kernel_manager=kernel)
            outputs = render.render_report(executed, params, register, staging, formats, early, timings, overlap)
        sheets = sheets()
    kept.unlink(missing_ok=True)  # for the kernels only: not published
    return outputs, manifest.write(staging, params, register, outputs, timings, sheets, fingerprint)


def file_names(params: Params, register: Register, formats: tuple[str, ...], units: bool) -> list[str]:
    """The files the build will write in the year's folder (known before it starts)."""
    from sangkien.report import annex

    base = paths.report_basename(params.year)
    names = [f"{base}.ipynb", annex.file_name(params.year)] + [f"{base}.{kind}" for kind in formats]
    if units:
        from sangkien.pipeline.unitsheets import planned, sheet_formats

        names.append(f"{UNIT_SHEETS}/index.html")
        names += [f"{UNIT_SHEETS}/{stem}.{kind}" for _, stem in planned(register, params.year)
                  for kind in sheet_formats(formats)]
    return names


def finish_interrupted(out_dir: Path, year: int) -> None:
    """What an interrupted build of the year left (a staging folder; a publishing cut short by a kill,
    finished), cleared under the year's lock before anything looks at the year."""
    if any(out_dir.glob(f".staging-{year}-*")) or any(out_dir.glob(f".old-{year}-*")):
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
