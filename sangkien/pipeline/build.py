"""Building one year's report: validate, execute the notebook with Papermill, export HTML and PDF,
write manifest.json, and publish the finished year in one step.

Everything is written into a staging folder beside the published one; a failure leaves the last
good year untouched. A per-year lock keeps two builds of the same year apart.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import files, paths, provenance
from sangkien.errors import BuildLockedError, CellError, ParamsError
from sangkien.inputs.params import load_params
from sangkien.inputs.register import read_register, save_snapshot
from sangkien.pipeline import freshness

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


# ---------------------------------------------------------------------------- publishing

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where not supported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def publish(staging: Path, final: Path) -> None:
    """Put the finished ``staging`` folder in place of ``final`` in one step."""
    if not final.exists():
        os.rename(staging, final)
        return
    if _exchange(staging, final):
        shutil.rmtree(staging)
        return
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old)


@contextlib.contextmanager
def year_lock(out_dir: Path, year: int):
    """Hold the build lock of ``year`` under ``out_dir``; BuildLockedError when another build has it."""
    lock_dir = out_dir / ".locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    handle = open(lock_dir / f"{year}.lock", "w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(f"một lần dựng báo cáo năm {year} khác đang chạy ({out_dir}); hãy đợi nó xong") from None
        yield
    finally:
        handle.close()


def _clean_stale(out_dir: Path, year: int) -> None:
    """Remove staging folders an interrupted build of ``year`` left (we hold its lock)."""
    for debris in list(out_dir.glob(f".staging-{year}-*")) + list(out_dir.glob(f".old-{year}-*")):
        shutil.rmtree(debris, ignore_errors=True)


# ---------------------------------------------------------------------------- the build

def build_year(
    year: int,
    params_file: str | Path | None = None,
    data_file: str | Path | None = None,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] = ("html", "pdf"),
    notebook: str | Path | None = None,
    force: bool = False,
    units: bool = False,
    jobs: int | None = None,
) -> BuildResult:
    """Build YEAR's report into ``out_dir/YEAR/`` (default ``reports/``).

    The year is only rebuilt when one of its inputs changed since the published build (see
    :mod:`sangkien.freshness`) or ``force`` is true; otherwise the result says it is up to date.
    Raises ParamsError (bad parameters) or DataError (bad register) before any kernel starts,
    CellError when a notebook cell fails, BuildLockedError when the year is being built already.
    With ``units``, every unit's result sheet of the year is built too (``jobs`` at a time) into
    ``YEAR/don-vi/``, and published with the report in the same step.
    """
    timings: dict[str, float] = {}
    params = load_params(year, params_file, data_file)
    notebook = Path(notebook or paths.REPORT_NOTEBOOK)
    out_dir = Path(out_dir or paths.REPORTS_DIR)
    final = out_dir / str(params.year)
    notebooks = [notebook, paths.UNIT_NOTEBOOK] if units else [notebook]
    fingerprint = freshness.fingerprint(params, notebooks, {"formats": sorted(formats), "units": units})
    reason = "--force" if force else ""
    if not force:
        state = freshness.check(final, fingerprint)
        if state.up_to_date:
            with year_lock(out_dir, params.year):
                _clean_stale(out_dir, params.year)
                state = freshness.check(final, fingerprint)  # again, now that no build of the year runs
            if state.up_to_date:
                outputs = {k: final / v for k, v in state.manifest["outputs"].items()}
                return BuildResult(params.year, final, outputs, state.manifest, up_to_date=True, reason=state.reason)
        reason = state.reason
    register = read_register(params.data, params.blocks)
    from sangkien import figures as fig
    from sangkien.pipeline import execute as execution
    from sangkien.pipeline import render
    from sangkien.report.markup import TOC_MARK

    if params.year not in register.years:
        years = ", ".join(str(y) for y in register.years)
        raise ParamsError(f"{params.params_file}: sổ đăng ký {params.data} không có dòng nào của năm {params.year} "
                          f"(các năm có trong sổ: {years}); kiểm tra khóa year hoặc data")
    base = paths.report_basename(params.year)

    # The kernel's libraries first (in this thread), then nbconvert and WeasyPrint in the background
    # while the kernel starts and runs: two threads importing the same modules at once can fail.
    execution.prepare()
    warm = threading.Thread(target=render.warm_up, daemon=True)
    warm.start()
    out_dir.mkdir(parents=True, exist_ok=True)
    with year_lock(out_dir, params.year):
        _clean_stale(out_dir, params.year)
        staging = out_dir / f".staging-{params.year}-{os.getpid()}"
        staging.mkdir()
        try:
            executed_path = staging / f"{base}.ipynb"
            started = time.perf_counter()
            kept = staging / ".register.pickle"  # the validated register, for the kernels (not published)
            save_snapshot(register, kept)
            try:
                execution.run_notebook(notebook, executed_path, params, extra={"register_file": str(kept)})
            except CellError as exc:
                failed = out_dir / "_failed" / str(params.year)
                failed.mkdir(parents=True, exist_ok=True)
                if executed_path.exists():
                    shutil.copy2(executed_path, failed / executed_path.name)
                raise CellError(exc.problems + [f"sổ tay đã chạy được giữ lại để xem lỗi: {failed / executed_path.name}"]) from None
            timings["execute"] = round(time.perf_counter() - started, 3)

            import nbformat

            executed = nbformat.read(str(executed_path), as_version=4)
            warm.join()
            started = time.perf_counter()
            page = render.export_html(executed, f"Báo cáo sáng kiến năm {params.year}", TOC_MARK)
            outputs = {"notebook": executed_path.name}
            from sangkien.report import annex
            annex.write(fig.rows_of_year(fig.frame(register), params.year), params.blocks, staging / annex.file_name(params.year))
            outputs["annex"] = annex.file_name(params.year)
            if "html" in formats:
                (staging / f"{base}.html").write_text(page, encoding="utf-8")
                outputs["html"] = f"{base}.html"
            timings["html"] = round(time.perf_counter() - started, 3)
            if "pdf" in formats:
                started = time.perf_counter()
                render.write_pdf(page, staging / f"{base}.pdf")
                outputs["pdf"] = f"{base}.pdf"
                timings["pdf"] = round(time.perf_counter() - started, 3)
            sheets = None
            if units:
                from sangkien.pipeline import unitsheets
                started = time.perf_counter()
                sheets = unitsheets.build_sheets(params, register, kept, staging, formats, jobs=jobs)
                timings["units"] = round(time.perf_counter() - started, 3)
            kept.unlink(missing_ok=True)

            manifest = {
                "year": params.year,
                "outputs": outputs,
                "inputs": {
                    "data": {"path": files.shown(params.data), "sha256": register.sha256, "rows": len(register)},
                    "params": {"path": files.shown(params.params_file),
                               "sha256": params.sha256(),
                               "files": [str(f) for f in params.files]},
                },
                "figures": fig.manifest_figures(fig.frame(register), params.year, params.period_start, params.blocks),
                "sample_data": params.sample_data,
                "software": provenance.software(),
                "timings_s": timings,
                **({"units": sheets} if sheets is not None else {}),
                "fingerprint": fingerprint,
                "files_sha256": freshness.file_digests(staging),
            }
            (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
            publish(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(params.year, final, {k: final / v for k, v in outputs.items()}, manifest, reason=reason)
