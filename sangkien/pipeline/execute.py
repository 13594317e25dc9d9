"""Executing a report notebook with Papermill, in a kernel of this very interpreter.

A report's kernel can be started ahead (:func:`kernel_ahead`): it boots and imports the report's
libraries while the build imports its own and keeps the inputs for it. However a run ends, its kernel is
killed at once, not shut down gracefully: nothing in it is kept.

The kernel and the engine lean on the inside of jupyter_client and Papermill: see
:mod:`sangkien.pipeline.workarounds.kernel` and :mod:`~sangkien.pipeline.workarounds.papermill_engine`.
"""
from __future__ import annotations

import contextlib
import shutil
from functools import lru_cache
from pathlib import Path

from sangkien import paths
from sangkien.errors import CellError, SangkienError
from sangkien.inputs import snapshot as kept_inputs
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import interrupts, progress
from sangkien.pipeline.workarounds import jsonschema_iri, kernel, papermill_engine

jsonschema_iri.keep_out()  # before anything imports nbformat

SNAPSHOT = ".register.pickle"
"""The validated parameters and register in a staging folder, for the kernels (never published)."""


@lru_cache(maxsize=1)
def prepare() -> None:
    """Import Papermill and register the engine (call from the main thread, before other imports)."""
    papermill_engine.register()
    kernel.manager_class()


REPORT_STARTUP = "exec('import sangkien.report.yearly\\nfrom sangkien.report import charts\\ncharts.setup()', {})"
"""What a report's kernel started ahead runs as it boots: the report's modules (pandas, matplotlib) and the
charts' fonts, in a namespace of their own (the notebook's sees nothing of it)."""


@contextlib.contextmanager
def kernel_ahead(startup: str = REPORT_STARTUP):
    """A kernel started now, in the repository, that boots and runs ``startup`` while the build goes on;
    hand it to :func:`run_notebook` (``kernel``). However the block ends, no kernel is left (a build stopped
    before its notebook runs, or refused, leaves none)."""
    kernel.manager_class()  # jupyter_client only: Papermill is imported while the kernel boots
    try:
        yield kernel.start(str(paths.ROOT), startup)
    finally:
        with interrupts.deferred():
            kernel.discard()


_ADDED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}
"""Cells Papermill adds: the injected parameters, and the red markers around a failing cell."""


def _original_cell_number(notebook, index: int) -> int:
    """1-based number of the failing cell in the notebook as the analyst sees it (without the cells
    Papermill adds). The failing cell is the one with an error output; ``index`` (Papermill's, counted
    before it added its markers) is the fallback."""
    number = 0
    for cell in notebook.cells:
        if _ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number
    injected = sum(1 for cell in notebook.cells[:index] if "injected-parameters" in cell.get("metadata", {}).get("tags", []))
    return index - injected + 1


def run_notebook(notebook: Path, output: Path, params: Params, extra: dict | None = None, kernel_manager=None):
    """Run a report notebook under Papermill into ``output`` with the year's parameters (and ``extra``
    ones, e.g. the unit of a unit's sheet), in ``kernel_manager`` (one started ahead: :func:`kernel_ahead`)
    or a kernel of its own; the executed notebook (a nbformat node, as written), or CellError when a cell
    fails. However it ends (Ctrl-C and SIGTERM included), the kernel is gone and its files removed when
    this returns (:func:`kernel.discard`)."""
    prepare()
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    parameters = {"year": params.year, "params_file": str(params.params_file.resolve()), "data_file": str(params.data),
                  **(extra or {})}
    try:
        kernel.quiet_loop()
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, engine_name=papermill_engine.ENGINE,
            progress_bar=progress.cells_bar(), log_output=False, cwd=str(paths.ROOT),
            kernel_manager_class=kernel.manager_class(),
            km=kernel_manager, shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        if exc.ename == "KeyboardInterrupt":  # the kernel itself was interrupted: a stop, not a failing cell
            raise KeyboardInterrupt from None
        raise _cell_error(notebook, output, exc) from None
    except DeadKernelError:
        raise SangkienError(f"{notebook}: nhân Python chạy sổ tay đã dừng đột ngột (hết bộ nhớ, hoặc bị dừng từ "
                            "bên ngoài); hãy dựng lại") from None
    finally:
        with interrupts.deferred():
            kernel.discard()


def _cell_error(notebook: Path, output: Path, exc) -> CellError:
    """The CellError of a failing cell (Papermill's ``exc``), numbered as the analyst sees the notebook."""
    import nbformat

    executed = nbformat.read(str(output), as_version=4)
    number = _original_cell_number(executed, exc.cell_index)
    return CellError(f"{notebook}, ô số {number} (thứ tự chạy {exc.exec_count}): {exc.ename}: {exc.evalue}")


def snapshot(params: Params, register: Register, staging: Path) -> Path:
    """Keep the validated parameters and register in ``staging`` for the kernels (the notebook parameter
    ``register_file``: :mod:`sangkien.inputs.snapshot`); its absolute path, as the kernels run in the
    repository, not in the caller's working folder."""
    kept = (staging / SNAPSHOT).resolve()
    kept_inputs.save(params, register, kept)
    return kept


def run_report(notebook: Path, staging: Path, params: Params, register_file: Path, failed_dir: Path,
               kernel_manager=None):
    """Execute the yearly report notebook into ``staging`` (in ``kernel_manager``, one started ahead, if
    given) and return the executed notebook (a nbformat node, as written there).

    When a cell fails, the partly executed notebook is copied into ``failed_dir`` (outside the staging
    folder, which the failure removes) and the CellError says where."""
    executed = staging / f"{paths.report_basename(params.year)}.ipynb"
    try:
        return run_notebook(notebook, executed, params, extra={"register_file": str(register_file)},
                            kernel_manager=kernel_manager)
    except CellError as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            shutil.copy2(executed, failed_dir / executed.name)
        raise CellError(exc.problems + [f"sổ tay đã chạy được giữ lại để xem lỗi: {failed_dir / executed.name}"]) from None
