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
