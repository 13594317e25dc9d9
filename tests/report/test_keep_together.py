"""What is never broken across lines (one rule, :func:`sangkien.report.markup.kept_together`, for the HTML/PDF
and the Word draft) and the archive line "Lưu: VT, <drafting unit>" (``drafting_unit``)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sangkien.inputs.params import Params, load_params
from sangkien.report import document
from sangkien.report.markup import NBSP, WORD_JOINER, kept_together, markdown, text, unbreakable

LONG_PARENT = "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU"
LONG_ISSUER = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"


def _pieces(s: str) -> list[str]:
    return [s[a:b] for a, b in kept_together(s)]


@pytest.mark.parametrize("sentence, kept", [
    ("theo Nghị định số 13/2012/NĐ-CP và Thông tư số 18/2013/TT-BKHCN.", ["13/2012/NĐ-CP", "18/2013/TT-BKHCN"]),
    ("Nghị quyết số 202/2025/QH15; Báo cáo số 45/BC-SKHCN", ["202/2025/QH15", "45/BC-SKHCN"]),
    ("Cộng 2016–2022", ["2016–2022"]),
    ("Bệnh viện Sản - Nhi Hà Sơn", ["Sản - Nhi Hà"]),
    ("Bệnh viện Sản - Nhi tỉnh Hà Sơn", ["Sản - Nhi"]),
    (LONG_PARENT, ["BÀ RỊA - VŨNG TÀU"]),
    ("tệp danh-sach-cong-nhan-2023.xlsx", ["danh-sach-cong-nhan-2023.xlsx"]),
    # not a name, nor a citation: free to break
    ("số sáng kiến tăng - giảm qua các năm", []), ("ngày 24/01/2019, 2016 - 2022", []),
])
def test_what_is_kept_on_one_line(sentence, kept):
    assert _pieces(sentence) == kept


def test_html_wraps_each_piece_and_word_gets_characters_that_do_not_break():
    html = text('Điều lệ ban hành kèm theo Nghị định số 13/2012/NĐ-CP <b>, Bệnh viện Sản - Nhi, Cộng 2016–2022')
    spans = re.findall(r'<span class="nowrap">(.*?)</span>', html)
    assert spans == ["13/2012/NĐ-CP", "Sản - Nhi", "2016–2022"] and "&lt;b&gt;" in html
    # the same pieces in the Word draft: no break after a slash or a dash, none at the spaces; the glyphs unchanged
    assert [unbreakable(s) for s in spans] == [f"13/{WORD_JOINER}2012/{WORD_JOINER}NĐ-{WORD_JOINER}CP",
                                               f"Sản{NBSP}-{NBSP}Nhi", f"2016–{WORD_JOINER}2022"]
    for s in spans:
        assert unbreakable(s).replace(WORD_JOINER, "").replace(NBSP, " ") == s


def test_analyst_markdown_keeps_citations_and_names_whole_but_not_inside_markup():
    html = markdown("Thực hiện **Nghị định số 13/2012/NĐ-CP**, xem [Sản - Nhi](https://x.vn/13/2012/ND-CP).").html
    assert '<strong>Nghị định số <span class="nowrap">13/2012/NĐ-CP</span></strong>' in html
    assert '<a href="https://x.vn/13/2012/ND-CP"><span class="nowrap">Sản - Nhi</span></a>' in html


def test_letterhead_title_and_recipients_use_the_rule():
    params = Params(2023, Path("x.csv"), parent_body=LONG_PARENT, issuing_body=LONG_ISSUER, place="Bà Rịa - Vũng Tàu")
    head = document.header_columns(params)
    assert '<div class="parent-body">ỦY BAN NHÂN DÂN TỈNH <span class="nowrap">BÀ RỊA - VŨNG TÀU</span></div>' in head
    assert '<div class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>' in head  # nowrap by its class (report.css)
    title = document.title_block("THÔNG BÁO", "Kết quả của Bệnh viện Sản - Nhi Hà Sơn")
    assert '<span class="nowrap">Sản - Nhi Hà</span>' in title
    closing = document.closing(params, ["Bệnh viện Sản - Nhi", "Lưu: VT"])
    assert '<li>- Bệnh viện <span class="nowrap">Sản - Nhi</span>;</li>' in closing


def test_report_css_lets_bodies_wrap_and_keeps_the_motto_whole():
    from sangkien import paths

    css = re.sub(r"/\*.*?\*/", "", paths.STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    rules = {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    assert "nowrap" not in rules[".parent-body"] and "nowrap" in rules[".nation, .motto"]
    assert "table-layout: fixed" in rules["table.letterhead"]
    assert "width: 40%" in rules["td.lh-left"] and "width: 60%" in rules["td.lh-right"]


# --------------------------------------------------------------------------- "Lưu: VT, <drafting unit>"

def _closing_lines(params: Params, to=None) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", re.sub(r"</?span[^>]*>", "", document.closing(params, to)))


def test_the_archive_line_names_the_drafting_unit_with_no_recipients_listed():
    params = Params(2023, Path("x.csv"), drafting_unit="QLKH")
    assert _closing_lines(params)[-1] == "- Lưu: VT, QLKH."
    assert _closing_lines(Params(2023, Path("x.csv")))[-1] == "- Lưu: VT."  # no unit given: the office alone


def test_the_archive_line_is_added_to_a_list_without_one_and_kept_as_written_in_one_with_one():
    given = Params(2023, Path("x.csv"), drafting_unit="QLKH", recipients=("UBND thành phố", "Sở Tài chính"))
    assert _closing_lines(given) == ["- UBND thành phố;", "- Sở Tài chính;", "- Lưu: VT, QLKH."]
    own = Params(2023, Path("x.csv"), drafting_unit="QLKH", recipients=("UBND thành phố", "Lưu: VT, P.KH (02b)"))
    assert _closing_lines(own)[-1] == "- Lưu: VT, P.KH (02b)."


def test_the_shared_defaults_set_the_drafting_unit(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("year: 2023\n", encoding="utf-8")
    params = load_params(2023, path, require_data=False)
    assert params.drafting_unit == "QLKH"  # params/defaults.yaml: Phòng Quản lý khoa học
    assert _closing_lines(params)[-1] == "- Lưu: VT, QLKH."
    path.write_text("year: 2023\ndrafting_unit: ''\n", encoding="utf-8")
    assert _closing_lines(load_params(2023, path, require_data=False))[-1] == "- Lưu: VT."
