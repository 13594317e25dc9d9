"""How the suite itself runs: ``make test`` on two workers, one test file to a worker, the longest files
first (tests/conftest.py), and the benchmark timing the very command the Makefile runs; ``make test-fast``
starts no process."""
from __future__ import annotations

from pathlib import Path

import conftest
import pytest
from conftest import benchmark


def _bench():
    return benchmark("bench_tests")


def test_the_longest_files_named_first_are_test_files():
    tests = Path(conftest.__file__).parent
    missing = [name for name in conftest.LONGEST_FIRST if not (tests / name).is_file()]
    assert not missing, f"tests/conftest.py LONGEST_FIRST names files that are gone: {missing}"
    assert len(set(conftest.LONGEST_FIRST)) == len(conftest.LONGEST_FIRST)


def test_make_test_runs_two_workers_a_file_each_in_the_order_given():
    args = _bench().make_test_args()
    assert args[args.index("-n") + 1] == "2"
    assert args[args.index("--dist") + 1] == "loadfile"  # a file's module fixtures built once
    assert "--no-loadscope-reorder" in args  # else xdist sends the files with the most tests first


def test_the_benchmark_reads_the_recipe_with_its_defaults(tmp_path):
    makefile = tmp_path / "Makefile"
    makefile.write_text("WORKERS ?= 3\ntest: x ## run\n\t$(PY) -m pytest -q -n $(WORKERS) --dist load\n", encoding="utf-8")
    assert _bench().make_test_args(makefile) == ["-q", "-n", "3", "--dist", "load"]


def test_the_scoped_suite_is_todays_tests_of_the_old_files_and_functions():
    old = ["tests/a.py::test_x", "tests/a.py::test_y[1]", "tests/b.py::test_z"]
    current = ["tests/a.py::test_x", "tests/a.py::test_y[1]", "tests/a.py::test_y[2]", "tests/a.py::test_new",
               "tests/c.py::test_z"]
    assert _bench().in_scope(current, old) == ["tests/a.py::test_x", "tests/a.py::test_y[1]", "tests/a.py::test_y[2]"]


def test_a_test_not_marked_slow_cannot_start_a_process(request):
    """The guard of tests/conftest.py (``NoNewProcess``): each way of starting a process fails a fast test,
    naming it. Caught here on purpose, so the guard's record is emptied before the test ends."""
    import multiprocessing
    import os
    import subprocess

    guard = request.config.pluginmanager.get_plugin("sangkien-no-new-process")
    starts = {
        "subprocess.Popen": lambda: subprocess.run(["true"]),
        "a multiprocessing process": lambda: multiprocessing.get_context("fork").Process(target=print).start(),
        "os.fork": lambda: os.fork() or os._exit(0),  # were it let through, the child would end at once
        "os.system": lambda: os.system("true"),
    }
    for what, start in starts.items():
        with pytest.raises(pytest.fail.Exception, match=f"starts a process \\({what}\\) but is not marked slow"):
            start()
    assert guard.started == list(starts)
    guard.started.clear()


@pytest.mark.slow
def test_a_slow_test_starts_processes_as_before():
    import subprocess

    assert subprocess.run(["true"]).returncode == 0
