"""``build --all --scheduler ADDRESS``: the years, and with ``--units`` their unit sheets, as tasks on a
Dask cluster (``dask.distributed``); ``local`` starts one on this machine.

A year is planned, made and published by the steps of every build (:mod:`sangkien.pipeline.build`),
split where the files are; this module only connects, submits and gathers:

1. The client (this process) plans each year (:func:`~sangkien.pipeline.build.plan`: inputs validated,
   ``--final``'s requirements, up to date or not: such a year is never sent) and, for a year to build,
   takes its lock and a staging folder (:meth:`~sangkien.pipeline.build.Plan.staging`).
2. It sends the year as tasks: the report's, which runs the make step
   (:func:`~sangkien.pipeline.build.make`) in a folder of its own on the worker, and, with ``--units``, the
   unit sheets in batches (:func:`sangkien.pipeline.unitsheets.build_batch`) beside it. A task carries the
   validated parameters and register (the snapshot a build hands its kernels, as bytes:
   :func:`sangkien.inputs.snapshot.dumps`) and the notebook's bytes, and hands back the finished files
   as bytes. A worker needs the project and its libraries installed, no shared file system and no input
   file.
3. As the tasks come back, the client writes their files into the staging folder; after the last, the
   unit sheets' index, then the publish step (:func:`~sangkien.pipeline.build.publish`: the manifest,
   only the build's own files replaced, a journal).

A worker lost midway (killed, out of memory, its machine gone): the scheduler runs its task again on
another worker (``distributed.scheduler.allowed-failures``, 3 by default, then the year fails); nothing
of a year is published before every task of it is back. A failing year does not stop the others.
Ctrl-C or SIGTERM: the tasks are cancelled, every staging folder removed, a local cluster closed.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import paths
from sangkien.errors import ParamsError, SangkienError, problems_of
from sangkien.pipeline import build, exporters, indexes
from sangkien.pipeline.processes import interrupts, workers
from sangkien.pipeline.processes.workers import Outcome

LOCAL = "local"
"""The address that starts a cluster on this machine (one worker process a core, one thread each)."""
CONNECT_TIMEOUT = "15s"
UNITS_PER_TASK = 20
"""At most this many unit sheets in one task (a task's kernel is reused for the units of its batch)."""
QUIET = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "500ms",
         "distributed.admin.system-monitor.interval": "2s"}
"""Dask's settings for the cluster ``local`` starts: no statistical profiler sampling the workers' stacks
every 10 ms, the event loops' watchdog and the system monitor less often. Measured idle on this 2-core
machine: a local cluster of two workers took 1.5 CPU-seconds in 15 s with Dask's defaults (a tenth of a
core, taken from the builds), 0.2 with these. (A remote cluster is set up by whoever starts its workers:
see docs/scaling.md.)"""
_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d{1,5}))?$")
"""A scheduler's address: ``tcp://`` (the default) or ``tls://``, a host name, IPv4 or [IPv6] address, a port."""
DEFAULT_PORT = 8786
HANDSHAKE_WAIT_S = 5.0
"""How long a scheduler may take to send its greeting once connected (a Dask scheduler sends it at once)."""
MAX_HANDSHAKE_BYTES = 64 << 20
"""A Dask greeting is a few hundred bytes: a first frame announcing more than this is not one."""


# --------------------------------------------------------------------------- the cluster

@contextlib.contextmanager
def connect(address: str, workers_count: int | None = None, work: int = 1 << 30):
    """A ``distributed.Client`` of the cluster at ``address`` (``tcp://host:8786``), or of a cluster
    started on this machine for ``local`` (``workers_count`` processes, default one a core, never more than
    ``work``, the tasks there are at most) and closed after. ParamsError (exit 2) for an address that is
    not one, or where something other than a Dask scheduler answers; SangkienError (exit 1) when nothing
    answers there."""
    import dask
    from distributed import Client, LocalCluster

    if address == LOCAL:
        count = max(1, min(workers_count or os.cpu_count() or 1, work))
        with dask.config.set(QUIET), LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                                  dashboard_address=":0", memory_limit=0,
                                                  silence_logs=logging.ERROR) as local, Client(local) as client:
            yield client
        return
    scheme, host, port = parse_address(address)
    if scheme == "tcp":
        probe(address, host, port)
    try:
        client = Client(f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}", timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise SangkienError(f"không kết nối được tới bộ lập lịch Dask {address} sau {CONNECT_TIMEOUT} ({exc}); "
                            "hãy kiểm tra địa chỉ, cổng và rằng `dask scheduler` đang chạy ở đó") from None
    with client:
        yield client


def parse_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a scheduler's address; ParamsError (exit 2) for one that is not.

    >>> parse_address("tcp://10.0.0.5:8786"), parse_address("may-tinh"), parse_address("tls://[::1]:9000")
    (('tcp', '10.0.0.5', 8786), ('tcp', 'may-tinh', 8786), ('tls', '::1', 9000))
    """
    found = _ADDRESS.match(address)
    if not found or int(found[3] or DEFAULT_PORT) > 65535 or address.lower() == LOCAL:
        hint = "; cụm trên máy này viết bằng chữ thường: local" if address.strip().lower() == LOCAL else ""
        raise ParamsError(f"lệnh không hợp lệ: --scheduler {address!r} không phải địa chỉ bộ lập lịch Dask; "
                          f"ghi dạng tcp://máy:8786 (hoặc tls://...), hoặc local để chạy một cụm trên máy này{hint}")
    return found[1] or "tcp", found[2].strip("[]"), int(found[3] or DEFAULT_PORT)


def probe(address: str, host: str, port: int) -> None:
    """ParamsError (exit 2) when what answers at ``host:port`` is not a Dask scheduler: it sends no greeting
    within :data:`HANDSHAKE_WAIT_S` (a web server waiting for a request), or its first bytes are not a Dask
    frame (a web server's "HTTP/1.1 400"). Nothing answering is left to Dask's own connection error."""
    import socket
    import struct

    try:
        with socket.create_connection((host, port), timeout=float(CONNECT_TIMEOUT.rstrip("s"))) as connection:
            connection.settimeout(HANDSHAKE_WAIT_S)
            first = connection.recv(8)
    except TimeoutError:
        first = b""
    except OSError:
        return
    size = struct.unpack("<Q", first)[0] if len(first) == 8 else None
    if size is None or size > MAX_HANDSHAKE_BYTES or first.startswith(b"HTTP"):
        said = f" (nó trả lời {first[:12]!r})" if first else f" (không chào trong {HANDSHAKE_WAIT_S:g} giây)"
        raise ParamsError(f"--scheduler {address}: ở đó có một chương trình nhưng không phải bộ lập lịch Dask{said}; "
                          "hãy kiểm tra địa chỉ và cổng (thường là 8786) của `dask scheduler`")


def heading(client, address: str) -> str:
    """Where the years are built, for the first progress line."""
    count = len(client.scheduler_info().get("workers", {}))
    where = "một cụm Dask trên máy này" if address == LOCAL else f"cụm Dask {address}"
    return f" trên {where} ({count} tiến trình tính toán)"


# --------------------------------------------------------------------------- on the client

@dataclass
class _Year:
    """A year whose tasks are out: what the client keeps to publish it."""

    plan: build.Plan
    staging: Path
    closing: contextlib.ExitStack
    """Holds the staging folder's context (the year's lock held) until the year is published or fails."""
    sheets: list[tuple[str, str]] | None
    """The unit sheets to build, ``[(unit, stem)]`` (with ``--units``)."""
    seconds: float = 0.0
    waiting: int = 0
    report: dict | None = None
    unit_failures: list[Outcome] = field(default_factory=list)
    error: Exception | None = None
    """An error of the client's while it received the year's files (a full disk)."""
    kept: object = None
    """The future of the year's snapshot (held until the year is over: a task run again needs it)."""
    units_started: float = field(default_factory=time.perf_counter)
    units_seconds: float = 0.0

    @property
    def year(self) -> int:
        return self.plan.year


def run(client, years: list[int], params_dir: Path, out: Path, formats: tuple[str, ...], force: bool, units: bool,
        emit: Callable[[Outcome], None], final: bool = False) -> None:
    """Build ``years`` on the cluster of ``client``, calling ``emit`` with each year's outcome as soon as it
    is known (up to date, failed or published)."""
    from distributed import as_completed

    flying: dict = {}  # future -> (year state, "report" or the batch of units)
    open_years: dict[int, _Year] = {}  # planned (staging folder made, lock held), not yet over
    done = as_completed()
    try:
        for year in years:
            state = _plan(year, params_dir / f"{year}.yaml", out, formats, force, units, final)
            if isinstance(state, Outcome):
                emit(state)
                continue
            open_years[state.year] = state
            try:
                tasks = _submit(client, state)
            except Exception as exc:  # the cluster refused the tasks: the year fails, publishing nothing
                emit(_failed(open_years.pop(state.year), exc))
                continue
            for future, part in tasks:
                flying[future] = (state, part)
                done.add(future)
        for future in done:
            interrupts.check()
            state, part = flying.pop(future)
            _receive(state, part, future)
            if state.waiting == 0:
                emit(_complete(open_years.pop(state.year)))
    except BaseException as exc:
        client.cancel(list(flying))
        for state in open_years.values():
            _abandon(state, exc)
        raise


def _plan(year: int, params_file: Path, out: Path, formats: tuple[str, ...], force: bool, units: bool,
          final: bool) -> _Year | Outcome:
    """The year planned as every build is (:func:`sangkien.pipeline.build.plan`): its outcome when it is up
    to date or cannot be built, else its state with the lock held and a staging folder made (never raises)."""
    started = time.perf_counter()
    try:
        plan = build.plan(year, params_file, None, out, formats, force=force, units=units, final=final,
                          pass_signed=True)
        if plan.up_to_date:
            state = Outcome(plan.year, "up-to-date", reason=plan.reason,
                            outputs={k: str(v) for k, v in plan.result().outputs.items()})
        else:
            from sangkien.pipeline.unitsheets import planned

            sheets = planned(plan.register, plan.year) if plan.units else None
            closing = contextlib.ExitStack()
            state = _Year(plan, closing.enter_context(plan.staging()), closing, sheets)
    except Exception as exc:
        problems, status = problems_of(exc)
        state = Outcome(year, "failed", exit_status=status, problems=problems)
    state.seconds = time.perf_counter() - started
    return state


def _notebook(path: Path) -> tuple[str, str, bytes]:
    """A notebook as a task carries it: its path here, its digest and its bytes."""
    data = Path(path).read_bytes()
    return str(Path(path).resolve()), hashlib.sha256(data).hexdigest(), data


def _submit(client, state: _Year) -> list:
    """The year's tasks: the report's, and the unit sheets' in batches; ``[(future, "report" or the batch)]``."""
    from sangkien.inputs import snapshot

    plan = state.plan
    key = f"sangkien-{state.year}-{os.getpid()}-{time.time_ns()}"
    # A task's result, not scattered data: a worker lost with it, the scheduler makes it again from the
    # task (scattered data would be lost for good, and the year's tasks cancelled).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Large object", UserWarning)  # a large register: sent once, as meant
        kept = client.submit(_identity, snapshot.dumps(plan.params, plan.register), key=f"{key}-so-dang-ky",
                             pure=False)
    state.kept = kept
    state.units_started = time.perf_counter()
    tasks = [(client.submit(_report_task, state.year, kept, _notebook(plan.notebook), plan.formats, plan.edition,
                            key=f"{key}-bao-cao", pure=False, retries=1), "report")]
    if state.sheets is not None:
        from sangkien.pipeline.unitsheets import sheet_formats

        notebook = _notebook(paths.UNIT_NOTEBOOK)
        shown = str(plan.folder)
        for n, batch in enumerate(_batches(state.sheets, _threads(client))):
            tasks.append((client.submit(_units_task, state.year, kept, notebook, sheet_formats(plan.formats), shown,
                                        batch, key=f"{key}-don-vi-{n}", pure=False, retries=1), batch))
    state.waiting = len(tasks)
    return tasks


def _threads(client) -> int:
    return sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()) or 1


def _batches(units: list[tuple[str, str]], threads: int) -> list[list[tuple[str, str]]]:
    """The units in batches, as many as the cluster's threads (at most :data:`UNITS_PER_TASK` each).

    >>> [len(b) for b in _batches([(str(i), str(i)) for i in range(45)], 2)]
    [20, 20, 5]
    >>> _batches([], 2)
    []
    """
    size = max(1, min(UNITS_PER_TASK, -(-len(units) // max(1, threads))))
    return [units[i:i + size] for i in range(0, len(units), size)]


def _receive(state: _Year, part, future) -> None:
    """One task of the year back (``part``: "report", or the batch of units): its files into the staging
    folder, or its failure kept."""
    state.waiting -= 1
    report = part == "report"
    try:
        result = future.result()
    except Exception as exc:  # the task could not be run (its workers kept dying: KilledWorker), or was cancelled
        lost = Outcome(state.year, "failed", exit_status=1, problems=[_lost(state.year, exc)])
        result = {"outcome": lost} if report else {"outcomes": [
            Outcome(unit, "failed", exit_status=1, problems=lost.problems) for unit, _ in part]}
    state.seconds += sum(o.seconds for o in ([result["outcome"]] if report else result["outcomes"]))
    folder = state.staging if report else state.staging / indexes.UNIT_SHEETS
    try:
        folder.mkdir(exist_ok=True)
        for name, data in result.get("files", {}).items():
            (folder / name).write_bytes(data)
    except OSError as exc:
        state.error = state.error or exc
    if report:
        state.report = result
    else:
        state.unit_failures += [o for o in result["outcomes"] if o.failed]
        state.units_seconds = time.perf_counter() - state.units_started


def _lost(year: int, exc: Exception) -> str:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return (f"năm {year}: các tiến trình tính toán chạy việc này đều dừng đột ngột (hết bộ nhớ, hoặc bị dừng "
                "từ bên ngoài), đã thử lại trên tiến trình khác mà không xong; không có gì được công bố")
    return f"năm {year}: việc gửi lên cụm Dask không chạy xong ({type(exc).__name__}: {exc}); không có gì được công bố"


def _complete(state: _Year) -> Outcome:
    """The year's last task is back: publish it (or report its failure, publishing nothing)."""
    started = time.perf_counter()
    state.kept = None  # every task of the year is back: the snapshot may go
    try:
        outcome = _publish(state)
    except Exception as exc:
        outcome = _failed(state, exc)
    outcome.seconds = state.seconds + time.perf_counter() - started
    return outcome


def _failed(state: _Year, exc: Exception) -> Outcome:
    """The year's failure: its staging folder removed, its lock let go; the lines the command line gives."""
    _abandon(state, exc)
    problems, status = problems_of(exc)
    return Outcome(state.year, "failed", exit_status=status, problems=problems, seconds=state.seconds)


def _publish(state: _Year) -> Outcome:
    """The year's files are in its staging folder: the unit sheets' index, then the manifest and the
    publishing every build ends with (:func:`sangkien.pipeline.build.publish`)."""
    report = state.report or {}
    outcome: Outcome = report["outcome"]
    if state.error is not None:
        raise state.error
    if outcome.failed:
        raise workers.error(outcome.problems + _keep_failed(report, state.plan.failed_dir), outcome.exit_status)
    made = build.Made(outcome.outputs, dict(report["timings"]))
    if state.sheets is not None:
        from sangkien.pipeline import unitsheets

        order = {unit: n for n, (unit, _) in enumerate(state.sheets)}
        failures = sorted(state.unit_failures, key=lambda o: order.get(o.subject, 0))
        made.sheets = unitsheets.finished(state.staging, state.year, state.sheets,
                                          unitsheets.sheet_formats(state.plan.formats), failures)
        made.timings["units"] = round(state.units_seconds, 3)
    result = build.publish(state.plan, state.staging, made)
    state.closing.close()
    return Outcome(state.year, "built", reason=result.reason, outputs={k: str(v) for k, v in result.outputs.items()})


def _keep_failed(report: dict, failed_dir: Path) -> list[str]:
    """The partly executed notebook a failing cell left on the worker, kept in ``failed_dir`` here (as a
    build does); the line saying where."""
    kept = report.get("failed_notebook")
    if not kept:
        return []
    name, data = kept
    failed_dir.mkdir(parents=True, exist_ok=True)
    (failed_dir / name).write_bytes(data)
    return [f"sổ tay đã chạy được giữ lại để xem lỗi: {failed_dir / name}"]


def _abandon(state: _Year, exc: BaseException) -> None:
    """Leave the year's staging context as a failed build does (the failure handed to it): the staging folder
    removed, the lock let go."""
    with contextlib.suppress(Exception):
        state.closing.__exit__(type(exc), exc, exc.__traceback__)


# --------------------------------------------------------------------------- on a worker

def _identity(value):
    return value


def _scratch() -> Path:
    """A folder of the task's own on the worker (in the worker's local directory, which Dask clears
    when a killed worker left it behind)."""
    base = None
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        base = get_worker().local_directory
    return Path(tempfile.mkdtemp(prefix="sangkien-", dir=base))


def _local_notebook(scratch: Path, notebook: tuple[str, str, bytes]) -> Path:
    """The notebook the client sent: the same file when this machine has it, byte for byte, under the same
    path (so the executed notebook records the same path), else a copy in ``scratch``."""
    path, digest, data = notebook
    with contextlib.suppress(OSError):
        if hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest:
            return Path(path)
    copy = scratch / Path(path).name
    copy.write_bytes(data)
    return copy


def _report_task(year: int, kept: bytes, notebook: tuple[str, str, bytes], formats: tuple[str, ...],
                 edition) -> dict:
    """Runs on a worker: the year's notebook executed and its pages rendered; ``{"outcome", "timings",
    "files": {name: bytes}, "failed_notebook": (name, bytes) | None}``. Never raises."""
    from sangkien.pipeline.processes.execute import SNAPSHOT

    scratch = _scratch()
    try:
        register_file = scratch / SNAPSHOT
        register_file.write_bytes(kept)
        staging, failed = scratch / "staging", scratch / "failed"
        staging.mkdir()
        timings: dict[str, float] = {}
        outcome = workers.attempt(year, _report, year, register_file, _local_notebook(scratch, notebook), staging,
                                  failed, formats, edition, timings)
        result = {"outcome": outcome, "timings": timings, "files": {}, "failed_notebook": None}
        if outcome.failed:
            executed = next(failed.glob("*.ipynb"), None)
            if executed is not None:  # its place on the worker means nothing to the client: said there
                result["failed_notebook"] = (executed.name, executed.read_bytes())
                outcome.problems = [p for p in outcome.problems if str(failed) not in p]
        else:
            result["files"] = {p.name: p.read_bytes() for p in sorted(staging.iterdir()) if p.is_file()}
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def _warm_once() -> None:
    """The first report of a worker process: Papermill, nbconvert, WeasyPrint and docxtpl imported in the
    task's own thread, one after the other, before any kernel starts (python-docx's element classes are
    registered as they import: importing them in one thread rules out a race with another), for about a
    second of a worker's first year."""
    from sangkien.pipeline import render
    from sangkien.pipeline.processes import execute

    execute.prepare()
    render.warm_up()


def _report(year: int, register_file: Path, notebook: Path, staging: Path, failed: Path, formats: tuple[str, ...],
            edition, timings: dict[str, float]) -> Outcome:
    """The year's files made into ``staging`` by the make step of every build (:func:`sangkien.pipeline.build.make`),
    from the snapshot the client sent."""
    from sangkien.inputs import snapshot
    from sangkien.pipeline.processes import execute

    params, register = snapshot.load(register_file, year)
    _warm_once()
    # The cluster's parallelism is its tasks: no second process beside the PDF (overlap=False).
    with execute.kernel_ahead() as kernel:
        made = build.make(params, register, notebook, staging, formats, failed, kernel=kernel,
                          register_file=register_file, edition=edition)
    timings.update(made.timings)
    return Outcome(year, "built", outputs=made.outputs)


def _units_task(year: int, kept: bytes, notebook: tuple[str, str, bytes], formats: tuple[str, ...], shown: str,
                batch: list[tuple[str, str]]) -> dict:
    """Runs on a worker: the sheets of ``batch`` [(unit, stem)] (:func:`~sangkien.pipeline.unitsheets.build_batch`);
    ``{"outcomes", "files": {name: bytes}}`` (the files of the sheets built). Never raises."""
    from sangkien.pipeline import unitsheets
    from sangkien.pipeline.processes.execute import SNAPSHOT

    scratch = _scratch()
    try:
        register_file = scratch / SNAPSHOT
        register_file.write_bytes(kept)
        folder = scratch / indexes.UNIT_SHEETS
        folder.mkdir()
        outcomes = unitsheets.build_batch(year, str(register_file), str(_local_notebook(scratch, notebook)),
                                          str(folder), shown, formats, batch)
        stems = dict(batch)
        built = [stems[o.subject] for o in outcomes if not o.failed and o.subject in stems]
        return {"outcomes": outcomes,
                "files": {e.sheet_name(stem): (folder / e.sheet_name(stem)).read_bytes() for stem in built
                          for e in exporters.sheet_exporters(formats)}}
    except Exception as exc:  # build_batch never raises; reading its files may
        problems, status = problems_of(exc)
        return {"outcomes": [Outcome(unit, "failed", exit_status=status, problems=problems) for unit, _ in batch]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
