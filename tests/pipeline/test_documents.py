"""The sample year's documents as offices finish them: the PDF is PDF/A-2b, the Word draft has the
Decree 30 layout (and opens in LibreOffice where it is installed), the annex is a formatted workbook.
Uses the session's built sample year (``sample_year``)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn

from sangkien.pipeline.exporters.pdf import pdf_identifier
from sangkien.report import wording

pytestmark = pytest.mark.slow
PDFA = "{http://www.aiim.org/pdfa/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def folder(sample_year):
    out, _ = sample_year
    return out / "2023"


def _fonts(resources, seen: set) -> list:
    """Every font dictionary reachable from ``resources`` (XObjects included)."""
    found = []
    for font in (resources.get("/Font") or {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        if "/Resources" in xobject and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += _fonts(xobject.Resources, seen)
    return found


def test_pdf_is_pdfa_2b_with_metadata_intent_and_embedded_fonts(folder):
    page = (folder / "bao-cao-2023.html").read_text(encoding="utf-8")
    with pikepdf.open(folder / "bao-cao-2023.pdf") as pdf:
        assert pdf.pdf_version == "1.7"
        with pdf.open_metadata() as xmp:
            assert xmp[f"{PDFA}part"] == "2" and xmp[f"{PDFA}conformance"] == "B"
            assert xmp[f"{DC}title"] == wording.report_page_title(2023)
            assert xmp[f"{DC}creator"] == ["SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
            assert xmp[f"{DC}description"].startswith("Kết quả phong trào thi đua")
        assert str(pdf.docinfo["/Title"]) == wording.report_page_title(2023)  # the same in the document information
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3 and "sRGB" in str(intent.OutputConditionIdentifier)
        assert bytes(pdf.trailer.ID[0]) == pdf_identifier(page)  # stable: the page's digest
        images = [x for p in pdf.pages for x in (p.Resources.get("/XObject") or {}).values() if x.Subtype == "/Image"]
        charts = page.count("data:image/png;base64,")
        assert len({x.objgen for x in images}) == charts >= 2  # the charts, with their transparency (PDF/A-2 allows it)
        assert all(not x.get("/Interpolate", False) for x in images)  # forbidden in PDF/A
        seen: set = set()
        fonts = [f for p in pdf.pages for f in _fonts(p.Resources, seen)]
        assert fonts
        for font in fonts:
            described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = described.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


def test_pdf_marks_where_the_signature_goes(folder):
    with pikepdf.open(folder / "bao-cao-2023.pdf") as pdf:
        names = pdf.Root.Names.Dests.Names
        places = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        space, name = places["sangkien-sig-space"], places["sangkien-sig-name"]
        assert space[0].objgen == name[0].objgen  # one page
        text_gap_mm = (float(space[3]) - float(name[3])) * 25.4 / 72
        assert 20 < text_gap_mm < 30  # the space left for signing (26 mm in report.css)


@pytest.fixture(scope="module")
def draft(folder):
    return docx.Document(str(folder / "bao-cao-2023.docx"))


def test_docx_page_setup_header_and_fonts(draft):
    section = draft.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
    assert margins == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert draft.styles["Normal"].font.name == "Times New Roman"
    body = draft.styles["Normal"]
    assert body.font.size.pt == 13 and round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    fields = [[t.text for t in part._element.iter(qn("w:instrText"))]
              for part in (section.header, section.first_page_header)]
    assert fields == [[" PAGE "], []]  # the page number from page 2 on


def test_docx_reads_as_the_pdf(draft, folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    page = (folder / "bao-cao-2023.html").read_text(encoding="utf-8")
    text = "\n".join(p.text for p in draft.paragraphs)
    cells = "\n".join(c.text for t in draft.tables for r in t.rows for c in r.cells)
    for phrase in ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 45/BC-SKHCN",
                   "Hải Phòng, ngày 05 tháng 01 năm 2024", "Nơi nhận:", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Mẫu"):
        assert phrase in cells, phrase
    assert "BÁO CÁO" in text and "77,78%" in text and "PHỤ LỤC" in text
    assert page.count('class="data') == sum(t.style.name == "Bảng số liệu" for t in draft.tables)
    assert page.count('class="caption table-caption"') == sum(p.style.name == "Chú thích bảng" for p in draft.paragraphs)
    assert len(draft.inline_shapes) == page.count("data:image/png;base64,") >= 2
    headings = [p.text for p in draft.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["I. ĐẶC ĐIỂM TÌNH HÌNH, CÔNG TÁC CHỈ ĐẠO", "II. KẾT QUẢ THỰC HIỆN"]
    for table in (t for t in draft.tables if t.style.name == "Bảng số liệu"):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    recognized = manifest["figures"]["year"]["recognized"]
    appendix = [t for t in draft.tables if t.style.name == "Bảng số liệu"][-1]
    assert sum(1 for r in appendix.rows if re.fullmatch(r"\d+", r.cells[0].text)) == recognized
    assert "Thông tin lập báo cáo" not in text + cells  # build details stay in the manifest


def test_docx_is_no_draft_when_every_section_is_written(folder):
    import zipfile

    with zipfile.ZipFile(folder / "bao-cao-2023.docx") as package:
        headers = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
        footers = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/footer"))
    assert "DỰ THẢO" not in headers and " PAGE " in headers
    assert "DỮ LIỆU MINH HỌA" in footers  # the sample's notice on every page


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_opens_in_libreoffice(folder, tmp_path):
    completed = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                                "--convert-to", "pdf", "--outdir", str(tmp_path), str(folder / "bao-cao-2023.docx")],
                               capture_output=True, text=True, timeout=180)
    converted = tmp_path / "bao-cao-2023.pdf"
    assert completed.returncode == 0 and converted.exists(), completed.stderr
    from pypdf import PdfReader

    reader = PdfReader(str(converted))
    assert 8 <= len(reader.pages) <= 16
    first = " ".join(reader.pages[0].extract_text().split())  # LibreOffice's marks come apart: ASCII words
    assert "45/BC-SKHCN" in first and "77,78%" in first
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1


def test_annex_is_a_workbook_listing_the_recognised(folder):
    from openpyxl import load_workbook

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["annex"] == "danh-sach-cong-nhan-2023.xlsx"
    sheet = load_workbook(folder / "danh-sach-cong-nhan-2023.xlsx").active
    rows = [r for r in sheet.iter_rows(min_row=8, values_only=True) if r[0] is not None]
    assert len(rows) == manifest["figures"]["year"]["recognized"]
    assert sheet.freeze_panes == "A8" and sheet.page_setup.orientation == "landscape"
