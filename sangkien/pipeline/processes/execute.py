"""Executing a report notebook in a kernel of this very interpreter: one executor (:func:`run_in`), whether
the kernel is a run's own (:func:`run_notebook`), started ahead (:func:`kernel_ahead`: it boots and imports
the report's libraries while the build imports its own) or kept warm for many unit sheets
(:mod:`~sangkien.pipeline.processes.warm`).

The executor is made of public pieces, none copied: Papermill's ``parameterize_notebook`` injects the
parameters (the cell tagged ``injected-parameters``); Papermill's notebook client, an nbclient
``NotebookClient``, runs the cells in the kernel it is given (``km``, the kernel's manager; ``kc``, the
client connected to it, made by the kernel's first run and kept for the next), while Papermill's execution
manager records each cell's times and status as the ``papermill`` command does; the executed notebook is
written once, at the end (with Papermill's markers around a failing cell, by ``raise_for_execution_errors``).
However a run ends, a kernel of its own, or started ahead, is killed at once, not shut down gracefully:
nothing in it is kept (:class:`~sangkien.pipeline.processes.kernel.Kernel`).
"""
from __future__ import annotations

import contextlib
import logging
import shutil
from functools import lru_cache
from pathlib import Path

from sangkien import paths
from sangkien.errors import CellError, SangkienError
from sangkien.inputs import snapshot as kept_inputs
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import progress
from sangkien.pipeline.processes.kernel import Kernel
from sangkien.pipeline.workarounds import jsonschema_iri, nbclient_tasks

jsonschema_iri.keep_out()  # before anything imports nbformat

SNAPSHOT = ".register.pickle"
"""The validated parameters and register in a staging folder, for the kernels (never published)."""

STARTUP_TIMEOUT = 60
"""Seconds a kernel may take to answer its first request."""

INTERACTIVE_TAG = "interactive-only"
"""Cells with this tag run in Lab, never in a build (:func:`run_in`): the notebooks' ``%autoreload 2``, which in
Lab shows an edited module at once, would only make a build's kernel check every module loaded before each
cell (a tenth of a second a report, and as much a unit's sheet), for modules no build changes."""


@lru_cache(maxsize=1)
def prepare() -> None:
    """Import Papermill and nbclient (call from the main thread, before other imports). Papermill logs
    through the 'papermill' logger and configures no handler: Python's last resort would print its errors
    ("Kernel died while waiting for execute reply.") next to the build's own line. A NullHandler keeps them
    for an application that configures logging (they still propagate), and off the terminal otherwise."""
    import jupyter_client.manager  # noqa: F401
    import papermill.clientwrap  # noqa: F401
    import papermill.execute  # noqa: F401

    logging.getLogger("papermill").addHandler(logging.NullHandler())


def startup(module: str) -> str:
    """The line a kernel runs as it boots (:meth:`~sangkien.pipeline.processes.kernel.Kernel.start`) to be ready
    for a notebook of ``module``: the module (pandas, matplotlib) and the charts' fonts, in a namespace of their
    own (the notebook's sees nothing of it)."""
    return f"exec('import {module}\\nfrom sangkien.report import charts\\ncharts.setup()', {{}})"


REPORT_STARTUP = startup("sangkien.report.yearly")
"""What a report's kernel started ahead runs as it boots."""


@contextlib.contextmanager
def kernel_ahead(startup: str = REPORT_STARTUP):
    """A kernel started now, in the repository, that boots and runs ``startup`` while the build goes on;
    hand it to :func:`run_notebook` (``kernel_manager``). However the block ends, no kernel is left (a
    build stopped before its notebook runs, or refused, leaves none)."""
    kernel = Kernel.start(str(paths.ROOT), startup)  # jupyter_client only: Papermill is imported while it boots
    try:
        yield kernel
    finally:
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


def parameters_of(params: Params, extra: dict | None = None) -> dict:
    """The notebook parameters of a year's run: its year and input files (and ``extra`` ones, e.g. the
    unit of a unit's sheet, the snapshot kept for the kernels)."""
    return {"year": params.year, "params_file": str(params.params_file.resolve()), "data_file": str(params.data),
            **(extra or {})}


def run_in(kernel: Kernel, notebook: Path, output: Path, parameters: dict, progress_bar: dict | bool = False):
    """Execute ``notebook`` in ``kernel`` (running, left running) with ``parameters`` injected, into
    ``output``, written once at the end; the executed notebook (a nbformat node, as written). A failing
    cell: the notebook written with Papermill's markers, and CellError naming the cell as the analyst
    numbers it (KeyboardInterrupt when the kernel itself was interrupted: a stop, not a failing cell).
    Cells tagged :data:`INTERACTIVE_TAG` are not run. A dead kernel:
    nbclient's ``DeadKernelError``, for the caller to say what follows."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NotebookExecutionManager
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors, remove_error_markers
    from papermill.iorw import load_notebook_node, write_ipynb
    from papermill.parameterize import parameterize_notebook

    executed = remove_error_markers(parameterize_notebook(load_notebook_node(str(notebook)), parameters))
    executed.metadata.papermill.update(input_path=str(notebook), output_path=str(output))
    # no output_path: it writes nothing; ``progress_bar``: the cells n/N on a terminal (:func:`progress.cells_bar`)
    manager = NotebookExecutionManager(executed, progress_bar=progress_bar, autosave_cell_every=0)
    manager.notebook_start()
    client = PapermillNotebookClient(manager, km=kernel.manager, startup_timeout=STARTUP_TIMEOUT,
                                     log=logging.getLogger("papermill"), skip_cells_with_tag=INTERACTIVE_TAG)
    nbclient_tasks.quiet_loop()
    try:
        kernel.connect(STARTUP_TIMEOUT)  # a kernel's first run: connected here, kept for the next
        client.kc = kernel.client
        client.execute()
    finally:
        manager.notebook_complete()
    try:
        raise_for_execution_errors(executed, str(output))
    except PapermillExecutionError as exc:
        if exc.ename == "KeyboardInterrupt":
            raise KeyboardInterrupt from None
        raise _cell_error(notebook, output, exc) from None
    write_ipynb(executed, str(output))
    return executed


def run_notebook(notebook: Path, output: Path, params: Params, extra: dict | None = None, kernel_manager=None,
                 keep: bool = False):
    """Run a report notebook into ``output`` with the year's parameters (and ``extra`` ones, e.g. the unit
    of a unit's sheet), in ``kernel_manager`` (a kernel started ahead: :func:`kernel_ahead`) or a kernel
    of its own; the executed notebook (a nbformat node, as written), or CellError when a cell fails.
    However it ends (Ctrl-C and SIGTERM included), the kernel is gone and its files removed when this
    returns; but with ``keep``, a kernel started ahead that ran the whole notebook is left running, for the
    caller to run more in (:meth:`~sangkien.pipeline.processes.warm.WarmKernel.adopt`) and discard."""
    from nbclient.exceptions import DeadKernelError

    prepare()
    kernel = kernel_manager or Kernel.start(str(paths.ROOT))
    done = False
    try:
        executed = run_in(kernel, notebook, output, parameters_of(params, extra), progress_bar=progress.cells_bar())
        done = True
        return executed
    except DeadKernelError:
        raise SangkienError(f"{notebook}: nhân Python chạy sổ tay đã dừng đột ngột (hết bộ nhớ, hoặc bị dừng từ "
                            "bên ngoài); hãy dựng lại") from None
    finally:
        if not (done and keep and kernel_manager is not None):
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
               kernel_manager=None, keep: bool = False):
    """Execute the yearly report notebook into ``staging`` (in ``kernel_manager``, one started ahead, if
    given; with ``keep``, left running after it: :func:`run_notebook`) and return the executed notebook (a
    nbformat node, as written there).

    When a cell fails, the partly executed notebook is copied into ``failed_dir`` (outside the staging
    folder, which the failure removes) and the CellError says where."""
    executed = staging / f"{paths.report_basename(params.year)}.ipynb"
    try:
        return run_notebook(notebook, executed, params, extra={"register_file": str(register_file)},
                            kernel_manager=kernel_manager, keep=keep)
    except CellError as exc:
        failed_dir.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            shutil.copy2(executed, failed_dir / executed.name)
        raise CellError(exc.problems + [f"sổ tay đã chạy được giữ lại để xem lỗi: {failed_dir / executed.name}"]) from None
