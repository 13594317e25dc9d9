"""Benchmark (not a test): one year's full build against Papermill executing the same notebook alone.

Both run side by side in the same loop, alternating, as separate processes started from the shell
the way a user starts them:
  bare  = `papermill notebooks/bao-cao-nam.ipynb OUT.ipynb -p year 2023 ...` (execution only)
  build = `python -m sangkien build 2023 --out DIR` (validation, execution, HTML, PDF, manifest)
and in-process, after imports (the pure engine cost):
  bare  = papermill.execute_notebook(...)
  build = sangkien.build_year(...)
Prints medians and the ratio build / bare. Usage: python benchmarks/bench_build.py [ROUNDS] [YEAR]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    year = int(sys.argv[2]) if len(sys.argv) > 2 else 2023
    notebook = ROOT / "notebooks" / "bao-cao-nam.ipynb"
    params = ROOT / "params" / f"{year}.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bare_cmd = [str(BIN / "papermill"), str(notebook), str(tmp / "bare.ipynb"), "-p", "year", str(year),
                    "-p", "params_file", str(params), "--no-progress-bar", "-k", "python3"]
        build_cmd = [sys.executable, "-m", "sangkien", "build", str(year), "--out", str(tmp / "reports"), "--force"]
        timed(bare_cmd), timed(build_cmd)  # warm the disk cache
        proc = {"bare": [], "build": []}
        for _ in range(rounds):
            proc["bare"].append(timed(bare_cmd))
            proc["build"].append(timed(build_cmd))

        from sangkien.pipeline.workarounds import jsonschema_iri

        jsonschema_iri.keep_out()  # as the build does, so both sides import alike
        import papermill

        from sangkien.pipeline.build import build_year

        inproc = {"bare": [], "build": []}
        for _ in range(rounds):
            started = time.perf_counter()
            papermill.execute_notebook(str(notebook), str(tmp / "bare.ipynb"), progress_bar=False,
                                       parameters={"year": year, "params_file": str(params)})
            inproc["bare"].append(time.perf_counter() - started)
            started = time.perf_counter()
            result = build_year(year, out_dir=tmp / "reports-inproc", force=True)
            inproc["build"].append(time.perf_counter() - started)
        stages = result.manifest["timings_s"]

    print(f"year {year}, {rounds} rounds each, alternating; medians in seconds\n")
    print("| measured | Papermill alone | full build (HTML + PDF + manifest) | ratio |")
    print("|---|---|---|---|")
    for name, runs in (("as commands (new process each)", proc), ("in one process, after imports", inproc)):
        bare, build = statistics.median(runs["bare"]), statistics.median(runs["build"])
        print(f"| {name} | {bare:.2f} | {build:.2f} | {build / bare:.2f}× |")
    print(f"\nlast in-process build's stages: {stages}")


if __name__ == "__main__":
    main()
