"""Benchmark (not a test): one year's full build against Papermill executing the same notebook alone, as
commands started the way a user starts them, side by side in one run (issue 14, deliverable 2).

    python benchmarks/bench_build.py [--rounds N] [--year YEAR] [--quick]

Each round runs, one after the other (so that a slower moment of the machine hits all of them alike):

  bare    = `papermill notebooks/bao-cao-nam.ipynb OUT.ipynb -p year YEAR -p params_file params/YEAR.yaml`
            (execution only: the notebook as it runs standalone, reading the register itself; Papermill's
            own command, its imports and its graceful kernel shutdown included)
  build   = `python -m sangkien build YEAR --force --out DIR` (validation, execution, HTML, PDF/A, Word
            draft, annexes, manifest)
  rebuild = `python -m sangkien build YEAR --out DIR` with nothing changed (the year found up to date)

and prints the medians and the ratios build / bare (goal: at most 1.0) and rebuild / build.

``--quick`` (and ``table_rows(quick=True)``, which a test calls to see that the benchmark runs): one round,
no warming, and the build and rebuild in HTML only (``--to html``: no PDF/A, no Word draft, a few seconds
less); the rows say so, and their figures mean nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL = 1.0
"""A year's full build at most this many times Papermill's bare execution of its notebook."""
REBUILD_GOAL = 0.1
"""An unchanged rebuild at most this many times a build."""


QUICK_FORMATS = ("html",)
"""The formats of a quick run's build and rebuild."""


def commands(year: int, tmp: Path, formats: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    """The three commands (``formats``: the build's ``--to``; None: the default formats, a full build)."""
    notebook = ROOT / "notebooks" / "bao-cao-nam.ipynb"
    params = ROOT / "params" / f"{year}.yaml"
    build = [sys.executable, "-m", "sangkien", "build", str(year), "--out", str(tmp / "reports")]
    if formats:
        build += ["--to", ",".join(formats)]
    return {
        "bare": [str(BIN / "papermill"), str(notebook), str(tmp / "bare.ipynb"), "-p", "year", str(year),
                 "-p", "params_file", str(params), "--no-progress-bar", "-k", "python3"],
        "build": build + ["--force"],
        "rebuild": build,
    }


def timed(command: list[str]) -> float:
    """Seconds ``command`` takes, run from the repository with this checkout's package (its kernels too)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=environment)
    return time.perf_counter() - started


def measure(rounds: int, year: int, warm: bool = True, formats: tuple[str, ...] | None = None) -> dict[str, list[float]]:
    """Each command's times, ``rounds`` rounds alternating (after one round unmeasured, to warm the
    disk cache, when ``warm``)."""
    with tempfile.TemporaryDirectory() as tmp:
        steps = commands(year, Path(tmp), formats)
        if warm:
            for command in steps.values():
                timed(command)
        runs: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(rounds):
            for name, command in steps.items():
                runs[name].append(timed(command))
    return runs


def table_rows(quick: bool = False, rounds: int = 5, year: int = 2023) -> list[dict]:
    """The rows of ``make bench``'s table: the build against Papermill alone, and the unchanged rebuild
    against the build (``quick``: one round, no warming, HTML only, to check that the benchmark runs)."""
    runs = measure(1 if quick else rounds, year, warm=not quick, formats=QUICK_FORMATS if quick else None)
    bare, build, rebuild = (statistics.median(runs[name]) for name in ("bare", "build", "rebuild"))
    full, quick_build = "full build (HTML, PDF/A, Word, annexes, manifest)", "build (quick: HTML only)"
    return [
        {"what": f"a year's {quick_build if quick else full} vs Papermill alone, commands ({year})",
         "measured": f"{build / bare:.2f}× ({build:.1f} s vs {bare:.1f} s)", "goal": f"≤ {GOAL:.1f}×",
         "holds": build / bare <= GOAL},
        {"what": f"an unchanged rebuild vs a {quick_build if quick else 'full build'}, commands ({year})",
         "measured": f"{rebuild / build:.2f}× ({rebuild:.2f} s vs {build:.1f} s)", "goal": f"≤ {REBUILD_GOAL:.1f}×",
         "holds": rebuild / build <= REBUILD_GOAL},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--quick", action="store_true", help="one round, no warming, HTML only (does it run?)")
    args = parser.parse_args()
    runs = measure(1 if args.quick else args.rounds, args.year, warm=not args.quick,
                   formats=QUICK_FORMATS if args.quick else None)
    median = {name: statistics.median(times) for name, times in runs.items()}
    print(f"year {args.year}, {len(runs['build'])} rounds, alternating; seconds (median; every run)\n")
    print("| command | median | runs |")
    print("|---|---|---|")
    for name, times in runs.items():
        print(f"| {name} | {median[name]:.2f} | {' '.join(f'{t:.2f}' for t in times)} |")
    print(f"\nbuild / bare = {median['build'] / median['bare']:.2f}× (goal ≤ {GOAL:.1f}×); "
          f"rebuild / build = {median['rebuild'] / median['build']:.2f}× (goal ≤ {REBUILD_GOAL:.1f}×)")


if __name__ == "__main__":
    main()
