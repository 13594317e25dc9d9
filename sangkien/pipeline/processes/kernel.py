"""A kernel of this very interpreter for the report notebooks: started by the build, quiet, over local
(IPC) sockets, ended at once when its runs are over.

The build never depends on which kernelspecs a machine has registered (every kernel is ``sys.executable``'s
ipykernel, whatever the notebook's metadata names), opens no TCP port, keeps each kernel's sockets and
connection file in a folder of its own (removed with the kernel) and keeps the kernel's log lines (start-up
notices, the interrupt at shut-down) off the analyst's terminal: a failing cell or a dead kernel is
reported by the build itself. All of it through jupyter_client's public API (a kernelspec manager, the
manager's traits, ``start_kernel``'s Popen arguments, ``shutdown_kernel``).

A :class:`Kernel` is started before its notebook is known (:meth:`Kernel.start`: it boots, and imports what
``startup`` names, while the build does its own work); its client is connected once, by its first run
(:meth:`Kernel.connect`), and the notebook executor (:func:`sangkien.pipeline.processes.execute.run_in`) hands
nbclient both (``km``, ``kc``) for every run in the same kernel (:mod:`~sangkien.pipeline.processes.warm`).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache

from sangkien.pipeline.processes import interrupts
from sangkien.pipeline.workarounds import nbclient_tasks

SOCKET_PATH_MAX = 107
"""The longest path of a local (AF_UNIX) socket on Linux, in bytes."""

HISTORY = "--HistoryManager.enabled=False"
"""No history database for the kernel: nothing written in the home folder, and no entry stored for each cell (an
in-memory database, as nbclient starts a Python kernel, still took a tenth of a cell's work in the kernel;
``In`` and ``Out`` are kept all the same)."""


@lru_cache(maxsize=1)
def _this_interpreter():
    """A kernelspec manager that gives every kernel name this interpreter's ipykernel (its charts drawn
    with Agg, the backend that needs no display)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Python (sangkien)", language="python", env={"MPLBACKEND": "agg"})

    class ThisInterpreter(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str, *args, **kwargs) -> KernelSpec:
            return spec

    return ThisInterpreter()


class Kernel:
    """A kernel of this interpreter, running: ``manager`` (an ``AsyncKernelManager``), ``client`` (the
    kernel client its first run connected, kept for the next ones; None before), ``folder`` (its sockets
    and connection file), ``pid``. :meth:`discard` ends it."""

    def __init__(self, manager, folder: str):
        self.manager = manager
        self.folder = folder
        self.client = None
        self.pid: int | None = None
        self.ended = False

    @classmethod
    def start(cls, cwd: str, startup: str = "") -> Kernel:
        """A kernel started now in ``cwd`` and not waited for: it boots while the caller goes on. It runs
        ``startup`` (one line of Python) as it boots, before it answers any request, with no execution count
        and no history (IPython's ``exec_lines``). The launch is not cut in two by Ctrl-C or SIGTERM
        (stopped between its fork and its exec, Popen would lose the kernel); a stop during it ends the
        kernel at once."""
        from jupyter_client.manager import AsyncKernelManager

        folder = _socket_dir()
        manager = AsyncKernelManager(transport="ipc", ip=os.path.join(folder, "ipc"),
                                     connection_file=os.path.join(folder, "kernel.json"),
                                     kernel_spec_manager=_this_interpreter())
        kernel = cls(manager, folder)
        arguments = [HISTORY] + ([f"--IPKernelApp.exec_lines={startup}"] if startup else [])
        try:
            with interrupts.deferred():
                nbclient_tasks.event_loop().run_until_complete(manager.start_kernel(
                    extra_arguments=arguments, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                kernel.pid = getattr(manager.provisioner, "pid", None)
        except BaseException:
            kernel.discard()
            raise
        return kernel

    def connect(self, timeout: float) -> None:
        """Connect ``client`` (once: nothing when it is connected) and wait until the kernel answers on both
        channels, as jupyter_client's ``wait_for_ready`` does (a ``kernel_info`` request, its reply, and its
        messages on the output channel, which shows that channel subscribed), without its last step: that
        waits for the output channel to stay silent for a fifth of a second, and it always does (the
        request's own messages are read by then), so that each kernel's start cost a build 0.2 s of doing
        nothing (a batch, one a year; a unit sheets' builder, one). Standard input is refused, as nbclient
        does. DeadKernelError when the kernel ends first; SangkienError after ``timeout`` seconds."""
        if self.client is not None:
            return
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.allow_stdin = False  # after: starting the channels allows it
        nbclient_tasks.event_loop().run_until_complete(self._answering(self.client, timeout))

    async def _answering(self, client, timeout: float) -> None:
        """Ask the kernel for its info until it answers on both channels (:meth:`connect`)."""
        from nbclient.exceptions import DeadKernelError

        from sangkien.errors import SangkienError

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            asked = client.kernel_info()
            if await answered(client.get_shell_msg, asked, 1.0) and await answered(client.get_iopub_msg, asked, 0.2):
                return
            if not await self.manager.is_alive():
                raise DeadKernelError("nhân Python dừng trước khi trả lời")
        raise SangkienError(f"nhân Python không trả lời sau {timeout:g} giây")

    def discard(self) -> None:
        """End the kernel now, however its run ended (nothing in it is worth a graceful shut-down): no task
        of its runs left on the event loop, its client's channels closed, the kernel (and its children)
        killed and waited for, its sockets and connection file removed. Once is enough: a kernel started
        ahead is discarded by its run, then by the block that started it."""
        if self.ended:
            return
        self.ended = True
        with interrupts.deferred():
            try:
                nbclient_tasks.settle()
                client, self.client = self.client, None
                if client is not None:
                    client.stop_channels()
                self._shut_down()
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)

    def _shut_down(self) -> None:
        """``shutdown_kernel(now=True)``: SIGKILL to the kernel's process group, waited for, its files
        removed; should jupyter_client fail at it, the process group is killed here.

        The group is killed here first, and its end waited for (:func:`_ended`): jupyter_client looks whether
        a killed kernel still lives every tenth of a second, and the kernel is never dead yet at its first
        look, so that each kernel cost a build a tenth of a second of doing nothing (a batch, one a year)."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
                _ended(self.pid)
        loop = nbclient_tasks.event_loop()
        try:
            if not loop.is_running():
                loop.run_until_complete(self.manager.shutdown_kernel(now=True))
                return
        except Exception:  # the kill below is what matters
            pass
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)


async def answered(receive, asked: str, timeout: float) -> bool:
    """Whether the message that ends the answer to request ``asked`` comes from ``receive`` (a client's
    ``get_shell_msg``: the reply; ``get_iopub_msg``: the kernel's "idle" after it), each message within
    ``timeout`` seconds: messages of earlier requests are passed over (the answer to an earlier attempt,
    come late), a silence is False."""
    from queue import Empty

    while True:
        try:
            message = await receive(timeout=timeout)
        except Empty:
            return False
        if message["parent_header"].get("msg_id") != asked:
            continue
        if message["header"]["msg_type"] != "status" or message["content"].get("execution_state") == "idle":
            return True


def _ended(pid: int, timeout: float = 5.0) -> None:
    """Wait (``timeout`` seconds at most) for this process's child ``pid`` to have ended, leaving it to be
    reaped by its owner (jupyter_client's ``Popen``, which then finds it gone at its first look)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return
        time.sleep(0.001)


def _socket_dir() -> str:
    """A new folder for a kernel's sockets and connection file: in the temporary folder, unless its path
    is so long that the sockets' paths ('…/sangkien-kernel-XXXXXXXX/ipc-5') would pass SOCKET_PATH_MAX;
    then in /tmp (removed all the same by :meth:`Kernel.discard`)."""
    for base in (tempfile.gettempdir(), "/tmp", "/var/tmp"):
        if len(os.fsencode(base)) + len("/sangkien-kernel-XXXXXXXX/ipc-5") <= SOCKET_PATH_MAX and os.access(base, os.W_OK):
            return tempfile.mkdtemp(prefix="sangkien-kernel-", dir=base)
    return tempfile.mkdtemp(prefix="sangkien-kernel-")  # ZMQ will say the path is too long
