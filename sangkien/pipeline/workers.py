"""Worker processes for builds that run side by side (``build --all``, ``build YEAR --units``).

Each worker is a fresh interpreter (spawn: no threads or kernels inherited from the parent) that
unwinds on SIGTERM like the command line does, so its staging folders are removed; Ctrl-C is the
parent's to handle, which then stops the workers.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

from sangkien.errors import CellError, SangkienError


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _init() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def pool(jobs: int):
    """A pool of ``jobs`` workers; on any exception in the ``with`` block (Ctrl-C included) the pending
    tasks are cancelled and the running workers are stopped with SIGTERM."""
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init)
    try:
        yield executor
    except BaseException:
        running = list((getattr(executor, "_processes", None) or {}).values())  # before shutdown forgets them
        executor.shutdown(wait=False, cancel_futures=True)
        for process in running:
            process.terminate()
        raise
    finally:
        executor.shutdown(wait=True)


def stop_now() -> None:
    """End this worker at once (after SIGTERM, once its own cleanup is done), taking no further task."""
    os._exit(130)


def error(problems: list[str], exit_status: int) -> SangkienError:
    """An error carrying a worker's problem lines and exit status across the process boundary."""
    made = CellError(problems) if exit_status == CellError.exit_status else SangkienError(problems)
    made.exit_status = exit_status
    return made
