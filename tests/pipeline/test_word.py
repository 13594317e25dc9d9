"""The Word draft, element by element, from a page made of the report's own parts (letterhead, sections,
tables, a chart, the closing, the appendix): what each becomes in Word, by the mapping of
:mod:`sangkien.pipeline.exporters.word`. The draft of the sample year is checked in ``test_documents.py``."""
from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from sangkien.inputs.params import Params, Sections
from sangkien.pipeline.exporters import word
from sangkien.report import charts, document, tables
from sangkien.report.markup import markdown

MADE = datetime.date(2024, 1, 5)


@pytest.fixture(scope="module")
def page() -> str:
    import matplotlib.figure

    params = Params(2023, Path("x.csv"), doc_number="45", issue_date=MADE, sample_data=True,
                    recipients=("UBND thành phố", "Lưu: VT, QLKH"), sections=Sections(context="x"))
    figure = matplotlib.figure.Figure(figsize=(2, 1))
    figure.add_subplot().bar([1, 2], [3, 4])
    columns = [tables.Col("Khối", width="30%"), tables.Col("Số đề nghị", True), tables.Col("Tỷ lệ", True)]
    table = tables.render(columns, [["Giáo dục", "52", "73,08%"], ["Y tế", "1.029", "80%"]],
                          total=["Tổng cộng", "1.081", "77,78%"], group_rows={1: "Khối khác"})
    parts = [
        document.sample_notice(), document.letterhead(params), "<!--sangkien:toc-->",
        '<nav class="toc"><ol><li>Mục lục</li></ol></nav>',
        '<div class="md"><h1>Tiêu đề sổ tay</h1><h2 id="muc-1">I. ĐẶC ĐIỂM TÌNH HÌNH</h2></div>',
        '<div class="analyst">' + markdown("Năm 2023, **Sở** đã *hướng dẫn*\nvà   tổng hợp.\n\n"
                                           "- Việc một;\n- Việc hai:\n  - việc con.\n\n1. Thứ nhất\n2. Thứ hai").html
        + "</div>",
        '<p class="placeholder">(Phần này chưa viết.)</p>',
        '<div class="md"><h3 id="muc-2">1. Kết quả theo khối</h3></div>',
        tables.captioned("Kết quả theo khối", table), charts.captioned("Biểu đồ theo khối", figure),
        tables.captioned("Bảng thứ hai", table), document.closing(params),
        document.appendix("DANH SÁCH SÁNG KIẾN", "(Kèm theo Báo cáo số 45/BC-SKHCN)",
                          tables.render(columns, [["A", "1", "2"]], css_class="appendix-list")),
        document.colophon(["Tệp dữ liệu: x.csv (SHA-256 abc)"]),
    ]
    return ("<!DOCTYPE html><html lang=\"vi\"><head><title>Báo cáo sáng kiến năm 2023</title></head><body>"
            '<main class="document">' + "".join(parts) + "</main></body></html>")


@pytest.fixture(scope="module")
def built(page):
    return docx.Document(io.BytesIO(word.docx_bytes(page, draft=False, made=MADE)))


def _styled(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def test_letterhead_fields_come_from_the_page(built):
    cells = [c.text for row in built.tables[0].rows for c in row.cells]
    assert cells[0].startswith("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert cells[1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert cells[2] == "Số: 45/BC-SKHCN" and cells[3] == "Hải Phòng, ngày 05 tháng 01 năm 2024"
    styled = _styled(built)
    assert styled[0] == ("Tên loại văn bản", "BÁO CÁO") and styled[1][0] == "Trích yếu"
    assert styled[1][1].startswith("Kết quả phong trào thi đua") and "{{" not in "".join(t for _, t in styled)
    assert word.BODY_MARKER not in [t for _, t in styled]


def test_body_paragraphs_lists_and_skipped_parts(built):
    styled = _styled(built)
    texts = [t for _, t in styled]
    assert ("Heading 1", "I. ĐẶC ĐIỂM TÌNH HÌNH") in styled and ("Heading 2", "1. Kết quả theo khối") in styled
    assert ("Normal", "Năm 2023, Sở đã hướng dẫn và tổng hợp.") in styled  # white space as HTML shows it
    bold = next(p for p in built.paragraphs if p.text.startswith("Năm 2023")).runs
    assert [(r.text, r.bold, r.italic) for r in bold[:4]] == [("Năm 2023, ", None, None), ("Sở", True, None),
                                                            (" đã ", None, None), ("hướng dẫn", None, True)]
    assert [t for s, t in styled if s == "Gạch đầu dòng"] == ["Việc một;", "Việc hai:", "việc con."]
    nested = next(p for p in built.paragraphs if p.text == "việc con.")
    assert nested._p.pPr.find(qn("w:numPr")).find(qn("w:ilvl")).get(qn("w:val")) == "1"
    assert [t for s, t in styled if s == "Danh sách số"] == ["1. Thứ nhất", "2. Thứ hai"]
    assert ("Ghi chú dự thảo", "(Phần này chưa viết.)") in styled
    for gone in ("Mục lục", "Tiêu đề sổ tay", "Thông tin lập báo cáo", "DỮ LIỆU MINH HỌA — không phải số liệu chính thức"):
        assert not any(gone in t for t in texts), gone


def test_tables_are_numbered_with_repeated_headers(built):
    captions = [p for p in built.paragraphs if p.style.name == "Chú thích bảng"]
    assert [p.text for p in captions] == ["Bảng 1. Kết quả theo khối", "Bảng 2. Bảng thứ hai"]
    assert " SEQ Bảng \\* ARABIC " in [t.text for t in captions[1]._p.iter(qn("w:instrText"))]
    data = [t for t in built.tables if t.style.name == "Bảng số liệu"]
    assert len(data) == 3
    first = data[0]
    assert [c.text for c in first.rows[0].cells] == ["Khối", "Số đề nghị", "Tỷ lệ"]
    assert first.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in first.rows)
    group = first.rows[2]
    assert len(group._tr.findall(qn("w:tc"))) == 1 and group.cells[0].text == "Khối khác"  # merged across
    assert group.cells[0].paragraphs[0].runs[0].bold and group.cells[0].paragraphs[0].runs[0].italic
    assert first.rows[1].cells[1].paragraphs[0].style.name == "Số trong bảng"
    assert first.rows[1].cells[0].paragraphs[0].style.name == "Chữ trong bảng"
    assert all(r.bold for r in first.rows[-1].cells[0].paragraphs[0].runs)  # the total
    widths = [round(c.width.mm, 1) for c in first.rows[1].cells]
    assert widths[0] == 49.5 and abs(sum(widths) - word.TEXT_WIDTH_MM) < 0.3
    appendix = data[2].rows[1].cells[0].paragraphs[0]  # sized through its style, so that restyling works
    assert appendix.runs[0].font.size is None and appendix.style.name == "Chữ trong phụ lục"
    assert appendix.style.font.size.pt == word.TABLE_SIZES["appendix-list"]
    assert all(r.font.size is None for t in data for row in t.rows for c in row.cells for p in c.paragraphs
               for r in p.runs)


def test_chart_is_a_picture_with_its_numbered_caption(built, page):
    pictures = built.inline_shapes
    assert len(pictures) == 1
    width = float(re.search(r'style="width:([\d.]+)mm"', page).group(1))  # the chart's own width, as the PDF prints it
    assert abs(pictures[0].width.mm - width) < 0.1
    assert [p.text for p in built.paragraphs if p.style.name == "Chú thích hình"] == ["Hình 1. Biểu đồ theo khối"]


def test_closing_and_appendix(built):
    closing = next(t for t in built.tables if t.style.name == "Bảng không viền" and "Nơi nhận:" in t.rows[0].cells[0].text)
    left, right = closing.rows[0].cells
    assert [(p.style.name, p.text) for p in left.paragraphs] == [
        ("Nơi nhận", "Nơi nhận:"), ("Nơi nhận - dòng", "- UBND thành phố;"), ("Nơi nhận - dòng", "- Lưu: VT, QLKH.")]
    assert [(p.style.name, p.text) for p in right.paragraphs] == [
        ("Thẩm quyền ký", "KT. GIÁM ĐỐC"), ("Thẩm quyền ký", "PHÓ GIÁM ĐỐC"), ("Họ tên người ký", document.signer_name(
            Params(2023, Path("x.csv"), sample_data=True)))]
    styled = _styled(built)
    assert ("Phụ lục", "PHỤ LỤC") in styled and ("Tên phụ lục", "DANH SÁCH SÁNG KIẾN") in styled
    heading = next(p for p in built.paragraphs if p.text == "PHỤ LỤC")
    assert heading.paragraph_format.page_break_before or heading.style.paragraph_format.page_break_before


def _part_text(data: bytes, prefix: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(package.read(n).decode() for n in package.namelist() if n.startswith(prefix))


def test_draft_mark_and_sample_notice_on_every_page(page):
    final_copy = word.docx_bytes(page, draft=False, made=MADE)
    draft = word.docx_bytes(page, draft=True, made=MADE)
    assert "DỰ THẢO" not in _part_text(final_copy, "word/header")
    with zipfile.ZipFile(io.BytesIO(draft)) as package:
        headers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/header")]
        footers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")]
    assert len(headers) == 2 and all("DỰ THẢO" in h for h in headers)  # the first page's and the others'
    assert sum(" PAGE " in h for h in headers) == 1  # the page number from page 2 on only
    assert all("DỮ LIỆU MINH HỌA" in f for f in footers)


def test_same_page_same_bytes_and_dated_by_the_build(page):
    data = word.docx_bytes(page, draft=False, made=MADE)
    assert data == word.docx_bytes(page, draft=False, made=MADE)
    core = _part_text(data, "docProps/core.xml")
    assert "2024-01-05T00:00:00Z" in core and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in core


def test_hostile_text_stays_text(page):
    params = dataclasses.replace(Params(2023, Path("x.csv")), issuing_body="SỞ <b>&amp; {{ x }} {% if %}",
                                 doc_number="45")
    hostile = page.replace(document.header_columns(Params(2023, Path("x.csv"), doc_number="45",
                                                          issue_date=MADE)),
                           document.header_columns(dataclasses.replace(params, issue_date=MADE)))
    doc = docx.Document(io.BytesIO(word.docx_bytes(hostile, draft=False, made=MADE)))
    assert "SỞ <b>&amp; {{ x }} {% if %}" in doc.tables[0].rows[0].cells[0].text


def test_selectors():
    import lxml.html

    root = lxml.html.fragment_fromstring('<section class="appendix x"><div><h2 class="a">t</h2></div></section>')
    h2 = root.find(".//h2")
    assert word.matches(h2, "h2") and word.matches(h2, "section.appendix h2") and word.matches(h2, ".appendix h2.a")
    assert not word.matches(h2, "div.x h2") and not word.matches(h2, "h3") and not word.matches(h2, "h2.b")
    assert word.rule_for(h2).style == "Phụ lục"
