"""Building one year's report, top to bottom: load the inputs; stop when the published year is up to
date; otherwise stage, execute, render, write the manifest and publish.

Each step is a module of its own: :mod:`~sangkien.pipeline.freshness` (is the year up to date?),
:mod:`~sangkien.pipeline.stage` (the lock, the staging folder, publishing), :mod:`~sangkien.pipeline.execute`
(Papermill), :mod:`~sangkien.pipeline.render` (HTML, PDF, annex), :mod:`~sangkien.pipeline.unitsheets`
and :mod:`~sangkien.pipeline.manifest`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sangkien import inputs, paths
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import freshness, manifest, stage

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
) -> BuildResult:
    """Build YEAR's report into ``out_dir/YEAR/`` (default ``reports/``).

    The year is only rebuilt when one of its inputs changed since the published build (see
    :mod:`sangkien.pipeline.freshness`) or ``force`` is true; otherwise the result says it is up to date.
    Raises ParamsError (bad parameters) or DataError (bad register) before any kernel starts,
    CellError when a notebook cell fails, BuildLockedError when the year is being built already.
    With ``units``, every unit's result sheet of the year is built too (``jobs`` at a time) into
    ``YEAR/don-vi/``, and published with the report in the same step. With ``final`` (the version to
    sign), ParamsError naming what is still empty (:mod:`~sangkien.pipeline.final`), before anything.
    """
    params, register = inputs.load(year, params_file, data_file)
    if final:
        from sangkien.pipeline.final import require_final

        require_final(params)
    notebook = Path(notebook or paths.REPORT_NOTEBOOK)
    out_dir = Path(out_dir or paths.REPORTS_DIR)
    final = out_dir / str(params.year)
    fingerprint = freshness.of_build(params, register.sha256, notebook, formats, units)
    state = None if force else _published(out_dir, params.year, fingerprint)
    if state is not None and state.up_to_date:
        outputs = {k: final / v for k, v in state.manifest["outputs"].items()}
        return BuildResult(params.year, final, outputs, state.manifest, up_to_date=True, reason=state.reason)
    _require_rows(params, register)
    from sangkien.pipeline import execute, render

    # The kernel's libraries first (in this thread), then nbconvert and WeasyPrint in the background
    # while the kernel starts and runs.
    execute.prepare()
    warm = render.start_warm_up()
    timings: dict[str, float] = {}
    with stage.staging(out_dir, params.year) as staging:
        kept = execute.snapshot(register, staging)
        with manifest.timed(timings, "execute"):
            executed = execute.run_report(notebook, staging, params, kept, out_dir / "_failed" / str(params.year))
        outputs = render.render_report(executed, params, register, staging, formats, warm, timings)
        sheets = None
        if units:
            from sangkien.pipeline import unitsheets

            with manifest.timed(timings, "units"):
                sheets = unitsheets.build_sheets(params, register, kept, staging, formats, jobs=jobs)
        kept.unlink(missing_ok=True)  # for the kernels only: not published
        written = manifest.write(staging, params, register, outputs, timings, sheets, fingerprint)
        stage.publish(staging, final)
    return BuildResult(params.year, final, {k: final / v for k, v in outputs.items()}, written,
                       reason="--force" if force else state.reason)


def _published(out_dir: Path, year: int, fingerprint: dict[str, str]) -> freshness.Freshness:
    """Whether the published year is up to date, and why; when it seems so, asked again under the
    year's lock (no build of it runs then), after clearing what an interrupted build left."""
    final = out_dir / str(year)
    state = freshness.check(final, fingerprint)
    if state.up_to_date:
        with stage.year_lock(out_dir, year):
            stage.clean_stale(out_dir, year)
            state = freshness.check(final, fingerprint)
    return state


def _require_rows(params: Params, register: Register) -> None:
    """ParamsError when the register has no row of the report's year."""
    if params.year not in register.years:
        years = ", ".join(str(y) for y in register.years)
        raise ParamsError(f"{params.params_file}: sổ đăng ký {params.data} không có dòng nào của năm {params.year} "
                          f"(các năm có trong sổ: {years}); kiểm tra khóa year hoặc data")
