"""Executing the report notebook with Papermill, in a kernel of this very interpreter.

Papermill's stock engine writes the whole notebook to disk before and after every cell; a report's
notebook is short-lived staging output, so :class:`SaveAtEndEngine` writes it once, when execution
ends (after a failing cell too, so the partly executed notebook can be inspected).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

# jsonschema (under nbformat) imports the optional rfc3987_syntax at import time, which builds a
# grammar for about 1.8 s; nbformat's notebook validation never checks IRIs. Keep it out of builds.
sys.modules.setdefault("rfc3987_syntax", None)

from sangkien import paths  # noqa: E402
from sangkien.errors import CellError  # noqa: E402
from sangkien.inputs.params import Params  # noqa: E402

ENGINE = "sangkien"


@lru_cache(maxsize=1)
def _kernel_manager_class():
    """A kernel manager that always starts this interpreter's ipykernel over local (IPC) sockets: the
    build never depends on which kernelspecs a machine has registered, and opens no TCP port."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # The sockets in a folder of this kernel's own: by default they are 'kernel-ipc-N' in the
            # working folder, and two builds at once (build --all) would race for the same N.
            self._socket_dir = tempfile.mkdtemp(prefix="sangkien-kernel-")
            kwargs.setdefault("ip", os.path.join(self._socket_dir, "ipc"))
            super().__init__(**kwargs)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel's own log lines (start-up notices, the interrupt at shut-down) are not the
            # analyst's business; a failing cell or a dead kernel is reported by the build itself.
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python (sangkien)", language="python", env={"MPLBACKEND": "agg"},
                )
            return self._kernel_spec

    return ThisPythonKernelManager


@lru_cache(maxsize=1)
def prepare() -> None:
    """Import Papermill and register the engine (call from the main thread, before other imports)."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEndManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.final = True
            super().notebook_complete(**kwargs)

    class SaveAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=False, log_output=False,
                             autosave_cell_every=0, **kwargs):
            manager = SaveAtEndManager(nb, output_path=output_path, progress_bar=progress_bar,
                                       log_output=log_output, autosave_cell_every=0)
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, SaveAtEndEngine)
    _kernel_manager_class()


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


def run_notebook(notebook: Path, output: Path, params: Params, extra: dict | None = None) -> None:
    """Run a report notebook under Papermill into ``output`` with the year's parameters (and ``extra``
    ones, e.g. the unit of a unit's sheet); CellError when a cell fails."""
    prepare()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    parameters = {"year": params.year, "params_file": str(params.params_file.resolve()), "data_file": str(params.data),
                  **(extra or {})}
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, engine_name=ENGINE, progress_bar=False,
            log_output=False, cwd=str(paths.ROOT), kernel_manager_class=_kernel_manager_class(),
        )
    except PapermillExecutionError as exc:
        import nbformat

        executed = nbformat.read(str(output), as_version=4)
        number = _original_cell_number(executed, exc.cell_index)
        raise CellError(
            f"{notebook}, ô số {number} (thứ tự chạy {exc.exec_count}): {exc.ename}: {exc.evalue}"
        ) from None
