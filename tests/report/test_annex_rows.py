"""The annex workbook of a long list, written as worksheet XML (annex_rows), reads back as the one
written cell by cell through openpyxl."""
from __future__ import annotations

import io
import unicodedata

import pytest

from sangkien.report import annex, annex_rows

from .test_annex import MADE, SUBTITLE, _params, frame

HOSTILE = ["=HYPERLINK(\"http://x\",\"bấm\")", "+84 912 345 678", "-5", "@SUM(A1)", "\tthụt lề", "\rdòng",
           "  cách ở hai đầu  ", "a & b < c > d \"e\" 'f'", "dòng 1\ndòng 2\r\ndòng 3\ttab", "",
           unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết"), "Đ" * 40_000, "x " * 300, "1500000", "0012",
           "]]> <![CDATA[ &amp;", "emoji 😀 and \u200b zero width", "'already quoted"]


def hostile(n: int):
    rows = frame(n)
    for i in range(n):
        for k, column in enumerate(["ten_sang_kien", "tac_gia", "don_vi", "linh_vuc", "ma_so"]):
            if i % 2 == 0:  # every hostile text in every column among the recognised (i % 3 != 0)
                rows.loc[i, column] = HOSTILE[(i + k) % len(HOSTILE)]
    rows.loc[5, "diem"] = float("nan")
    rows.loc[6, "so_tien_lam_loi"] = 123456789012.0
    rows.loc[7, "diem"] = 0.1 + 0.2
    return rows


def _both(rows, monkeypatch):
    from openpyxl import load_workbook

    made = {}
    for name, start in [("cells", 10**9), ("stream", 0)]:
        monkeypatch.setattr(annex, "STREAM_FROM", start)
        data = annex.recognized_workbook(rows, _params(), SUBTITLE, MADE)
        made[name] = (data, load_workbook(io.BytesIO(data)).active)
    return made


def _cell(cell):
    return (cell.coordinate, cell.value, cell.data_type, cell.number_format, cell.quotePrefix, repr(cell.font),
            repr(cell.border), repr(cell.alignment), repr(cell.fill), cell.style)


def _heights_as_first_counted(sheet) -> bool:
    """Each body row as high as its most wrapped cell, counted on every cell's value as at first."""
    ids = ["STT"] + [cid for cid, _ in annex.COLUMNS]
    return all(sheet.row_dimensions[r].height == annex.LINE_HEIGHT_PT * max(
        annex._lines(sheet.cell(r, n).value, annex.WIDTHS[cid]) for n, cid in enumerate(ids, start=1))
        for r in range(annex.HEADER_ROW + 1, sheet.max_row + 1))


def test_streamed_workbook_reads_back_cell_for_cell(monkeypatch):
    rows = hostile(300)
    made = _both(rows, monkeypatch)
    cells, stream = made["cells"][1], made["stream"][1]
    assert stream.max_row == cells.max_row == annex.HEADER_ROW + len(annex._ordered(rows, _params().blocks))
    assert stream.calculate_dimension() == cells.calculate_dimension()
    for a, b in zip(cells.iter_rows(), stream.iter_rows(), strict=True):
        assert [_cell(c) for c in a] == [_cell(c) for c in b]
    heights = {r: d.height for r, d in cells.row_dimensions.items()}
    assert heights == {r: d.height for r, d in stream.row_dimensions.items()} and max(heights.values()) > 100
    assert _heights_as_first_counted(stream)
    assert {k: d.width for k, d in cells.column_dimensions.items()} == {
        k: d.width for k, d in stream.column_dimensions.items()}
    assert (stream.freeze_panes, stream.auto_filter.ref, stream.print_title_rows) == (
        cells.freeze_panes, cells.auto_filter.ref, cells.print_title_rows)
    assert sorted(map(str, stream.merged_cells.ranges)) == sorted(map(str, cells.merged_cells.ranges))
    texts = [c.value for row in stream.iter_rows(min_row=annex.HEADER_ROW + 1) for c in row]
    assert unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết") in texts and "Đ" * 32767 in texts
    assert any(c.quotePrefix and c.value == HOSTILE[0] for row in stream.iter_rows() for c in row)


def test_streamed_workbook_is_deterministic_and_has_no_formula(monkeypatch):
    import zipfile

    rows = hostile(40)
    first = _both(rows, monkeypatch)["stream"][0]
    assert first == _both(rows, monkeypatch)["stream"][0]
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")
        assert package.testzip() is None


def test_refused_characters_are_refused_the_same(monkeypatch):
    from openpyxl.utils.exceptions import IllegalCharacterError

    rows = frame(9)
    rows.loc[2, "ten_sang_kien"] = "chuông \x07 kêu"
    for start in (10**9, 0):
        monkeypatch.setattr(annex, "STREAM_FROM", start)
        with pytest.raises(IllegalCharacterError):
            annex.recognized_workbook(rows, _params(), SUBTITLE, MADE)


def test_an_unusual_value_is_written_cell_by_cell(monkeypatch):
    import datetime

    rows = frame(9)
    rows["linh_vuc"], rows["ma_so"] = rows["linh_vuc"].astype(object), rows["ma_so"].astype(object)
    rows.loc[2, "linh_vuc"] = datetime.datetime(2023, 5, 1, 8, 30)
    rows.loc[4, "ma_so"] = datetime.datetime(2023, 5, 1, 8, 30)  # two words: two lines in a narrow column
    with pytest.raises(annex_rows.Unusual):
        annex_rows.cell_xml("A1", 1, 2, datetime.date(2023, 5, 1), ("=",))
    made = _both(rows, monkeypatch)
    cells, stream = made["cells"][1], made["stream"][1]
    assert [_cell(c) for row in cells.iter_rows() for c in row] == [_cell(c) for row in stream.iter_rows() for c in row]
    heights = {r: d.height for r, d in cells.row_dimensions.items()}
    assert heights == {r: d.height for r, d in stream.row_dimensions.items()} and _heights_as_first_counted(cells)
    assert next(r for r in range(annex.HEADER_ROW + 1, cells.max_row + 1) if cells.cell(r, 2).is_date)  # the date is there


def _body_cell_by_cell(ordered):
    """The annex body as it was first worked out, row by row and cell by cell: the reference."""
    known = {}
    ids = annex._IDS
    for n, record in enumerate(annex._records(ordered, ids[1:]), start=1):
        values = [n] + [annex._value(value) for value in record]
        lines = 1
        for cid, value in zip(ids, values):
            if type(value) is str:
                found = known.get((cid, value))
                if found is None:
                    found = known[(cid, value)] = annex._lines(value, annex.WIDTHS[cid])
                lines = max(lines, found)
            elif type(value) not in (int, float, bool, type(None)):
                lines = max(lines, annex._lines(value, annex.WIDTHS[cid]))
        yield annex.LINE_HEIGHT_PT * lines, values


@pytest.mark.parametrize("odd", ["hostile", "a date", "some empty", "no text"])
def test_the_body_worked_out_a_column_at_a_time_is_the_body_cell_by_cell(odd):
    import datetime

    rows = hostile(60) if odd == "hostile" else frame(60)
    rows["ten_sang_kien"] = rows["ten_sang_kien"].str.slice(0, 8)  # one line each: the odd cells decide
    if odd == "a date":
        rows["linh_vuc"] = rows["linh_vuc"].astype(object)
        rows.loc[4, "linh_vuc"] = datetime.date(2023, 5, 1)
        rows.loc[8, "linh_vuc"] = None
        rows.loc[[4, 8], ["don_vi", "tac_gia", "khoi", "ma_so"]] = "A"  # rows of one line
        rows.loc[9, "linh_vuc"] = "một lĩnh vực có tên dài hơn một dòng của cột"
    elif odd == "some empty":
        rows["tac_gia"] = rows["tac_gia"].astype(object)
        rows.loc[3, "tac_gia"] = None
        rows.loc[3, ["don_vi", "linh_vuc", "khoi", "ma_so"]] = "A"  # a row of one line
        rows.loc[5, "tac_gia"] = "Nguyễn Văn Một; Trần Thị Hai; Lê Văn Ba; Phạm Thị Bốn"
    elif odd == "no text":
        rows = rows.assign(ten_sang_kien=7.0, tac_gia=None)

    def values(body):
        return [(h, [(type(v), v) for v in row]) for h, row in body]

    made, reference = values(annex._body(rows)), values(_body_cell_by_cell(rows))
    assert made == reference
    assert odd in ("hostile", "no text") or len({h for h, _ in made}) > 1  # rows of more than one line
