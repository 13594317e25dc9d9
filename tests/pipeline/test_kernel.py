"""How the build knows a kernel answers (:func:`sangkien.pipeline.processes.kernel.answered`): the answer to
its own request, whatever came before it, and no waiting once it came."""
from __future__ import annotations

import asyncio
from queue import Empty

from sangkien.pipeline.processes.kernel import answered


def _message(parent: str | None, kind: str, state: str | None = None) -> dict:
    return {"parent_header": {"msg_id": parent} if parent else {}, "header": {"msg_type": kind},
            "content": {"execution_state": state} if state else {}}


def _channel(*messages: dict):
    """A client's ``get_*_msg``: the messages in turn, then silence (Empty); how many were read is kept."""
    queue = list(messages)

    async def receive(timeout: float) -> dict:
        if not queue:
            raise Empty
        return queue.pop(0)

    receive.left = queue
    return receive


def _answered(receive, asked: str = "b") -> bool:
    return asyncio.run(answered(receive, asked, 0.01))


def test_the_reply_to_an_earlier_request_come_late_is_passed_over():
    shell = _channel(_message("a", "kernel_info_reply"), _message("b", "kernel_info_reply"), _message("c", "x"))
    assert _answered(shell)
    assert len(shell.left) == 1  # nothing read past the answer


def test_on_the_output_channel_the_answer_ends_with_the_requests_idle():
    iopub = _channel(_message(None, "iopub_welcome"), _message("a", "status", "idle"), _message("b", "status", "busy"),
                     _message("b", "status", "idle"), _message("b", "status", "busy"))
    assert _answered(iopub)
    assert len(iopub.left) == 1


def test_silence_before_the_answer_is_no_answer():
    assert not _answered(_channel())
    assert not _answered(_channel(_message("a", "kernel_info_reply"), _message("b", "status", "busy")))
