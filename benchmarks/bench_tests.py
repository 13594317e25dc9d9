"""Benchmark of the test suite's wall time: ``make test`` now against the suite before issue 9 (commit
570e6fd, run as its Makefile ran it: ``pytest -q``), side by side on this machine (not a test: it prints
timings, asserts nothing).

    .venv/bin/python benchmarks/bench_tests.py [--rounds 2] [--old 570e6fd] [--quick]

The old tree is checked out with ``git worktree add --detach`` into a temporary folder (removed at the
end) and run with the same interpreter, its own folder as the working folder and on ``PYTHONPATH`` (so
its kernels and subprocesses import its own package); the current suite is the tree this file is in, run
with the arguments of the Makefile's ``test`` recipe. The two alternate, ROUNDS times each; the median of
each is compared. A failing test in either suite does not stop the timing (the old tree may fail the
tests of the sample and template bytes, which newer lxml writes differently): the counts are printed.

The goal (issue 9): the current suite in at most 60 % of the old one's time. Measure on a quiet machine:
with other work running, the ratio is only indicative (the load is printed).

``--quick`` (``table_rows(quick=True)``): one small test file of each tree, one round, to show the
benchmark runs.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = "570e6fd"
"""The last commit before issue 9."""
GOAL = 0.60
QUICK = ("tests/test_vnformat.py", "tests/report/test_vnformat.py")
"""The same tests in the old layout and in the new one."""


def make_test_args(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The pytest arguments of the Makefile's ``test`` recipe, its variables' defaults put in."""
    text = makefile.read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n\t\$\(PY\) -m pytest (.*)$", text, re.M).group(1)
    defaults = dict(re.findall(r"^([A-Z_]+)\s*\?=\s*(.*?)\s*$", text, re.M))
    return shlex.split(re.sub(r"\$\(([A-Z_]+)\)", lambda m: defaults[m.group(1)], recipe))


def _cpu() -> float:
    """CPU seconds (user and system) of this process's children that have ended (their own children's too)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(tree: Path, args: list[str]) -> tuple[float, float, str]:
    """Wall time and CPU time of ``python -m pytest ARGS`` in ``tree`` (its package first on the path), and
    pytest's last line (the counts) followed by the tests that failed, one a line."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider"], cwd=tree, env=env,
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    failed = [line.split()[1] for line in lines if line.startswith(("FAILED ", "ERROR "))]
    last = lines[-1].strip("= ") if lines else f"status {done.returncode}: {done.stderr[-300:]}"
    return wall, cpu, last + "".join(f"\n    {name}" for name in failed)


class _OldTree:
    """The old commit checked out in a temporary folder (a detached worktree), removed on exit."""

    def __init__(self, commit: str):
        self.commit = commit
        self.folder = Path(tempfile.mkdtemp(prefix="sangkien-old-tests-")) / "tree"

    def __enter__(self) -> Path:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(self.folder), self.commit],
                       check=True, capture_output=True)
        return self.folder

    def __exit__(self, *exc) -> None:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(self.folder)], capture_output=True)
        subprocess.run(["rm", "-rf", str(self.folder.parent)], check=False)


def measure(rounds: int = 2, commit: str = OLD, quick: bool = False, log=print) -> dict:
    """Old and new suites alternately, ``rounds`` times each: their wall and CPU times, last lines and the
    ratio of the medians (new / old). The CPU time (every process of the run) hardly depends on other work
    on the machine: on a quiet machine with two cores, a run takes at least half of it."""
    new_args = ["-q"] if quick else make_test_args()
    times: dict[str, list[float]] = {"old": [], "new": []}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    last: dict[str, str] = {}
    with _OldTree(commit) as old_tree:
        runs = {"old": (old_tree, ["-q", QUICK[0]] if quick else ["-q"]),
                "new": (ROOT, [*new_args, QUICK[1]] if quick else new_args)}
        for n in range(1 if quick else rounds):
            for which in (("old", "new") if n % 2 == 0 else ("new", "old")):
                tree, args = runs[which]
                wall, used, last[which] = _run(tree, args)
                times[which].append(wall)
                cpu[which].append(used)
                log(f"round {n + 1} {which}: {wall:.1f} s, CPU {used:.1f} s, load {os.getloadavg()[0]:.1f} "
                    f"({last[which]})")
    old, new = statistics.median(times["old"]), statistics.median(times["new"])
    return {"old": old, "new": new, "ratio": new / old, "times": times, "cpu": cpu, "last": last,
            "new_args": new_args, "load": os.getloadavg()}


def table_rows(quick: bool = False) -> list[dict]:
    """One row: ``make test`` against the suite of 570e6fd (quick: one small file of each)."""
    m = measure(rounds=1 if quick else 2, quick=quick, log=lambda _: None)
    what = "test suite vs 570e6fd" + (" (one file, quick)" if quick else " (make test)")
    return [{"what": what, "measured": f"{m['ratio']:.2f}× ({m['new']:.1f} s vs {m['old']:.1f} s, load "
                                      f"{m['load'][0]:.1f})",
             "goal": f"≤ {GOAL:.2f}×", "holds": None if quick else m["ratio"] <= GOAL}]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each suite (alternating)")
    parser.add_argument("--old", default=OLD, help="the commit to compare with (default %(default)s)")
    parser.add_argument("--quick", action="store_true", help="one small file of each tree, to see it runs")
    args = parser.parse_args(argv)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    m = measure(args.rounds, args.old, args.quick)
    print(f"new: pytest {' '.join(m['new_args'])}")
    print(f"old {args.old}: median {m['old']:.1f} s  {[round(t, 1) for t in m['times']['old']]}  ({m['last']['old']})")
    print(f"new: median {m['new']:.1f} s  {[round(t, 1) for t in m['times']['new']]}  ({m['last']['new']})")
    print(f"CPU seconds: old {[round(t, 1) for t in m['cpu']['old']]}, new {[round(t, 1) for t in m['cpu']['new']]}")
    print(f"ratio new/old: {m['ratio']:.2f} (goal ≤ {GOAL:.2f}); load after: "
          f"{' '.join(f'{x:.2f}' for x in m['load'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
