"""Every sentence, title and caption the report and the unit sheets print, in one place.

To change what the report says, find the sentence here. Each entry takes figures and returns plain
text (escaping is the caller's job); every number goes through :mod:`sangkien.report.vnformat`.
What is *not* here: the words "Bảng N." and "Hình N." before a caption (the document numbers its
tables and figures: ``templates/sangkien/report.css``), a table's column headings
(:mod:`~sangkien.report.tables`), a chart's axes and legend (:mod:`~sangkien.report.charts`), the fixed
formulas of the letterhead and signature (:mod:`~sangkien.report.document`), the headings of the
notebooks (``notebooks/*.ipynb``) and what the analyst writes (``params/YEAR.yaml``).

A sentence that depends on the figures is a function; a fixed text or caption is a constant, some of
them templates for ``str.format`` (``{year}`` is filled in). In the order the report shows them:

1. the document: the sample notice, the document types, the unit sheet's title;
2. the analyst's sections: their titles (from :class:`sangkien.inputs.params.Sections`) and the note
   shown while one is empty;
3. part II, the yearly results: sentences, then the titles of tables and figures (captions);
4. part III: the facts drawn from the figures;
5. the appendix and the colophon;
6. a unit's result sheet;
7. the phrases the sentences share (rates, changes, block names).

>>> change_phrase(90, 80, "số sáng kiến được công nhận")
'số sáng kiến được công nhận tăng 12,5% (từ 80 lên 90)'
>>> change_phrase(80, 80, "số sáng kiến đề nghị")
'số sáng kiến đề nghị không thay đổi (80)'
"""
from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from sangkien.figures import change_percent, recognition_rate
from sangkien.inputs.params import Sections
from sangkien.inputs.schema import fold
from sangkien.report import vnformat as vn

# =========================================================================== 1. the document

SAMPLE_NOTICE = "DỮ LIỆU MINH HỌA — không phải số liệu chính thức"
"""On top of the page and in the bottom margin of every PDF page when the register is illustrative."""

REPORT_DOC_TYPE = "BÁO CÁO"
"""The yearly report's document type, over its subject line (the subject is the parameters')."""

UNIT_DOC_TYPE = "KẾT QUẢ XÉT CÔNG NHẬN SÁNG KIẾN NĂM {year}"
"""A unit sheet's document type, over the unit's name."""

UNIT_PAGE_TITLE = "Kết quả xét công nhận sáng kiến năm {year} — {unit}"
"""A unit sheet's title in the browser (the HTML ``<title>``)."""


# =========================================================================== 2. the analyst's sections

def section_title(key: str) -> str:
    """The title of an analyst-written section, from the meaning :class:`~sangkien.inputs.params.Sections`
    gives its key (without 'phần' and the parenthesis); the notebook's heading is this title in capitals.

    >>> section_title("context"), section_title("assessment")
    ('I. Đặc điểm tình hình, công tác chỉ đạo', 'III. Đánh giá chung')
    """
    meanings = {f.name: f.metadata["meaning"] for f in dataclasses.fields(Sections)}
    return re.sub(r"\s*\(.*\)$", "", meanings[key].removeprefix("phần "))


def section_placeholder(key: str) -> str:
    """Shown (in grey) where an analyst's section is still empty."""
    return f"(Phần “{section_title(key)}” chưa được viết: điền khóa sections.{key} trong tệp tham số.)"


# =========================================================================== 3. part II: sentences

def overview(year: int, counts: dict, level: str = "thành phố") -> str:
    """II.1. What was put forward and recognised this year."""
    s, r, p = counts["submitted"], counts["recognized"], counts["pending"]
    if s == 0:
        return f"Năm {year}, sổ đăng ký không ghi nhận sáng kiến nào được đề nghị công nhận cấp {level}."
    text = (f"Năm {year}, các đơn vị đã đề nghị công nhận {vn.integer(s)} sáng kiến cấp {level}; "
            f"{vn.integer(r)} sáng kiến được công nhận, đạt tỷ lệ {rate(r, s)}")
    if p:
        text += f"; {vn.integer(p)} sáng kiến đang được xem xét"
    return text + "."


def blocks_sentence(by_block: dict) -> str:
    """II.1. The same, block by block."""
    parts = []
    for block, c in by_block.items():
        if c["submitted"]:
            parts.append(f"{block_label(block)} có {vn.integer(c['submitted'])} sáng kiến đề nghị, "
                         f"{vn.integer(c['recognized'])} sáng kiến được công nhận ({rate(c['recognized'], c['submitted'])})")
        else:
            parts.append(f"{block_label(block)} không có sáng kiến đề nghị")
    return "Trong đó, " + "; ".join(parts) + "." if parts else ""


def no_units_sentence(year: int) -> str:
    """II.3. In place of the units' table when nothing was put forward."""
    return f"Năm {year} không có đơn vị nào đề nghị công nhận sáng kiến."


def units_sentence(year: int, units: int) -> str:
    """II.3. How many units put initiatives forward."""
    return f"Có {vn.integer(units)} đơn vị đề nghị công nhận sáng kiến trong năm {year}."


def top_units_sentence(table, limit: int = 3) -> str:
    """II.3. The units with most recognised initiatives (``table`` from :func:`sangkien.figures.by_unit`)."""
    rows = table[table["recognized"] > 0].sort_values(["recognized", "submitted"], ascending=False, kind="stable").head(limit)
    if rows.empty:
        return ""
    parts = [f"{r.don_vi} ({vn.integer(r.recognized)} sáng kiến)" for r in rows.itertuples(index=False)]
    return f"Các đơn vị có nhiều sáng kiến được công nhận nhất: {', '.join(parts)}."


def top_field_sentence(table) -> str:
    """II.4. The leading field of application (``table`` from :func:`sangkien.figures.by_field`)."""
    if table.empty:
        return ""
    top = table.sort_values(["recognized", "submitted"], ascending=False, kind="stable").iloc[0]
    if top["recognized"] == 0:  # nothing recognised: the field most put forward
        return (f"Lĩnh vực có nhiều sáng kiến đề nghị nhất là {top['linh_vuc']} ({vn.integer(top['submitted'])} "
                f"sáng kiến), chưa có sáng kiến nào được công nhận; sáng kiến thuộc {vn.integer(len(table))} lĩnh vực.")
    return (f"Lĩnh vực có nhiều sáng kiến được công nhận nhất là {top['linh_vuc']} "
            f"({vn.integer(top['recognized'])}/{vn.integer(top['submitted'])} sáng kiến); "
            f"sáng kiến thuộc {vn.integer(len(table))} lĩnh vực.")


def authors_sentence(recognized: int, a: dict) -> str:
    """II.5. Authors and co-authors of the recognised initiatives (``a`` from :func:`sangkien.figures.authors`)."""
    if recognized == 0:
        return "Không có sáng kiến được công nhận nên không có tác giả được ghi nhận."
    return (f"{vn.integer(recognized)} sáng kiến được công nhận có {vn.integer(a['entries'])} lượt tác giả "
            f"({vn.integer(a['people'])} người), gồm {vn.integer(a['first_authors'])} tác giả chính và "
            f"{vn.integer(a['co_authors'])} lượt đồng tác giả; {vn.integer(a['with_coauthors'])} sáng kiến "
            f"có từ hai tác giả trở lên.")


def benefit_sentence(recognized: int, reported: int, total_vnd: float) -> str:
    """II.6. The benefit money (also a unit sheet's, of the unit's recognised initiatives)."""
    if recognized == 0:
        return "Không có sáng kiến được công nhận để tính số tiền làm lợi."
    if reported == 0:
        return "Không có sáng kiến được công nhận nào báo cáo số tiền làm lợi."
    return (f"Có {vn.integer(reported)}/{vn.integer(recognized)} sáng kiến được công nhận báo cáo số tiền làm lợi, "
            f"tổng cộng {vn.money(total_vnd)}; bình quân {vn.money(total_vnd / reported)} mỗi sáng kiến có báo cáo.")


def comparison(year: int, current: dict, previous: dict) -> str:
    """II.7. This year against last year, in words."""
    if previous["submitted"] == 0:
        return f"Sổ đăng ký không có số liệu năm {year - 1} để so sánh."
    parts = [
        change_phrase(current["recognized"], previous["recognized"], "số sáng kiến được công nhận"),
        change_phrase(current["submitted"], previous["submitted"], "số sáng kiến đề nghị"),
    ]
    now = recognition_rate(current["recognized"], current["submitted"])
    before = recognition_rate(previous["recognized"], previous["submitted"])
    if now is not None and before is not None:
        parts.append(rate_change_phrase(now, before, "tỷ lệ công nhận"))
    return f"So với năm {year - 1}, " + "; ".join(parts) + "."


def period_sentence(start: int, end: int, counts: dict, by_block: dict) -> str:
    """II.7. The comparison period's totals, block by block."""
    if end < start or counts["submitted"] == 0:
        return f"Sổ đăng ký không có số liệu các năm trước năm {end + 1} để so sánh với giai đoạn trước."
    span = f"năm {start}" if start == end else f"giai đoạn {start}–{end}"
    parts = [f"{block_label(b)} {vn.integer(c['recognized'])}/{vn.integer(c['submitted'])} sáng kiến "
             f"({rate(c['recognized'], c['submitted'])})" for b, c in by_block.items()]
    return (f"Trong {span}, các đơn vị đã đề nghị {vn.integer(counts['submitted'])} sáng kiến, "
            f"{vn.integer(counts['recognized'])} sáng kiến được công nhận ({rate(counts['recognized'], counts['submitted'])}); "
            f"theo khối (công nhận/đề nghị): " + "; ".join(parts) + ".")


def year_against_period(year: int, recognized: int, start: int, end: int, period_recognized: int) -> str:
    """II.7. This year's recognised initiatives against the period's yearly mean (empty without a period)."""
    years = end - start + 1
    if years <= 0 or period_recognized == 0:
        return ""
    mean = period_recognized / years
    pct = change_percent(recognized, mean)
    direction = "cao hơn" if pct > 0 else "thấp hơn"
    if round(pct, 2) == 0:
        return f"Số sáng kiến được công nhận năm {year} bằng mức bình quân {vn.decimal(mean, 1, trim=True)} sáng kiến/năm của giai đoạn {start}–{end}."
    return (f"Số sáng kiến được công nhận năm {year} {direction} {vn.percent(abs(pct))} so với mức bình quân "
            f"{vn.decimal(mean, 1, trim=True)} sáng kiến/năm của giai đoạn {start}–{end}.")


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

FACTS_INTRO = "Một số nhận xét từ số liệu:"
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
            facts.append(f"{block_label(block, capital=True)} đạt tỷ lệ công nhận {vn.percent(now)}; năm {year - 1} không có số liệu để so sánh.")
        else:
            facts.append(rate_change_phrase(now, before, f"Tỷ lệ công nhận của {block_label(block)}")
                         + f" so với năm {year - 1}.")
    return facts


# =========================================================================== 5. the appendix and the colophon

APPENDIX_HEADING = "PHỤ LỤC"
NOTHING_RECOGNIZED = "Không có sáng kiến nào được công nhận."
"""The appendix of a year without recognised initiatives."""


def appendix_title(level: str, year: int) -> str:
    return f"DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN CẤP {level.upper()} NĂM {year}"


def appendix_subtitle(doc_number: str, doc_symbol: str) -> str:
    """Under the appendix's title: the report it goes with ('...' while the number is not given)."""
    return f"(Kèm theo Báo cáo số {doc_number or '...'}/{doc_symbol})"


def appendix_elsewhere(recognized: int, file_name: str) -> str:
    """The appendix of a list too long to print: where the list is."""
    return (f"Danh sách {vn.integer(recognized)} sáng kiến được công nhận (mã số, tên sáng kiến, tác giả, "
            f"đơn vị, khối, lĩnh vực, số tiền làm lợi, điểm) được gửi kèm theo Báo cáo này trong tệp "
            f"{file_name}.")


COLOPHON_TITLE = "Thông tin lập báo cáo"


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


# =========================================================================== 6. a unit's result sheet

def unit_overview(year: int, unit: str, counts: dict, level: str = "thành phố") -> str:
    """What a unit put forward this year and what was recognised."""
    s, r, p = counts["submitted"], counts["recognized"], counts["pending"]
    if s == 0:
        return f"Năm {year}, {unit} không có sáng kiến đề nghị công nhận cấp {level}."
    text = f"Năm {year}, {unit} đã đề nghị công nhận {vn.integer(s)} sáng kiến cấp {level}; "
    if r:
        text += f"{vn.integer(r)} sáng kiến được công nhận, đạt tỷ lệ {rate(r, s)}"
    else:
        text += "chưa có sáng kiến nào được công nhận"
    if p:
        text += f"; {vn.integer(p)} sáng kiến đang được xem xét"
    return text + "."


def unit_rate_sentence(unit: dict, city: dict, block: str | None, block_counts: dict,
                       level: str = "thành phố") -> str:
    """The unit's recognition rate beside the city's and its block's (empty when it put nothing forward)."""
    now = recognition_rate(unit["recognized"], unit["submitted"])
    city_rate = recognition_rate(city["recognized"], city["submitted"])
    if now is None or city_rate is None:
        return ""
    parts = [points_phrase(now, city_rate, f"tỷ lệ chung của {level}")]
    block_rate = recognition_rate(block_counts["recognized"], block_counts["submitted"])
    if block and block_rate is not None:
        parts.append(points_phrase(now, block_rate, f"tỷ lệ của {block_label(block)}"))
    return f"Tỷ lệ công nhận của đơn vị ({vn.percent(now)}) " + " và ".join(parts) + "."


def unit_share_sentence(year: int, unit: dict, city: dict, level: str = "thành phố") -> str:
    """The unit's part of the city's recognised initiatives (empty when it has none)."""
    if not unit["recognized"] or not city["recognized"]:
        return ""
    share = 100.0 * unit["recognized"] / city["recognized"]
    return (f"Số sáng kiến được công nhận của đơn vị chiếm {vn.percent(share)} trong tổng số "
            f"{vn.integer(city['recognized'])} sáng kiến được công nhận cấp {level} năm {year}.")


def unit_comparison(year: int, current: dict, previous: dict, level: str = "thành phố") -> str:
    """A unit's year against its last year (the wording of :func:`comparison` when there is one)."""
    if previous["submitted"] == 0:
        return f"Năm {year - 1}, sổ đăng ký không ghi nhận sáng kiến nào của đơn vị đề nghị công nhận cấp {level}."
    return comparison(year, current, previous)


def unit_period_sentence(start: int, end: int, counts: dict, level: str = "thành phố") -> str:
    """A unit's totals over the comparison period (empty when the period is empty)."""
    if end < start:
        return ""
    span = f"Năm {start}" if start == end else f"Giai đoạn {start}–{end}"
    s, r = counts["submitted"], counts["recognized"]
    if s == 0:
        return f"{span}, đơn vị không có sáng kiến đề nghị công nhận cấp {level}."
    return (f"{span}, đơn vị đã đề nghị công nhận {vn.integer(s)} sáng kiến, "
            f"{vn.integer(r)} sáng kiến được công nhận ({rate(r, s)}).")


def year_span(start: int, end: int) -> str:
    """The years a unit's trend covers, for its captions.

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

    >>> rate(63, 81), rate(0, 0)
    ('77,78%', '–')
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


def change_phrase(current: int, previous: int, what: str) -> str:
    """'<what> tăng/giảm x% (từ a lên/xuống b)', or 'không thay đổi'."""
    if current == previous:
        return f"{what} không thay đổi ({vn.integer(current)})"
    if previous == 0:
        return f"{what} tăng từ 0 lên {vn.integer(current)}"
    pct = change_percent(current, previous)
    verb, prep = ("tăng", "lên") if current > previous else ("giảm", "xuống")
    return f"{what} {verb} {vn.percent(abs(pct))} (từ {vn.integer(previous)} {prep} {vn.integer(current)})"


def rate_change_phrase(now: float, before: float, what: str) -> str:
    """A rate's movement in percentage points: 'tăng từ 55,43% lên 73,08%'."""
    if round(now, 2) == round(before, 2):
        return f"{what} không thay đổi ({vn.percent(now)})"
    verb, prep = ("tăng", "lên") if now > before else ("giảm", "xuống")
    return f"{what} {verb} từ {vn.percent(before)} {prep} {vn.percent(now)}"


def points_phrase(now: float, reference: float, what: str) -> str:
    """A rate against another, in percentage points, the difference of the two rates as printed.

    >>> points_phrase(85.714, 77.778, "tỷ lệ chung của thành phố")
    'cao hơn 7,93 điểm phần trăm so với tỷ lệ chung của thành phố (77,78%)'
    >>> points_phrase(50, 50, "tỷ lệ của khối Giáo dục")
    'bằng tỷ lệ của khối Giáo dục (50%)'
    """
    diff = round(now, 2) - round(reference, 2)
    if round(diff, 2) == 0:
        return f"bằng {what} ({vn.percent(reference)})"
    direction = "cao hơn" if diff > 0 else "thấp hơn"
    return f"{direction} {vn.decimal(abs(diff), 2, trim=True)} điểm phần trăm so với {what} ({vn.percent(reference)})"


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
