"""Shared constants, fixtures and helpers of every layer's tests: the register's header (from
tests/registers.py), a valid row, a register written to a temporary file, a folder's files (``tree``), the
command line in this process or in a new interpreter, the sample year built once.

Tests import the constants and helpers with ``from conftest import HEADER, BLOCKS, tree, ...`` (``tests/`` is
on the path). A test that starts any process (a kernel, a command in a new interpreter, a tool; a build
does) is marked ``slow``: ``make test-fast`` leaves those out, and :class:`NoNewProcess` fails a test not
so marked that starts one."""
from __future__ import annotations

import fcntl
import multiprocessing.process
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from registers import HEADER, IDS, write_register_file  # noqa: F401 (HEADER: one of the constants tests import here)

from sangkien.pipeline.workarounds import jsonschema_iri

jsonschema_iri.keep_out()  # as in every build: nbformat imported without rfc3987_syntax's grammar (2 s a worker)

_CACHE_MADE_HERE = "SANGKIEN_TESTS_CACHE" not in os.environ
if _CACHE_MADE_HERE:
    os.environ["SANGKIEN_TESTS_CACHE"] = tempfile.mkdtemp(prefix="sangkien-tests-cache-")
os.environ["SANGKIEN_CACHE"] = os.environ["SANGKIEN_TESTS_CACHE"]
"""Parsed registers kept by the tests' commands (:mod:`sangkien.inputs.kept`) go to a folder of this run, never
the user's ~/.cache: made once by the process that starts the run (pytest, or its xdist controller), inherited
by every process the tests start (xdist's workers, a pool's spawned workers importing this module again) and
removed by the process that made it."""
os.environ["SANGKIEN_ONE_CORE"] = "1"
"""A large sheet is read on one core, its parsed form kept from this process (:mod:`sangkien.inputs.halves`,
:func:`sangkien.inputs.kept.aside` fork): the tests that mean two cores say so (tests/inputs/test_halves.py)."""

ROOT = Path(__file__).resolve().parents[1]

EDU, OTHER = "Giáo dục", "Quận, huyện, sở, ngành"
BLOCKS = (EDU, OTHER)
"""The sample's blocks before the 2025 reorganisation (the shared defaults hold today's: ``TODAY_BLOCKS``)."""
TODAY_BLOCKS = (EDU, "Sở, ngành, địa phương")
PINNED = 'blocks: [Giáo dục, "Quận, huyện, sở, ngành"]\n'
"""A parameters file's line pinning the blocks before 2025 (as params/2016.yaml ... 2024.yaml do): the shared
defaults' blocks and reorganisation are today's."""
SAMPLE_REGISTER = ROOT / "data" / "sample" / "so-dang-ky-sang-kien.xlsx"

LONGEST_FIRST = ("inputs/test_params_today.py", "pipeline/test_cluster.py", "pipeline/test_unitsheets.py", "pipeline/test_documents_read_right.py",
                 "pipeline/test_safety.py", "pipeline/test_batch.py", "pipeline/test_year_folder.py",
                 "pipeline/test_reorganisation_build.py", "api/test_api.py", "pipeline/test_bench_build.py",
                 "report/test_charts.py", "report/test_numbering.py", "architecture/test_notebooks.py")
"""The test files that take longest (``--durations``), longest first: ``make test`` runs the files on two
workers (pytest-xdist, ``--dist loadfile``: a file's tests on one worker, its module fixtures built once), and
starting the long ones first keeps one of them from running alone at the end. A file missing here only
runs later."""


def pytest_collection_modifyitems(config, items):
    """The files of LONGEST_FIRST first, in its order, then the files with the most ``slow`` tests; the
    tests of a file keep their order."""
    tests = Path(__file__).parent
    slow: dict[Path, int] = {}
    for item in items:
        slow[item.path] = slow.get(item.path, 0) + bool(item.get_closest_marker("slow"))

    def rank(item) -> tuple[int, int]:
        name = item.path.relative_to(tests).as_posix() if item.path.is_relative_to(tests) else ""
        return (LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST), -slow[item.path])

    items.sort(key=rank)


class NoNewProcess:
    """A test not marked ``slow`` starts no process: ``make test-fast`` (``-m "not slow"``) runs the tests that
    start no kernel, no new interpreter and no tool, and this guard keeps it so.

    While such a test is set up (its fixtures of every scope: a session fixture that builds a year is set
    up inside the first test that asks for it) and while it runs, starting a process fails it, naming the
    call: ``subprocess.Popen`` of anything (a kernel too), a ``multiprocessing`` process (a process pool's
    too), ``os.fork``, ``os.posix_spawn``, ``os.system``. A failure the code under test catches still fails
    the test when it ends. Slow tests, and pytest-xdist's workers (started before any test), start
    processes as before. A plugin (registered by :func:`pytest_configure`), not a fixture of this folder, so
    that it also covers the doctests collected from ``sangkien/``."""

    CALLS = ((subprocess.Popen, "_execute_child", "subprocess.Popen"),
             (multiprocessing.process.BaseProcess, "start", "a multiprocessing process"),
             *((os, name, f"os.{name}") for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system")))

    def __init__(self):
        self.test = None  # the test not marked slow being set up or run, if any
        self.started: list[str] = []
        self.patch = pytest.MonkeyPatch()

    def pytest_sessionstart(self):
        for owner, name, what in self.CALLS:
            self.patch.setattr(owner, name, self._guarded(getattr(owner, name), what))

    def pytest_sessionfinish(self):
        self.patch.undo()

    def _guarded(self, start, what: str):
        def guarded(*args, **kwargs):
            if self.test is not None:
                self.started.append(what)
                command = f": {args[1]!r:.200}" if what == "subprocess.Popen" else ""  # (self, args, ...)
                pytest.fail(f"{self.test.nodeid} starts a process ({what}) but is not marked slow: make "
                            "test-fast runs only tests that start no process (no kernel, interpreter or tool); mark it "
                            f"@pytest.mark.slow, or keep the work in this process{command}", pytrace=False)
            return start(*args, **kwargs)

        return guarded

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item):
        return (yield from self._watching(item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        return (yield from self._watching(item))

    def _watching(self, item):
        self.test, self.started = (None if item.get_closest_marker("slow") else item), []
        try:
            result = yield
        finally:
            self.test = None
        if self.started:  # the failure was caught on the way
            pytest.fail(f"{item.nodeid} started a process ({self.started[0]}) and is not marked slow", pytrace=False)
        return result


def pytest_configure(config):
    config.pluginmanager.register(NoNewProcess(), "sangkien-no-new-process")


def pytest_unconfigure(config):
    if _CACHE_MADE_HERE:
        shutil.rmtree(os.environ["SANGKIEN_TESTS_CACHE"], ignore_errors=True)


@pytest.fixture
def make_row():
    """``make_row(**values)``: one valid row as a list in HEADER order; keyword arguments (column ids)
    override a value."""

    def make(**values) -> list:
        row = {
            "ma_so": "SK-1", "nam": 2023, "ten_sang_kien": "Giải pháp A", "tac_gia": "Nguyễn Văn A",
            "don_vi": "Sở Y tế", "khoi": "Quận, huyện, sở, ngành", "linh_vuc": "Y tế",
            "ket_qua": "Công nhận", "so_tien_lam_loi": 1_000_000, "diem": 80,
        }
        unknown = set(values) - set(row)
        assert not unknown, unknown
        row.update(values)
        return [row[i] for i in IDS]

    return make


@pytest.fixture
def write_register(tmp_path):
    """``write_register(rows, header=None, fmt="csv"|"xlsx", name=None, delimiter=",", bom=False,
    encoding="utf-8")`` writes a register into ``tmp_path`` (``so-dang-ky.FMT`` unless ``name`` is given)
    and returns its path: :func:`registers.write_register_file`, which says how.
    """

    def write(rows, header=None, fmt="csv", name=None, **how) -> Path:
        return write_register_file(tmp_path / (name or f"so-dang-ky.{fmt}"), rows, header, fmt=fmt, **how)

    return write


@pytest.fixture
def run_cli():
    """``run_cli(*args, cwd=ROOT)``: runs ``python -m sangkien ARGS`` with this interpreter and returns
    ``(returncode, stdout, stderr)``."""

    def run(*args, cwd=ROOT, timeout=120) -> tuple[int, str, str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [sys.executable, "-m", "sangkien", *map(str, args)],
            cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
        )
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def run_main(capsys):
    """``run_main(*args)``: ``sangkien ARGS`` in this process (what ``python -m sangkien`` runs, without
    starting an interpreter); returns ``(status, stdout, stderr)``."""
    from sangkien.cli import main

    def run(*args) -> tuple[int, str, str]:
        capsys.readouterr()
        sigterm = signal.getsignal(signal.SIGTERM)
        try:
            status = main([str(a) for a in args])
        finally:
            signal.signal(signal.SIGTERM, sigterm)  # main() sets its own handler
        out, err = capsys.readouterr()
        return status, out, err

    return run


def benchmark(name: str):
    """The module ``benchmarks/NAME.py`` (not a package: loaded from its file), for the tests that check a
    benchmark still runs and says what it measures."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree(folder: Path, *, folders: bool = False) -> dict[str, bytes]:
    """Every file under ``folder``: its path relative to ``folder`` (``a/b.html``) -> its bytes, sorted by
    path; with ``folders``, every folder too, as ``a/`` -> ``b""`` (so an empty folder left behind shows).
    What tests compare to say "this folder is exactly as it was" or "holds exactly these files"."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            if folders:
                found[path.relative_to(folder).as_posix() + "/"] = b""
        else:
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def built_once(tmp_path_factory, name: str, make):
    """``make(folder)``'s value, made once for the whole run, however many pytest-xdist workers run it: the
    first worker to ask calls it on a new folder ``name`` of the run's temporary folder (under a lock) and
    keeps the value (pickled); a worker asking later, or waiting meanwhile, reads it. For builds that
    tests only read (a test that changes one works on a copy)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's temporary folder; each worker has a folder of its own in it
    folder, kept = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if kept.exists():
            return pickle.loads(kept.read_bytes())
        if folder.exists():  # it failed in another worker: fail here too, with the error of this worker's try
            return make(Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root)))
        folder.mkdir()
        value = make(folder)
        kept.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="session")
def sample_year(tmp_path_factory):
    """The sample register's 2023, built once for the run (HTML, PDF and Word, the default formats):
    ``(out, result)``. Tests only read it: to change a published year, work on a copy."""
    from sangkien.pipeline.build import build_year

    return built_once(tmp_path_factory, "sample-reports", lambda out: (out, build_year(2023, out_dir=out)))


def _read_pages(pdf: Path) -> list[tuple[str, str]]:
    """Each page's text, and the text drawn in its top margin (above the 20 mm margin of an A4 page), read
    in one pass (pypdf's text extraction is the slow part)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(pdf)).pages:
        top: list[str] = []

        def visit(text, cm, tm, font_dict, font_size, top=top):
            y = tm[5] * cm[3] + cm[5] if cm else tm[5]
            if text.strip() and y > 841.89 - 20 / 25.4 * 72:
                top.append(text.strip())

        pages.append((page.extract_text(visitor_text=visit), " ".join(top)))
    return pages


@pytest.fixture(scope="session")
def sample_pdf_pages(sample_year, tmp_path_factory) -> list[tuple[str, str]]:
    """The sample year's PDF (``sample_year``) read once for the run: each page's (text, text in its top
    margin)."""
    _, result = sample_year
    return built_once(tmp_path_factory, "sample-pdf-pages", lambda _: _read_pages(result.outputs["pdf"]))
