"""A stop is never lost: a signal that lands where Python only prints exceptions (a ``__del__``, a fork
hook) is raised again before anything is published and in the batches' loops (``interrupts.check``)."""
from __future__ import annotations

import signal
import threading

import pytest

from sangkien.errors import Interrupted
from sangkien.pipeline import render, stage
from sangkien.pipeline.processes import interrupts


class _StopsWhenDropped:
    def __del__(self):
        signal.raise_signal(signal.SIGTERM)


def _swallowed_stop() -> bool:
    """A SIGTERM raised inside a destructor under ``unwinding``: True when its exception was swallowed
    (the code after it went on)."""
    _StopsWhenDropped()
    return True


pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def test_a_stop_swallowed_in_a_destructor_is_raised_again():
    went_on = False
    with pytest.raises(Interrupted) as stopped:
        with interrupts.unwinding():
            went_on = _swallowed_stop()
            interrupts.check()
    assert went_on, "the destructor's exception was not swallowed: the test shows nothing"
    assert stopped.value.signum == signal.SIGTERM


def test_nothing_is_published_after_a_swallowed_stop(tmp_path):
    staging, final = tmp_path / ".staging-2023-x", tmp_path / "2023"
    staging.mkdir()
    (staging / "manifest.json").write_text("{}")
    with pytest.raises(Interrupted):
        with interrupts.unwinding():
            _swallowed_stop()
            stage.publish(staging, final)
    assert not final.exists() and (staging / "manifest.json").is_file()


def test_a_new_command_starts_without_the_last_ones_stop():
    with pytest.raises(Interrupted), interrupts.unwinding():
        signal.raise_signal(signal.SIGTERM)
    with interrupts.unwinding():
        interrupts.check()  # nothing pending


def test_a_stop_is_forgotten_once_its_block_is_over(tmp_path):
    """What a stopped build leaves in the process (a test after another, the API called again) does not
    stop the next one from publishing: only a stop within the block counts."""
    with pytest.raises(Interrupted), interrupts.unwinding():
        signal.raise_signal(signal.SIGTERM)
    interrupts.check()  # outside any block: nothing pending
    staging, final = tmp_path / ".staging-2023-x", tmp_path / "2023"
    staging.mkdir()
    (staging / "manifest.json").write_text("{}")
    stage.publish(staging, final)
    assert (final / "manifest.json").is_file()


def test_a_stopped_build_does_not_wait_for_ever_for_its_background_thread(monkeypatch):
    """A stop can leave an import lock held that the build's background thread then waits on for ever (seen
    with SIGTERM at the kernel stage): the stopped build waits for it a bounded time, then ends."""
    never = threading.Event()
    monkeypatch.setattr(render, "warm_up", lambda word=True, pdf=True: never.wait())
    monkeypatch.setattr(render, "STOP_WAIT", 0.2)
    ended = []

    def stopped_build():
        try:
            with render.ahead(register=None, formats=("html",)):
                raise Interrupted(signal.SIGTERM)
        except Interrupted:
            ended.append(True)

    build = threading.Thread(target=stopped_build, daemon=True)
    build.start()
    build.join(60)
    never.set()
    assert ended == [True], "the stopped build was still waiting for its thread after a minute"


_STOPPED_MIDWAY = '''
import gc, signal, sys
from sangkien.pipeline.processes import interrupts, workers

class StopsWhenDropped:
    def __del__(self):
        signal.raise_signal(signal.SIGTERM)

async def message():
    pass

def stopped(where):
    if where == "awaiting":
        pending = message()  # made, and the stop lands before its await (jupyter_client waiting for the kernel)
        try:
            signal.raise_signal(signal.SIGTERM)
        finally:
            del pending  # dropped as the stop unwinds (by the kernel client's event loop)
    else:
        StopsWhenDropped()
        interrupts.check()

if sys.argv[1] == "command":
    try:
        with interrupts.unwinding():
            stopped(sys.argv[2])
    except KeyboardInterrupt:
        pass
else:
    workers._init()
    workers.attempt("Đơn vị A", stopped, sys.argv[2], on_stop=lambda: print("stopped", flush=True))
gc.collect()
'''


@pytest.mark.slow
@pytest.mark.parametrize("process", ["command", "worker"])
@pytest.mark.parametrize("where", ["awaiting", "destructor"])
def test_a_stopped_process_prints_nothing_of_what_its_stop_cut_short(process, where):
    """The analyst sees "đã dừng theo yêu cầu" and nothing else: not Python's warning of a coroutine never
    awaited (the stop landed inside jupyter_client, on CI), nor "Exception ignored" for a stop raised in a
    destructor — in the command's process or in a batch's worker."""
    import subprocess
    import sys
    from pathlib import Path

    ran = subprocess.run([sys.executable, "-c", _STOPPED_MIDWAY, process, where], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert ran.stderr == ""
    if process == "worker":
        assert (ran.returncode, ran.stdout) == (130, "stopped\n")  # stopped there, the task's outcome not returned


def test_every_handler_is_put_back_when_a_stop_lands_while_they_are(monkeypatch):
    """A stop arriving as the block's handlers are put back, through one already put back, raises there: the
    handlers after it are put back all the same (else SIGTERM stayed with a block that was over, and the
    process ignored it for ever)."""
    before = {s: signal.getsignal(s) for s in interrupts.STOPPING}
    real = signal.signal
    putting_back = []

    def stopped_while_putting_back(signum, handler):
        done = real(signum, handler)
        if handler is before[interrupts.STOPPING[0]] and not putting_back:
            putting_back.append(signum)
            raise Interrupted(signum)  # the stop, handled by the handler just put back
        return done

    with pytest.raises(Interrupted):
        with interrupts.deferred():
            monkeypatch.setattr(signal, "signal", stopped_while_putting_back)
    monkeypatch.undo()
    assert putting_back == [interrupts.STOPPING[0]]
    assert {s: signal.getsignal(s) for s in interrupts.STOPPING} == before


def test_a_stop_during_or_after_the_commands_last_step_leaves_it_done():
    """``completing``: once the block is over the work is done; a stop meanwhile, or after it until the
    command ends, does not stop the command. A block that fails lets the stop through once it is over."""
    with interrupts.unwinding():
        with interrupts.completing():
            signal.raise_signal(signal.SIGTERM)
            went_on = True
        signal.raise_signal(signal.SIGTERM)  # after the work, before the command ends
        interrupts.check()
    assert went_on and signal.getsignal(signal.SIGTERM) is not interrupts.stopping_handler
    with pytest.raises(Interrupted), interrupts.unwinding(), interrupts.completing():  # the stop, not the failure
        signal.raise_signal(signal.SIGTERM)
        raise ValueError("the step failed")


def test_outside_a_command_a_stop_during_the_last_step_reaches_the_callers_handler():
    class Stopped(Exception):
        pass

    def handler(signum, frame):
        raise Stopped

    before = signal.signal(signal.SIGTERM, handler)
    try:
        with pytest.raises(Stopped):
            with interrupts.completing():
                signal.raise_signal(signal.SIGTERM)
                done = True
        assert done and signal.getsignal(signal.SIGTERM) is handler
    finally:
        signal.signal(signal.SIGTERM, before)
