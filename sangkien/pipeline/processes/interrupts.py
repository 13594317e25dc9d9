"""Signals, handled so that every way a build ends is tidy.

The command line unwinds on Ctrl-C, SIGTERM (a scheduler stopping it) and SIGHUP (its terminal closed)
like on Ctrl-C (:func:`unwinding`): every ``finally`` and ``except KeyboardInterrupt`` runs (staging
folders, kernels and temporary files removed), then it ends with 128 + the signal's number. A few steps
must not be cut in two — publishing a year, shutting a kernel down — and run with the signals deferred
(:func:`deferred`): a signal arriving then takes effect when the step is over. A command's last step, once
done, is its work done (:func:`completing`: a signed file written and recorded): a stop arriving during it
or after it does not make the command say it was stopped.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import warnings

from sangkien.errors import Interrupted

STOPPING = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)
"""The signals that stop a build (SIGKILL cannot be caught: the next build clears what it leaves)."""


def _install(handler) -> dict | None:
    """Put ``handler`` on every stopping signal; the handlers it replaced, or None outside the main
    thread (where signals cannot be handled: they are the main thread's)."""
    previous = {}
    try:
        for signum in STOPPING:
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread of the main interpreter
        _restore(previous)
        return None
    return previous


def _restore(previous: dict) -> None:
    """Put every handler of ``previous`` back, even when a signal handled meanwhile raises (through a
    handler already put back): the others are put back all the same, never left to a block that is over."""
    items = list(previous.items())

    def put_back(i: int) -> None:
        if i < len(items):
            try:
                signal.signal(items[i][0], items[i][1] if items[i][1] is not None else signal.SIG_DFL)
            finally:
                put_back(i + 1)

    put_back(0)


_stopped: list[int] = []
"""The stopping signals :func:`unwinding` received: its exception can be lost when the signal lands in
code where Python only prints exceptions (a ``__del__``, a fork hook, a weakref callback)."""


def _quietly_stopping(signum: int) -> None:
    """Note the stop, and keep what the unwinding leaves behind off the analyst's terminal: a stop raised
    between a coroutine's making and its awaiting (inside jupyter_client, waiting for a kernel's message)
    leaves it never awaited, and Python prints a RuntimeWarning when it goes; a stop landing in a
    destructor is printed as "Exception ignored in" (it is raised again by :func:`check`). For the rest of
    the process: these go at any later collection, and a stopped command does not run on."""
    _stopped.append(signum)
    warnings.filterwarnings("ignore", r"coroutine .* was never awaited", RuntimeWarning)
    if not getattr(sys.unraisablehook, "_sangkien", False):
        shown = sys.unraisablehook

        def hook(unraisable):
            if not (_stopped and isinstance(unraisable.exc_value, KeyboardInterrupt)):
                shown(unraisable)

        hook._sangkien = True
        sys.unraisablehook = hook


def stopping_handler(signum, frame):
    """The handler of a process that unwinds on a stop: further stops ignored while it cleans up, the stop
    noted for :func:`check`, :class:`~sangkien.errors.Interrupted` raised."""
    for other in STOPPING:
        signal.signal(other, signal.SIG_IGN)
    _quietly_stopping(signum)
    raise Interrupted(signum)


def check() -> None:
    """Raise :class:`~sangkien.errors.Interrupted` again when a stop arrived under :func:`unwinding` but its
    exception was swallowed; called before anything is published and in the batches' loops, so that a
    stop is never lost (a lost one would also leave the process ignoring every later signal)."""
    if _stopped:
        raise Interrupted(_stopped[0])


def forget() -> None:
    """Forget the stops noted so far (a forked worker's start: they were its parent's)."""
    _stopped.clear()


@contextlib.contextmanager
def unwinding():
    """Within the block, a stopping signal raises :class:`~sangkien.errors.Interrupted` (a
    KeyboardInterrupt) and later ones are ignored while the build cleans up; the handlers before are
    put back at the end, and the stop is forgotten: :func:`check` after the block (the next build in the
    same process, a test after another) finds nothing pending."""

    _stopped.clear()
    previous = _install(stopping_handler)
    _unwinding.append(previous is not None)
    try:
        yield
    finally:
        _unwinding.pop()
        _stopped.clear()
        if previous is not None:
            _restore(previous)


_unwinding: list[bool] = []
"""One entry per :func:`unwinding` block the process is in: whether it holds the stopping signals' handlers."""


@contextlib.contextmanager
def deferred():
    """Run the block whole: a stopping signal that arrives meanwhile is noted, and raised again (to the
    handlers in place before) once the block is over."""
    caught: list[int] = []
    previous = _install(lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        if previous is not None:
            _restore(previous)
            if caught:
                signal.raise_signal(caught[0])


@contextlib.contextmanager
def completing():
    """Run the block whole, as the command's last step: a stopping signal arriving meanwhile is noted, as
    under :func:`deferred`. When the block ends without an error the work is done: within :func:`unwinding`
    (the command line) a stop that arrived meanwhile, or arrives later until the command ends, is ignored,
    so that the exit status says what happened (0: done); the handlers of :func:`unwinding` are put back when
    it ends. When the block fails, or outside :func:`unwinding` (a library call, whose caller's handlers stay
    its own), the stop is raised again once the block is over, as :func:`deferred` does."""
    caught: list[int] = []
    previous = _install(lambda signum, frame: caught.append(signum))
    try:
        yield
    except BaseException:
        _over(previous, caught)
        raise
    if not (_unwinding and _unwinding[-1]):
        _over(previous, caught)


def _over(previous: dict | None, caught: list[int]) -> None:
    """The handlers of ``previous`` put back, and the first stop ``caught`` meanwhile raised to them."""
    if previous is not None:
        _restore(previous)
        if caught:
            signal.raise_signal(caught[0])
