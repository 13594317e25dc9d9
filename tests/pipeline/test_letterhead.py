"""The letterhead's two columns as Decree 30 sets them, in the PDF and in the Word draft alike, with long
bodies' names: the names wrap inside the left column (40% of the text's width), the national motto never
wraps (the right column, 60%); and what is kept on one line (a legal citation, a span of years, a
hyphenated name) stays whole in both. The PDF is read with pypdf (``tests/pdfwords.py``), the Word draft
with python-docx; a line's width is measured with the shipped Tinos, Times New Roman's metric twin."""
from __future__ import annotations

import datetime
import io
import unicodedata
from functools import cache
from pathlib import Path

import docx
import libreoffice
import pytest
from docx.oxml.ns import qn
from pdfwords import MM, words

from sangkien import paths
from sangkien.inputs.params import Params
from sangkien.pipeline.exporters import word
from sangkien.report import document, tables
from sangkien.report.markup import NBSP, WORD_JOINER, markdown, paragraph
from sangkien.tools import wordtemplate

LONG_PARENT = "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU"
LONG_ISSUER = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CITATION = "Năm 2023, thực hiện Điều lệ Sáng kiến ban hành kèm theo Nghị định số 13/2012/NĐ-CP của Chính phủ."
HOSPITAL = "Bệnh viện Sản - Nhi Hà Sơn"
WIDTHS_MM = range(34, 80, 3)
"""The widths of the boxes the citation and the name are laid out in: one of them puts a line's end inside each."""
MADE = datetime.date(2024, 1, 5)


def _params() -> Params:
    return Params(2023, Path("x.csv"), doc_number="45", issue_date=MADE, parent_body=LONG_PARENT,
                  issuing_body=LONG_ISSUER, place="Bà Rịa - Vũng Tàu", drafting_unit="QLKH")


def _parts() -> list[str]:
    columns = [tables.Col("Giai đoạn", width="22%"), tables.Col("Số đề nghị", True), tables.Col("Tỷ lệ", True)]
    table = tables.render(columns, [["2016", "52", "73,08%"]], total=["Cộng 2016–2022", "1.081", "77,78%"])
    boxes = "".join(f'<div style="width:{w}mm">{markdown(CITATION + " " + HOSPITAL + ".").html}</div>'
                    for w in WIDTHS_MM)
    return [document.letterhead(_params()), f'<div class="analyst">{boxes}</div>',
            tables.captioned("Kết quả theo giai đoạn", table), document.closing(_params())]


def _page() -> str:
    return ('<!DOCTYPE html><html lang="vi"><head><title>Thử</title></head><body><main class="document">'
            + "".join(_parts()) + "</main></body></html>")


@cache
def _font(style: str):
    from fontTools.ttLib import TTFont

    return TTFont(paths.PACKAGE / "fonts" / f"Tinos-{style}.ttf")


def width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of one line of ``text`` in Times New Roman's metrics (the shipped Tinos), in mm."""
    font = _font("Bold" if bold else "Regular")
    cmap, advances, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    total = sum(advances[cmap[ord(c)]][0] for c in unicodedata.normalize("NFC", text))
    return total / units * size_pt / MM


# --------------------------------------------------------------------------- the Word draft

@pytest.fixture(scope="module")
def draft():
    return docx.Document(io.BytesIO(word.docx_bytes(_page(), draft=False, made=MADE)))


def _twips_mm(value) -> float:
    return int(value) * 25.4 / 1440


def test_word_letterhead_columns_are_40_and_60_per_cent_and_fixed(draft):
    table = draft.tables[0]
    grid = [_twips_mm(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == pytest.approx(wordtemplate.TEXT_WIDTH_MM, abs=0.2)
    assert [round(100 * w / sum(grid)) for w in grid] == [40, 60]
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"  # widths kept, whatever the text
    for row in table.rows:
        assert [round(c.width.mm, 1) for c in row.cells] == [round(w, 1) for w in grid]


def test_word_motto_fits_its_column_and_long_bodies_wrap_in_theirs(draft):
    table = draft.tables[0]
    left, right = (c.width.mm for c in table.rows[0].cells)
    lines = {p.style.name: (p.text, p.style.font) for cell in table.rows[0].cells for p in cell.paragraphs}
    for style in ("Quốc hiệu", "Tiêu ngữ"):  # one line each: narrower than their column, in their size and weight
        text, font = lines[style]
        assert font.bold and width_mm(text, font.size.pt, bold=True) < right - 5, style
    assert lines["Quốc hiệu"][0] == NATION and lines["Tiêu ngữ"][0] == MOTTO
    parent, parent_font = lines["Cơ quan chủ quản"]
    issuer, issuer_font = lines["Cơ quan ban hành"]
    assert parent == LONG_PARENT.replace("BÀ RỊA - VŨNG TÀU", NBSP.join(["BÀ", "RỊA", "-", "VŨNG", "TÀU"]))
    assert issuer == LONG_ISSUER
    assert width_mm(issuer, issuer_font.size.pt, bold=True) > left  # so it wraps, inside its column
    # Hai Phong's bodies stay on one line each
    assert width_mm("SỞ KHOA HỌC VÀ CÔNG NGHỆ", issuer_font.size.pt, bold=True) < left
    assert width_mm("UBND THÀNH PHỐ HẢI PHÒNG", parent_font.size.pt) < left


def test_word_gets_the_characters_that_keep_pieces_whole(draft):
    body = "\n".join(p.text for p in draft.paragraphs)
    assert f"số 13/{WORD_JOINER}2012/{WORD_JOINER}NĐ-{WORD_JOINER}CP của" in body
    assert f"Bệnh viện Sản{NBSP}-{NBSP}Nhi{NBSP}Hà Sơn" in body
    cells = [c.text for t in draft.tables for r in t.rows for c in r.cells]
    assert f"Cộng 2016–{WORD_JOINER}2022" in cells
    assert "- Lưu: VT, QLKH." in cells[-2]  # the closing's recipients (the last table)


def test_the_committed_template_has_the_columns():
    template = docx.Document(str(paths.WORD_TEMPLATE))
    grid = [_twips_mm(c.get(qn("w:w"))) for c in template.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert [round(w, 1) for w in grid] == [66.0, 99.0]


# --------------------------------------------------------------------------- the PDF

@pytest.fixture(scope="module")
def pdf_words(tmp_path_factory):
    import nbformat

    from sangkien.pipeline import render
    from sangkien.pipeline.exporters import pdf as pdf_exporter

    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", {"text/html": "".join(_parts())})])
    page = render.export_html(nbformat.v4.new_notebook(cells=[cell]), "Thử")
    target = tmp_path_factory.mktemp("letterhead") / "thu.pdf"
    pdf_exporter.write_pdf(page, target)
    return words(target)


def _lines(pages) -> list[list]:
    """Words grouped by their line (a page's words of the same top), in reading order."""
    out = []
    for found in pages:
        lines: dict[float, list] = {}
        for w in found:
            key = next((k for k in lines if abs(k - w.top) < 1.0), w.top)
            lines.setdefault(key, []).append(w)
        out += [sorted(lines[k], key=lambda w: w.x0) for k in sorted(lines)]
    return out


def _find(lines, text: str) -> list[tuple[int, int]]:
    """(line, word) of every run of ``text``'s words on one line."""
    wanted = text.split()
    return [(i, j) for i, line in enumerate(lines) for j in range(len(line))
            if [w.text for w in line[j:j + len(wanted)]] == wanted]


@pytest.mark.slow  # laid out by WeasyPrint, whose first import runs ldconfig
def test_pdf_motto_on_one_line_bodies_wrap_inside_the_left_column(pdf_words):
    lines = _lines(pdf_words[:1])
    assert len(_find(lines, NATION)) == 1 and len(_find(lines, MOTTO)) == 1  # each whole on one line
    left_edge, column_end = 30 * MM, (30 + 0.4 * 165) * MM
    head = [w for line in lines[:6] for w in line if w.x1 <= column_end + 1]
    texts = " ".join(w.text for w in head)
    assert "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" in texts and "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in texts
    assert all(left_edge - 1 <= w.x0 for w in head)
    assert _find(lines, "BÀ RỊA - VŨNG TÀU") and _find(lines, "NÔNG THÔN")  # a hyphenated name, and no word alone
    (line, first), = _find(lines, NATION)
    assert lines[line][first].x0 > column_end and lines[line][0].text == "ỦY"  # the right column's, beside the bodies


@pytest.mark.slow
def test_pdf_keeps_citations_names_and_spans_of_years_whole(pdf_words):
    texts = [w.text for page in pdf_words for w in page]
    assert texts.count("13/2012/NĐ-CP") == len(WIDTHS_MM)  # never broken after "13/2012/" nor at "NĐ-"
    assert "Cộng" in texts and "2016–2022" in texts
    lines = _lines(pdf_words)
    assert len(_find(lines, "Sản - Nhi")) == len(WIDTHS_MM)


# --------------------------------------------------------------------------- the Word draft as LibreOffice lays it out

@pytest.mark.slow
@libreoffice.MISSING
def test_libreoffice_lays_the_word_draft_out_as_the_pdf(tmp_path):
    shifted = "".join(paragraph(f"{'Năm ' * k}thực hiện Nghị định số 13/2012/NĐ-CP, Bệnh viện Sản - Nhi Hà Sơn.")
                      for k in range(30))  # the pieces at every place of a line, its end among them
    page = _page().replace("</main>", f'<div class="analyst">{shifted}</div></main>')
    source = tmp_path / "thu.docx"
    source.write_bytes(word.docx_bytes(page, draft=False, made=MADE))
    converted = libreoffice.to_pdf(source, tmp_path)
    from pypdf import PdfReader

    lines = [" ".join(line.split()) for p in PdfReader(str(converted)).pages
             for line in p.extract_text().splitlines()]
    assert NATION in lines and MOTTO in lines  # each whole on its own line
    assert "THÔN" not in lines and "BÀ RỊA - VŨNG TÀU" in lines  # the bodies wrap in their column, names whole
    text = "\n".join(lines).replace(WORD_JOINER, "")
    assert text.count("13/2012/NĐ-CP") == 30 + len(WIDTHS_MM) and text.count("Sản - Nhi") == 30 + len(WIDTHS_MM)
    assert "Cộng 2016–2022" in text
