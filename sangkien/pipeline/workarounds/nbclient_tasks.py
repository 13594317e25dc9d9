"""What a notebook run cut short leaves on the event loop: nbclient's polling tasks.

Written for nbclient 0.11.0 (jupyter_core 5.9.1's ``run_sync``, one event loop per thread): a run stopped
mid-cell (Ctrl-C, SIGTERM) leaves nbclient's ``task_poll_for_reply`` and its kernel-alive poll pending on
the thread's loop; run again later (by the kernel's shut-down), they fail with ``DeadKernelError`` once
the kernel is gone, which asyncio prints, with a traceback, when they are garbage-collected. :func:`settle`
cancels them before the kernel is ended; :func:`quiet_loop` keeps the loop from printing the failure of a
task nobody waits for. Check ``nbclient/client.py``'s ``async_execute_cell`` whenever the pin moves.
"""
from __future__ import annotations

import asyncio


def event_loop() -> asyncio.AbstractEventLoop:
    """The event loop nbclient and jupyter_client run on in this thread (jupyter_core's)."""
    from jupyter_core.utils import ensure_event_loop

    return ensure_event_loop()


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
