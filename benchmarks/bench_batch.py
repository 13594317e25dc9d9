"""Benchmark (not a test) of batch and incremental builds, each pair measured side by side in one run.

    .venv/bin/python benchmarks/bench_batch.py [--rounds 1] [--rows 100000]

1. ``build --all --jobs 1`` against ``build --all --jobs 2`` over every sample year (``--force``,
   alternating, into fresh temporary folders). Goal: jobs 2 at least 1.7× faster.
2. An unchanged rebuild of one year against its full build. Goal: at most 0.1× the full build.
3. One year of a generated register of ROWS rows (eight years, ~300 units) against the sample year:
   wall time and the peak memory of the whole process tree. Goal: at most 2× the sample's time, under 1 GB.

Commands are run as a user runs them (``python -m sangkien ...``); times are wall-clock medians.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def run(args: list[str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "sangkien", *args], cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"sangkien {' '.join(args)} exited {completed.returncode}:\n{completed.stderr}")
    return time.perf_counter() - started


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall time and the peak resident memory (MiB) of the largest process of the tree (the build or
    its kernel), measured by a small launcher so that this process's own memory does not count."""
    launcher = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "assert r.returncode == 0, r.stderr.decode()\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    completed = subprocess.run([sys.executable, "-c", launcher, sys.executable, "-m", "sangkien", *args],
                               cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    wall, kib = completed.stdout.split()
    return float(wall), int(kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    years = sorted(p.stem for p in (ROOT / "params").glob("*.yaml") if p.stem.isdigit())
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU, {len(years)} sample years "
          f"({years[0]}–{years[-1]}), {args.rounds} round(s)\n")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)

        # 1. --jobs 1 against --jobs 2
        times = {1: [], 2: []}
        for r in range(args.rounds):
            for jobs in (1, 2):
                times[jobs].append(run(["build", "--all", "--force", "--jobs", str(jobs), "--out", str(tmp / f"all-{r}-{jobs}")]))
        one, two = statistics.median(times[1]), statistics.median(times[2])
        rows.append(("`build --all`, every sample year", f"--jobs 1: {one:.1f} s", f"--jobs 2: {two:.1f} s",
                     f"{one / two:.2f}× faster", "≥ 1.7×"))

        # 2. unchanged rebuild against a full build
        full, unchanged = [], []
        for r in range(max(3, args.rounds)):
            full.append(run(["build", "2023", "--force", "--out", str(tmp / "one")]))
            unchanged.append(run(["build", "2023", "--out", str(tmp / "one")]))
        f, u = statistics.median(full), statistics.median(unchanged)
        rows.append(("one year, nothing changed", f"full build: {f:.2f} s", f"up to date: {u:.2f} s",
                     f"{u / f:.3f}×", "≤ 0.1×"))

        # 3. a large register against the sample
        from bench_check import make_rows, write_csv

        from sangkien.inputs.params import default_blocks

        big = tmp / "so-dang-ky-lon.csv"
        write_csv(big, make_rows(args.rows, default_blocks()))
        sample_t, sample_m, big_t, big_m = [], [], [], []
        for r in range(args.rounds):
            t, m = run_measured(["build", "2023", "--force", "--out", str(tmp / "sample")])
            sample_t.append(t), sample_m.append(m)
            t, m = run_measured(["build", "2023", "--force", "--data", str(big), "--out", str(tmp / "big")])
            big_t.append(t), big_m.append(m)
        st, bt = statistics.median(sample_t), statistics.median(big_t)
        rows.append((f"year 2023 of a {args.rows:,}-row register", f"sample: {st:.1f} s, {max(sample_m):.0f} MiB",
                     f"large: {bt:.1f} s, {max(big_m):.0f} MiB", f"{bt / st:.2f}× the time",
                     "≤ 2× and < 1 GB"))

    print("| measured | before / baseline | after / compared | ratio | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
