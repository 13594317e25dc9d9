"""Benchmark (not a test) of batch and incremental builds, each pair measured side by side in one run.

    .venv/bin/python benchmarks/bench_batch.py [--rounds 1] [--quick]

1. ``build --all --force`` over every sample year (``params/*.yaml``, the default formats) with
   ``--jobs 1``, ``--jobs 2`` and ``--scheduler local`` (a Dask cluster started on this machine, one
   worker process a core), one after the other in each round, into fresh temporary folders.
   Goals: ``--jobs 2`` at least 1.85× faster than ``--jobs 1``; the Dask cluster within 1.1× of ``--jobs 2``.
   The CPU time of each command's whole process tree is printed too: ``--jobs 1`` already keeps more
   than one core busy part of the time (the kernel runs while the build process imports and renders),
   so 2 × (wall of ``--jobs 1``) / (CPU of ``--jobs 1``) bounds what 2 jobs can gain on 2 cores.
(The unchanged rebuild is measured in ``bench_build.py``, large registers in ``bench_scale.py``.)

Commands are run as a user runs them (``python -m sangkien ...``; for ``--all`` through a launcher that
names the parameters folder, which is ``params/`` itself unless ``--quick``); times are wall-clock medians.
``--quick`` (``table_rows(quick=True)``): two years, HTML only: only shows that the
benchmark runs.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

LAUNCHER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "assert r.returncode == 0, r.stderr.decode()\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
)
"""Runs a command and prints its wall time, the peak resident memory (KiB) of the largest process of its
tree and the CPU seconds of the tree (the processes that were waited for), so that this process's own
memory and time do not count."""
BATCH_MODES = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"], "--scheduler local": ["--scheduler", "local"]}


def run(args: list[str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "sangkien", *args], cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"sangkien {' '.join(args)} exited {completed.returncode}:\n{completed.stderr}")
    return time.perf_counter() - started


def measured(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak MiB and CPU seconds of ``command`` (a new process tree)."""
    completed = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    wall, kib, cpu = completed.stdout.split()
    return float(wall), int(kib) / 1024, float(cpu)


def run_measured(args: list[str]) -> tuple[float, float]:
    wall, mib, _ = measured([sys.executable, "-m", "sangkien", *args])
    return wall, mib


def build_all_command(params_dir: Path, *args: str) -> list[str]:
    """``sangkien build --all ARGS`` with ``params_dir`` as the parameters folder."""
    code = (f"import sys; from pathlib import Path; from sangkien import paths; paths.PARAMS_DIR = Path({str(params_dir)!r}); "
            f"from sangkien.cli import main; sys.exit(main({['build', '--all', *args]!r}))")
    return [sys.executable, "-c", code]


def sample_years() -> list[str]:
    return sorted(p.stem for p in (ROOT / "params").glob("*.yaml") if p.stem.isdigit())


def _params_dir(tmp: Path, quick: bool) -> tuple[Path, list[str]]:
    years = sample_years()
    if not quick:
        return ROOT / "params", years
    folder = tmp / "params"
    folder.mkdir()
    for name in ["defaults", *years[-2:]]:
        shutil.copy(ROOT / "params" / f"{name}.yaml", folder / f"{name}.yaml")
    return folder, years[-2:]


def batch_rows(tmp: Path, quick: bool, rounds: int) -> list[dict]:
    """--jobs 1, --jobs 2 and the local Dask cluster, side by side (measurement 1)."""
    params_dir, years = _params_dir(tmp, quick)
    formats = ["--to", "html"] if quick else []
    walls: dict[str, list[float]] = {mode: [] for mode in BATCH_MODES}
    cpus: dict[str, list[float]] = {mode: [] for mode in BATCH_MODES}
    for r in range(rounds):
        for n, (mode, extra) in enumerate(BATCH_MODES.items()):
            wall, _, cpu = measured(build_all_command(params_dir, "--force", "--out", str(tmp / f"all-{r}-{n}"),
                                                      *extra, *formats))
            walls[mode].append(wall)
            cpus[mode].append(cpu)
    one, two, dask = (statistics.median(walls[m]) for m in BATCH_MODES)
    cpu = {m: statistics.median(c) for m, c in cpus.items()}
    what = f"`build --all --force`, {len(years)} sample years ({years[0]}–{years[-1]})"
    return [
        {"what": f"{what}: --jobs 2 against --jobs 1",
         "measured": f"{one / two:.2f}× faster ({two:.1f} s vs {one:.1f} s; CPU {cpu['--jobs 2']:.0f} s vs "
                     f"{cpu['--jobs 1']:.0f} s: at most {min(2.0, 2 * one / cpu['--jobs 1']):.2f}× on 2 cores)",
         "goal": "≥ 1.85×", "holds": one / two >= 1.85},
        {"what": f"{what}: --scheduler local (Dask, {os.cpu_count()} worker processes) against --jobs 2",
         "measured": f"{dask / two:.2f}× ({dask:.1f} s vs {two:.1f} s; CPU {cpu['--scheduler local']:.0f} s)",
         "goal": "≤ 1.1×", "holds": dask / two <= 1.1},
    ]


def table_rows(quick: bool = False, rounds: int = 1) -> list[dict]:
    """Every measurement of this module, side by side in one run (see the module's notes)."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        return batch_rows(Path(tmp), quick, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small sizes: only shows that it runs")
    args = parser.parse_args()
    years = sample_years()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU, {len(years)} sample years "
          f"({years[0]}–{years[-1]}), {args.rounds} round(s)\n")
    rows = table_rows(args.quick, args.rounds)
    print("| measured | result | goal | holds |")
    print("|---|---|---|---|")
    for row in rows:
        holds = {True: "yes", False: "no", None: "—"}[row["holds"]]
        print(f"| {row['what']} | {row['measured']} | {row['goal']} | {holds} |")


if __name__ == "__main__":
    main()
