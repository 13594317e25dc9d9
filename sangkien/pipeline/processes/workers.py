"""Worker processes for builds that run side by side (``build --all``, ``build YEAR --units``).

Each worker is a fresh interpreter (spawn: no threads or kernels inherited from the parent), or, for the
unit sheets where a fork is sound (:func:`sangkien.pipeline.processes.forked.sound`), a forked copy of the
build, its imports and warm renderers inherited (:func:`_init_forked`). Either unwinds on SIGTERM like the
command line does, so its staging folders are removed; Ctrl-C is the parent's to handle, which then stops
the workers. A task hands back an :class:`Outcome`, failures included (:func:`attempt`). A spawned
worker's clean-ups at exit (``atexit``) run; the interpreter's teardown after them does not
(:func:`_end_at_once`); a forked one ends as multiprocessing ends it (``os._exit``: none of its parent's
clean-ups runs in it).
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from sangkien.errors import CellError, SangkienError, problems_of
from sangkien.pipeline.processes import interrupts


@dataclass
class Outcome:
    """What one task of a worker came to, as plain data (it crosses the process boundary)."""

    subject: int | str
    """The year (``build --all``) or the unit (a unit's sheet)."""
    status: str
    """'built', 'up-to-date' or 'failed'."""
    seconds: float = 0.0
    exit_status: int = 0
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    """What the command line would print for the failure, one line each."""
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _init() -> None:
    signal.signal(signal.SIGTERM, interrupts.stopping_handler)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(_end_at_once)  # registered before any task's: run after the clean-ups the tasks registered


def _init_forked() -> None:
    """A forked worker's start: as a spawned one's (:func:`_init`; a closed terminal ends it, as it would a
    spawned one), and what it inherited from the build it is a copy of left to that build: the stops the
    build noted, its event loop (:func:`~sangkien.pipeline.workarounds.nbclient_tasks.fresh_loop`) and its
    fonts' folder (:func:`~sangkien.pipeline.workarounds.weasyprint_exit.inherited`: the build removes it),
    and its objects, never collected here (``gc.freeze``): a finaliser of what the build had let go but not
    collected yet would run in the worker, on the build's files and event loop; and the worker's collections
    go through its own objects only."""
    import gc

    from sangkien.pipeline.workarounds import nbclient_tasks, weasyprint_exit

    gc.freeze()
    _init()
    for signum in interrupts.STOPPING:
        if signum not in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
    interrupts.forget()
    nbclient_tasks.fresh_loop()
    weasyprint_exit.inherited()


def _end_at_once() -> None:
    """A worker's last step at exit, once the ``atexit`` clean-ups its tasks registered have run (WeasyPrint's
    fonts released): its output flushed, then the process ended, without the interpreter's teardown, which
    would free the objects of pandas, matplotlib, WeasyPrint and the rest one by one (a third of a second
    that the batch waits for after its last task, seconds on a loaded machine). What was registered before
    it is skipped: multiprocessing's own exit step has run already (as the worker's loop ended), and
    ``logging`` has no handler in a worker to flush. The worker's exit status is then 0: the pool does not
    read it (a worker lost midway is seen as such)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(0)


@contextlib.contextmanager
def pool(jobs: int, fork: bool = False):
    """A pool of ``jobs`` workers, fresh interpreters, or with ``fork`` copies of this process, made as the
    first task is submitted (fork only where :func:`~sangkien.pipeline.processes.forked.sound`); on any
    exception in the ``with`` block (Ctrl-C included) the pending tasks are cancelled and the running
    workers are stopped with SIGTERM."""
    context = multiprocessing.get_context("fork" if fork else "spawn")
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_forked if fork else _init)
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


def attempt(subject: int | str, work: Callable[..., Outcome], *args, on_stop: Callable[[], None] | None = None) -> Outcome:
    """``work(*args)``'s outcome for ``subject``, timed; an error becomes a failed outcome with the lines
    and exit status the command line would give it (:func:`sangkien.errors.problems_of`), never an
    exception. Stopped (SIGTERM from the parent, once the work has unwound): ``on_stop``, then the
    worker ends at once."""
    started = time.perf_counter()
    try:
        interrupts.check()  # a stop swallowed during the last task (in a destructor) takes no further one
        outcome = work(*args)
        interrupts.check()
    except KeyboardInterrupt:
        if on_stop is not None:
            on_stop()
        stop_now()
    except Exception as exc:
        problems, exit_status = problems_of(exc)
        outcome = Outcome(subject, "failed", exit_status=exit_status, problems=problems)
    outcome.seconds = time.perf_counter() - started
    return outcome


def stop_now() -> None:
    """End this worker at once (after SIGTERM, once its own cleanup is done), taking no further task;
    ``atexit`` does not run then, so WeasyPrint's font folder is released first."""
    from sangkien.pipeline.workarounds import weasyprint_exit

    weasyprint_exit.release_now()
    os._exit(130)


def error(problems: list[str], exit_status: int) -> SangkienError:
    """An error carrying a worker's problem lines and exit status across the process boundary."""
    made = CellError(problems) if exit_status == CellError.exit_status else SangkienError(problems)
    made.exit_status = exit_status
    return made
