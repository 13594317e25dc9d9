"""What a notebook run cut short leaves on the event loop: nbclient's polling tasks.

Written for nbclient 0.11.0 (jupyter_core 5.9.1's ``run_sync``, one event loop per thread): a run stopped
mid-cell (Ctrl-C, SIGTERM) leaves nbclient's ``task_poll_for_reply`` and its kernel-alive poll pending on
the thread's loop; run again later (by the kernel's shut-down), they fail with ``DeadKernelError`` once
the kernel is gone, which asyncio prints, with a traceback, when they are garbage-collected. :func:`settle`
cancels them before the kernel is ended; :func:`quiet_loop` keeps the loop from printing the failure of a
task nobody waits for. Check ``nbclient/client.py``'s ``async_execute_cell`` whenever the pin moves.
A forked copy of the process takes a loop of its own (:func:`fresh_loop`); check jupyter_core's ``utils._loop``
whenever its pin moves.
"""
from __future__ import annotations

import asyncio


def event_loop() -> asyncio.AbstractEventLoop:
    """The event loop nbclient and jupyter_client run on in this thread (jupyter_core's)."""
    from jupyter_core.utils import ensure_event_loop

    return ensure_event_loop()


_INHERITED: list[asyncio.AbstractEventLoop] = []
"""The event loops a forked copy of the process inherited (:func:`fresh_loop`), kept so that none is collected."""


def fresh_loop() -> None:
    """In a forked copy of the process: a new event loop for this thread, and the one inherited kept, never
    run, closed nor collected (a collected loop closes itself). Its epoll set is the parent's too: polling it
    here would take the parent's events, and closing it would take the parent's own wake-up socket out of
    that set. jupyter_core's loop of the thread is a context variable (``_loop``) that its
    ``ensure_event_loop`` looks at first."""
    import warnings

    from jupyter_core import utils

    _INHERITED.append(utils._loop.get())
    with warnings.catch_warnings():  # asyncio's loop of the thread: the same, or another to keep
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            _INHERITED.append(asyncio.get_event_loop_policy().get_event_loop())
        except RuntimeError:  # none (set to None, as ``asyncio.run`` leaves it)
            pass
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    utils._loop.set(loop)


def _quiet(loop, context: dict) -> None:
    """The loop's exception handler: the failure of a task nobody waits for (one a stopped run left
    behind) is not printed; anything else is, as asyncio would."""
    if context.get("message") in ("Task exception was never retrieved", "Task was destroyed but it is pending!"):
        return
    loop.default_exception_handler(context)


def quiet_loop() -> None:
    """Give this thread's event loop the :func:`_quiet` exception handler."""
    event_loop().set_exception_handler(_quiet)


def settle() -> None:
    """Cancel the tasks a stopped run left pending on this thread's event loop, and let them end."""
    loop = event_loop()
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
