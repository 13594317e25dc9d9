"""Every sentence, title and caption the report and the unit notices print, in one place.

To change what the report says, find the sentence here. Each entry takes figures (computed by
:mod:`sangkien.figures`: no sentence counts anything itself) and returns plain text (escaping is the
caller's job); every number goes through :mod:`sangkien.report.vnformat` and follows its rule of style
(percentages with two decimals, money in triệu đồng with one or tỷ đồng with two, means and scores with
one). The sentences are written as an office writes them: no sentence opens with a numeral, a rate
says what it is a rate of, nothing names a key of the parameters, and nothing names a city or a
province that the parameters do not.

What is *not* here: the words "Bảng N." and "Hình N." before a caption (the document numbers its
tables and figures: ``templates/sangkien/report.css``), a table's column headings
(:mod:`~sangkien.report.tables`), a chart's axes and legend (:mod:`~sangkien.report.charts`), the fixed
formulas of Decree 30 (national motto, "Nơi nhận:", "Số:": :mod:`~sangkien.report.document`), the
headings of the notebooks (``notebooks/*.ipynb``) and what the analyst writes (``params/YEAR.yaml``).

A sentence that depends on the figures is a function; a fixed text or caption is a constant, some of
them templates for ``str.format`` (``{year}`` is filled in). In the order the documents show them:

1. the document: the notices (illustrative data, draft), document types, page titles, the signer and
   the recipients when the parameters give none;
2. the analyst's sections: their titles (from :class:`sangkien.inputs.params.Sections`) and what an
   empty one's place says;
3. part II, the yearly results: sentences, then the titles of tables and figures (captions);
4. part III: the facts drawn from the figures;
5. the appendix and the colophon;
6. a unit's notice;
7. the phrases the sentences share (rates, changes, block names, bodies' names).

>>> change_phrase(90, 80, "số sáng kiến được công nhận")
'số sáng kiến được công nhận tăng 12,50% (từ 80 lên 90)'
>>> change_phrase(80, 80, "số sáng kiến đề nghị")
'số sáng kiến đề nghị không thay đổi (80 sáng kiến)'
"""
from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from sangkien.figures import change_percent, decided, decided_rate, mean_per, recognition_rate
from sangkien.inputs.params import Sections
from sangkien.inputs.schema import fold
from sangkien.report import vnformat as vn

# =========================================================================== 1. the document

SAMPLE_NOTICE = "DỮ LIỆU MINH HỌA — không phải số liệu chính thức"
"""On top of the page and in the bottom margin of every PDF page when the register is illustrative."""

DRAFT_MARK = "DỰ THẢO"
"""In the top margin of every PDF page (and on top of the HTML page) while an analyst's section is empty."""

REPORT_DOC_TYPE = "BÁO CÁO"
"""The yearly report's document type, over its subject line (the subject is the parameters')."""

NOTICE_DOC_TYPE = "THÔNG BÁO"
"""A unit's result sheet is a notice to that unit: its document type."""

NOTICE_SYMBOL_TYPE = "TB"
"""The notice's document type in its symbol: the report's 'BC-SKHCN' gives the notice 'TB-SKHCN'."""


def notice_subject(year: int, unit: str) -> str:
    """The subject line of a unit's notice, under 'THÔNG BÁO'."""
    return f"Kết quả xét công nhận sáng kiến năm {year} của {unit}"


def report_page_title(year: int) -> str:
    """The yearly report's title in the browser (the HTML ``<title>``)."""
    return f"Báo cáo kết quả phong trào sáng kiến năm {year}"


def unit_page_title(year: int, unit: str) -> str:
    """A unit notice's title in the browser (the HTML ``<title>``)."""
    return f"Thông báo kết quả xét công nhận sáng kiến năm {year} — {unit}"


SAMPLE_SIGNER = "Nguyễn Văn Mẫu"
"""The signer's name printed on illustrative data when the parameters give none; on real data the
line is left blank for the clerk (and the version to sign refuses it)."""

FILING = "Lưu: VT"
"""The archive line of Decree 30 ("Lưu: VT, <drafting unit>"): the records office; the drafting unit follows."""


def filing(drafting_unit: str) -> str:
    """The archive line: the records office (VT) and the drafting unit's abbreviation, when there is one.

    >>> filing("QLKH"), filing("  ")
    ('Lưu: VT, QLKH', 'Lưu: VT')
    """
    unit = " ".join(drafting_unit.split())
    return f"{FILING}, {unit}" if unit else FILING


def default_recipients(level: str, parent_body: str, issuing_body: str, drafting_unit: str = "") -> list[str]:
    """'Nơi nhận' when the parameters give none, from the level and the bodies they do give (nothing of
    another province): the body above (to report to), the level's initiative council, the units that
    put initiatives forward, the issuing body's leaders, the archive (:func:`filing`).

    >>> default_recipients("tỉnh", "UBND TỈNH HÀ SƠN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "QLKH")
    ['UBND tỉnh (để báo cáo)', 'Hội đồng Sáng kiến cấp tỉnh', 'Các đơn vị có sáng kiến đề nghị công nhận', \
'Giám đốc, các Phó Giám đốc Sở', 'Lưu: VT, QLKH']
    >>> default_recipients("bộ", "BỘ CÔNG THƯƠNG", "VỤ KHOA HỌC VÀ CÔNG NGHỆ")[::3]
    ['Bộ Công thương (để báo cáo)', 'Lãnh đạo Vụ Khoa học và Công nghệ']
    """
    above = f"UBND {level}" if _is_people_committee(parent_body) else body_name(parent_body)
    leaders = ("Giám đốc, các Phó Giám đốc Sở" if fold(issuing_body).startswith("sở ")
               else f"Lãnh đạo {body_name(issuing_body)}")
    return [f"{above} (để báo cáo)", f"Hội đồng Sáng kiến cấp {level}", "Các đơn vị có sáng kiến đề nghị công nhận",
            leaders, filing(drafting_unit)]


def with_filing(recipients: Sequence[str], drafting_unit: str) -> list[str]:
    """``recipients`` ending with the archive line: theirs when they have one (as written), else
    :func:`filing` of ``drafting_unit`` added last.

    >>> with_filing(["Sở Y tế"], "QLKH"), with_filing(["Sở Y tế", "Lưu: VT, P.KH"], "QLKH")
    (['Sở Y tế', 'Lưu: VT, QLKH'], ['Sở Y tế', 'Lưu: VT, P.KH'])
    """
    return list(recipients) if _filing_of(recipients) else [*recipients, filing(drafting_unit)]


def _filing_of(recipients: Sequence[str]) -> str | None:
    return next((r for r in reversed(recipients) if fold(r).startswith("lưu")), None)


def filing_line(recipients: Sequence[str], drafting_unit: str = "") -> str:
    """The archive line of a list of recipients ('Lưu: VT, QLKH'), or :func:`filing` of ``drafting_unit``
    when it has none."""
    return _filing_of(recipients) or filing(drafting_unit)


# =========================================================================== 2. the analyst's sections

def section_title(key: str) -> str:
    """The title of an analyst-written section, from the meaning :class:`~sangkien.inputs.params.Sections`
    gives its key (without 'phần' and the parenthesis); the notebook's heading is this title in capitals.

    >>> section_title("context"), section_title("assessment")
    ('I. Đặc điểm tình hình, công tác chỉ đạo', 'III. Đánh giá chung')
    """
    meanings = {f.name: f.metadata["meaning"] for f in dataclasses.fields(Sections)}
    return re.sub(r"\s*\(.*\)$", "", meanings[key].removeprefix("phần "))


_SECTION_CONTENTS = {
    "context": "đặc điểm tình hình năm {year}; các văn bản chỉ đạo, hướng dẫn về công tác sáng kiến; công tác "
               "tuyên truyền; việc tiếp nhận hồ sơ và tổ chức Hội đồng Sáng kiến",
    "assessment": "ưu điểm, hạn chế và nguyên nhân, ngoài các nhận xét rút ra từ số liệu nêu trên",
    "direction": "phương hướng và các nhiệm vụ chính của năm {next_year}",
    "recommendations": "các kiến nghị với cấp trên và các cơ quan liên quan (kinh phí, cơ chế, khen thưởng)",
}


def section_placeholder(key: str, year: int) -> str:
    """What the place of a section not yet written says, in the words of the document (the report is then
    a draft: see :data:`DRAFT_MARK`).

    >>> section_placeholder("direction", 2023)
    '(Dự thảo: nội dung phần này đang được soạn, gồm phương hướng và các nhiệm vụ chính của năm 2024.)'
    """
    contents = _SECTION_CONTENTS[key].format(year=year, next_year=year + 1)
    return f"(Dự thảo: nội dung phần này đang được soạn, gồm {contents}.)"


# =========================================================================== 3. part II: sentences

def overview(year: int, counts: dict, level: str = "thành phố") -> str:
    """II.1. What was put forward and recognised this year, and what the rate is a rate of (of all put
    forward; while some are pending, also of those decided)."""
    s, r, p = counts["submitted"], counts["recognized"], counts["pending"]
    if s == 0:
        return f"Năm {year}, sổ đăng ký không ghi nhận sáng kiến nào được đề nghị công nhận cấp {level}."
    text = f"Năm {year}, các đơn vị đã đề nghị công nhận {vn.integer(s)} sáng kiến cấp {level}"
    if not p:
        recognised = (f"{vn.integer(r)} sáng kiến được công nhận, đạt tỷ lệ {rate(r, s)} số sáng kiến đề nghị" if r
                      else "chưa có sáng kiến nào được công nhận")
        return f"{text}; {recognised}."
    text += (f", trong đó {vn.integer(decided(counts))} sáng kiến đã có kết quả xét và {vn.integer(p)} sáng kiến "
             f"đang được xem xét")
    if not r:
        return f"{text}; chưa có sáng kiến nào được công nhận."
    return (f"{text}; {vn.integer(r)} sáng kiến được công nhận, bằng {vn.percent(decided_rate(counts))} số sáng kiến "
            f"đã có kết quả xét và {rate(r, s)} tổng số sáng kiến đề nghị.")


def rate_base(counts: dict) -> str:
    """II.1. While some are pending, which base the report's other rates (tables included) are of (without
    pending ones, the overview's "số sáng kiến đề nghị" has said it)."""
    if not counts["pending"]:
        return ""
    return ("Tỷ lệ công nhận nêu trong Báo cáo này (các bảng và các so sánh) là tỷ lệ trên tổng số sáng kiến "
            "đề nghị, kể cả sáng kiến đang được xem xét.")


def appendix_reference(recognized: int, file_name: str | None = None) -> str:
    """II.1. Where the list of recognised initiatives is: the appendix, or (a long list) the file the
    appendix names."""
    if not recognized:
        return ""
    if file_name:
        return (f"Danh sách {vn.integer(recognized)} sáng kiến được công nhận gửi kèm theo Báo cáo này trong tệp "
                f"{file_name} (xem Phụ lục).")
    return "Danh sách các sáng kiến được công nhận tại Phụ lục kèm theo Báo cáo này."


def blocks_sentence(by_block: dict) -> str:
    """II.1. The same, block by block."""
    parts = []
    for block, c in by_block.items():
        if c["submitted"]:
            parts.append(f"{block_label(block)} có {vn.integer(c['submitted'])} sáng kiến đề nghị, "
                         f"{vn.integer(c['recognized'])} sáng kiến được công nhận "
                         f"(tỷ lệ {rate(c['recognized'], c['submitted'])})")
        else:
            parts.append(f"{block_label(block)} không có sáng kiến đề nghị")
    return "Trong đó, " + "; ".join(parts) + "." if parts else ""


def no_units_sentence(year: int) -> str:
    """II.3. In place of the units' table when nothing was put forward."""
    return f"Năm {year} không có đơn vị nào đề nghị công nhận sáng kiến."


def units_sentence(year: int, units: int) -> str:
    """II.3. How many units put initiatives forward."""
    return f"Năm {year} có {vn.integer(units)} đơn vị đề nghị công nhận sáng kiến."


def units_elsewhere(shown: int, units: int, file_name: str, sheet: str) -> str:
    """II.3. The units' table of a year with too many units to print: which it shows, and where all are."""
    return (f"Bảng dưới đây nêu {vn.integer(shown)} đơn vị có nhiều sáng kiến được công nhận nhất; kết quả của cả "
            f"{vn.integer(units)} đơn vị có tại trang “{sheet}” của tệp {file_name} gửi kèm theo Báo cáo này.")


def top_units_sentence(top) -> str:
    """II.3. The units with most recognised initiatives (``top`` from :func:`sangkien.figures.top_units`)."""
    parts = [f"{r.don_vi} ({vn.integer(r.recognized)} sáng kiến)" for r in top.itertuples(index=False)]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"Đơn vị có nhiều sáng kiến được công nhận nhất là {parts[0]}."
    return f"Các đơn vị có nhiều sáng kiến được công nhận nhất là {', '.join(parts[:-1])} và {parts[-1]}."


def top_field_sentence(fields: int, top: dict | None) -> str:
    """II.4. How many fields, and the leading one (``top`` from :func:`sangkien.figures.top_field`; ``None``
    when none leads alone)."""
    if not fields:
        return ""
    if top is None:
        return f"Các sáng kiến đề nghị thuộc {vn.integer(fields)} lĩnh vực."
    name = f"lĩnh vực {top['linh_vuc']}"
    counted = (f"{vn.integer(top['recognized'])} sáng kiến được công nhận trên {vn.integer(top['submitted'])} "
               f"sáng kiến đề nghị" if top["recognized"]
               else f"{vn.integer(top['submitted'])} sáng kiến đề nghị, chưa có sáng kiến nào được công nhận")
    if fields == 1:
        return f"Các sáng kiến đề nghị đều thuộc {name}, với {counted}."
    return f"Các sáng kiến đề nghị thuộc {vn.integer(fields)} lĩnh vực; nhiều nhất là {name} với {counted}."


def authors_sentence(year: int, a: dict) -> str:
    """II.5. Authors and co-authors of the recognised initiatives (``a`` from :func:`sangkien.figures.authors`:
    a person is a name within a unit, and the sentence says so)."""
    if not a["first_authors"]:
        return f"Năm {year} không có sáng kiến được công nhận nên chưa có tác giả được ghi nhận."
    co = (f"{vn.integer(a['co_authors'])} lượt đồng tác giả" if a["co_authors"] else "không có đồng tác giả")
    together = (f"{vn.integer(a['with_coauthors'])} sáng kiến do hai người trở lên cùng thực hiện"
                if a["with_coauthors"] else "mỗi sáng kiến do một người thực hiện")
    return (f"Các sáng kiến được công nhận có {vn.integer(a['entries'])} lượt tác giả, đồng tác giả "
            f"({vn.integer(a['first_authors'])} tác giả chính, {co}), là {vn.integer(a['people'])} người "
            f"(mỗi người tính theo họ tên và đơn vị đề nghị); {together}.")


def benefit_sentence(recognized: int, reported: int, total_vnd: float, of_unit: bool = False) -> str:
    """II.6. The benefit money of the recognised initiatives (``of_unit``: of a unit's, on its notice)."""
    whose = "của đơn vị " if of_unit else ""
    if recognized == 0:
        return "Chưa có sáng kiến được công nhận nên chưa có số tiền làm lợi."
    if reported == 0:
        return f"Sáng kiến được công nhận {whose}chưa xác định được số tiền làm lợi."
    amount = f"tổng cộng khoảng {vn.money(total_vnd)}"
    if reported > 1:
        amount += f" (bình quân {vn.money(mean_per(total_vnd, reported))}/sáng kiến)"
    if reported == recognized:
        subject = ("Sáng kiến được công nhận " + whose if recognized == 1
                   else f"Cả {vn.integer(recognized)} sáng kiến được công nhận {whose}")
        return f"{subject}đã xác định được số tiền làm lợi, {amount}."
    return (f"Trong số {vn.integer(recognized)} sáng kiến được công nhận {whose.strip()}, {vn.integer(reported)} "
            f"sáng kiến đã xác định được số tiền làm lợi, {amount}.").replace(" ,", ",")


def comparison(year: int, current: dict, previous: dict) -> str:
    """II.7. This year against last year, in words."""
    if previous["submitted"] == 0:
        return f"Sổ đăng ký không có số liệu năm {year - 1} để so sánh."
    parts = [count_change(year, current["recognized"], previous["recognized"], "số sáng kiến được công nhận",
                          percent=True),
             count_change(year, current["submitted"], previous["submitted"], "số sáng kiến đề nghị", percent=True)]
    now = recognition_rate(current["recognized"], current["submitted"])
    before = recognition_rate(previous["recognized"], previous["submitted"])
    if now is not None and before is not None:
        parts.append(rate_change_phrase(now, before, "tỷ lệ công nhận"))
    return f"So với năm {year - 1}, " + "; ".join(parts) + "."


def period_sentence(start: int, end: int, counts: dict, by_block: dict) -> str:
    """II.7. The comparison period's totals, block by block."""
    if end < start or counts["submitted"] == 0:
        return f"Sổ đăng ký không có số liệu các năm trước năm {end + 1} để so sánh với giai đoạn trước."
    span = f"Năm {start}" if start == end else f"Giai đoạn {start}–{end}"
    parts = [(f"{block_label(b)} được công nhận {vn.integer(c['recognized'])} trên {vn.integer(c['submitted'])} "
              f"sáng kiến đề nghị ({rate(c['recognized'], c['submitted'])})") if c["submitted"]
             else f"{block_label(b)} không có sáng kiến đề nghị" for b, c in by_block.items()]
    return (f"{span}, các đơn vị đã đề nghị công nhận {vn.integer(counts['submitted'])} sáng kiến, trong đó "
            f"{vn.integer(counts['recognized'])} sáng kiến được công nhận (tỷ lệ "
            f"{rate(counts['recognized'], counts['submitted'])}); theo khối: " + "; ".join(parts) + ".")


def year_against_period(year: int, recognized: int, start: int, end: int, period_recognized: int) -> str:
    """II.7. This year's recognised initiatives against the period's yearly mean (empty without a period)."""
    mean = mean_per(period_recognized, end - start + 1) if end >= start else None
    if not mean:
        return ""
    pct = change_percent(recognized, mean)
    against = f"mức bình quân {vn.mean(mean)} sáng kiến/năm của giai đoạn {year_span(start, end)}"
    if vn.percent(abs(pct)) == vn.percent(0):
        return f"Số sáng kiến được công nhận năm {year} ({vn.integer(recognized)}) bằng {against}."
    direction = "cao hơn" if pct > 0 else "thấp hơn"
    return (f"Số sáng kiến được công nhận năm {year} ({vn.integer(recognized)}) {direction} {vn.percent(abs(pct))} "
            f"so với {against}.")


# --------------------------------------------------------------------------- part II: captions
# Templates (``str.format``, the names in braces are filled in). The document puts "Bảng N. " or
# "Hình N. " before each caption (report.css counts them in the order the page shows them).

BLOCKS_TABLE = "Kết quả xét công nhận sáng kiến năm {year} theo khối"
BLOCKS_CHART = "Sáng kiến đề nghị và được công nhận năm {year} theo khối"
UNITS_TABLE = "Kết quả xét công nhận sáng kiến năm {year} theo đơn vị"
TREND_CHART = "Sáng kiến đề nghị và được công nhận theo khối, {start}–{year}"
PERIOD_TABLE = "Sáng kiến được công nhận/đề nghị theo năm và theo khối, {start}–{end}"


def fields_chart_title(year: int, fields: int, shown: int) -> str:
    """``fields``: how many fields the year has; ``shown``: how many the chart shows at most."""
    title = f"Sáng kiến năm {year} theo lĩnh vực áp dụng (công nhận/đề nghị)"
    if fields > shown:
        title += f", {vn.integer(shown)} lĩnh vực nhiều sáng kiến nhất"
    return title


# =========================================================================== 4. part III: facts

FACTS_INTRO = "Qua số liệu tổng hợp, có thể rút ra một số nhận xét sau:"
"""Before the list of :func:`block_rate_facts`, above the analyst's assessment."""


def block_rate_facts(year: int, current: dict, previous: dict) -> list[str]:
    """For the assessment: which block's recognition rate rose or fell against last year."""
    facts = []
    for block, c in current.items():
        p = previous.get(block, {"submitted": 0, "recognized": 0})
        now = recognition_rate(c["recognized"], c["submitted"])
        before = recognition_rate(p["recognized"], p["submitted"])
        if now is None:
            facts.append(f"{block_label(block, capital=True)} không có sáng kiến đề nghị trong năm {year}.")
        elif before is None:
            facts.append(f"{block_label(block, capital=True)} đạt tỷ lệ công nhận {vn.percent(now)}; năm {year - 1} "
                         f"khối không có sáng kiến đề nghị để so sánh.")
        else:
            facts.append(rate_change_phrase(now, before, f"Tỷ lệ công nhận của {block_label(block)}",
                                            (year - 1, year)) + ".")
    return facts


# =========================================================================== 5. the appendix and the colophon

APPENDIX_HEADING = "PHỤ LỤC"
NOTHING_RECOGNIZED = "Không có sáng kiến nào được công nhận."
"""The appendix of a year without recognised initiatives."""


def appendix_title(level: str, year: int) -> str:
    return f"DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN CẤP {level.upper()} NĂM {year}"


def appendix_subtitle(doc_number: str, doc_symbol: str, date: str, issuing_body: str) -> str:
    """Under the appendix's title: the report it goes with, as Decree 30 writes it (``date`` as the
    header prints it, blanks included; a number not yet given is a blank for the clerk)."""
    number = doc_number.strip() or vn.BLANK
    return f"(Kèm theo Báo cáo số {number}/{doc_symbol} {date} của {issuing_body})"


def appendix_elsewhere(recognized: int, file_name: str, limit: int) -> str:
    """The appendix of a list too long to print: the file that carries it, and how many rows."""
    return (f"Danh sách {vn.integer(recognized)} sáng kiến được công nhận (mã số, tên sáng kiến, tác giả, đơn vị, "
            f"khối, lĩnh vực, số tiền làm lợi, điểm) dài hơn {vn.integer(limit)} dòng nên không in tại đây; danh sách "
            f"được gửi kèm theo Báo cáo này trong tệp {file_name}, gồm {vn.integer(recognized)} dòng, mỗi sáng kiến "
            f"một dòng.")


COLOPHON_TITLE = "Thông tin lập báo cáo"
"""The build's details, at the foot of the HTML page only (never in the PDF: the manifest has them)."""


def colophon_lines(data: str, rows: int, data_sha256: str, params_files: Sequence[str], params_sha256: str,
                   commit: str | None, built=None) -> list[str]:
    """The colophon: which register (shown path, rows, digest), which parameters, which software, when."""
    lines = [
        f"Tệp dữ liệu: {data} ({vn.integer(rows)} dòng; SHA-256 {data_sha256})",
        "Tệp tham số: " + ", ".join(params_files) + f" (SHA-256 {params_sha256})",
        f"Phiên bản phần mềm: sangkien, commit {commit or 'không xác định'}",
    ]
    if built:
        lines.append(f"Ngày lập: {vn.text_date(built)}")
    return lines


# =========================================================================== 6. a unit's notice

UNIT_RATE_MIN = 3
"""A unit's rate is set beside the level's and its block's only when it put forward at least this many:
"thấp hơn 77,78 điểm phần trăm" over a single initiative says nothing."""


def unit_overview(year: int, unit: str, counts: dict, level: str = "thành phố") -> str:
    """What a unit put forward this year and what was recognised."""
    s, r, p = counts["submitted"], counts["recognized"], counts["pending"]
    if s == 0:
        return f"Năm {year}, {unit} không có sáng kiến đề nghị công nhận cấp {level}."
    text = f"Năm {year}, {unit} đã đề nghị công nhận {vn.integer(s)} sáng kiến cấp {level}; "
    if r:
        text += f"{vn.integer(r)} sáng kiến được công nhận, đạt tỷ lệ {rate(r, s)} số sáng kiến đề nghị"
    else:
        text += "chưa có sáng kiến nào được công nhận"
    if p:
        text += f"; {vn.integer(p)} sáng kiến đang được xem xét"
    return text + "."


def unit_rate_sentence(unit: dict, city: dict, block: str | None, block_counts: dict,
                       level: str = "thành phố") -> str:
    """The unit's recognition rate beside the level's and its block's (empty when it put forward fewer
    than :data:`UNIT_RATE_MIN` or recognised none: the overview has said so)."""
    now = recognition_rate(unit["recognized"], unit["submitted"])
    city_rate = recognition_rate(city["recognized"], city["submitted"])
    if now is None or city_rate is None or unit["submitted"] < UNIT_RATE_MIN or not unit["recognized"]:
        return ""
    parts = [points_phrase(now, city_rate, f"tỷ lệ chung của {level}")]
    block_rate = recognition_rate(block_counts["recognized"], block_counts["submitted"])
    if block and block_rate is not None:
        parts.append(points_phrase(now, block_rate, f"tỷ lệ của {block_label(block)}"))
    return f"Tỷ lệ công nhận của đơn vị ({vn.percent(now)}) " + " và ".join(parts) + "."


def unit_share_sentence(year: int, unit: dict, city: dict, level: str = "thành phố") -> str:
    """The unit's part of the level's recognised initiatives (empty when it has none)."""
    if not unit["recognized"] or not city["recognized"]:
        return ""
    share = 100.0 * unit["recognized"] / city["recognized"]
    return (f"Số sáng kiến được công nhận của đơn vị chiếm {vn.percent(share)} trong tổng số "
            f"{vn.integer(city['recognized'])} sáng kiến được công nhận cấp {level} năm {year}.")


def unit_comparison(year: int, current: dict, previous: dict, level: str = "thành phố") -> str:
    """A unit's year against its last year, in counts (a unit's few initiatives make no percentages)."""
    if previous["submitted"] == 0:
        return f"Năm {year - 1}, đơn vị không có sáng kiến đề nghị công nhận cấp {level}."
    parts = [count_change(year, current["recognized"], previous["recognized"], "số sáng kiến được công nhận",
                          subject="đơn vị "),
             count_change(year, current["submitted"], previous["submitted"], "số sáng kiến đề nghị",
                          subject="đơn vị ")]
    return f"So với năm {year - 1}, " + "; ".join(parts) + "."


def unit_period_sentence(start: int, end: int, counts: dict, level: str = "thành phố") -> str:
    """A unit's totals over the comparison period (empty when the period is empty)."""
    if end < start:
        return ""
    span = f"Năm {start}" if start == end else f"Giai đoạn {start}–{end}"
    s, r = counts["submitted"], counts["recognized"]
    if s == 0:
        return f"{span}, đơn vị không có sáng kiến đề nghị công nhận cấp {level}."
    return (f"{span}, đơn vị đã đề nghị công nhận {vn.integer(s)} sáng kiến, "
            f"{vn.integer(r)} sáng kiến được công nhận (tỷ lệ {rate(r, s)}).")


def year_span(start: int, end: int) -> str:
    """The years a trend covers, for its captions.

    >>> year_span(2016, 2023), year_span(2023, 2023)
    ('2016–2023', '2023')
    """
    return f"{start}–{end}" if start < end else str(end)


# captions, as in part II (``span`` from :func:`year_span`)
UNIT_TREND_TABLE = "Sáng kiến của đơn vị qua các năm, {span}"
UNIT_TREND_CHART = "Sáng kiến của đơn vị đề nghị và được công nhận (công nhận/đề nghị), {span}"
UNIT_LIST = "Danh sách sáng kiến của đơn vị đề nghị công nhận năm {year}"


# =========================================================================== 7. shared phrases

def rate(recognized: int, submitted: int) -> str:
    """A recognition rate as printed (also in the tables): '77,78%'; a dash when nothing was submitted.

    >>> rate(63, 81), rate(4, 5), rate(0, 0)
    ('77,78%', '80,00%', '–')
    """
    return vn.percent(recognition_rate(recognized, submitted))


def block_label(block: str, capital: bool = False) -> str:
    """A block as the text names it: 'khối Giáo dục'; a block the parameters already call 'Khối ...'
    is not named twice.

    >>> block_label("Giáo dục"), block_label("Khối Y tế"), block_label("khối Y tế", capital=True)
    ('khối Giáo dục', 'khối Y tế', 'Khối Y tế')
    """
    name = " ".join(block.split())
    if fold(name).startswith("khối "):
        name = name[len("khối "):]
    return ("Khối " if capital else "khối ") + name


def count_change(year: int, current: int, previous: int, what: str, percent: bool = False, subject: str = "") -> str:
    """A count this year against last year: '<what> tăng/giảm (x%) từ a lên/xuống b', 'không thay đổi',
    or, when nothing is left this year, 'năm YEAR <subject>không có ... (năm YEAR-1: n sáng kiến)'.

    >>> count_change(2023, 0, 1, "số sáng kiến được công nhận", subject="đơn vị ")
    'năm 2023 đơn vị không có sáng kiến được công nhận (năm 2022: 1 sáng kiến)'
    >>> count_change(2023, 3, 1, "số sáng kiến được công nhận")
    'số sáng kiến được công nhận tăng từ 1 lên 3'
    """
    if current == 0 and previous > 0:
        return f"năm {year} {subject}không có {what.removeprefix('số ')} (năm {year - 1}: {vn.integer(previous)} sáng kiến)"
    if percent:
        return change_phrase(current, previous, what)
    if current == previous:
        return f"{what} không thay đổi ({vn.integer(current)} sáng kiến)"
    verb, prep = ("tăng", "lên") if current > previous else ("giảm", "xuống")
    return f"{what} {verb} từ {vn.integer(previous)} {prep} {vn.integer(current)}"


def change_phrase(current: int, previous: int, what: str) -> str:
    """'<what> tăng/giảm x% (từ a lên/xuống b)', or 'không thay đổi'."""
    if current == previous:
        return f"{what} không thay đổi ({vn.integer(current)} sáng kiến)"
    if previous == 0:
        return f"{what} tăng từ 0 lên {vn.integer(current)}"
    pct = change_percent(current, previous)
    verb, prep = ("tăng", "lên") if current > previous else ("giảm", "xuống")
    return f"{what} {verb} {vn.percent(abs(pct))} (từ {vn.integer(previous)} {prep} {vn.integer(current)})"


def rate_change_phrase(now: float, before: float, what: str, years: tuple[int, int] | None = None) -> str:
    """A rate's movement: 'tăng từ 55,43% lên 73,08%' (``years``: 'từ 55,43% năm 2022 lên 73,08% năm 2023')."""
    before_year, now_year = (f" năm {years[0]}", f" năm {years[1]}") if years else ("", "")
    if vn.percent(now) == vn.percent(before):
        return f"{what} không thay đổi ({vn.percent(now)})"
    verb, prep = ("tăng", "lên") if now > before else ("giảm", "xuống")
    return f"{what} {verb} từ {vn.percent(before)}{before_year} {prep} {vn.percent(now)}{now_year}"


def points_phrase(now: float, reference: float, what: str) -> str:
    """A rate against another, in percentage points, the difference of the two rates as printed.

    >>> points_phrase(85.714, 77.778, "tỷ lệ chung của thành phố")
    'cao hơn 7,93 điểm phần trăm so với tỷ lệ chung của thành phố (77,78%)'
    >>> points_phrase(50, 50, "tỷ lệ của khối Giáo dục")
    'bằng tỷ lệ của khối Giáo dục (50,00%)'
    """
    diff = round(now, 2) - round(reference, 2)
    if round(diff, 2) == 0:
        return f"bằng {what} ({vn.percent(reference)})"
    direction = "cao hơn" if diff > 0 else "thấp hơn"
    return f"{direction} {vn.points(abs(diff))} điểm phần trăm so với {what} ({vn.percent(reference)})"


_ACRONYMS = {"ubnd", "hđnd", "kh&cn", "cntt"}


def _is_people_committee(body: str) -> bool:
    return fold(body).startswith(("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "))


def body_name(body: str, place: str = "") -> str:
    """A body the parameters write in capitals, as a sentence names it: the kind of body and the first
    word of its name, and each part after 'và' or '-', capitalised; ``place`` (the parameters' place name)
    written as the parameters write it.

    >>> body_name("SỞ KHOA HỌC VÀ CÔNG NGHỆ"), body_name("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    ('Sở Khoa học và Công nghệ', 'Sở Lao động - Thương binh và Xã hội')
    >>> body_name("BAN QUẢN LÝ KHU KINH TẾ HÀ SƠN", "Hà Sơn")
    'Ban Quản lý khu kinh tế Hà Sơn'
    """
    words = fold(body).split()
    out = []
    for i, word in enumerate(words):
        if word in _ACRONYMS:
            out.append(word.upper())
        elif i <= 1 or words[i - 1] in {"và", "-"}:
            out.append(word[:1].upper() + word[1:])
        else:
            out.append(word)
    text = " ".join(out)
    if place.strip():
        text = re.sub(re.escape(fold(place)), " ".join(place.split()), text, flags=re.IGNORECASE)
    return text


# =========================================================================== 8. across a reorganisation
# When the parameters' ``reorganisation`` maps earlier blocks and units onto today's and the years the report
# compares hold some earlier name: part II says that every comparison is in today's organisation and lists
# what was mapped; a unit that took others in names them (units' table, its result sheet). Without a
# reorganisation none of these is printed.

def names_list(names: Sequence[str]) -> str:
    """Names in a sentence: 'A', 'A và B', 'A, B và C'.

    >>> names_list(["A"]), names_list(["A", "B", "C"])
    ('A', 'A, B và C')
    """
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def reorganisation_sentence(start: int, year: int, blocks: int, units: int) -> str:
    """II.1. Every comparison counts the earlier years under today's blocks and units (``blocks``, ``units``:
    how many earlier ones were mapped); the table after it lists them."""
    against = f"năm {year - 1}" + (f" và giai đoạn {start}–{year - 1}" if year - 1 > start else "")
    earlier = names_list([f"{vn.integer(n)} {what}" for n, what in ((blocks, "khối"), (units, "đơn vị")) if n])
    today = names_list([what for n, what in ((blocks, "khối"), (units, "đơn vị")) if n])
    return (f"Do sắp xếp tổ chức, các so sánh trong báo cáo (với {against}) được tính theo khối và đơn vị hiện nay: "
            f"sáng kiến của {earlier} trước đây được tính vào {today} hiện nay tương ứng, như bảng dưới đây.")


REORGANISATION_TABLE = "Khối, đơn vị trước đây được tính theo tên hiện nay, {span}"
"""The table of what was mapped, with the initiatives each earlier name brought (``span``: :func:`year_span`)."""


def unit_with_predecessors(unit: str, earlier: Sequence[str], kept_name: bool) -> str:
    """A unit with the earlier units counted under it (the units' table); 'gồm cả' when the unit had its own
    name before too (it took the others in).

    >>> unit_with_predecessors("UBND phường A", ["UBND quận A", "UBND quận B"], False)
    'UBND phường A (gồm UBND quận A, UBND quận B trước đây)'
    """
    return f"{unit} (gồm {'cả ' if kept_name else ''}{', '.join(earlier)} trước đây)"


def unit_predecessors_sentence(earlier: Sequence[str], kept_name: bool) -> str:
    """A unit's result sheet: the earlier units its trend counts."""
    these = "các đơn vị này" if len(earlier) > 1 else "đơn vị này"
    if kept_name:
        return (f"Đơn vị gồm cả {names_list(earlier)} trước đây: số liệu các năm trước của đơn vị được tính theo tổ "
                f"chức hiện nay, gồm cả sáng kiến của {these}.")
    return (f"Đơn vị gồm {names_list(earlier)} trước đây: số liệu các năm trước của đơn vị được tính theo tổ chức "
            f"hiện nay, là sáng kiến của {these}.")
