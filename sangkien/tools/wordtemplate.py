"""The Word template of the report, ``sangkien/templates/word/bao-cao.docx``: what the build fills to
make the Word draft (:mod:`sangkien.pipeline.exporters.word`).

``python -m sangkien.tools.wordtemplate [--out FILE]`` (``make word-template``) writes it once; from
then on it is an ordinary Word file that a person may open and restyle in Word (fonts, sizes, spacing,
the header's look): the build uses its page setup, headers and footers, its two-column letterhead and
its styles by name, and writes the body with those styles. What the build relies on is listed in
:data:`PARAGRAPH_STYLES`, :data:`TABLE_STYLES` and :data:`FIELDS`; ``tests/tools/test_wordtemplate.py``
checks that the committed template still has them.

Layout, as Decree 30/2020/NĐ-CP asks: A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm
(the PDF's), Times New Roman; the page number centred in the top margin from page 2 on ("different
first page"); "DỰ THẢO" at the top right of every page of a draft; the notice on illustrative data in
the footer of every page.
"""
from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from sangkien import paths
from sangkien.files import deterministic_zip, write_atomic

FIXED_TIME = datetime.datetime(2024, 1, 1, 0, 0, 0)
FONT = "Times New Roman"
TEXT_WIDTH_MM = 165
"""A4's 210 mm less the left (30 mm) and right (15 mm) margins."""
LETTERHEAD_LEFT = 40
"""The letterhead's left column, in per cent of the text's width (the PDF's, report.css): the bodies wrap in
it; the right one (60%, 99 mm) holds "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line (88 mm at 12 pt bold)."""
BODY_MARKER = "[[NỘI DUNG]]"
"""The paragraph the build replaces by the report's body (keep it last, alone on its line)."""
FIELDS = ("parent_body", "issuing_body", "doc_number", "place_date", "doc_type", "subject", "draft_mark",
          "sample_notice")
"""The template's Jinja fields (docxtpl), filled from the report's page and the build."""

# name -> (based on, size pt, bold, italic, alignment, first-line indent mm, space before pt, space after pt,
#          line spacing (multiple), keep with next)
PARAGRAPH_STYLES = {
    "Normal": (None, 13, False, False, "justify", 12.7, 0, 6, 1.15, False),
    "Heading 1": ("Normal", 13, True, False, "left", 0, 12, 6, 1.15, True),
    "Heading 2": ("Normal", 13, True, False, "left", 0, 9, 6, 1.15, True),
    "Heading 3": ("Normal", 13, True, True, "left", 0, 6, 6, 1.15, True),
    "Văn bản không thụt lề": ("Normal", 13, False, False, "justify", 0, 0, 6, 1.15, False),
    "Gạch đầu dòng": ("Normal", 13, False, False, "justify", 12.7, 0, 6, 1.15, False),
    "Danh sách số": ("Normal", 13, False, False, "justify", 12.7, 0, 6, 1.15, False),
    "Ghi chú dự thảo": ("Normal", 13, False, True, "justify", 12.7, 0, 6, 1.15, False),
    "Cơ quan chủ quản": ("Normal", 12, False, False, "center", 0, 0, 0, 1.0, False),
    "Cơ quan ban hành": ("Normal", 12, True, False, "center", 0, 0, 0, 1.0, False),
    "Quốc hiệu": ("Normal", 12, True, False, "center", 0, 0, 0, 1.0, False),
    "Tiêu ngữ": ("Normal", 13.5, True, False, "center", 0, 0, 0, 1.0, False),
    "Đường kẻ": ("Normal", 2, False, False, "center", 0, 1, 0, 1.0, False),
    "Số, ký hiệu": ("Normal", 13, False, False, "center", 0, 6, 0, 1.0, False),
    "Địa danh, ngày tháng": ("Normal", 13, False, True, "center", 0, 6, 0, 1.0, False),
    "Tên loại văn bản": ("Normal", 14, True, False, "center", 0, 16, 0, 1.0, True),
    "Trích yếu": ("Normal", 14, True, False, "center", 0, 0, 0, 1.0, True),
    "Chú thích bảng": ("Normal", 12, True, False, "center", 0, 6, 4, 1.0, True),
    "Hình": ("Normal", 13, False, False, "center", 0, 8, 0, 1.0, True),
    "Chú thích hình": ("Normal", 12, False, True, "center", 0, 3, 10, 1.0, False),
    "Chữ trong bảng": ("Normal", 11.5, False, False, "left", 0, 0, 0, 1.0, False),
    "Số trong bảng": ("Chữ trong bảng", 11.5, False, False, "right", 0, 0, 0, 1.0, False),
    "Tiêu đề cột": ("Chữ trong bảng", 11.5, True, False, "center", 0, 0, 0, 1.0, False),
    "Chữ trong phụ lục": ("Chữ trong bảng", 10.5, False, False, "left", 0, 0, 0, 1.0, False),
    "Số trong phụ lục": ("Chữ trong phụ lục", 10.5, False, False, "right", 0, 0, 0, 1.0, False),
    "Tiêu đề cột phụ lục": ("Chữ trong phụ lục", 10.5, True, False, "center", 0, 0, 0, 1.0, False),
    "Nơi nhận": ("Normal", 12, True, True, "left", 0, 0, 0, 1.0, False),
    "Nơi nhận - dòng": ("Normal", 11, False, False, "left", 0, 0, 0, 1.0, False),
    "Thẩm quyền ký": ("Normal", 13.5, True, False, "center", 0, 0, 0, 1.0, False),
    "Họ tên người ký": ("Normal", 13.5, True, False, "center", 0, 74, 0, 1.0, False),
    "Phụ lục": ("Heading 1", 13, True, False, "center", 0, 0, 2, 1.15, True),
    "Tên phụ lục": ("Normal", 13, True, False, "center", 0, 0, 0, 1.15, True),
    "Ghi chú phụ lục": ("Normal", 13, False, True, "center", 0, 0, 8, 1.15, True),
    "Header": ("Normal", 13, False, False, "left", 0, 0, 0, 1.0, False),
    "Footer": ("Normal", 9, False, True, "center", 0, 0, 0, 1.0, False),
}
TABLE_STYLES = {"Bảng số liệu": "single", "Bảng không viền": "nil"}
"""Table styles: the report's tables (a thin rule round every cell) and the borderless layout tables."""
BULLET_NUMBERING = 90
"""The numbering (``w:numId``) of the report's '-' lists; the style "Gạch đầu dòng" carries it."""
_ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 3}


def _w(tag: str, **attributes):
    """A ``w:`` element with ``w:`` attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _fonts(rpr) -> None:
    """Times New Roman for every script (no theme font), Vietnamese as the language."""
    from docx.oxml.ns import qn

    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.insert(0, _w("rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT))
    rpr.append(_w("lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"))


def _paragraph_style(document, name: str, spec: tuple) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt, RGBColor

    base, size, bold, italic, align, indent, before, after, line, keep = spec
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr())
    layout = style.paragraph_format
    layout.alignment = _ALIGN[align]
    layout.first_line_indent = Mm(indent)
    layout.left_indent = layout.right_indent = Mm(0)
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    layout.line_spacing = line
    layout.keep_with_next = keep
    layout.widow_control = True


def _styles(document) -> None:
    """Every paragraph style of :data:`PARAGRAPH_STYLES`, the table styles, the '-' list, the rules."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    _fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    for name, spec in PARAGRAPH_STYLES.items():
        _paragraph_style(document, name, spec)
    document.styles["Phụ lục"].paragraph_format.page_break_before = True
    document.styles["Ghi chú dự thảo"].font.color.rgb = _grey()
    document.styles["Footer"].font.color.rgb = _grey()
    for tabs in document.styles["Header"].element.get_or_add_pPr().findall(qn("w:tabs")):
        tabs.getparent().remove(tabs)  # the stock ones are a Letter page's: each header line sets its own
    rule = document.styles["Đường kẻ"].element.get_or_add_pPr()
    borders = _w("pBdr")
    borders.append(_w("bottom", val="single", sz=6, space=1, color="000000"))
    rule.append(borders)
    for name, kind in TABLE_STYLES.items():
        _table_style(document, name, kind)
    _bullets(document)


def _grey():
    from docx.shared import RGBColor

    return RGBColor(0x55, 0x55, 0x55)


def _table_style(document, name: str, line: str) -> None:
    """A table style: ``line`` ('single' or 'nil') round and inside every cell, small cell margins."""
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    table = _w("tblPr")
    borders = _w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_w(side, val=line, sz=4 if line == "single" else 0, space=0, color="000000"))
    margins = _w("tblCellMar")
    for side, width in (("top", 0), ("left", 57 if line == "single" else 0), ("bottom", 0),
                        ("right", 57 if line == "single" else 0)):
        margins.append(_w(side, w=width, type="dxa"))
    table.extend([borders, margins])
    style.element.append(table)


def _bullets(document) -> None:
    """A '-' list as offices write it: the dash at the paragraph's indent, the text wrapping to the margin."""
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    abstract = _w("abstractNum", abstractNumId=BULLET_NUMBERING)
    abstract.append(_w("multiLevelType", val="multilevel"))
    for level in range(3):
        lvl = _w("lvl", ilvl=level)
        lvl.extend([_w("start", val=1), _w("numFmt", val="bullet"), _w("suff", val="space"),
                    _w("lvlText", val="-" if level == 0 else "+"), _w("lvlJc", val="left")])
        ppr = _w("pPr")
        ppr.append(_w("ind", left=0, firstLine=720 + 360 * level))
        lvl.append(ppr)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _w("num", numId=BULLET_NUMBERING)
    num.append(_w("abstractNumId", val=BULLET_NUMBERING))
    numbering.append(num)
    numbered = _w("numPr")
    numbered.extend([_w("ilvl", val=0), _w("numId", val=BULLET_NUMBERING)])
    document.styles["Gạch đầu dòng"].element.get_or_add_pPr().insert(0, numbered)


def _page(document) -> None:
    """A4 portrait, Decree 30's margins, header and footer 10 mm from the edge, a different first page."""
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True


def _header_line(paragraph, page_number: bool) -> None:
    """Tab stops at the centre and the right edge: the page number centred, the draft mark at the right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    paragraph.style = "Header"
    tabs = paragraph.paragraph_format.tab_stops
    tabs.add_tab_stop(Mm(TEXT_WIDTH_MM / 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("\t")
    if page_number:
        for part in (_w("fldChar", fldCharType="begin"), _w("instrText"), _w("fldChar", fldCharType="separate")):
            if part.tag.endswith("instrText"):
                part.text = " PAGE "
            paragraph.add_run()._r.append(part)
        paragraph.add_run("2")
        paragraph.add_run()._r.append(_w("fldChar", fldCharType="end"))
    paragraph.add_run("\t")
    mark = paragraph.add_run("{{ draft_mark }}")
    mark.bold, mark.font.size = True, Pt(12)
    mark._r.get_or_add_rPr().append(_w("bdr", val="single", sz=8, space=2, color="000000"))


def _headers_and_footers(document) -> None:
    section = document.sections[0]
    _header_line(section.header.paragraphs[0], page_number=True)
    _header_line(section.first_page_header.paragraphs[0], page_number=False)
    for footer in (section.footer, section.first_page_footer):
        footer.paragraphs[0].style = "Footer"
        footer.paragraphs[0].add_run("{{ sample_notice }}")


def _cell(cell, width_mm: float, lines: list[tuple[str, str]]) -> None:
    """A letterhead cell: (style, text) lines; a rule line's text is its length in mm."""
    from docx.shared import Mm

    cell.width = Mm(width_mm)
    first = True
    for style, text in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.style = style
        if style == "Đường kẻ":
            side = Mm((width_mm - float(text)) / 2)
            paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
        else:
            paragraph.add_run(text)


def _letterhead(document) -> None:
    """The two-column header: the bodies and the number on the left, the national motto and the place
    and date on the right (a borderless table of fixed widths, :data:`LETTERHEAD_LEFT`), then the
    document type, the subject and its rule."""
    from docx.shared import Mm

    left = TEXT_WIDTH_MM * LETTERHEAD_LEFT / 100
    right = TEXT_WIDTH_MM - left
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Bảng không viền"]
    table.autofit = False
    for column, width in zip(table.columns, (left, right)):
        column.width = Mm(width)
    _cell(table.cell(0, 0), left, [("Cơ quan chủ quản", "{{ parent_body }}"),
                                   ("Cơ quan ban hành", "{{ issuing_body }}"), ("Đường kẻ", "25")])
    _cell(table.cell(0, 1), right, [("Quốc hiệu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                                    ("Tiêu ngữ", "Độc lập - Tự do - Hạnh phúc"), ("Đường kẻ", "63")])
    _cell(table.cell(1, 0), left, [("Số, ký hiệu", "{{ doc_number }}")])
    _cell(table.cell(1, 1), right, [("Địa danh, ngày tháng", "{{ place_date }}")])
    document.add_paragraph("{{ doc_type }}", style="Tên loại văn bản")
    document.add_paragraph("{{ subject }}", style="Trích yếu")
    rule = document.add_paragraph(style="Đường kẻ")
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Mm((TEXT_WIDTH_MM - 40) / 2)
    rule.paragraph_format.space_after = Mm(4)
    document.add_paragraph(BODY_MARKER, style="Normal")


def build_template():
    """The template as a python-docx Document."""
    from docx import Document

    document = Document()
    _page(document)
    _styles(document)
    _headers_and_footers(document)
    _letterhead(document)
    core = document.core_properties
    core.title, core.author, core.last_modified_by = "Mẫu báo cáo sáng kiến (Word)", "sangkien", "sangkien"
    core.revision, core.comments = 1, "Tạo bằng python -m sangkien.tools.wordtemplate; có thể định dạng lại trong Word."
    return document


def template_bytes() -> bytes:
    buffer = io.BytesIO()
    build_template().save(buffer)
    return deterministic_zip(buffer.getvalue(), FIXED_TIME, entry_time=(1980, 1, 1, 0, 0, 0), compresslevel=9)


def write_template(path: str | Path | None = None) -> Path:
    path = Path(path) if path is not None else paths.WORD_TEMPLATE
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, template_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sangkien.tools.wordtemplate",
                                     description="Tạo mẫu Word của báo cáo (.docx) mà bản dự thảo Word được điền vào.")
    parser.add_argument("--out", type=Path, default=None, help=f"tệp ghi ra (mặc định: {paths.WORD_TEMPLATE})")
    print(f"{write_template(parser.parse_args(argv).out)}: đã tạo mẫu Word của báo cáo (ghi đè mọi định dạng đã sửa)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
