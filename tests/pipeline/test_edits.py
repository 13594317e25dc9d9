"""``apply-edits``: the Word draft the office edited brought back into the year's parameters, through the
command line: tracked changes stop it (or are accepted), the sections come back as Markdown, ``--write`` keeps
the parameters file's comments, ``build --final`` prints the edits; an edit outside the sections, or a draft
of another year or body, is refused."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from sangkien import paths

W_DATE = "2024-01-08T09:30:00Z"


def _params(folder: Path) -> Path:
    """The sample's 2023 parameters in ``folder``, with a comment of the analyst's to keep."""
    text = (paths.PARAMS_DIR / "2023.yaml").read_text(encoding="utf-8")
    text = text.replace("data: data/sample/", f"data: {paths.DATA_DIR}/sample/")
    text = text.replace("sample_data: true", "sample_data: false")
    text += "signer:\n  name: Nguyễn Văn An\n"
    text = text.replace("sections:", "# ghi chú của chuyên viên: giữ nguyên\nsections:", 1)
    params = folder / "2023.yaml"
    params.write_text(text, encoding="utf-8")
    return params


@pytest.fixture
def year(tmp_path, run_main):
    params, out = _params(tmp_path), tmp_path / "out"
    status, _, err = run_main("build", 2023, "--params", params, "--out", out, "--to", "html,docx")
    assert status == 0, err
    return params, out, out / "2023" / "bao-cao-2023.docx"


def _section(document, key: str):
    return next(sdt for sdt in document.element.body.iter(qn("w:sdt"))
                if sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) == f"sangkien:sections.{key}")


def _run(text: str, tracked: str | None = None, bold: bool = False):
    run = OxmlElement("w:r")
    if bold:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:b"))
        run.append(properties)
    piece = OxmlElement("w:delText" if tracked == "del" else "w:t")
    piece.text = text
    piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(piece)
    if tracked is None:
        return run
    change = OxmlElement(f"w:{tracked}")
    for name, value in (("id", "901" if tracked == "ins" else "902"), ("author", "Trưởng phòng"), ("date", W_DATE)):
        change.set(qn(f"w:{name}"), value)
    change.append(run)
    return change


def _edit(source: Path, target: Path) -> None:
    """The office's edits, as Word writes them: section III's first paragraph rewritten with a bold word, a
    list item added to section V, a tracked insertion and deletion in section I."""
    document = docx.Document(str(source))
    first = _section(document, "assessment").find(f".//{qn('w:p')}")
    for run in first.findall(qn("w:r")):
        first.remove(run)
    first.extend([_run("Ưu điểm nổi bật: ", bold=True), _run("phong trào lan tỏa mạnh ở mọi khối.")])
    last = _section(document, "recommendations").findall(f".//{qn('w:p')}")[-1]
    item = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), document.styles["Gạch đầu dòng"].style_id)
    properties.append(style)
    item.extend([properties, _run("Bổ sung kinh phí cho sáng kiến cấp cơ sở.")])
    last.addnext(item)
    context = _section(document, "context").find(f".//{qn('w:p')}")
    context.extend([_run(" Đã tổ chức hội nghị tổng kết.", "ins"), _run("Đoạn bị xóa.", "del")])
    document.save(str(target))


@pytest.mark.slow
def test_the_edited_draft_becomes_the_final_pdf(tmp_path, year, run_main):
    from pypdf import PdfReader

    params, out, draft = year
    edited = tmp_path / "da-sua.docx"
    _edit(draft, edited)
    status, _, err = run_main("apply-edits", edited, "--params", params, "--out", out)
    assert status == 2 and "còn 2 thay đổi chưa chấp nhận" in err and "phần I." in err, err
    status, diff, err = run_main("apply-edits", edited, "--params", params, "--out", out, "--accept-changes")
    assert status == 0, err
    assert "+**Ưu điểm nổi bật:** phong trào lan tỏa mạnh ở mọi khối." in diff
    assert "+- Bổ sung kinh phí cho sáng kiến cấp cơ sở." in diff
    assert "Đã tổ chức hội nghị tổng kết." in diff and "Đoạn bị xóa" not in diff
    before = params.read_text(encoding="utf-8")
    assert params.read_text(encoding="utf-8") == before  # without --write, nothing written
    status, _, err = run_main("apply-edits", edited, "--params", params, "--out", out, "--accept-changes", "--write")
    assert status == 0 and "đã ghi 3 phần" in err, err
    written = params.read_text(encoding="utf-8")
    assert "# ghi chú của chuyên viên: giữ nguyên" in written and "# Báo cáo năm 2023" in written
    assert written.index("year:") < written.index("sections:") < written.index("direction:")
    status, _, err = run_main("build", 2023, "--params", params, "--out", out, "--to", "pdf", "--final")
    assert status == 0 and "đã dựng" in err, err
    text = " ".join((p.extract_text() or "") for p in PdfReader(str(out / "2023" / "bao-cao-2023.pdf")).pages)
    text = " ".join(text.split())
    for edit in ("Ưu điểm nổi bật: phong trào lan tỏa mạnh", "Bổ sung kinh phí cho sáng kiến cấp cơ sở",
                 "Đã tổ chức hội nghị tổng kết"):
        assert edit in text


@pytest.mark.slow
def test_a_table_number_edited_is_refused_naming_the_table(tmp_path, year, run_main):
    params, out, draft = year
    document = docx.Document(str(draft))
    cell = document.tables[1].rows[-1].cells[-1]  # a data table's last number
    cell.paragraphs[0].runs[0].text = "999"
    edited = tmp_path / "sua-bang.docx"
    document.save(str(edited))
    status, _, err = run_main("apply-edits", edited, "--params", params, "--out", out)
    assert status == 2 and "đã sửa bảng «Bảng" in err and "sửa trong sổ rồi dựng lại" in err, err


@pytest.mark.slow
def test_a_draft_of_another_year_or_province_is_refused(tmp_path, year, run_main):
    params, out, draft = year
    for identifier, said in (("sangkien:2022:UBND THÀNH PHỐ HẢI PHÒNG:SỞ KHOA HỌC VÀ CÔNG NGHỆ", "năm 2022"),
                             ("sangkien:2023:UBND TỈNH QUẢNG NINH:SỞ KHOA HỌC VÀ CÔNG NGHỆ", "QUẢNG NINH")):
        document = docx.Document(str(draft))
        document.core_properties.identifier = identifier
        other = tmp_path / "khac.docx"
        document.save(str(other))
        status, _, err = run_main("apply-edits", other, "--params", params, "--out", out)
        assert status == 2 and said in err, err


@pytest.mark.slow
def test_the_draft_is_made_for_editing(sample_year):
    out, _ = sample_year
    with zipfile.ZipFile(out / "2023" / "bao-cao-2023.docx") as archive:
        settings = archive.read("word/settings.xml").decode()
        body = archive.read("word/document.xml").decode()
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
        names = archive.namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
    assert "<Application>sangkien</Application>" in app and "Macintosh" not in app and "Normal.dotm" not in app
    assert "<Company>SỞ KHOA HỌC VÀ CÔNG NGHỆ</Company>" in app
    assert "<w:trackRevisions/>" in settings and 'w:name="compatibilityMode"' in settings
    assert 'w:val="15"' in settings.split('w:name="compatibilityMode"')[1][:80]
    for key in ("context", "assessment", "direction", "recommendations"):
        assert f'<w:tag w:val="sangkien:sections.{key}"/>' in body
    assert "sangkien:2023:UBND THÀNH PHỐ HẢI PHÒNG:SỞ KHOA HỌC VÀ CÔNG NGHỆ" in core
    assert body.count("<wp:docPr ") == body.count('descr="')


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_a_libreoffice_round_trip(tmp_path, year, run_main):  # pragma: no cover - needs LibreOffice
    import subprocess

    params, out, draft = year
    subprocess.run(["soffice", "--headless", "--convert-to", "docx", "--outdir", str(tmp_path / "lo"), str(draft)],
                   check=True, timeout=300)
    status, _, err = run_main("apply-edits", tmp_path / "lo" / draft.name, "--params", params, "--out", out)
    assert status == 0 and "không đổi" in err, err


@pytest.mark.slow
def test_an_empty_section_written_in_word_comes_back(tmp_path, run_main):
    params = _params(tmp_path)
    text = params.read_text(encoding="utf-8")
    start = text.index("  recommendations:")
    end = text.index("\n", text.index("sáng kiến có hiệu quả cao.", start))
    params.write_text(text[:start] + "  recommendations: ''" + text[end:], encoding="utf-8")
    out = tmp_path / "out"
    assert run_main("build", 2023, "--params", params, "--out", out, "--to", "docx")[0] == 0
    document = docx.Document(str(out / "2023" / "bao-cao-2023.docx"))
    placeholder = _section(document, "recommendations").find(f".//{qn('w:p')}")
    for run in placeholder.findall(qn("w:r")):
        placeholder.remove(run)
    placeholder.append(_run("Đề nghị bố trí kinh phí khen thưởng."))
    edited = tmp_path / "da-sua.docx"
    document.save(str(edited))
    status, diff, err = run_main("apply-edits", edited, "--params", params, "--out", out, "--write")
    assert status == 0 and "+Đề nghị bố trí kinh phí khen thưởng." in diff, err
    assert "  recommendations: |\n    Đề nghị bố trí kinh phí khen thưởng.\n" in params.read_text(encoding="utf-8")
