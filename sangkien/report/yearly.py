"""The yearly report, piece by piece, for the report notebook.

The notebook holds the headings; each code cell calls one method of :class:`Report`, which returns
HTML built from the figures of :mod:`sangkien.figures`, the sentences of :mod:`sangkien.narrative`,
the tables of :mod:`sangkien.tables` and the charts of :mod:`sangkien.charts`. Tables and figures
are numbered in the order the notebook shows them.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from sangkien import figures as fig
from sangkien import files, inputs, provenance
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.report import annex, charts, document, tables
from sangkien.report import vnformat as vn
from sangkien.report import wording as narrative
from sangkien.report.markup import TOC_MARK, Html, esc, markdown

SECTION_KEYS = {
    "context": "I. Đặc điểm tình hình",
    "assessment": "III. Đánh giá chung",
    "direction": "IV. Phương hướng, nhiệm vụ",
    "recommendations": "V. Kiến nghị",
}


def _p(*sentences: str) -> str:
    text = " ".join(s for s in sentences if s)
    return f"<p>{esc(text)}</p>" if text else ""


def shown_path(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it, else the file name."""
    return files.shown(path) if files.inside_root(path) else Path(path).name


class Report:
    def __init__(self, params: Params, register: Register):
        self.params = params
        self.register = register
        self.year = params.year
        self.blocks = list(params.blocks)
        self._tables = 0
        self._figures = 0

    @classmethod
    def load(cls, year: int, params_file: str = "", data_file: str = "", register_file: str = "") -> "Report":
        """The notebook's parameters: the year, the parameters file, the register file, and the snapshot
        of the register the build validated (``register_file``, when a build runs the notebook)."""
        return cls(*inputs.load(year, params_file, data_file, register_file))

    # ------------------------------------------------------------------ figures
    @property
    def frame(self):
        return fig.frame(self.register)

    @cached_property
    def rows(self):
        return fig.rows_of_year(self.frame, self.year)

    @cached_property
    def previous_rows(self):
        return fig.rows_of_year(self.frame, self.year - 1)

    @cached_property
    def counts(self) -> dict:
        return fig.counts(self.rows)

    @cached_property
    def previous_counts(self) -> dict:
        return fig.counts(self.previous_rows)

    @cached_property
    def by_block(self) -> dict:
        return fig.by_block(self.rows, self.blocks)

    @cached_property
    def previous_by_block(self) -> dict:
        return fig.by_block(self.previous_rows, self.blocks)

    @cached_property
    def period(self) -> dict:
        return fig.period_figures(self.frame, self.params.period_start, self.params.period_end, self.blocks)

    def figures(self) -> dict:
        """The ``figures`` object of manifest.json: the same numbers the report prints."""
        return fig.manifest_figures(self.frame, self.year, self.params.period_start, self.blocks)

    # ------------------------------------------------------------------ numbering
    def _table(self, title: str, body: str) -> str:
        self._tables += 1
        return (f'<div class="table-block"><div class="caption table-caption">Bảng {self._tables}. {esc(title)}</div>'
                f"{body}</div>")

    def _figure(self, title: str, figure) -> str:
        self._figures += 1
        png = charts.to_png(figure)
        return (f'<figure class="chart"><img src="{charts.data_uri(png)}" alt="{esc(title)}"/>'
                f'<figcaption>Hình {self._figures}. {esc(title)}</figcaption></figure>')

    # ------------------------------------------------------------------ parts
    def header(self) -> Html:
        """The sample notice (when the data is illustrative), the letterhead, the title, the contents."""
        notice = document.sample_notice() if self.params.sample_data else ""
        return Html(notice + document.letterhead(self.params) + TOC_MARK)

    def section(self, key: str) -> Html:
        """An analyst-written section from the parameters (Markdown)."""
        text = getattr(self.params.sections, key)
        if not text.strip():
            return Html(f'<p class="placeholder">(Phần “{esc(SECTION_KEYS[key])}” chưa được viết: '
                        f"điền khóa sections.{esc(key)} trong tệp tham số.)</p>")
        return Html(f'<div class="analyst">{markdown(text).html}</div>')

    def overview(self) -> Html:
        return Html(_p(narrative.overview(self.year, self.counts, self.params.recognition_level),
                       narrative.blocks_sentence(self.by_block)))

    def blocks_part(self) -> Html:
        table = self._table(f"Kết quả xét công nhận sáng kiến năm {self.year} theo khối",
                            tables.by_block(self.by_block, self.previous_by_block, self.year))
        if not self.counts["submitted"]:
            return Html(table)
        chart = self._figure(f"Sáng kiến đề nghị và được công nhận năm {self.year} theo khối",
                             charts.block_bars(self.by_block))
        return Html(table + chart)

    def units_part(self) -> Html:
        table = fig.by_unit(self.rows, self.blocks)
        if table.empty:
            return Html(_p(f"Năm {self.year} không có đơn vị nào đề nghị công nhận sáng kiến."))
        text = _p(f"Có {vn.integer(len(table))} đơn vị đề nghị công nhận sáng kiến trong năm {self.year}.",
                  narrative.top_units_sentence(table))
        return Html(text + self._table(f"Kết quả xét công nhận sáng kiến năm {self.year} theo đơn vị",
                                       tables.by_unit(table)))

    def fields_part(self) -> Html:
        table = fig.by_field(self.rows)
        if table.empty:
            return Html("")
        text = _p(narrative.top_field_sentence(table))
        title = f"Sáng kiến năm {self.year} theo lĩnh vực áp dụng (công nhận/đề nghị)"
        if len(table) > 10:
            title += f", {vn.integer(10)} lĩnh vực nhiều sáng kiến nhất"
        return Html(text + self._figure(title, charts.field_bars(table)))

    def authors_part(self) -> Html:
        recognized = fig.recognized_rows(self.rows)
        return Html(_p(narrative.authors_sentence(len(recognized), fig.authors(recognized))))

    def benefit_part(self) -> Html:
        return Html(_p(narrative.benefit_sentence(self.counts["recognized"], fig.benefit_reported(self.rows),
                                                  fig.benefit_vnd(self.rows))))

    def comparison_part(self) -> Html:
        p = self.params
        out = _p(narrative.comparison(self.year, self.counts, self.previous_counts))
        out += _p(narrative.period_sentence(p.period_start, p.period_end, self.period, self.period["by_block"]),
                  narrative.year_against_period(self.year, self.counts["recognized"], p.period_start, p.period_end,
                                                self.period["recognized"]))
        if p.period_end >= p.period_start:
            trend = fig.trend_by_block(self.frame, p.period_start, self.year, self.blocks)
            out += self._figure(f"Sáng kiến đề nghị và được công nhận theo khối, {p.period_start}–{self.year}",
                                charts.trend_lines(trend, self.blocks))
            period_trend = trend[trend["nam"] <= p.period_end]
            out += self._table(f"Sáng kiến được công nhận/đề nghị theo năm và theo khối, {p.period_start}–{p.period_end}",
                               tables.period(period_trend, self.blocks, p.period_start, p.period_end))
        return Html(out)

    def assessment(self) -> Html:
        """Computed facts beside the analyst's assessment."""
        facts = narrative.block_rate_facts(self.year, self.by_block, self.previous_by_block)
        items = "".join(f"<li>{esc(f)}</li>" for f in facts)
        computed = f'<p>Một số nhận xét từ số liệu:</p><ul class="facts">{items}</ul>' if items else ""
        return Html(computed + self.section("assessment").html)

    def closing(self) -> Html:
        return Html(document.closing(self.params))

    def appendix(self) -> Html:
        recognized = fig.recognized_rows(self.rows)
        title = f"DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN CẤP {self.params.recognition_level.upper()} NĂM {self.year}"
        head = (f'<section class="appendix"><h2 id="phu-luc">PHỤ LỤC</h2>'
                f'<div class="appendix-title">{esc(title)}</div>'
                f'<div class="appendix-sub">(Kèm theo Báo cáo số {esc(self.params.doc_number or "...")}/'
                f"{esc(self.params.doc_symbol)})</div>")
        if recognized.empty:
            return Html(head + _p("Không có sáng kiến nào được công nhận.") + "</section>")
        if len(recognized) > annex.APPENDIX_LIMIT:
            return Html(head + _p(
                f"Danh sách {vn.integer(len(recognized))} sáng kiến được công nhận (mã số, tên sáng kiến, tác giả, "
                f"đơn vị, khối, lĩnh vực, số tiền làm lợi, điểm) được gửi kèm theo Báo cáo này trong tệp "
                f"{annex.file_name(self.year)}.") + "</section>")
        return Html(head + tables.recognized_list(recognized, self.blocks) + "</section>")

    def colophon(self) -> Html:
        p = self.params
        built = provenance.build_date(p.issue_date)
        commit = provenance.git_commit() or "không xác định"
        lines = [
            f"Tệp dữ liệu: {shown_path(p.data)} ({vn.integer(len(self.frame))} dòng; SHA-256 {self.register.sha256})",
            "Tệp tham số: " + ", ".join(shown_path(f) for f in p.files) + f" (SHA-256 {p.sha256()})",
            f"Phiên bản phần mềm: sangkien, commit {commit}",
        ]
        if built:
            lines.append(f"Ngày lập: {vn.text_date(built)}")
        items = "".join(f"<li>{esc(line)}</li>" for line in lines)
        return Html(f'<section class="colophon"><div class="colophon-title">Thông tin lập báo cáo</div><ul>{items}</ul></section>')
