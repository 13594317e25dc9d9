"""A kernel manager that always starts this interpreter's ipykernel over local (IPC) sockets.

Written for jupyter_client 8.10.0 (with ipykernel 7.4.0, nbclient 0.11.0): it overrides the private
``AsyncKernelManager._async_cleanup_resources`` and ``_async_launch_kernel`` and sets the private
``_kernel_spec`` behind the ``kernel_spec`` property. Check these three against the new
``jupyter_client/manager.py`` whenever the pin moves.

What it buys: the build never depends on which kernelspecs a machine has registered, opens no TCP
port, keeps each kernel's sockets in a folder of its own, and keeps the kernel's log lines (start-up
notices, the interrupt at shut-down) off the analyst's terminal — a failing cell or a dead kernel is
reported by the build itself.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache


@lru_cache(maxsize=1)
def manager_class():
    """The kernel manager class to hand Papermill (``kernel_manager_class``)."""
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
