"""The built documents read right in any province (issue 12), read from the built PDFs (and their HTML):
the sample year of Hai Phong and a made-up province ("Hà Sơn": other bodies, three blocks, no recipients,
no signer's name, no issue date, one analyst section empty), each with unit notices.

Each test names the point of the issue it backs. The PDFs are read with pypdf (text) and with
``pdfwords`` (word boxes, for what overlaps and what is left blank).
"""
from __future__ import annotations

import csv
import functools
import html as html_lib
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pdfwords import MM, Word, overlapping, words
from province import BLOCKS as PROVINCE_BLOCKS
from province import ISSUER, write_province
from province import UNITS as PROVINCE_UNITS
from pypdf import PdfReader

from sangkien import inputs, paths
from sangkien.collation import sort_names
from sangkien.inputs.schema import fold
from sangkien.pipeline import unitsheets
from sangkien.pipeline.build import build_year
from sangkien.pipeline.processes import execute
from sangkien.report import annex, wording
from sangkien.report import vnformat as vn

pytestmark = pytest.mark.slow

SAMPLE_UNITS = ("Sở Nội vụ", "Sở Giáo dục và Đào tạo")
"""A unit with one initiative, none recognised, and the unit with the longest list."""


@pytest.fixture(scope="module")
def sample(sample_year, tmp_path_factory):
    """The session's sample year, and two of its unit notices built beside it, as ``build 2023 --units``
    builds a worker's share of the sheets: one after the other in one warm kernel (the same bytes as a
    sheet built alone: tests/pipeline/test_unitsheets.py), not a kernel each."""
    out, result = sample_year
    folder = tmp_path_factory.mktemp("sample-units")
    params, register = inputs.load(2023)
    stems = dict(unitsheets.planned(register, 2023))
    kept = execute.snapshot(params, register, folder)
    outcomes = unitsheets.build_batch(2023, str(kept), str(paths.UNIT_NOTEBOOK), str(folder), str(folder),
                                      unitsheets.SHEET_FORMATS, [(unit, stems[unit]) for unit in SAMPLE_UNITS])
    assert [o.status for o in outcomes] == ["built"] * len(SAMPLE_UNITS), [o.problems for o in outcomes]
    return result, [folder / f"{stems[unit]}.pdf" for unit in SAMPLE_UNITS]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Hà Sơn's 2024 with every unit's notice, and its 2019 (first year, over 300 recognised); HTML and PDF
    (and the annexes, always made): no test here reads a Word draft."""
    folder = tmp_path_factory.mktemp("ha-son")
    files = write_province(folder)
    formats = ("html", "pdf")
    year = build_year(2024, params_file=files[2024], out_dir=folder / "out", formats=formats, units=True, jobs=2)
    first = build_year(2019, params_file=files[2019], out_dir=folder / "out", formats=formats)
    sheets = sorted((folder / "out" / "2024" / "don-vi").glob("*.pdf"))
    return year, first, sheets, files


@functools.cache
def _raw(pdf: Path) -> tuple[str, ...]:
    """Each page's text as pypdf extracts it (lines kept); read once per file (the built files never change
    here: every test reads them)."""
    return tuple(page.extract_text() for page in PdfReader(str(pdf)).pages)


def _text(pdf: Path) -> tuple[str, ...]:
    """Each page's text, white space (non-breaking spaces included) folded to single spaces."""
    return tuple(" ".join(page.split()) for page in _raw(pdf))


@functools.cache
def _words(pdf: Path) -> list[list[Word]]:
    """Every page's words with their boxes (``pdfwords``), read once per file."""
    return words(pdf)


def _whole(pdf: Path) -> str:
    return " ".join(_text(pdf))


def _all_pdfs(sample, province) -> list[Path]:
    result, sample_sheets = sample
    year, first, sheets, _ = province
    return [result.outputs["pdf"], year.outputs["pdf"], first.outputs["pdf"], *sample_sheets, *sheets]


# --------------------------------------------------------------------------- 1. nothing of one province in another's

def test_1_nothing_of_hai_phong_in_the_province(province):
    year, first, sheets, _ = province
    for document in [year.outputs["pdf"], first.outputs["pdf"], *sheets]:
        text = _whole(document).casefold()
        for leak in ("thành phố", "hải phòng", "nguyễn văn mẫu", "quận, huyện"):
            assert leak not in text, (document.name, leak)
    page = year.outputs["html"].read_text(encoding="utf-8").casefold()
    assert "thành phố" not in page and "hải phòng" not in page
    text = _whole(year.outputs["pdf"])
    # recipients derived from the level and the bodies; the signer's name left blank for the clerk
    assert ("Nơi nhận: - UBND tỉnh (để báo cáo); - Hội đồng Sáng kiến cấp tỉnh; - Các đơn vị có sáng kiến đề nghị "
            "công nhận; - Giám đốc, các Phó Giám đốc Sở; - Lưu: VT, QLCN.") in text  # its drafting unit


def test_1_placeholder_signer_only_on_sample_data(sample, province):
    result, _ = sample
    assert "Nguyễn Văn Mẫu" in _whole(result.outputs["pdf"])  # illustrative data
    year, _, sheets, _ = province
    for pdf in (year.outputs["pdf"], sheets[0]):  # real data, no name given: the name line is left blank
        closing = [t for t in _text(pdf) if "Nơi nhận:" in t][0]
        after = closing.split("PHÓ GIÁM ĐỐC", 1)[1].split()
        assert not [w for w in after if w not in wording.DRAFT_MARK.split() and not w.isdigit()], pdf.name


# --------------------------------------------------------------------------- 2. the PDF carries only the document

def test_2_build_details_only_in_the_html(sample, province):
    for result in (sample[0], province[0]):
        text = _whole(result.outputs["pdf"])
        assert wording.COLOPHON_TITLE not in text and "SHA-256" not in text and "commit" not in text
        assert result.manifest["inputs"]["data"]["sha256"][:16] not in text
        page = result.outputs["html"].read_text(encoding="utf-8")
        footer = re.search(r'<footer class="colophon screen-only">(.*?)</footer>', page, re.S).group(1)
        assert wording.COLOPHON_TITLE in footer and result.manifest["inputs"]["data"]["sha256"] in footer
        assert ".screen-only { display: none; }" in page  # the stylesheet keeps it out of print


# --------------------------------------------------------------------------- 3. every figure in words is true

def _recount(year: int, params_file=None) -> dict:
    """The year's figures counted again from the register's rows, by hand (not by sangkien.figures)."""
    params, register = inputs.load(year, params_file)
    c = register.columns
    rows = [dict(zip(c, values)) for values in zip(*c.values())]
    this = [r for r in rows if r["nam"] == year]
    last = [r for r in rows if r["nam"] == year - 1]
    recognised = [r for r in this if r["ket_qua"] == "Công nhận"]
    names = [[n.strip() for n in r["tac_gia"].split(";") if n.strip()] for r in recognised]
    amounts = [a for r in recognised if (a := r["so_tien_lam_loi"]) is not None and a == a]  # NaN: not reported
    return {
        "submitted": len(this), "recognized": len(recognised), "pending": sum(r["ket_qua"] == "Đang xét" for r in this),
        "last_submitted": len(last), "last_recognized": sum(r["ket_qua"] == "Công nhận" for r in last),
        "entries": sum(map(len, names)), "first": len(names), "with_co": sum(len(n) > 1 for n in names),
        "people": len({(fold(n), fold(r["don_vi"])) for r, ns in zip(recognised, names) for n in ns}),
        "reported": len(amounts), "benefit": sum(amounts), "units": len({fold(r["don_vi"]) for r in this}),
        "fields": len({r["linh_vuc"] for r in this}),
    }


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _pct(part, whole) -> str:
    return f"{100 * part / whole:.2f}".replace(".", ",") + "%"


@pytest.mark.parametrize("which", ["sample", "province"])
def test_3_every_sentence_states_the_figures(which, sample, province):
    result = sample[0] if which == "sample" else province[0]
    params_file = None if which == "sample" else province[3][2024]
    year = result.year
    n = _recount(year, params_file)
    text = _whole(result.outputs["pdf"])
    figures = result.manifest["figures"]["year"]
    assert (figures["submitted"], figures["recognized"], figures["pending"]) == (n["submitted"], n["recognized"],
                                                                                 n["pending"])
    m = re.search(r"đã đề nghị công nhận ([\d.]+) sáng kiến cấp \w+( \w+)?[,;]", text)
    assert _number(m.group(1)) == n["submitted"]
    if n["pending"]:
        decided = n["submitted"] - n["pending"]
        assert (f"trong đó {decided} sáng kiến đã có kết quả xét và {n['pending']} sáng kiến đang được xem xét; "
                f"{n['recognized']} sáng kiến được công nhận, bằng {_pct(n['recognized'], decided)} số sáng kiến đã có "
                f"kết quả xét và {_pct(n['recognized'], n['submitted'])} tổng số sáng kiến đề nghị") in text
        assert "tỷ lệ trên tổng số sáng kiến đề nghị, kể cả sáng kiến đang được xem xét" in text
    else:
        assert (f"{n['recognized']} sáng kiến được công nhận, đạt tỷ lệ {_pct(n['recognized'], n['submitted'])} "
                f"số sáng kiến đề nghị") in text
    assert f"Năm {year} có {n['units']} đơn vị đề nghị công nhận sáng kiến." in text
    assert f"Các sáng kiến đề nghị thuộc {n['fields']} lĩnh vực" in text
    # authors: entries, first authors, co-authors, and people as distinct name-and-unit pairs (said so)
    assert (f"có {n['entries']} lượt tác giả, đồng tác giả ({n['first']} tác giả chính, {n['entries'] - n['first']} "
            f"lượt đồng tác giả), là {n['people']} người (mỗi người tính theo họ tên và đơn vị đề nghị); "
            f"{n['with_co']} sáng kiến do hai người trở lên cùng thực hiện.") in text
    m = re.search(r"Trong số (\d+) sáng kiến được công nhận, (\d+) sáng kiến đã xác định được số tiền làm lợi, tổng "
                  r"cộng khoảng ([\d.,]+) (tỷ|triệu) đồng \(bình quân ([\d.,]+) (tỷ|triệu) đồng/sáng kiến\)", text)
    assert (int(m.group(1)), int(m.group(2))) == (n["recognized"], n["reported"])
    scale = {"tỷ": 1e9, "triệu": 1e6}
    assert abs(_number(m.group(3)) * scale[m.group(4)] - n["benefit"]) <= 0.005 * scale[m.group(4)]
    assert abs(_number(m.group(5)) * scale[m.group(6)] - n["benefit"] / n["reported"]) <= 0.05 * scale[m.group(6)]
    m = re.search(r"So với năm (\d+), số sáng kiến được công nhận (tăng|giảm) ([\d,]+)% \(từ (\d+) (lên|xuống) (\d+)\); "
                  r"số sáng kiến đề nghị (tăng|giảm) ([\d,]+)% \(từ (\d+) (lên|xuống) (\d+)\)", text)
    assert int(m.group(1)) == year - 1
    assert (int(m.group(4)), int(m.group(6))) == (n["last_recognized"], n["recognized"])
    assert m.group(3) + "%" == _pct(abs(n["recognized"] - n["last_recognized"]), n["last_recognized"])
    assert (int(m.group(9)), int(m.group(11))) == (n["last_submitted"], n["submitted"])
    period = result.manifest["figures"]["period"]
    assert (f"các đơn vị đã đề nghị công nhận {vn.integer(period['submitted'])} sáng kiến, trong đó "
            f"{vn.integer(period['recognized'])} sáng kiến được công nhận (tỷ lệ "
            f"{_pct(period['recognized'], period['submitted'])})") in text
    for block, c in period["by_block"].items():
        assert (f"{wording.block_label(block)} được công nhận {vn.integer(c['recognized'])} trên "
                f"{vn.integer(c['submitted'])} sáng kiến đề nghị ({_pct(c['recognized'], c['submitted'])})") in text
    mean = period["recognized"] / (period["to"] - period["from"] + 1)
    change = 100 * (n["recognized"] - mean) / mean
    assert (f"Số sáng kiến được công nhận năm {year} ({n['recognized']}) {'cao' if change > 0 else 'thấp'} hơn "
            f"{vn.percent(abs(change))} so với mức bình quân {vn.mean(mean)} sáng kiến/năm") in text


@pytest.mark.parametrize("which", ["sample", "province"])
def test_3_no_sentence_opens_with_a_numeral(which, sample, province):
    result = sample[0] if which == "sample" else province[0]
    page = result.outputs["html"].read_text(encoding="utf-8")
    paragraphs = [html_lib.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", page, re.S)]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.:])\s+", p.strip()) if s]
    assert len(sentences) > 10
    assert not [s for s in sentences if s[0].isdigit()]


# --------------------------------------------------------------------------- 4. Decree 30's blanks

def test_4_an_undated_report_leaves_room_to_write_the_date(province):
    year, _, sheets, _ = province
    for pdf in (year.outputs["pdf"], sheets[0]):
        first = _words(pdf)[0]
        header = [w for w in first if w.top < 60 * MM]
        texts = [w.text for w in header]
        day, month, year_word = (header[texts.index(t)] for t in ("ngày", "tháng", "năm"))
        assert header[texts.index("năm") + 1].text == "2025"  # the year of issue: the year after the report's
        assert month.x0 - day.x1 >= 8 * MM and year_word.x0 - month.x1 >= 8 * MM  # room for "05" and "01" by hand
        number = header[texts.index("Số:")]
        symbol = next(w for w in header if w.text.startswith("/"))
        assert symbol.x0 - number.x1 >= 8 * MM
    text = _whole(year.outputs["pdf"])
    assert "Hà Sơn, ngày tháng năm 2025" in text


# --------------------------------------------------------------------------- 5. one number style per column and kind

STYLES = [("dash", r"–"), ("count", r"\d{1,3}(\.\d{3})*"), ("pair", r"\d{1,3}(\.\d{3})*/\d{1,3}(\.\d{3})*"),
          ("percent", r"-?\d{1,3}(\.\d{3})*,\d{2}%"), ("one decimal", r"\d{1,3}(\.\d{3})*,\d"),
          ("two decimals", r"\d{1,3}(\.\d{3})*,\d{2}")]


def _style(cell: str) -> str:
    return next((name for name, pattern in STYLES if re.fullmatch(pattern, cell)), f"other: {cell}")


class _Tables(HTMLParser):
    """The numeric cells of every data table of a page, column by column: [{column: [cell, ...]}]."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.column, self.numeric = [], None, 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data" in (attrs.get("class") or ""):
            self.tables.append({})
        elif tag == "tr":
            self.column = 0
        elif tag == "td" and self.tables:
            self.cell, self.numeric = "", attrs.get("class") == "num"

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            if self.numeric:
                self.tables[-1].setdefault(self.column, []).append(self.cell.strip())
            self.cell, self.column = None, self.column + 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _columns_with_two_styles(page: str) -> list:
    parser = _Tables()
    parser.feed(page)
    mixed = []
    for n, table in enumerate(parser.tables):
        for column, cells in table.items():
            styles = {_style(c) for c in cells if c and c != "–"}
            if column == 0:  # the TT column: counts
                styles.discard("count")
            if len(styles) > 1 or any(s.startswith("other") for s in styles):
                mixed.append((n, column, styles))
    return mixed


def test_5_one_number_style_per_column_and_per_kind(sample, province):
    result, sample_sheets = sample
    year, first, sheets, _ = province
    pages = [r.outputs["html"] for r in (result, year, first)] + [p.with_suffix(".html") for p in sample_sheets + sheets]
    for page in pages:
        assert not _columns_with_two_styles(page.read_text(encoding="utf-8")), page.name
    assert _columns_with_two_styles('<table class="data"><tr><td class="num">80%</td></tr>'
                                    '<tr><td class="num">85,71%</td></tr></table>')  # the check sees a mixed column
    for pdf in _all_pdfs(sample, province):
        text = _whole(pdf)
        assert not re.findall(r"(?<![\d,])\d+(,\d?)?%|\d,\d{3,}%", text), pdf.name  # every percentage: two decimals
        assert not re.findall(r"(?<![\d,])\d+(\.\d{3})* triệu đồng|,\d{2,} triệu đồng", text), pdf.name  # one decimal
        assert not re.findall(r"(?<![\d,])\d+(\.\d{3})* tỷ đồng|,(\d|\d{3,}) tỷ đồng", text), pdf.name  # two decimals
        assert not re.findall(r"(?<![\d,])\d+ sáng kiến/năm", text), pdf.name  # a mean: one decimal


# --------------------------------------------------------------------------- 6. Vietnamese order

def _in_order_of_appearance(text: str, names) -> list[str]:
    found = sorted((text.find(n), n) for n in names if text.find(n) >= 0)
    return [n for _, n in found]


def test_6_names_in_vietnamese_order(province):
    year, _, _, _ = province
    pages = _text(year.outputs["pdf"])
    appendix = " ".join(pages[[i for i, t in enumerate(pages) if "PHỤ LỤC" in t][0]:])
    folder = year.outputs["pdf"].parent
    with open(folder / annex.csv_name(2024), encoding="utf-8-sig") as f:
        annex_units = list(dict.fromkeys(row[4] for row in list(csv.reader(f))[1:]))
    index = (folder / "don-vi" / "index.html").read_text(encoding="utf-8")
    every = [u for b in PROVINCE_BLOCKS for u in PROVINCE_UNITS[b]]
    assert _in_order_of_appearance(index, every) == sort_names(every)
    for block in PROVINCE_BLOCKS:
        units = PROVINCE_UNITS[block]
        assert _in_order_of_appearance(appendix, units) == sort_names(units), block
        assert [u for u in annex_units if u in units] == sort_names(units), block
    # the order a director checks: Nội vụ before Nông nghiệp, Tài chính before Thông tin (code points say otherwise)
    assert sort_names(PROVINCE_UNITS["Sở, ban, ngành"])[:4] == [
        "Sở Nội vụ", "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Thông tin và Truyền thông"]


# --------------------------------------------------------------------------- 7. unit sheets as notices

def _notice_metadata(pdf: Path, subject: str) -> None:
    """A notice's PDF names its author (the issuing body) and its subject, in the Info and in the XMP alike."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        assert (str(document.docinfo["/Author"]), str(document.docinfo["/Subject"])) == (ISSUER, subject), pdf.name
        meta = document.open_metadata()
        assert meta["{http://purl.org/dc/elements/1.1/}creator"] == [ISSUER], pdf.name
        assert meta["{http://purl.org/dc/elements/1.1/}description"] == subject, pdf.name


def test_7_unit_sheets_are_notices_to_their_unit(province):
    _, _, sheets, _ = province
    assert len(sheets) == sum(len(u) for u in PROVINCE_UNITS.values())
    names = {u for units in PROVINCE_UNITS.values() for u in units}
    for pdf in sheets:
        text = _whole(pdf)
        unit = next(u for u in names if f"Kết quả xét công nhận sáng kiến năm 2024 của {u}" in text)
        assert "THÔNG BÁO" in text and "/TB-SKHCN" in text and "BC-SKHCN" not in text
        assert re.search(rf"Nơi nhận: - {re.escape(unit)}; - Lưu: VT, QLCN\.", text), pdf.name
        _notice_metadata(pdf, wording.notice_subject(2024, unit))
        assert "để báo cáo" not in text and not [u for u in names - {unit} if f"- {u};" in text]
        page = pdf.with_suffix(".html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "<nav" not in page  # no contents list outside the page


def test_7_no_two_words_overlap_and_tables_at_11_pt(sample, province):
    for pdf in _all_pdfs(sample, province):
        for n, page in enumerate(_words(pdf)):
            pairs = [(a.text, b.text) for a, b in overlapping(page)]
            assert not pairs, (pdf.name, n + 1, pairs[:5])
    notices = sample[1] + province[2]
    margin = set(wording.SAMPLE_NOTICE.split())
    for pdf in notices:
        small = {w.text for page in _words(pdf) for w in page if w.size < 10.9} - margin
        assert not small, (pdf.name, sorted(small)[:10])  # every table and line of a notice at 11 pt or more


def test_7_a_known_overprint_is_seen():
    """The check finds what it is for: the label of the old trend table over its first rate; every pair
    that overlaps, as comparing each word with every other finds them."""
    label = Word("phố", 180, 196, 520, 532, 11)
    rate = Word("61,9%", 190, 215, 521, 533, 11)
    assert label.overlaps(rate) and not label.overlaps(Word("x", 197, 200, 520, 532, 11))
    beside, below = Word("x", 197, 200, 520, 532, 11), Word("y", 185, 200, 532.2, 540, 11)
    tall = Word("z", 199, 230, 400, 600, 11)  # starts far above the others and reaches below them
    page = [tall, below, rate, beside, label]
    every = [("61,9%", "phố"), ("61,9%", "x"), ("61,9%", "y"), ("61,9%", "z"), ("x", "z"), ("y", "z")]
    assert sorted(tuple(sorted((a.text, b.text))) for a, b in itertools.combinations(page, 2) if a.overlaps(b)) == every
    assert sorted(tuple(sorted((a.text, b.text))) for a, b in overlapping(page)) == every


# --------------------------------------------------------------------------- 8. the appendix

def test_8_the_appendix_names_its_report_and_is_referred_to(sample, province):
    text = _whole(sample[0].outputs["pdf"])
    assert ("(Kèm theo Báo cáo số 45/BC-SKHCN ngày 05 tháng 01 năm 2024 của Sở Khoa học và Công nghệ)") in text
    part_two = text[text.index("II. KẾT QUẢ THỰC HIỆN"):text.index("III. ĐÁNH GIÁ CHUNG")]
    assert "Danh sách các sáng kiến được công nhận tại Phụ lục kèm theo Báo cáo này." in part_two
    year, first, _, _ = province
    assert ("(Kèm theo Báo cáo số /BC-SKHCN ngày tháng năm 2025 của Sở Khoa học và Công nghệ)"
            in _whole(year.outputs["pdf"]))
    # beyond 300 rows: the annex file by its name (the one function annex.file_name) and its row count
    recognised = first.manifest["figures"]["year"]["recognized"]
    assert recognised > annex.APPENDIX_LIMIT
    text = _whole(first.outputs["pdf"])
    name = annex.file_name(2019)
    appendix = text[text.index("PHỤ LỤC"):]
    assert f"trong tệp {name}, gồm {recognised} dòng" in appendix and "Tên sáng kiến" not in appendix
    assert f"Danh sách {recognised} sáng kiến được công nhận gửi kèm theo Báo cáo này trong tệp {name}" in text
    assert (first.outputs["pdf"].parent / name).is_file()


# --------------------------------------------------------------------------- 9. charts in the built page

def test_9_charts_print_at_their_own_size(sample, province):
    import base64

    from sangkien.report.charts import png_width_mm

    for result in (sample[0], province[0]):
        page = result.outputs["html"].read_text(encoding="utf-8")
        images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="[^"]*" style="width:([\d.]+)mm"/>', page)
        assert images
        for data, width in images:
            natural = png_width_mm(base64.b64decode(data))
            assert abs(natural - float(width)) < 0.1 and natural <= 165  # never scaled down: 9 pt prints as 9 pt


def test_9_every_image_has_its_alternative_text_and_no_page_needs_nbconverts_rewriting(sample, province):
    """The pages are the house template's own (``exporters/html.py``'s ``HouseExporter``: nbconvert's rewriting of
    every page with BeautifulSoup is skipped): what that rewriting would add is never needed, every image
    having its alternative text (a chart's: its title) and no element JupyterLab's classes (tab stops)."""
    sample_sheets = [pdf.with_suffix(".html") for pdf in sample[1]]
    province_sheets = [pdf.with_suffix(".html") for pdf in province[2]]
    pages = [sample[0].outputs["html"], province[0].outputs["html"], province[1].outputs["html"], *sample_sheets,
             *province_sheets]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        images = re.findall(r"<img\b[^>]*>", page)
        assert all(re.search(r'\salt="', image) for image in images), path.name
        assert not re.search(r'class="[^"]*\bjp-', page), path.name
    charts = "".join(path.read_text(encoding="utf-8") for path in pages)
    assert len(re.findall(r'<img src="data:image/png;base64,[^"]+" alt="[^"]+"', charts)) >= 3  # titled charts


# --------------------------------------------------------------------------- 10. a draft looks like a draft

def test_10_a_draft_says_so_on_every_page(sample, province):
    year, _, _, _ = province
    pages = _text(year.outputs["pdf"])
    assert all(wording.DRAFT_MARK in page for page in pages)
    text = " ".join(pages)
    assert wording.section_placeholder("recommendations", 2024) in text
    assert "sections" not in text and "tham số" not in text and "khóa" not in text
    assert '<div class="draft-mark">DỰ THẢO</div>' in year.outputs["html"].read_text(encoding="utf-8")
    assert not any(wording.DRAFT_MARK in page for page in _text(sample[0].outputs["pdf"]))  # every section written


# --------------------------------------------------------------------------- 12. the smaller items

def test_12_page_one_is_full_and_year_spans_stay_whole(sample, province):
    result = sample[0]
    reader = PdfReader(str(result.outputs["pdf"]))
    height = float(reader.pages[0].mediabox.height)
    body = [w for w in _words(result.outputs["pdf"])[0] if w.bottom < height - 20 * MM]
    assert height - 20 * MM - max(w.bottom for w in body) < 40 * MM  # no hole at the foot of page 1
    for pdf in _all_pdfs(sample, province):
        for page in _raw(pdf):
            lines = page.splitlines()
            assert not [line for line in lines if re.search(r"\d{4}–$", line.strip())], pdf.name
            assert not [line for line in lines if line.strip().startswith("•")], pdf.name
    for report in (result, province[0]):  # the signature never stands alone on a page: text goes with it
        closing = next(t for t in _text(report.outputs["pdf"]) if "Nơi nhận:" in t)
        assert len(closing.split("Nơi nhận:")[0].split()) > 12
    facts = _whole(result.outputs["pdf"])
    assert "Qua số liệu tổng hợp, có thể rút ra một số nhận xét sau: - Tỷ lệ công nhận" in facts
    assert json.loads((result.outputs["pdf"].parent / "manifest.json").read_text(encoding="utf-8"))["figures"]
