"""The report's tables as HTML: numbers formatted the Vietnamese way, all text escaped.

Each function takes figures (from :mod:`sangkien.figures`) and returns the ``<table>`` markup;
:func:`captioned` puts a table under its caption (the number before it is the document's: report.css).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import pandas as pd

from sangkien import figures as fig
from sangkien.report import vnformat as vn
from sangkien.report.markup import text
from sangkien.report.wording import block_label, rate


@dataclass(frozen=True)
class Col:
    label: str
    numeric: bool = False
    width: str = ""


def render(columns: Sequence[Col], rows: Iterable[Sequence[str]], *, total: Sequence[str] | None = None,
           group_rows: dict[int, str] | None = None, css_class: str = "") -> str:
    """A table; ``rows`` hold display strings (escaped here); ``group_rows`` maps a row index to a
    heading row shown before it; ``total`` is a bold last row."""
    head = "".join(
        (f'<th style="width:{c.width}">' if c.width else "<th>") + f"{text(c.label)}</th>" for c in columns
    )
    body = []
    group_rows = group_rows or {}
    for i, row in enumerate(rows):
        if i in group_rows:
            body.append(f'<tr class="group"><td colspan="{len(columns)}">{text(group_rows[i])}</td></tr>')
        cells = "".join(f'<td class="{"num" if c.numeric else "text"}">{text(v)}</td>' for c, v in zip(columns, row))
        body.append(f"<tr>{cells}</tr>")
    foot = ""
    if total is not None:
        cells = "".join(f'<td class="{"num" if c.numeric else "text"}">{text(v)}</td>' for c, v in zip(columns, total))
        foot = f'<tr class="total">{cells}</tr>'
    return (f'<table class="data {css_class}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}{foot}</tbody></table>')


def captioned(title: str, table: str) -> str:
    """A table under its caption. No number here: the document counts its tables (``Bảng 1.``, ``Bảng 2.``...
    in the order it shows them, a CSS counter of report.css), so running a cell again changes nothing."""
    return f'<div class="table-block"><div class="caption table-caption">{text(title)}</div>{table}</div>'


def by_block(current: dict, previous: dict, year: int) -> str:
    """Per block: submitted, recognised, rate this year, and recognised last year."""
    columns = [Col("Khối", width="30%"), Col("Số đề nghị", True), Col("Số được công nhận", True), Col("Tỷ lệ công nhận", True),
               Col(f"Công nhận năm {year - 1}", True)]
    rows = []
    for block, c in current.items():
        p = previous.get(block, {"recognized": 0})
        rows.append([block, vn.integer(c["submitted"]), vn.integer(c["recognized"]),
                     rate(c["recognized"], c["submitted"]), vn.integer(p["recognized"])])
    s = sum(c["submitted"] for c in current.values())
    r = sum(c["recognized"] for c in current.values())
    pr = sum(p["recognized"] for p in previous.values())
    return render(columns, rows, total=["Tổng cộng", vn.integer(s), vn.integer(r), rate(r, s), vn.integer(pr)])


def by_unit(table: pd.DataFrame, labels: dict[str, str] | None = None, whole: pd.DataFrame | None = None) -> str:
    """Per unit, grouped under its block, with the benefit in one unit of money for the whole column
    (triệu or tỷ đồng, chosen by the total: :func:`sangkien.report.vnformat.money_unit`); ``labels``: a unit's
    name as the table shows it, when not its own (a unit that took others in names them). ``whole``: every
    unit's row when ``table`` shows only some (:func:`sangkien.figures.units_shown`): the total is of them all
    and says how many."""
    labels = labels or {}
    whole = table if whole is None else whole
    benefit = float(whole["benefit_vnd"].sum())
    unit = vn.money_unit(benefit)
    columns = [Col("TT", True, "2.2em"), Col("Đơn vị", width="42%"), Col("Đề nghị", True), Col("Công nhận", True),
               Col("Tỷ lệ", True), Col(f"Số tiền làm lợi ({unit})", True, "17%")]
    rows, groups, last = [], {}, None
    for i, r in enumerate(table.itertuples(index=False)):
        if r.khoi != last:
            groups[i] = block_label(r.khoi, capital=True)
            last = r.khoi
        rows.append([str(i + 1), labels.get(r.don_vi, r.don_vi), vn.integer(r.submitted), vn.integer(r.recognized),
                     rate(r.recognized, r.submitted), vn.table_money(r.benefit_vnd, unit) if r.benefit_vnd else vn.DASH])
    s, rc = int(whole["submitted"].sum()), int(whole["recognized"].sum())
    label = "Tổng cộng" if len(whole) == len(table) else f"Tổng cộng ({vn.integer(len(whole))} đơn vị)"
    return render(columns, rows, group_rows=groups, css_class="units",
                  total=["", label, vn.integer(s), vn.integer(rc), rate(rc, s),
                         vn.table_money(benefit, unit) if benefit else vn.DASH])


def by_field(table: pd.DataFrame) -> str:
    columns = [Col("TT", True, "2.2em"), Col("Lĩnh vực", width="40%"), Col("Đề nghị", True), Col("Công nhận", True), Col("Tỷ lệ", True)]
    rows = [[str(i + 1), r.linh_vuc, vn.integer(r.submitted), vn.integer(r.recognized), rate(r.recognized, r.submitted)]
            for i, r in enumerate(table.itertuples(index=False))]
    return render(columns, rows)


def period(trend: pd.DataFrame, blocks: Sequence[str], start: int, end: int) -> str:
    """Year by year over the period, each block's recognised/submitted, and a cumulative total row."""
    columns = [Col("Năm", width="15%")] + [Col(f"{b} (công nhận/đề nghị)", True) for b in blocks] + [
        Col("Tổng (công nhận/đề nghị)", True), Col("Tỷ lệ", True)]

    def pair(r: int, s: int) -> str:
        return f"{vn.integer(r)}/{vn.integer(s)}"

    rows = []
    for year in range(start, end + 1):
        rows_y = trend[trend["nam"] == year]
        cells = [str(year)]
        for b in blocks:
            rb = rows_y[rows_y["khoi"] == b]
            cells.append(pair(int(rb["recognized"].sum()), int(rb["submitted"].sum())))
        s, r = int(rows_y["submitted"].sum()), int(rows_y["recognized"].sum())
        rows.append(cells + [pair(r, s), rate(r, s)])
    total = [f"Cộng {start}–{end}"]
    for b in blocks:
        rb = trend[trend["khoi"] == b]
        total.append(pair(int(rb["recognized"].sum()), int(rb["submitted"].sum())))
    s, r = int(trend["submitted"].sum()), int(trend["recognized"].sum())
    return render(columns, rows, total=total + [pair(r, s), rate(r, s)], css_class="period")


def renamed(blocks: pd.DataFrame, units: pd.DataFrame) -> str:
    """What a reorganisation mapped (each from :func:`sangkien.figures.renamed`): every earlier block, then
    every earlier unit, with today's name and the initiatives it brought."""
    columns = [Col("TT", True, "2.2em"), Col("Tên trước đây", width="40%"), Col("Tên hiện nay", width="36%"),
               Col("Số sáng kiến", True)]
    rows, groups = [], {}
    for heading, table in (("Khối", blocks), ("Đơn vị", units)):
        if not table.empty:
            groups[len(rows)] = heading
        for r in table.itertuples(index=False):
            rows.append([str(len(rows) + 1), r.old, r.new, vn.integer(r.submitted)])
    return render(columns, rows, group_rows=groups, css_class="renamed")


def recognized_list(rows: pd.DataFrame, blocks: Sequence[str]) -> str:
    """The appendix: every recognised initiative (title, authors, unit, field), grouped by block."""
    # fixed layout: the last column takes what the others leave (widths summing to 100% would overflow)
    columns = [Col("TT", True, "2.2em"), Col("Tên sáng kiến", width="35%"), Col("Tác giả", width="21%"),
               Col("Đơn vị", width="19%"), Col("Lĩnh vực")]
    ordered = fig.ordered_recognized(rows, blocks)
    out, groups, last = [], {}, None
    for i, r in enumerate(ordered.itertuples(index=False)):
        if r.khoi != last:
            groups[i] = block_label(r.khoi, capital=True)
            last = r.khoi
        out.append([str(i + 1), r.ten_sang_kien, r.tac_gia, r.don_vi, r.linh_vuc])
    return render(columns, out, group_rows=groups, css_class="appendix-list")


def unit_trend(trend: pd.DataFrame, city: pd.DataFrame | None = None, level: str = "thành phố") -> str:
    """A unit year by year (from :func:`sangkien.figures.unit_trend`), one row a year: submitted, recognised
    and rate, the level's rate beside it (``city`` from :func:`sangkien.figures.yearly_counts`), and the
    total (one kind of number per column, whatever the number of years)."""
    years = [int(y) for y in trend["nam"]]
    s, r = int(trend["submitted"].sum()), int(trend["recognized"].sum())
    total_label = f"Cộng {years[0]}–{years[-1]}" if len(years) > 1 else "Cộng"
    lines = [("Số đề nghị", [vn.integer(v) for v in trend["submitted"]], vn.integer(s)),
             ("Số được công nhận", [vn.integer(v) for v in trend["recognized"]], vn.integer(r)),
             ("Tỷ lệ công nhận", [rate(a, b) for a, b in zip(trend["recognized"], trend["submitted"])], rate(r, s))]
    if city is not None:
        cs, cr = int(city["submitted"].sum()), int(city["recognized"].sum())
        lines.append((f"Tỷ lệ chung của {level}",
                      [rate(a, b) for a, b in zip(city["recognized"], city["submitted"])], rate(cr, cs)))
    columns = [Col("Năm")] + [Col(label, True) for label, _, _ in lines]
    rows = [[str(y), *(cells[i] for _, cells, _ in lines)] for i, y in enumerate(years)]
    return render(columns, rows, total=[total_label, *(total for _, _, total in lines)], css_class="unit-trend")


def unit_list(rows: pd.DataFrame) -> str:
    """A unit's initiatives of the year (from :func:`sangkien.figures.unit_list`): code, title, authors,
    field, result and the council's score (one decimal, :func:`sangkien.report.vnformat.score`)."""
    # fixed layout, at 11 pt: a code of 13 characters ("HS-2024-04413") fits its column on one line; the last
    # column takes what the others leave
    columns = [Col("TT", True, "6%"), Col("Mã số", width="18%"), Col("Tên sáng kiến", width="26%"),
               Col("Tác giả", width="18%"), Col("Lĩnh vực", width="12%"), Col("Kết quả", width="12%"),
               Col("Điểm", True)]
    out = [[str(i + 1), r.ma_so, r.ten_sang_kien, r.tac_gia, r.linh_vuc, r.ket_qua, vn.score(r.diem)]
           for i, r in enumerate(rows.itertuples(index=False))]
    return render(columns, out, css_class="unit-list")
