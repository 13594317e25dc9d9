"""A kernel manager that always starts this interpreter's ipykernel over local (IPC) sockets.

Written for jupyter_client 8.10.0 (with ipykernel 7.4.0, nbclient 0.11.0, papermill 2.7.0): it
overrides the private ``AsyncKernelManager._async_cleanup_resources`` and ``_async_launch_kernel``,
reads the private ``provisioner.process`` (the kernel's ``Popen``) and sets the private
``_kernel_spec`` behind the ``kernel_spec`` property. Check these against the new
``jupyter_client/manager.py`` and ``provisioning/local_provisioner.py`` whenever the pin moves.

What it buys: the build never depends on which kernelspecs a machine has registered, opens no TCP
port, keeps each kernel's sockets and connection file in a folder of its own, and keeps the kernel's
log lines (start-up notices, the interrupt at shut-down) off the analyst's terminal — a failing cell or
a dead kernel is reported by the build itself.

A run cut short (Ctrl-C, SIGTERM) leaves nbclient mid-way: its own clean-up may not finish, and its
polling tasks, abandoned on the event loop, later fail with ``DeadKernelError`` once the kernel is
gone — which asyncio then prints, with a traceback, when they are garbage-collected. So after every
run :func:`discard` kills a kernel still alive and removes its folder, and cancels what is left on the
loop; :func:`quiet_loop` keeps the loop from printing the failures of tasks nobody waits for.

A kernel can also be started ahead (:func:`start`), before Papermill is even imported, and handed to it
(nbclient's ``km``): it boots, and imports what ``startup`` names, while the build does its own work.
nbclient then leaves its shutdown to the owner: :func:`discard` kills it at once (nothing in it is worth a
graceful shutdown), stops the clients nbclient made of it and releases its sockets (the public
``cleanup_resources``).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from functools import lru_cache

from sangkien.pipeline import interrupts

_STARTED: list = []
"""The kernel managers made in this process and not yet discarded (one at a time in practice)."""


@lru_cache(maxsize=1)
def manager_class():
    """The kernel manager class to hand Papermill (``kernel_manager_class``)."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # The sockets and the connection file in a folder of this kernel's own: by default they are
            # 'kernel-ipc-N' in the working folder (two builds at once would race for the same N) and a
            # 'tmpXXXX.json' in the temporary folder.
            self._socket_dir = _socket_dir()
            kwargs.setdefault("ip", os.path.join(self._socket_dir, "ipc"))
            kwargs.setdefault("connection_file", os.path.join(self._socket_dir, "kernel.json"))
            self._process = None
            self._clients = []
            self._ahead = False
            _STARTED.append(self)
            super().__init__(**kwargs)

        def client(self, **kwargs):
            made = super().client(**kwargs)
            self._clients.append(made)
            return made

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            # Not cut in two by Ctrl-C or SIGTERM: stopped between its fork and its exec, Popen would lose
            # the kernel, which would live on (until it sees its parent gone) and write its connection file
            # again after :func:`discard`.
            with interrupts.deferred():
                await super()._async_launch_kernel(kernel_cmd, **kw)
                self._process = getattr(self.provisioner, "process", None)

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python (sangkien)", language="python", env={"MPLBACKEND": "agg"},
                )
            return self._kernel_spec

    return ThisPythonKernelManager


def start(cwd: str, startup: str = ""):
    """A kernel of this interpreter, started now in ``cwd`` and not waited for: it boots while the caller
    goes on. It runs ``startup`` (one line of Python) as it boots, before it answers any request, with no
    execution count and no history (IPython's ``exec_lines``, as nbclient starts a kernel otherwise: the
    history in memory). Hand it to nbclient as ``km``; :func:`discard` ends it."""
    manager = manager_class()()
    manager._ahead = True
    arguments = ["--HistoryManager.hist_file=:memory:"]
    if startup:
        arguments.append(f"--IPKernelApp.exec_lines={startup}")
    _event_loop().run_until_complete(manager.start_kernel(extra_arguments=arguments, cwd=cwd))
    return manager


SOCKET_PATH_MAX = 107
"""The longest path of a local (AF_UNIX) socket on Linux, in bytes."""


def _socket_dir() -> str:
    """A new folder for a kernel's sockets and connection file: in the temporary folder, unless its path
    is so long that the sockets' paths ('…/sangkien-kernel-XXXXXXXX/ipc-5') would pass SOCKET_PATH_MAX;
    then in /tmp (removed all the same by :func:`discard`)."""
    for base in (tempfile.gettempdir(), "/tmp", "/var/tmp"):
        if len(os.fsencode(base)) + len("/sangkien-kernel-XXXXXXXX/ipc-5") <= SOCKET_PATH_MAX and os.access(base, os.W_OK):
            return tempfile.mkdtemp(prefix="sangkien-kernel-", dir=base)
    return tempfile.mkdtemp(prefix="sangkien-kernel-")  # ZMQ will say the path is too long


def _event_loop():
    from jupyter_core.utils import ensure_event_loop

    return ensure_event_loop()


def _quiet(loop, context: dict) -> None:
    """The loop's exception handler: the failure of a task nobody waits for (one a stopped run left
    behind) is not printed; anything else is, as asyncio would."""
    if context.get("message") in ("Task exception was never retrieved", "Task was destroyed but it is pending!"):
        return
    loop.default_exception_handler(context)


def quiet_loop() -> None:
    """Give the event loop nbclient runs on in this thread the :func:`_quiet` exception handler."""
    _event_loop().set_exception_handler(_quiet)


def _settle_loop() -> None:
    """Cancel the tasks a stopped run left pending on this thread's event loop, and let them end."""
    loop = _event_loop()
    if loop.is_running():
        return
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        done, _ = loop.run_until_complete(asyncio.wait(pending, timeout=5))
        for task in done:  # their failures are the stopped run's, already reported by the build
            if not task.cancelled():
                task.exception()


def _kill(process) -> None:
    """End a kernel still running (it leads a process group of its own: ipykernel's children too)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _release(manager) -> None:
    """Close what this process holds of a killed kernel: its clients' channels, and (for a kernel started
    ahead, which nbclient does not clean up) the manager's sockets and its ZMQ context."""
    for client in manager._clients:
        client.stop_channels()
    manager._clients.clear()
    if manager._ahead:
        manager._ahead = False
        loop = _event_loop()
        if not loop.is_running():
            loop.run_until_complete(manager.cleanup_resources())


def discard() -> None:
    """After a run, however it ended: no task of it left on the loop, no kernel of it alive, no socket
    or connection file of it left in the temporary folder."""
    try:
        _settle_loop()
    finally:
        while _STARTED:
            manager = _STARTED.pop()
            try:
                _kill(manager._process)
                _release(manager)
            finally:
                shutil.rmtree(manager._socket_dir, ignore_errors=True)

