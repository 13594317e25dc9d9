"""The report's words live in one module: the section titles come from the parameters' meanings and
agree with the notebook's headings; the parts (yearly.py, unit.py) hold no Vietnamese text of their own."""
from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import nbformat
import pytest
from conftest import PINNED

from sangkien import paths
from sangkien.inputs.params import Sections
from sangkien.report import wording
from sangkien.report.yearly import Report

REPORT = Path(wording.__file__).parent
SECTION_KEYS = [f.name for f in dataclasses.fields(Sections)]


def _cells():
    return nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4).cells


def test_section_titles_are_the_parameters_meanings():
    assert SECTION_KEYS == ["context", "assessment", "direction", "recommendations"]
    assert [wording.section_title(k) for k in SECTION_KEYS] == [
        "I. Đặc điểm tình hình, công tác chỉ đạo", "III. Đánh giá chung", "IV. Phương hướng, nhiệm vụ năm tới",
        "V. Kiến nghị"]
    with pytest.raises(KeyError):
        wording.section_title("summary")


def test_notebook_headings_agree_with_the_sections():
    """Each analyst section's heading is its title in capitals, and the cell under it shows that section."""
    cells = _cells()
    shown = {}
    for heading, cell in zip(cells, cells[1:]):
        match = re.search(r'report\.section\("(\w+)"\)', cell.source) if cell.cell_type == "code" else None
        key = match.group(1) if match else "assessment" if "report.assessment()" in cell.source else None
        if key and heading.cell_type == "markdown":
            shown[key] = heading.source.strip()
    assert shown == {key: "## " + wording.section_title(key).upper() for key in SECTION_KEYS}


def test_an_empty_section_says_what_belongs_there(tmp_path):
    """In the words of the document, never a key's name; the report is then a draft."""
    from sangkien.inputs.params import load_params
    from sangkien.inputs.register import read_register

    params = tmp_path / "p.yaml"
    params.write_text(f"year: 2023\ndata: {paths.SAMPLE_REGISTER}\nsections: {{}}\n{PINNED}", encoding="utf-8")
    p = load_params(2023, params)
    report = Report(p, read_register(p.data, p.blocks, until=p.year))
    assert report.section("context").html == (
        '<p class="placeholder" data-section="context">(Dự thảo: nội dung phần này đang được soạn, gồm đặc điểm tình hình năm 2023; '
        "các văn bản chỉ đạo, hướng dẫn về công tác sáng kiến; công tác tuyên truyền; việc tiếp nhận hồ sơ và tổ "
        "chức Hội đồng Sáng kiến.)</p>")
    assert "(Dự thảo: nội dung phần này đang được soạn, gồm ưu điểm, hạn chế" in report.assessment().html
    assert report.is_draft and '<div class="draft-mark">DỰ THẢO</div>' in report.header().html
    for key in SECTION_KEYS:
        shown = wording.section_placeholder(key, 2023)
        assert "sections" not in shown and key not in shown and "tham số" not in shown
    assert not Report.load(2023).is_draft  # every section written


def _texts(tree: ast.AST) -> list[str]:
    """The string constants of some code that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node) is not None:
            docstrings.add(id(node.body[0].value))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_the_parts_hold_no_words_of_their_own():
    """Vietnamese text in yearly.py or in the unit sheet would be a sentence outside wording.py."""
    yearly = ast.parse((REPORT / "yearly.py").read_text(encoding="utf-8"))
    unit = ast.parse((REPORT / "unit.py").read_text(encoding="utf-8"))
    (sheet,) = [n for n in unit.body if isinstance(n, ast.ClassDef) and n.name == "UnitReport"]
    words = [t for t in _texts(yearly) + _texts(sheet) if re.search(r"[^\x00-\x7f]", t)]
    assert not words
    assert _texts(ast.parse('x = "Bảng"')) == ["Bảng"]  # the check sees a Vietnamese word


def test_rate_is_the_tables_and_the_sentences():
    from sangkien.report import tables

    assert wording.rate(63, 81) == "77,78%" and wording.rate(0, 0) == "–"
    assert "77,78%" in tables.by_block({"A": {"submitted": 81, "recognized": 63}}, {}, 2023)
    assert tables.rate is wording.rate  # one function for both
