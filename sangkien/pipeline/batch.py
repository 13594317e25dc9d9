"""Every year at once: ``sangkien build --all [--jobs N | --scheduler ADDRESS]``.

Each year of ``params/`` (not the defaults) is built by :func:`sangkien.pipeline.build.build_year` in a worker
process of its own (its own kernel, staging folder and lock), N at a time. A failing year does not
stop the others; the exit status is non-zero when any failed. Progress goes to stderr (a bar on a
terminal, plain lines otherwise); a closing summary to stdout; ``index.html`` in the output folder
links every published year. With ``--scheduler`` the years are tasks on a Dask cluster instead
(:mod:`sangkien.pipeline.cluster`), with the same progress, summary and exit status.
"""
from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import as_completed
from pathlib import Path

from sangkien import files, paths
from sangkien.errors import ParamsError
from sangkien.pipeline import indexes, stage
from sangkien.pipeline.processes import interrupts, workers
from sangkien.pipeline.processes.workers import Outcome

STATUS_WORDS = {"built": "đã dựng", "up-to-date": "không đổi", "failed": "lỗi"}


def param_years(params_dir: Path | None = None) -> list[int]:
    """The years that have a ``params/YEAR.yaml`` (the shared defaults are not a year)."""
    folder = Path(params_dir or paths.PARAMS_DIR)
    return sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())


def _build_one(year: int, params_file: str, out_dir: str | None, formats: tuple[str, ...], force: bool,
               units: bool, final: bool, overlap: bool) -> Outcome:
    """Runs in a worker: one year, every outcome returned as plain data (never raised)."""
    return workers.attempt(year, _build, year, params_file, out_dir, formats, force, units, final, overlap)


def _build(year: int, params_file: str, out_dir: str | None, formats: tuple[str, ...], force: bool,
           units: bool, final: bool, overlap: bool) -> Outcome:
    from sangkien.pipeline.build import build_year

    # ``overlap``: one of the last years of the batch (:func:`overlapping`)
    result = build_year(year, params_file=params_file, out_dir=out_dir, formats=formats, force=force, units=units,
                        final=final, overlap=overlap, pass_signed=True)
    return Outcome(year, "up-to-date" if result.up_to_date else "built", reason=result.reason,
                   outputs={k: str(v) for k, v in result.outputs.items()})


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


def _line(outcome: Outcome) -> str:
    head = f"{outcome.subject}: {STATUS_WORDS[outcome.status]} ({_seconds(outcome.seconds)})"
    if outcome.failed:
        return head + f", mã thoát {outcome.exit_status}"
    return head + (f" — {outcome.reason}" if outcome.reason else "")


def build_all(out_dir=None, formats=("html", "pdf", "docx"), jobs: int | None = None, force: bool = False,
              units: bool = False, params_dir: str | Path | None = None, scheduler: str | None = None,
              final: bool = False) -> int:
    """Build every year of ``params/`` (or ``params_dir``), ``jobs`` at a time (default: the number of cores),
    or on the Dask cluster at ``scheduler`` (``tcp://host:8786``; ``local`` starts one here, ``jobs``
    worker processes: :mod:`sangkien.pipeline.cluster`); with ``final``, each year as the version to sign
    (a year that lacks something for it fails, naming what).

    Returns 0 when every year was built or up to date; otherwise the failing years' exit status
    (1 when they differ). ParamsError (exit 2), before anything, for ``jobs`` with a remote ``scheduler``
    (its workers are the cluster's own).
    """
    from sangkien.pipeline.cluster import LOCAL

    if scheduler is not None and scheduler != LOCAL and jobs is not None:
        raise ParamsError("lệnh không hợp lệ: --jobs chỉ đi cùng --scheduler local (số tiến trình của cụm trên "
                          "máy này); một cụm Dask ở xa tự chia việc cho các tiến trình của nó")
    out = Path(out_dir or paths.REPORTS_DIR)
    stage.check_out(out)
    params_dir = Path(params_dir or paths.PARAMS_DIR)
    years = param_years(params_dir)
    if not years:
        print(f"không có tệp tham số năm nào (NĂM.yaml) trong {params_dir}", file=sys.stderr)
        return 2
    order = longest_first(out, years)
    if scheduler is not None:
        from sangkien.pipeline import cluster

        # a local cluster never has more workers than there is work: a year each (with --units, at least a core
        # each for the unit sheets' batches), as --jobs without a scheduler
        work = max(len(years), os.cpu_count() or 1) if units else len(years)
        with cluster.connect(scheduler, jobs, work=work) as client:
            return _run(years, out, cluster.heading(client, scheduler), lambda emit: cluster.run(
                client, order, params_dir, out, tuple(formats), force, units, emit, final))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(years)))
    overlap = overlapping(order, jobs)
    return _run(years, out, f", {jobs} năm một lúc", lambda emit: _in_processes(
        jobs, order, params_dir, out, tuple(formats), force, units, final, overlap, emit))


def longest_first(out: Path, years: list[int]) -> list[int]:
    """The years in the order to start them: the longest builds first, so that the short ones fill the
    workers' gaps at the end (no worker left with a long year while the others idle). How long a year
    takes is what its last build recorded (``timings_s`` of its manifest); a year never built comes first,
    and among equals the newest (it compares the most years, and takes longest).

    >>> longest_first(Path("/nonexistent"), [2016, 2017, 2018])
    [2018, 2017, 2016]
    """
    def recorded(year: int) -> float:
        try:
            timings = json.loads((out / str(year) / "manifest.json").read_text(encoding="utf-8"))["timings_s"]
            return float(sum(timings.values()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return float("inf")

    return sorted(years, key=lambda year: (recorded(year), year), reverse=True)


def overlapping(order: list[int], workers_count: int) -> set[int]:
    """The years of ``order`` (the order they start in, on ``workers_count`` workers) built with what may be
    made beside the PDF (the Word draft) in a process of its own (``overlap``:
    :func:`sangkien.pipeline.build.make`): the last ``workers_count`` to start. Before them, a worker that is
    done takes the next year at once, and a second process of a year would only take a core from another
    year; once they have started no year is left waiting, a worker that is done has nothing to take, and
    its core goes to the years still running (without it, the last year's Word draft waits for its PDF
    while the other core idles). None with one worker: one year at a time, as asked.

    >>> sorted(overlapping([2025, 2024, 2023, 2022], 2)), overlapping([2025, 2024], 1)
    ([2022, 2023], set())
    """
    return set(order[-workers_count:]) if workers_count > 1 else set()


def _in_processes(jobs: int, years: list[int], params_dir: Path, out: Path, formats: tuple[str, ...], force: bool,
                  units: bool, final: bool, overlap: set[int], emit) -> None:
    """The years in ``jobs`` worker processes of this machine, started in the order given (``overlap``:
    those built with their own second process, :func:`overlapping`), each outcome to ``emit`` as it comes."""
    with workers.pool(jobs) as pool:
        futures = [pool.submit(_build_one, year, str(params_dir / f"{year}.yaml"), str(out), formats, force, units,
                               final, year in overlap)
                   for year in years]
        for future in as_completed(futures):
            interrupts.check()
            emit(future.result())


def _run(years: list[int], out: Path, how: str, work) -> int:
    """``work(emit)`` builds the years, calling ``emit`` with each outcome: the progress on stderr (a bar
    on a terminal), then the index page, the summary on stdout, and the exit status."""
    outcomes: list[Outcome] = []
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(years), unit="năm", desc="Dựng báo cáo", file=sys.stderr)
    else:
        print(f"dựng {len(years)} năm ({years[0]}–{years[-1]}){how}", file=sys.stderr)

    def emit(outcome: Outcome) -> None:
        outcomes.append(outcome)
        lines = [_line(outcome)] + [f"{outcome.subject}: {p}" for p in outcome.problems]
        for line in lines:
            if bar is not None:
                bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr, flush=True)
        if bar is not None:
            bar.update(1)

    started = time.perf_counter()
    try:
        work(emit)
    finally:
        if bar is not None:
            bar.close()
    total = time.perf_counter() - started
    outcomes.sort(key=lambda o: o.subject)
    index = indexes.write_years(out)
    print(summary(outcomes, total, out, index))
    failed = {o.exit_status for o in outcomes if o.failed}
    return 0 if not failed else (failed.pop() if len(failed) == 1 else 1)


def summary(outcomes: list[Outcome], total: float, out: Path, index: Path | None) -> str:
    """The closing table: year, status, time, outputs."""
    rows = [("Năm", "Trạng thái", "Thời gian", "Kết quả")]
    for o in outcomes:
        if o.failed:
            result = o.problems[0] if o.problems else ""
        else:
            result = ", ".join(files.shown(p, out) for k, p in sorted(o.outputs.items()) if k in ("html", "pdf"))
        rows.append((str(o.subject), STATUS_WORDS[o.status], _seconds(o.seconds), result))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    counts = {s: sum(o.status == s for o in outcomes) for s in STATUS_WORDS}
    lines.append(f"Tổng: {counts['built']} năm đã dựng, {counts['up-to-date']} năm không đổi, "
                 f"{counts['failed']} năm lỗi; {_seconds(total)}. Mục lục: "
                 + (str(index) if index else f"không ghi, {out / 'index.html'} không do sangkien ghi nên được giữ nguyên"))
    return "\n".join(lines)
