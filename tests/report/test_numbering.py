"""Tables and figures are numbered by the document (CSS counters of report.css), never by the package:
a part run twice (a cell run again in JupyterLab) is the same HTML, and the page reads "Bảng 1.",
"Hình 1.", "Bảng 2."... in the order it shows them, in the yearly report and in a unit's sheet."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from sangkien import paths
from sangkien.report import wording
from sangkien.report.unit import UnitReport
from sangkien.report.yearly import Report

YEAR = 2023
UNIT = "Trường THPT Hồng Bàng"
"""Four initiatives in 2023: its notice has a chart (a longer list has none)."""
CAPTIONED = ("blocks_part", "units_part", "fields_part", "comparison_part")
"""The yearly report's parts with tables or figures, in the notebook's order."""
UNIT_CAPTIONED = ("trend_part", "list_part")


START = 2016
"""The sample's comparison period starts in 2016 (params/defaults.yaml)."""
FIELDS = 9
"""The sample year's fields of application (all shown in the chart: no 'n lĩnh vực nhiều sáng kiến nhất')."""


def _expected_yearly() -> list[tuple[str, str]]:
    """The sample year's captions, in the order of the page: (kind, title)."""
    # no chart of the blocks: the trend chart shows this year's blocks (it would repeat Bảng 1)
    return [("Bảng", wording.BLOCKS_TABLE.format(year=YEAR)),
            ("Bảng", wording.UNITS_TABLE.format(year=YEAR)), ("Hình", wording.fields_chart_title(YEAR, FIELDS, 10)),
            ("Hình", wording.TREND_CHART.format(start=START, year=YEAR)),
            ("Bảng", wording.PERIOD_TABLE.format(start=START, end=YEAR - 1))]


def _expected_unit() -> list[tuple[str, str]]:
    span = f"{START}–{YEAR}"
    return [("Bảng", wording.UNIT_TREND_TABLE.format(span=span)), ("Hình", wording.UNIT_TREND_CHART.format(span=span)),
            ("Bảng", wording.UNIT_LIST.format(year=YEAR))]


@pytest.fixture(scope="module")
def report():
    return Report.load(YEAR)


@pytest.fixture(scope="module")
def sheet():
    return UnitReport.load(YEAR, UNIT)


@pytest.fixture(scope="module")
def first_html(report, sheet) -> tuple[list[str], list[str]]:
    """The HTML of each captioned part from its first run (the charts cost a second a pass): the yearly
    report's parts, the unit sheet's parts."""
    return [getattr(report, name)().html for name in CAPTIONED], [getattr(sheet, name)().html for name in UNIT_CAPTIONED]


def _captions(html: str) -> list[tuple[str, str]]:
    """The captions of some HTML, in order: ("Bảng", title) for a table, ("Hình", title) for a figure."""
    found = re.findall(r'<div class="caption table-caption">(.*?)</div>|<figcaption>(.*?)</figcaption>', html)
    return [("Bảng", _plain(table)) if table else ("Hình", _plain(figure)) for table, figure in found]


def _plain(markup: str) -> str:
    """A caption's text (a span of years is wrapped to stay on one line)."""
    return re.sub(r"<[^>]+>", "", markup)


def _numbered(text: str, captions: list[tuple[str, str]]) -> list[int]:
    """Where ``text`` (whitespace folded) shows each caption with its number, 1, 2... per kind; -1 if not."""
    text = " ".join(text.split())
    counts: dict[str, int] = {}
    places = []
    for kind, title in captions:
        counts[kind] = counts.get(kind, 0) + 1
        places.append(text.find(f"{kind} {counts[kind]}. {' '.join(title.split())}"))
    return places


def test_a_part_run_twice_is_the_same_html(report, sheet, first_html):
    yearly, unit = first_html
    again = [getattr(report, name)().html for name in CAPTIONED], [getattr(sheet, name)().html for name in UNIT_CAPTIONED]
    assert (yearly, unit) == again
    assert _captions("".join(yearly)) == _expected_yearly()
    assert _captions("".join(unit)) == _expected_unit()


def test_the_package_writes_no_number(report, first_html):
    html = "".join(first_html[0] + first_html[1])
    assert not re.search(r"(Bảng|Hình)\s+\d", html)
    assert not [k for k, v in vars(report).items() if isinstance(v, int) and k.startswith("_")]  # no counters


def _pdf_text(parts: list[str]) -> str:
    """The parts laid out by WeasyPrint with the report's stylesheet, each in cells as nbconvert nests them."""
    from weasyprint import HTML

    css = paths.STYLESHEET.read_text(encoding="utf-8")
    cells = "".join(f'<div class="jp-Cell"><div class="jp-OutputArea">{p}</div></div>' for p in parts)
    page = f'<html><head><meta charset="utf-8"><style>{css}</style></head><body><main class="document">{cells}</main></body></html>'
    pdf = HTML(string=page).write_pdf()
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow  # laid out by WeasyPrint, whose first import runs ldconfig and gcc
def test_the_page_numbers_tables_and_figures_in_order(first_html):
    for parts, expected in ((first_html[0], _expected_yearly()), (first_html[1], _expected_unit())):
        parts = parts + parts[:1]  # a cell run twice and shown twice is numbered on
        places = _numbered(_pdf_text(parts), expected + _captions(parts[0]))
        assert -1 not in places, places
        assert places == sorted(places)


@pytest.mark.slow
def test_the_built_report_reads_the_numbers_in_order(sample_year, sample_pdf_pages):
    _, result = sample_year  # the sample's YEAR, built once for the session (tests/conftest.py)
    assert result.year == YEAR
    pages = sample_pdf_pages
    text = " ".join(text for text, _ in pages)
    places = _numbered(text, _expected_yearly())
    assert -1 not in places, places
    assert places == sorted(places)
    assert not re.search(r"(Bảng|Hình) [4-9]\.", text)
    assert not re.search(r"Hình 3\.", text)
    page = result.outputs["html"].read_text(encoding="utf-8")
    assert _captions(page) == _expected_yearly()  # the HTML has the same captions; the browser numbers them
    assert 'content: "Bảng " counter(table) ". "' in page and 'content: "Hình " counter(figure) ". "' in page
