"""``--scheduler`` given something that is not a Dask scheduler (issue 24): an address of another kind, a web
server where the scheduler should be, a local cluster asked for a thousand workers. One line, exit 2, at once;
never a hang, a traceback or a storm of processes."""
from __future__ import annotations

import socket
import threading

import pytest

from sangkien.errors import ParamsError
from sangkien.pipeline import cluster


@pytest.mark.parametrize("address", ["foo://bar", "inproc://x", "LOCAL", "tcp://", "tcp://máy:8786", "tcp://h:99999",
                                     "http://127.0.0.1:8786", "tcp://a b:1"])
def test_an_address_that_is_not_one_is_one_line_exit_2(address, run_main, tmp_path):
    status, out, err = run_main("build", "--all", "--scheduler", address, "--out", tmp_path)
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert "không phải địa chỉ bộ lập lịch Dask" in err and "Traceback" not in err
    if address == "LOCAL":
        assert "chữ thường: local" in err


@pytest.fixture
def server():
    """A TCP server on 127.0.0.1 that answers each connection with ``reply`` (b"": says nothing, as a web
    server waiting for a request); yields ``(port, set_reply)``."""
    listening = socket.create_server(("127.0.0.1", 0))
    reply = {"bytes": b""}
    stop = threading.Event()

    def serve():
        listening.settimeout(0.2)
        held = []
        while not stop.is_set():
            try:
                connection, _ = listening.accept()
            except TimeoutError:
                continue
            if reply["bytes"]:
                connection.sendall(reply["bytes"])
            held.append(connection)
        for connection in held:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listening.getsockname()[1], lambda data: reply.update(bytes=data)
    stop.set()
    thread.join()
    listening.close()


@pytest.mark.parametrize("reply", [b"", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"])
def test_something_else_listening_is_named_not_a_scheduler(server, reply, monkeypatch):
    port, set_reply = server
    set_reply(reply)
    monkeypatch.setattr(cluster, "HANDSHAKE_WAIT_S", 0.5)
    with pytest.raises(ParamsError) as refused:
        cluster.probe(f"tcp://127.0.0.1:{port}", "127.0.0.1", port)
    assert refused.value.exit_status == 2
    assert "không phải bộ lập lịch Dask" in refused.value.problems[0]


def test_a_dask_greeting_passes_the_probe(server):
    port, set_reply = server
    set_reply((300).to_bytes(8, "little") + bytes(300))  # a frame of 300 bytes, as a scheduler's greeting starts
    cluster.probe(f"tcp://127.0.0.1:{port}", "127.0.0.1", port)


def test_nothing_listening_is_left_to_the_connection_error():
    with socket.create_server(("127.0.0.1", 0)) as free:
        port = free.getsockname()[1]
    cluster.probe(f"tcp://127.0.0.1:{port}", "127.0.0.1", port)  # closed port: no ParamsError here


def test_a_local_cluster_has_no_more_workers_than_work(monkeypatch):
    started = {}

    class Recorded(Exception):
        pass

    def local_cluster(n_workers, **kwargs):
        started["workers"] = n_workers
        raise Recorded

    import distributed

    monkeypatch.setattr(distributed, "LocalCluster", local_cluster)
    with pytest.raises(Recorded), cluster.connect(cluster.LOCAL, 1000, work=10):
        pass
    assert started["workers"] == 10
