"""The yearly report end to end: the sample year built through Papermill into a temporary folder
(``sample_year``, built once for the session); inputs that stop a build before any kernel starts."""
from __future__ import annotations

import hashlib
import json
import re

import nbformat
import pytest
from pypdf import PdfReader

from sangkien import paths
from sangkien.errors import CellError
from sangkien.pipeline.build import build_year


@pytest.fixture(scope="module")
def built(sample_year):
    return sample_year


@pytest.fixture(scope="module")
def pdf_pages(built, sample_pdf_pages):
    """The sample PDF's reader, each page's text and each page's text in its top margin."""
    _, result = built
    pages = sample_pdf_pages
    return PdfReader(str(result.outputs["pdf"])), [text for text, _ in pages], [top for _, top in pages]


@pytest.mark.slow
def test_outputs_and_manifest(built):
    out, result = built
    folder = out / "2023"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bao-cao-2023.docx", "bao-cao-2023.html", "bao-cao-2023.ipynb", "bao-cao-2023.pdf",
        "danh-sach-cong-nhan-2023.csv", "danh-sach-cong-nhan-2023.xlsx", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2023
    assert manifest["outputs"] == {"notebook": "bao-cao-2023.ipynb", "html": "bao-cao-2023.html",
                                   "pdf": "bao-cao-2023.pdf", "docx": "bao-cao-2023.docx",
                                   "annex": "danh-sach-cong-nhan-2023.xlsx", "annex_csv": "danh-sach-cong-nhan-2023.csv"}
    # the annex lists every recognised initiative of the year, as Excel opens it (UTF-8 with BOM)
    annex = (folder / "danh-sach-cong-nhan-2023.csv").read_bytes()
    assert annex.startswith(b"\xef\xbb\xbfSTT,M\xc3\xa3 s\xe1\xbb\x91,")
    assert len(annex.decode("utf-8-sig").strip().splitlines()) == 1 + manifest["figures"]["year"]["recognized"]
    data = manifest["inputs"]["data"]
    assert data["sha256"] == hashlib.sha256(paths.SAMPLE_REGISTER.read_bytes()).hexdigest()
    assert data["rows"] > 800
    assert set(manifest["timings_s"]) == {"execute", "html", "pdf", "docx"}
    assert manifest["software"]["packages"]["papermill"]
    # nothing left behind but the published year and the lock folder
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


@pytest.mark.slow
def test_manifest_figures_are_the_figures_command(built, run_main):
    _, result = built
    status, out, _ = run_main("figures", 2023)
    assert status == 0
    assert json.loads(out) == result.manifest["figures"]


@pytest.mark.slow
def test_pdf_is_an_official_a4_document(built, pdf_pages):
    reader, texts, _ = pdf_pages
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 portrait in points
    first = texts[0]
    for phrase in ("UBND THÀNH PHỐ HẢI PHÒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "Độc lập - Tự do - Hạnh phúc", "Số: 45/BC-SKHCN", "Hải Phòng, ngày 05 tháng 01 năm 2024",
                   "BÁO CÁO", "năm 2023 và phương hướng, nhiệm vụ năm 2024"):
        assert phrase in " ".join(first.split()), phrase
    whole = " ".join(" ".join(texts).split())
    assert "77,78%" in whole  # 63 of 81, Vietnamese decimal comma
    period = json.loads((built[0] / "2023" / "manifest.json").read_text(encoding="utf-8"))["figures"]["period"]
    for block in period["by_block"].values():  # the period table prints the manifest's figures
        assert f"{block['recognized']}/{block['submitted']}" in whole
    assert "Nơi nhận:" in whole and "PHÓ GIÁM ĐỐC" in whole and "PHỤ LỤC" in whole
    for bad in ("NaN", "None", "nan%", "Traceback"):
        assert bad not in whole


@pytest.mark.slow
def test_page_numbers_centred_on_top_from_page_two(pdf_pages):
    _, _, tops = pdf_pages
    assert len(tops) >= 3
    assert tops[0] == ""
    for number, top in enumerate(tops[1:], start=2):
        assert top == str(number)


@pytest.mark.slow
def test_every_page_says_the_data_is_illustrative(pdf_pages):
    _, texts, _ = pdf_pages
    for text in texts:
        assert "DỮ LIỆU MINH HỌA" in text


@pytest.mark.slow
def test_fonts_are_the_shipped_ones(built):
    _, result = built
    fonts = set()
    for page in PdfReader(str(result.outputs["pdf"])).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # only the shipped Tinos files, embedded under the project's own family name: no system font
    assert fonts and all("SangkienSerif" in f for f in fonts), fonts


@pytest.mark.slow
def test_html_is_self_contained_without_code(built):
    _, result = built
    page = result.outputs["html"].read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    # base64 data may spell anything ("cdn" among it): look at the page without it
    bare = re.sub(r"data:[a-z/+-]+;base64,[A-Za-z0-9+/=]+", "data:", page)
    assert "@import" not in bare and not re.search(r"url\(\s*[\"']?(https?:)?//", bare)
    assert "cdn" not in bare.lower()
    for code in ("Report.load", "report.header()", "import ", "In&nbsp;[", "jp-InputArea"):
        assert code not in page, code
    assert '<nav class="toc">' in page and 'href="#muc-1"' in page
    assert page.count("data:image/png;base64,") == 2  # charts embedded (fields, trend: no chart repeats Bảng 1)


@pytest.mark.slow
def test_failing_cell_exit_4_keeps_published_year(small_year, copy_published, digests, tmp_path):
    out = copy_published(small_year.out)
    before = digests(out / "2023")
    notebook = nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell("1 / 0"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, str(broken))
    with pytest.raises(CellError) as caught:
        # html only: the cell fails before anything is rendered, and no PDF or Word renderer is warmed up for it
        build_year(2023, params_file=small_year.params, out_dir=out, notebook=broken, formats=("html",))
    kept = out / "_failed" / "2023" / "bao-cao-2023.ipynb"
    assert caught.value.exit_status == 4
    # the 4th cell as the analyst counts them; run 3rd: the Lab-only autoreload cell is not run in a build
    assert caught.value.problems == [f"{broken}, ô số 4 (thứ tự chạy 3): ZeroDivisionError: division by zero",
                                     f"sổ tay đã chạy được giữ lại để xem lỗi: {kept}"]
    assert any("ZeroDivisionError" in str(cell.get("outputs")) for cell in nbformat.read(str(kept), as_version=4).cells)
    assert digests(out / "2023") == before
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023", "_failed"]  # no staging folder left


def test_bad_data_exit_3_writes_nothing(tmp_path, run_main):
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã số,Năm\nX,abc\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_main("build", 2023, "--data", bad, "--out", out)
    assert status == 3, err
    assert "bad.csv" in err and "Traceback" not in err
    assert not out.exists()


def test_bad_params_exit_2_writes_nothing(tmp_path, run_main):
    params = tmp_path / "p.yaml"
    params.write_text("year: 2023\ndata: data/sample/so-dang-ky-sang-kien.xlsx\nperod_start: 2016\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_main("build", 2023, "--params", params, "--out", out)
    assert status == 2
    assert "period_start" in err
    assert not out.exists()


def test_year_without_rows_exit_2(tmp_path, run_main):
    params = tmp_path / "2030.yaml"
    params.write_text("year: 2030\ndata: data/sample/so-dang-ky-sang-kien.xlsx\n"  # the blocks since 2025
                      "blocks: [Giáo dục, 'Sở, ngành, địa phương']\n"
                      "reorganisation: {blocks: {'Quận, huyện, sở, ngành': 'Sở, ngành, địa phương'}}\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_main("build", 2030, "--params", params, "--out", out)
    assert status == 2
    assert "2030" in err and "không có dòng nào" in err
    assert not out.exists()


@pytest.mark.slow
def test_an_output_folder_refused_once_the_kernel_started_leaves_no_kernel(small_year, tmp_path, monkeypatch):
    """The kernel starts ahead, as soon as the inputs are validated; the output folder is checked while
    it boots. Refused there (the analyst's file under an output's name): ParamsError as before, and the
    kernel killed, its sockets and connection file gone."""
    import os

    import psutil

    from sangkien.errors import ParamsError
    from sangkien.pipeline.processes.kernel import Kernel

    started = []
    real_start = Kernel.start
    monkeypatch.setattr(Kernel, "start", lambda *args: started.append(real_start(*args)) or started[-1])
    out = tmp_path / "out"
    (out / "2023").mkdir(parents=True)
    (out / "2023" / "bao-cao-2023.pdf").write_bytes(b"%PDF the analyst's own")
    with pytest.raises(ParamsError) as caught:
        build_year(2023, params_file=small_year.params, out_dir=out)
    assert caught.value.exit_status == 2 and str(out / "2023" / "bao-cao-2023.pdf") in caught.value.problems[0]
    (kernel,) = started
    assert kernel.pid and not psutil.pid_exists(kernel.pid)  # ended (killed), and waited for
    assert not os.path.exists(kernel.folder)
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["bao-cao-2023.pdf"]
