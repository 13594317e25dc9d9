"""One warm kernel for many runs of the same notebook: the unit sheets of a worker.

A new kernel for every unit's sheet costs seconds (its start, its imports of pandas and matplotlib, its
shut-down) for a sheet that takes a fraction of a second to compute. A :class:`WarmKernel` starts its
kernel once and executes the notebook in it again and again with the build's one executor
(:func:`sangkien.pipeline.processes.execute.run_in`: the parameters injected by Papermill, the cells run by nbclient
in this kernel, through the client its first run connected; the executed notebook and a failing cell as
for a kernel of its own), and between two runs clears what the last one left: the user namespace
(``%reset -f``), the execution count, the warnings already shown. The imported modules stay, which is the
point; nothing the notebook computes lives in them (the register a build kept is cached by
:meth:`sangkien.report.unit.UnitReport.load`, keyed by its file, which a build never changes).

After a failing cell, a dead kernel or a stop, the kernel is discarded and the next run starts a new one:
a sheet never depends on what a failed one left behind.
"""
from __future__ import annotations

from pathlib import Path

from sangkien import paths
from sangkien.errors import SangkienError
from sangkien.inputs.params import Params
from sangkien.pipeline.processes import execute
from sangkien.pipeline.processes.kernel import Kernel
from sangkien.pipeline.workarounds import shown_warnings

RESET = "\n".join((
    'get_ipython().run_line_magic("reset", "-f")',
    "get_ipython().execution_count = 1",
    "import os as _os; _os.chdir({cwd!r}); del _os",
    # what is left (the imports, the snapshot's cache) out of the collector's way: %reset has just run a
    # full collection, and the next reset's would scan it all again (a third of a second a sheet)
    "import gc as _gc; _gc.freeze(); del _gc",
    shown_warnings.FORGET_WARNINGS,
))
"""Kernel code run between two runs (``cwd``: the working folder the kernel started in): the kernel as a
new one would be, its imports kept."""
RESET_TIMEOUT = 60
"""Seconds a reset may take before the kernel is taken for stuck (and replaced). Its messages on the
output channel are left there: nbclient passes over those of other requests."""


class WarmKernel:
    """A kernel kept running to execute notebooks one after another (:meth:`run`); :meth:`discard` it
    at the end (and on a stop). Not for two threads at once."""

    def __init__(self, cwd: Path = paths.ROOT, startup: str = ""):
        self.cwd = cwd
        self.startup = startup
        """One line of Python its kernels run as they boot (:meth:`Kernel.start`): imports, nothing of a run."""
        self._kernel: Kernel | None = None
        self._used = False
        self.started = 0
        """How many kernels it started (one, unless a run failed)."""

    def _ready(self) -> Kernel:
        """The running kernel, reset after a run; a new kernel when there is none."""
        if self._kernel is not None and self._used and not self._reset():
            self.discard()
        if self._kernel is None:
            execute.prepare()
            self._kernel = Kernel.start(str(self.cwd), self.startup)
            self.started += 1
        return self._kernel

    def adopt(self, kernel: Kernel) -> None:
        """Take ``kernel`` (running, connected by a run of another notebook: the year's report, whose kernel
        imported what the sheets import too) as this one's, cleared at once as after one of its own runs
        (what that run left, a national register's frame among it, goes now); a kernel it has already is
        discarded, one already discarded is not taken, one that does not answer is discarded (the next run
        starts a new one)."""
        if self._kernel is not kernel:
            self.discard()
        if not kernel.ended:
            self._kernel, self._used = kernel, True
            if not self._reset():
                self.discard()

    def start(self) -> None:
        """Start its kernel now, to boot while the caller goes on (it is otherwise started by the first run)."""
        self._ready()

    def _reset(self) -> bool:
        """Clear the last run's state; False when the kernel did not answer (dead, or stuck)."""
        from jupyter_core.utils import run_sync

        client = self._kernel.client
        self._used = False
        if client is None:  # the last run never connected: nothing ran
            return True
        return run_sync(self._answered)(client, client.execute(
            RESET.format(cwd=str(self.cwd)), silent=True, store_history=False))

    async def _answered(self, client, msg_id: str) -> bool:
        """Whether the kernel ran ``msg_id`` without an error, looking every second that it still lives."""
        import queue
        import time

        deadline = time.monotonic() + RESET_TIMEOUT
        while time.monotonic() < deadline:
            try:
                reply = await client.get_shell_msg(timeout=1)
            except queue.Empty:
                if not await self._kernel.manager.is_alive():
                    return False
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]["status"] == "ok"
        return False

    def run(self, notebook: Path, output: Path, params: Params, extra: dict | None = None):
        """Execute ``notebook`` into ``output`` with the year's parameters (and ``extra`` ones) and return
        it executed (a nbformat node); CellError when a cell fails, as :func:`execute.run_notebook`."""
        from nbclient.exceptions import DeadKernelError

        kernel = self._ready()
        self._used = True
        try:
            return execute.run_in(kernel, notebook, output, execute.parameters_of(params, extra))
        except DeadKernelError:
            self.discard()
            raise SangkienError(f"{notebook}: nhân Python chạy sổ tay đã dừng đột ngột (hết bộ nhớ, hoặc bị dừng "
                                "từ bên ngoài); các phiếu sau chạy trong một nhân mới") from None
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """End the kernel now (no graceful shut-down: nothing of it is kept) and remove its files."""
        kernel, self._kernel, self._used = self._kernel, None, False
        if kernel is not None:
            kernel.discard()
