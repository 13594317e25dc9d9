"""One call in a forked child process, for work that overlaps this process's own on a second core (the
Word draft while the PDF is laid out: both hold the GIL, so threads would take turns).

The child inherits everything already imported and computed (nothing is loaded twice), writes no file
(its result comes back through a pipe, and this process writes it), and ends with ``os._exit``: none of
this process's clean-ups (``atexit``, ``finally`` blocks further up) runs in it. However the caller's
block ends, :meth:`Forked.stop` leaves no child behind.

Fork only from the main thread, with no other thread of this process working (a lock another thread
holds would stay locked in the child). The fork runs with the stopping signals deferred: one arriving
then (Ctrl-C, SIGTERM) would be raised inside the fork's own hooks, which swallow it, and the build would
go on as if never stopped; it is the parent's once the child is made. The child ends at once on them
(their default action): the parent, stopped too, unwinds and waits for it.
"""
from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable

from sangkien.errors import SangkienError, problems_of
from sangkien.pipeline.processes import interrupts


def sound() -> bool:
    """Whether forking a copy of this process for work beside its own is sound and worth it here: Linux,
    two cores or more, not turned off (``SANGKIEN_ONE_CORE``: :func:`sangkien.inputs.halves.can_fork`), and
    no thread but the main one and the progress lines' (:data:`sangkien.pipeline.progress.THREAD`, which
    sleeps between looks at a folder): not in a Dask worker, whose threads hold locks of their own."""
    import threading

    from sangkien.inputs.halves import can_fork
    from sangkien.pipeline.progress import THREAD

    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    return threading.current_thread() is threading.main_thread() and all(t.name == THREAD for t in others) \
        and can_fork(alone=False)


class Forked:
    """``work(*args)`` running in a child process from now on; :meth:`result` waits for it."""

    def __init__(self, work: Callable, *args):
        reader, writer = os.pipe()
        self.pid = None
        try:
            with interrupts.deferred():
                self.pid = os.fork()
                if self.pid == 0:
                    _child(reader, writer, work, args)
                os.close(writer)
                self._reader = os.fdopen(reader, "rb")
        except BaseException:
            if self.pid is None:  # not forked
                os.close(reader)
                os.close(writer)
            self.stop()
            raise

    def result(self):
        """The call's result, once the child is over; the child's error, raised here."""
        data = self._reader.read()
        self.stop()
        if not data:
            raise SangkienError("tiến trình con dựng song song đã dừng đột ngột (hết bộ nhớ, hoặc bị dừng từ "
                                "bên ngoài); hãy dựng lại")
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value

    def stop(self) -> None:
        """Kill the child if it still runs, and wait for its end (again: nothing)."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if hasattr(self, "_reader"):
            self._reader.close()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # waited for already: by a stop from another thread at the same moment
            pass


def _child(reader: int, writer: int, work: Callable, args: tuple) -> None:
    """In the child: run the work, send ``(True, result)`` or ``(False, error)`` back, end at once."""
    try:
        for signum in interrupts.STOPPING:
            signal.signal(signum, signal.SIG_DFL)
        os.close(reader)
        try:
            outcome = (True, work(*args))
        except BaseException as exc:  # noqa: BLE001 (any failure goes back to the parent)
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome)
            pickle.loads(data)  # some errors pickle but do not come back
        except Exception:  # an error that does not travel: its lines and exit status do
            lines, status = problems_of(outcome[1]) if not outcome[0] else ([repr(outcome[1])[:200]], 1)
            error = SangkienError(lines)
            error.exit_status = status
            data = pickle.dumps((False, error))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)
