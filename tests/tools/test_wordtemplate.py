"""The Word template (``sangkien/templates/word/bao-cao.docx``): what the build relies on is in the
committed file (a person may restyle it in Word, so it is not compared byte for byte with the generator),
and the generator makes a template that has it too."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from sangkien import paths
from sangkien.pipeline.exporters import word
from sangkien.tools import wordtemplate


@pytest.fixture(params=["committed", "generated"])
def template(request) -> bytes:
    return paths.WORD_TEMPLATE.read_bytes() if request.param == "committed" else wordtemplate.template_bytes()


def test_page_setup_decree_30(template):
    section = docx.Document(io.BytesIO(template)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert section.different_first_page_header_footer
    assert [t.text for t in section.header._element.iter(qn("w:instrText"))] == [" PAGE "]
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_every_style_the_build_writes_with_is_there(template):
    document = docx.Document(io.BytesIO(template))
    names = {s.name for s in document.styles}
    wanted = {r.style for r in word.RULES if r.style} | set(word.CELL_STYLES.values())
    wanted |= {style for _, _, lines in word.CLOSING for _, style in lines}
    assert wanted <= names, wanted - names
    assert set(wordtemplate.PARAGRAPH_STYLES) | set(wordtemplate.TABLE_STYLES) <= names
    assert document.styles["Normal"].font.name == "Times New Roman"
    bullets = document.styles["Gạch đầu dòng"].element.pPr.find(qn("w:numPr")).find(qn("w:numId"))
    assert bullets.get(qn("w:val")) == str(word.BULLET_NUMBERING)


def test_fields_and_the_body_marker(template):
    with zipfile.ZipFile(io.BytesIO(template)) as package:
        text = "".join(package.read(n).decode() for n in package.namelist()
                       if n.startswith(("word/document", "word/header", "word/footer")))
    for field in set(word.FIELDS) | {"draft_mark"}:
        assert "{{ " + field + " }}" in text, field
    assert set(wordtemplate.FIELDS) == set(word.FIELDS) | {"draft_mark"}
    body = docx.Document(io.BytesIO(template)).paragraphs
    assert body[-1].text == word.BODY_MARKER == wordtemplate.BODY_MARKER


def test_generator_bytes_are_stable():
    assert wordtemplate.template_bytes() == wordtemplate.template_bytes()
