"""The index pages of what was published, on one scaffold (:func:`sangkien.report.markup.index_page`):
``OUT/index.html`` links every published year, ``YEAR/don-vi/index.html`` every unit's sheet of a year.
Every text is escaped; each page is written in one step (a reader never sees half of it)."""
from __future__ import annotations

import json
from pathlib import Path

from sangkien import files
from sangkien.collation import sort_key
from sangkien.report.markup import esc, index_page
from sangkien.report.vnformat import integer

YEARS_TITLE = "Báo cáo kết quả phong trào thi đua nghiên cứu, phát huy sáng kiến, cải tiến kỹ thuật"
UNIT_SHEETS = "don-vi"
"""The folder of a year's unit sheets."""


def _links(targets: list[tuple[str, str]]) -> str:
    """``[(href, label)]`` as links separated by ' · ' (labels are the program's own text)."""
    return " · ".join(f'<a href="{esc(href)}">{label}</a>' for href, label in targets)


def _write(target: Path, title: str, body: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return files.write_atomic(target, index_page(title, body).encode("utf-8"))


def _published_years(out: Path) -> list[tuple[str, dict]]:
    """``(year, manifest)`` of every published year of ``out``, newest first (a folder without a
    readable manifest is not a published year)."""
    entries = []
    for folder in sorted(out.glob("[0-9]*"), key=lambda p: p.name, reverse=True):
        manifest_path = folder / "manifest.json"
        if not folder.name.isdigit() or not manifest_path.is_file():
            continue
        try:
            entries.append((folder.name, json.loads(manifest_path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return entries


def _year_item(out: Path, year: str, manifest: dict) -> str:
    targets = [(f"{year}/{rel}", label) for kind, label in (("html", "Trang web (HTML)"), ("pdf", "Văn bản (PDF)"))
               if (rel := manifest.get("outputs", {}).get(kind))]
    if (out / year / UNIT_SHEETS).is_dir():
        targets.append((f"{year}/{UNIT_SHEETS}/index.html", "Thông báo kết quả cho các đơn vị"))
    figures = manifest.get("figures", {}).get("year", {})
    facts = ""
    if figures:
        facts = (f" — {integer(figures.get('submitted', 0))} sáng kiến đề nghị, "
                 f"{integer(figures.get('recognized', 0))} được công nhận")
    sample = " (số liệu minh họa)" if manifest.get("sample_data") else ""
    return f"<li><strong>Năm {esc(year)}</strong>{esc(facts)}{esc(sample)}<br>{_links(targets)}</li>"


def write_years(out: Path) -> Path:
    """``OUT/index.html``: every published year of ``out`` (newest first) with links to its HTML and PDF
    (and its unit sheets)."""
    items = [_year_item(out, year, manifest) for year, manifest in _published_years(out)]
    body = "<ul>\n" + "\n".join(items) + "\n</ul>\n" if items else "<p>Chưa có báo cáo nào.</p>\n"
    return _write(out / "index.html", YEARS_TITLE, body)


def write_units(folder: Path, year: int, sheets: dict[str, dict[str, str]]) -> Path:
    """``don-vi/index.html``: every unit's notice of the year (``{stem: {"unit": name, format: path}}``), in
    Vietnamese order of the units' names, with links to its HTML and PDF."""
    rows = []
    ordered = sorted(sheets.items(), key=lambda item: sort_key(item[1]["unit"]))
    for n, (stem, entry) in enumerate(ordered, start=1):
        targets = [(f"{stem}.{kind}", label) for kind, label in (("html", "HTML"), ("pdf", "PDF")) if kind in entry]
        rows.append(f"<tr><td>{n}</td><td>{esc(entry['unit'])}</td><td>{_links(targets)}</td></tr>")
    body = ("<table>\n<tr><th>TT</th><th>Đơn vị</th><th>Thông báo kết quả</th></tr>\n" + "\n".join(rows)
            + "\n</table>\n")
    return _write(folder / "index.html", f"Thông báo kết quả xét công nhận sáng kiến cho các đơn vị năm {year}", body)
