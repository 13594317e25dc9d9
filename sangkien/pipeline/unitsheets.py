"""Every unit's result sheet of a year: ``sangkien build YEAR --units``.

The unit notebook (``notebooks/bao-cao-don-vi.ipynb``) is executed under Papermill once per unit that
put forward an initiative that year, ``jobs`` units at a time, each in a worker process with its own
kernel; each sheet is rendered to HTML and PDF like the yearly report, into ``don-vi/`` of the year's
staging folder, under a readable ASCII file name (:func:`sangkien.names.unique_stems`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from sangkien import paths
from sangkien.errors import SangkienError
from sangkien.pipeline import workers

FOLDER = "don-vi"


def _sheets(year: int, params_file: str, data_file: str, register_file: str, notebook: str, folder: str,
            formats: tuple[str, ...], batch: list[tuple[str, str]]) -> list[tuple[str, str] | tuple[str, list[str], int]]:
    """Runs in a worker: the sheets of ``batch`` [(unit, stem)], one after another.

    Returns ``(unit, "ok")`` or ``(unit, problems, exit status)`` per unit; never raises."""
    from sangkien.inputs.params import load_params
    from sangkien.pipeline import execute as execution
    from sangkien.pipeline import render

    execution.prepare()
    import nbformat

    params = load_params(year, params_file, data_file)
    results = []
    scratch = Path(tempfile.mkdtemp(prefix="sangkien-units-"))
    try:
        for unit, stem in batch:
            try:
                executed = scratch / f"{stem}.ipynb"
                execution.run_notebook(Path(notebook), executed, params,
                                       extra={"unit": unit, "register_file": register_file})
                page = render.export_html(nbformat.read(str(executed), as_version=4),
                                          f"Kết quả sáng kiến năm {year} — {unit}", "")
                target = Path(folder)
                if "html" in formats:
                    (target / f"{stem}.html").write_text(page, encoding="utf-8")
                if "pdf" in formats:
                    render.write_pdf(page, target / f"{stem}.pdf")
                results.append((unit, "ok"))
            except SangkienError as exc:
                results.append((unit, list(exc.problems), exc.exit_status))
            except KeyboardInterrupt:
                shutil.rmtree(scratch, ignore_errors=True)
                workers.stop_now()
            except Exception as exc:
                results.append((unit, [f"lỗi không mong đợi: {type(exc).__name__}: {exc}"], 1))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def build_sheets(params, register, register_file: Path, staging: Path, formats: tuple[str, ...], jobs: int | None = None,
                 notebook: Path | None = None) -> dict[str, dict[str, str]]:
    """Build every unit's sheet of ``params.year`` into ``staging/don-vi/``.

    Returns ``{stem: {"unit": name, "html": path, "pdf": path}}`` (paths relative to ``staging``).
    Raises CellError (or the first failing unit's error) naming the unit when a sheet fails.
    """
    from sangkien.figures import frame, units_of_year
    from sangkien.pipeline.names import unique_stems

    notebook = Path(notebook or paths.UNIT_NOTEBOOK)
    units = units_of_year(frame(register), params.year)
    stems = unique_stems(units)
    folder = staging / FOLDER
    folder.mkdir()
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(units)))
    batches = [[(u, stems[u]) for u in units[i::jobs]] for i in range(jobs)]
    failures: list[tuple[str, list[str], int]] = []
    with workers.pool(jobs) as pool:
        futures = [pool.submit(_sheets, params.year, str(params.params_file), str(params.data), str(register_file), str(notebook),
                               str(folder), tuple(formats), batch) for batch in batches if batch]
        for future in futures:
            failures.extend(result for result in future.result() if len(result) == 3)
    if failures:
        unit, problems, status = failures[0]
        lines = [f'phiếu kết quả của đơn vị "{unit}": {line}' for line in problems]
        if len(failures) > 1:
            lines.append(f"và {len(failures) - 1} đơn vị khác cũng lỗi: "
                         + "; ".join(f'"{u}"' for u, _, _ in failures[1:6]) + ("; …" if len(failures) > 6 else ""))
        raise workers.error(lines, status)
    sheets = {}
    for unit in units:
        stem = stems[unit]
        entry = {"unit": unit}
        for kind in formats:
            entry[kind] = f"{FOLDER}/{stem}.{kind}"
        sheets[stem] = entry
    write_index(folder, params.year, sheets)
    return sheets


def write_index(folder: Path, year: int, sheets: dict[str, dict[str, str]]) -> Path:
    """``don-vi/index.html``: every unit's sheet of the year, with links to its HTML and PDF."""
    from sangkien.report.markup import esc, index_page

    rows = []
    for n, (stem, entry) in enumerate(sheets.items(), start=1):
        links = " · ".join(f'<a href="{esc(stem)}.{kind}">{label}</a>'
                           for kind, label in (("html", "HTML"), ("pdf", "PDF")) if kind in entry)
        rows.append(f"<tr><td>{n}</td><td>{esc(entry['unit'])}</td><td>{links}</td></tr>")
    page = index_page(f"Phiếu kết quả xét công nhận sáng kiến của các đơn vị năm {year}",
                      "<table>\n<tr><th>TT</th><th>Đơn vị</th><th>Phiếu kết quả</th></tr>\n" + "\n".join(rows)
                      + "\n</table>\n")
    target = folder / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def build_unit(year: int, unit: str, params_file=None, data_file=None, out_dir=None,
               formats: tuple[str, ...] = ("html", "pdf")) -> dict[str, Path]:
    """One unit's sheet as a single call, for fanning units out over many workers or machines
    (Airflow, Dask: see docs/scaling.md). Writes ``OUT/YEAR/don-vi/STEM.html`` and ``.pdf`` (each
    file renamed into place whole) under the same name ``build YEAR --units`` gives it, and returns
    ``{format: path}``. ``build YEAR --units`` remains the way to publish a year with all its sheets
    in one consistent step.
    """
    from sangkien import inputs
    from sangkien.figures import frame, units_of_year
    from sangkien.inputs.register import save_snapshot
    from sangkien.pipeline.names import unique_stems
    from sangkien.report.unit import find_unit

    params, register = inputs.load(year, params_file, data_file)
    units = units_of_year(frame(register), params.year)
    name = find_unit(unit, units, params.year)
    stem = unique_stems(units)[name]
    folder = Path(out_dir or paths.REPORTS_DIR) / str(params.year) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".unit-{stem}-", dir=folder))
    try:
        snapshot = scratch / ".register.pickle"
        save_snapshot(register, snapshot)
        results = _sheets(params.year, str(params.params_file), str(params.data), str(snapshot),
                          str(paths.UNIT_NOTEBOOK), str(scratch), tuple(formats), [(name, stem)])
        if len(results[0]) == 3:
            _, problems, status = results[0]
            raise workers.error(problems, status)
        written = {}
        for kind in formats:
            os.replace(scratch / f"{stem}.{kind}", folder / f"{stem}.{kind}")
            written[kind] = folder / f"{stem}.{kind}"
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
