"""Benchmark (not a test): one year's full build against Papermill executing the same notebook alone, and
the documents' cost: the full build (HTML, PDF/A, Word draft) against the build as it was before them.

    python benchmarks/bench_build.py [ROUNDS] [YEAR] [--baseline-root DIR] [--documents-only]

1. Papermill against the build, side by side in the same loop, alternating, as separate processes
   started from the shell the way a user starts them:
     bare  = `papermill notebooks/bao-cao-nam.ipynb OUT.ipynb -p year 2023 ...` (execution only)
     build = `python -m sangkien build 2023 --out DIR` (validation, execution, HTML, PDF/A, Word, manifest)
   and in-process, after imports (the pure engine cost):
     bare  = papermill.execute_notebook(...)
     build = sangkien.build_year(...)
2. The documents, side by side, alternating, as commands:
     before = `python -m sangkien build 2023 --to html,pdf` run from ``--baseline-root`` (a checkout of the
              code before the Word draft and PDF/A, e.g. a worktree of the main branch; default: this
              checkout, whose HTML + PDF build writes PDF/A)
     after  = `python -m sangkien build 2023` (HTML, PDF/A, Word draft: the default formats)
   and in-process, on the built page: the PDF as plain PDF and as PDF/A-2b, and the Word draft alone.
Prints medians; ratios are after / before.
"""
from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], root: Path = ROOT) -> float:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    subprocess.run(command, cwd=root, check=True, capture_output=True, env=environment)
    return time.perf_counter() - started


def papermill_against_build(rounds: int, year: int, tmp: Path) -> tuple[dict, dict, dict]:
    notebook = ROOT / "notebooks" / "bao-cao-nam.ipynb"
    params = ROOT / "params" / f"{year}.yaml"
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
    return proc, inproc, result.manifest["timings_s"]


def documents(rounds: int, year: int, tmp: Path, baseline: Path) -> tuple[dict, dict]:
    """The build before the documents (HTML + PDF) against the full build, as commands; then, in this
    process, the PDF as plain PDF and as PDF/A-2b, and the Word draft, from the same page."""
    before_cmd = [sys.executable, "-m", "sangkien", "build", str(year), "--to", "html,pdf",
                  "--out", str(tmp / "before"), "--force"]
    after_cmd = [sys.executable, "-m", "sangkien", "build", str(year), "--out", str(tmp / "after"), "--force"]
    timed(before_cmd, baseline), timed(after_cmd)
    commands = {"before": [], "after": []}
    for _ in range(rounds):
        commands["before"].append(timed(before_cmd, baseline))
        commands["after"].append(timed(after_cmd))

    from sangkien.pipeline import render, word

    page = (tmp / "after" / str(year) / f"bao-cao-{year}.html").read_text(encoding="utf-8")
    render.warm_up()
    parts = {"plain PDF": [], "PDF/A-2b": [], "Word draft": []}
    for _ in range(rounds):
        for name, variant in (("plain PDF", None), ("PDF/A-2b", "pdf/a-2b")):
            render.PDF_VARIANT = variant
            started = time.perf_counter()
            render.write_pdf(page, tmp / "page.pdf", ("issuer",), "subject")
            parts[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        word.write_docx(page, tmp / "page.docx", draft=False, made=datetime.date(year + 1, 1, 5))
        parts["Word draft"].append(time.perf_counter() - started)
    render.PDF_VARIANT = "pdf/a-2b"
    return commands, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("year", nargs="?", type=int, default=2023)
    parser.add_argument("--baseline-root", type=Path, default=ROOT,
                        help="a checkout of the code before the documents (default: this one)")
    parser.add_argument("--documents-only", action="store_true", help="only part 2 (the documents)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.documents_only:
            proc, inproc, stages = papermill_against_build(args.rounds, args.year, tmp)
        commands, parts = documents(args.rounds, args.year, tmp, args.baseline_root.resolve())

    median = statistics.median
    print(f"year {args.year}, {args.rounds} rounds each, alternating; medians in seconds\n")
    if not args.documents_only:
        print("| measured | Papermill alone | full build (HTML + PDF/A + Word + manifest) | ratio |")
        print("|---|---|---|---|")
        for name, runs in (("as commands (new process each)", proc), ("in one process, after imports", inproc)):
            bare, build = median(runs["bare"]), median(runs["build"])
            print(f"| {name} | {bare:.2f} | {build:.2f} | {build / bare:.2f}× |")
        print(f"\nlast in-process build's stages: {stages}\n")
    before, after = median(commands["before"]), median(commands["after"])
    print(f"| measured | before: HTML + PDF ({args.baseline_root}) | after: HTML + PDF/A + Word | ratio |")
    print("|---|---|---|---|")
    print(f"| as commands (new process each) | {before:.2f} | {after:.2f} | {after / before:.2f}× |")
    plain, archival = median(parts["plain PDF"]), median(parts["PDF/A-2b"])
    print(f"| the PDF alone, in one process | plain: {plain:.2f} | PDF/A-2b: {archival:.2f} | {archival / plain:.2f}× |")
    print(f"| the Word draft alone, in one process | — | {median(parts['Word draft']):.2f} | |")


if __name__ == "__main__":
    main()
