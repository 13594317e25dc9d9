"""Every year at once: ``sangkien build --all [--jobs N]``.

Each year of ``params/`` (not the defaults) is built by :func:`sangkien.build.build_year` in a worker
process of its own (its own kernel, staging folder and lock), N at a time. A failing year does not
stop the others; the exit status is non-zero when any failed. Progress goes to stderr (a bar on a
terminal, plain lines otherwise); a closing summary to stdout; ``index.html`` in the output folder
links every published year.
"""
from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import paths
from sangkien.pipeline import workers
from sangkien.report.markup import esc, index_page
from sangkien.report.vnformat import integer

STATUS_WORDS = {"built": "đã dựng", "up-to-date": "không đổi", "failed": "lỗi"}


@dataclass
class YearOutcome:
    year: int
    status: str
    """'built', 'up-to-date' or 'failed'."""
    seconds: float
    exit_status: int = 0
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)


def param_years(params_dir: Path | None = None) -> list[int]:
    """The years that have a ``params/YEAR.yaml`` (the shared defaults are not a year)."""
    folder = Path(params_dir or paths.PARAMS_DIR)
    return sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())


def _build_one(year: int, params_file: str, out_dir: str | None, formats: tuple[str, ...], force: bool,
               units: bool) -> YearOutcome:
    """Runs in a worker: one year, every outcome returned as plain data (never raised)."""
    from sangkien.errors import SangkienError
    from sangkien.pipeline.build import build_year

    started = time.perf_counter()
    try:
        kwargs = {"units": True} if units else {}
        result = build_year(year, params_file=params_file, out_dir=out_dir, formats=formats, force=force, **kwargs)
    except SangkienError as exc:
        return YearOutcome(year, "failed", time.perf_counter() - started, exc.exit_status, problems=list(exc.problems))
    except KeyboardInterrupt:  # stopped (SIGTERM from the parent): the build removed its staging folder
        workers.stop_now()
    except Exception as exc:  # one line, as the command line does
        return YearOutcome(year, "failed", time.perf_counter() - started, 1,
                           problems=[f"lỗi không mong đợi: {type(exc).__name__}: {exc}"])
    return YearOutcome(year, "up-to-date" if result.up_to_date else "built", time.perf_counter() - started,
                       reason=result.reason, outputs={k: str(v) for k, v in result.outputs.items()})


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


def _line(outcome: YearOutcome) -> str:
    head = f"{outcome.year}: {STATUS_WORDS[outcome.status]} ({_seconds(outcome.seconds)})"
    if outcome.status == "failed":
        return head + f", mã thoát {outcome.exit_status}"
    return head + (f" — {outcome.reason}" if outcome.reason else "")


def build_all(out_dir=None, formats=("html", "pdf"), jobs: int | None = None, force: bool = False,
              units: bool = False, params_dir: str | Path | None = None) -> int:
    """Build every year of ``params/`` (or ``params_dir``), ``jobs`` at a time (default: the number of cores).

    Returns 0 when every year was built or up to date; otherwise the failing years' exit status
    (1 when they differ).
    """
    out = Path(out_dir or paths.REPORTS_DIR)
    params_dir = Path(params_dir or paths.PARAMS_DIR)
    years = param_years(params_dir)
    if not years:
        print(f"không có tệp tham số năm nào (NĂM.yaml) trong {params_dir}", file=sys.stderr)
        return 2
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(years)))
    outcomes: list[YearOutcome] = []
    terminal = sys.stderr.isatty()
    bar = None
    if terminal:
        from tqdm import tqdm

        bar = tqdm(total=len(years), unit="năm", desc="Dựng báo cáo", file=sys.stderr)
    else:
        print(f"dựng {len(years)} năm ({years[0]}–{years[-1]}), {jobs} năm một lúc", file=sys.stderr)
    started = time.perf_counter()
    with workers.pool(jobs) as pool:
        futures = {pool.submit(_build_one, year, str(params_dir / f"{year}.yaml"), str(out), tuple(formats), force,
                               units): year for year in years}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            lines = [_line(outcome)] + [f"{outcome.year}: {p}" for p in outcome.problems]
            if bar is not None:
                for line in lines:
                    bar.write(line, file=sys.stderr)
                bar.update(1)
            else:
                for line in lines:
                    print(line, file=sys.stderr, flush=True)
    if bar is not None:
        bar.close()
    total = time.perf_counter() - started
    outcomes.sort(key=lambda o: o.year)
    index = write_index(out)
    print(summary(outcomes, total, out, index))
    failed = {o.exit_status for o in outcomes if o.status == "failed"}
    return 0 if not failed else (failed.pop() if len(failed) == 1 else 1)


def summary(outcomes: list[YearOutcome], total: float, out: Path, index: Path) -> str:
    """The closing table: year, status, time, outputs."""
    rows = [("Năm", "Trạng thái", "Thời gian", "Kết quả")]
    for o in outcomes:
        if o.status == "failed":
            result = o.problems[0] if o.problems else ""
        else:
            result = ", ".join(_shown(Path(p), out) for k, p in sorted(o.outputs.items()) if k in ("html", "pdf"))
        rows.append((str(o.year), STATUS_WORDS[o.status], _seconds(o.seconds), result))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    counts = {s: sum(o.status == s for o in outcomes) for s in STATUS_WORDS}
    lines.append(f"Tổng: {counts['built']} năm đã dựng, {counts['up-to-date']} năm không đổi, "
                 f"{counts['failed']} năm lỗi; {_seconds(total)}. Mục lục: {index}")
    return "\n".join(lines)


def _shown(path: Path, out: Path) -> str:
    try:
        return str(path.relative_to(out))
    except ValueError:
        return str(path)


def write_index(out: Path) -> Path:
    """``OUT/index.html``: every published year of ``out`` (newest first) with links to its HTML and PDF,
    written in one step (a temporary file renamed over the old one)."""
    entries = []
    for folder in sorted(out.glob("[0-9]*"), key=lambda p: p.name, reverse=True):
        manifest_path = folder / "manifest.json"
        if not folder.name.isdigit() or not manifest_path.is_file():
            continue
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries.append((folder.name, manifest))
    items = []
    for year, manifest in entries:
        links = []
        for kind, label in (("html", "Trang web (HTML)"), ("pdf", "Văn bản (PDF)")):
            rel = manifest.get("outputs", {}).get(kind)
            if rel:
                links.append(f'<a href="{esc(year)}/{esc(rel)}">{label}</a>')
        figures = manifest.get("figures", {}).get("year", {})
        facts = ""
        if figures:
            facts = (f" — {integer(figures.get('submitted', 0))} sáng kiến đề nghị, "
                     f"{integer(figures.get('recognized', 0))} được công nhận")
        units = Path(out / year / "don-vi")
        if units.is_dir():
            links.append(f'<a href="{esc(year)}/don-vi/index.html">Phiếu kết quả các đơn vị</a>')
        sample = " (số liệu minh họa)" if manifest.get("sample_data") else ""
        items.append(f"<li><strong>Năm {esc(year)}</strong>{esc(facts)}{esc(sample)}<br>{' · '.join(links)}</li>")
    page = index_page("Báo cáo kết quả phong trào thi đua nghiên cứu, phát huy sáng kiến, cải tiến kỹ thuật",
                      "<ul>\n" + "\n".join(items) + "\n</ul>\n" if items else "<p>Chưa có báo cáo nào.</p>\n")
    out.mkdir(parents=True, exist_ok=True)
    target = out / "index.html"
    temporary = out / f".index-{os.getpid()}.html"
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, target)
    return target
