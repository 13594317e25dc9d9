"""A call in a forked child (the Word draft beside the PDF): its result or its error comes back, and no
child is left however the caller's block ends."""
from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from sangkien.errors import DataError
from sangkien.pipeline.processes.forked import Forked


def _pid_and(value):
    return os.getpid(), value


def _fail(message):
    raise DataError([message, "dòng 2"])


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


class _Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__(a)


def _fail_oddly():
    raise _Unpicklable("lỗi lạ", 2)


@pytest.mark.slow
def test_the_result_comes_back_from_another_process():
    aside = Forked(_pid_and, {"bytes": b"x" * 1_000_000})  # bigger than a pipe holds at once
    pid, value = aside.result()
    assert pid != os.getpid() and value == {"bytes": b"x" * 1_000_000}
    assert not psutil.pid_exists(aside.pid or -1)


@pytest.mark.slow
def test_an_error_comes_back_as_it_was_raised():
    with pytest.raises(DataError) as caught:
        Forked(_fail, "sai").result()
    assert caught.value.problems == ["sai", "dòng 2"]


@pytest.mark.slow
def test_an_error_that_does_not_pickle_comes_back_as_its_lines():
    with pytest.raises(Exception) as caught:
        Forked(_fail_oddly).result()
    assert "lỗi lạ" in str(caught.value)


@pytest.mark.slow
def test_stopped_midway_no_child_is_left(monkeypatch):
    """The child is killed, not waited for until its work ends, and reaped: no process is left, not even
    a zombie."""
    ended = []
    wait = os.waitpid

    def waited(pid, options):
        ended.append(wait(pid, options))
        return ended[-1]

    monkeypatch.setattr(os, "waitpid", waited)
    aside = Forked(_sleep, 30)
    pid = aside.pid
    assert psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    aside.stop()
    aside.stop()  # again: nothing
    ((reaped, status),) = ended  # waited for once
    assert reaped == pid and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert not psutil.pid_exists(pid)


@pytest.mark.slow
def test_a_stop_arriving_while_forking_is_not_lost(monkeypatch):
    """SIGTERM during the fork itself (before this fix: raised inside the fork's hooks, which swallowed
    it, and the build went on and published): raised once the child is made, and the child killed."""
    from sangkien.pipeline.processes import forked, interrupts

    children = []
    real_fork = os.fork

    def fork_hit_by_a_signal():
        signal.raise_signal(signal.SIGTERM)  # as a scheduler's SIGTERM lands in the middle of it
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", fork_hit_by_a_signal)
    with pytest.raises(KeyboardInterrupt), interrupts.unwinding():
        Forked(_sleep, 30)
    (pid,) = children
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already waited for: killed, not left running


def _watched(loop) -> list[str]:
    """The files ``loop``'s epoll set watches, as Linux lists them (``tfd`` lines of the set's fdinfo)."""
    with open(f"/proc/self/fdinfo/{loop._selector.fileno()}") as info:
        return sorted(line.split()[1] for line in info if line.startswith("tfd:"))


@pytest.mark.slow
def test_a_forked_worker_takes_an_event_loop_of_its_own_and_leaves_its_parents_as_it_was():
    """A unit sheets' worker forked from the build (:func:`sangkien.pipeline.processes.workers._init_forked`)
    runs its kernels on a loop of its own (``nbclient_tasks.fresh_loop``); the loop it inherited shares its
    epoll set with the build's, and is kept, never run nor closed (closing it takes the build's own wake-up
    socket out of that set: the build's loop then sleeps through the work another thread hands it)."""
    import asyncio

    from sangkien.pipeline.workarounds import nbclient_tasks

    loop = nbclient_tasks.event_loop()
    asyncio.set_event_loop(None)  # as ``asyncio.run`` leaves it, after: the thread's loop is jupyter_core's only
    try:
        _parents_loop_after_a_forked_worker(loop)
    finally:
        asyncio.set_event_loop(loop)  # as the tests after this one expect it


def _parents_loop_after_a_forked_worker(loop) -> None:
    """A forked child takes a loop of its own and runs it; the parent's ``loop`` then watches what it watched,
    and wakes when another thread hands it work."""
    import asyncio
    import gc
    import threading

    from sangkien.pipeline.workarounds import nbclient_tasks

    assert nbclient_tasks.event_loop() is loop
    watched = _watched(loop)
    assert watched  # its wake-up socket
    pid = os.fork()
    if pid == 0:  # the child: nothing of it may reach pytest
        status = 1
        try:
            nbclient_tasks.fresh_loop()
            gc.collect()
            mine = nbclient_tasks.event_loop()
            if mine is not loop and mine.run_until_complete(asyncio.sleep(0, "ran")) == "ran":
                status = 0
        finally:
            os._exit(status)
    assert os.waitpid(pid, 0)[1] == 0
    assert _watched(loop) == watched
    woken = loop.create_future()
    threading.Timer(0.1, loop.call_soon_threadsafe, (woken.set_result, "woken")).start()
    assert loop.run_until_complete(asyncio.wait_for(woken, 30)) == "woken"


@pytest.mark.slow
def test_a_forked_worker_stopped_leaves_its_parents_fonts_where_they_are():
    """A unit sheets' worker forked from the build inherits the build's WeasyPrint fonts, copied into a
    folder the build removes when it ends (``weasyprint_exit``); a worker stopped midway releases its font
    configurations before it ends (``workers.stop_now``), which would remove that folder under the build
    (its next PDF without fonts): inherited ones are not its to release."""
    import gc

    from sangkien.pipeline.exporters import pdf
    from sangkien.pipeline.workarounds import weasyprint_exit

    pdf.pdf_bytes("<p>Sở Khoa học và Công nghệ</p>")  # the fonts copied into their folder
    folder = pdf.print_setup()[0]._folder
    assert folder is not None and folder.is_dir()
    pid = os.fork()
    if pid == 0:  # the child: nothing of it may reach pytest
        try:
            weasyprint_exit.inherited()
            weasyprint_exit.release_now()
            gc.collect()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert folder.is_dir()
    assert pdf.pdf_bytes("<p>Sở Khoa học và Công nghệ</p>").startswith(b"%PDF")


class _LetGo:
    """An object in a reference cycle (collected only by the garbage collector) whose finaliser notes the
    process it ran in."""

    def __init__(self, note):
        self.note, self.cycle = note, self

    def __del__(self):
        with open(self.note, "a") as f:
            f.write(f"{os.getpid()}\n")


def _collected() -> int:
    import gc

    gc.collect()
    return os.getpid()


@pytest.mark.slow
def test_a_forked_worker_never_collects_what_its_parent_let_go(tmp_path):
    """What the build let go but had not collected when it forked a unit sheets' worker
    (:func:`sangkien.pipeline.processes.workers._init_forked`) is the build's to finalise: a finaliser run in the
    worker would act on the build's files (and event loop) behind its back."""
    import gc

    from sangkien.pipeline.processes import workers

    note = tmp_path / "finalised"
    gc.disable()
    try:
        _LetGo(note)
        with workers.pool(1, fork=True) as pool:
            worker = pool.submit(_collected).result()
    finally:
        gc.enable()
    assert worker != os.getpid()
    assert not note.exists()
    gc.collect()
    assert note.read_text() == f"{os.getpid()}\n"
