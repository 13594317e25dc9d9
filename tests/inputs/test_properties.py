"""Property-based tests of the register reader (hypothesis).

- Any valid register, however it is spelled (case, stray spaces, NFD, CSV or XLSX), gives the same
  figures as a direct computation over the rows hypothesis made.
- Any corruption of a valid register is rejected with a line naming the file, the row and the column,
  through the command line's own entry point: exit 3, never a traceback.
- The column-at-once text normalisation the reader uses for speed is ``cell_text`` of every cell.
"""
from __future__ import annotations

import string
import unicodedata

import pytest
from conftest import BLOCKS as BEFORE_2025
from conftest import HEADER, IDS
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from registers import write_register_file

from sangkien import cli, figures
from sangkien.errors import DataError
from sangkien.figures import frame as frame_of
from sangkien.inputs import schema
from sangkien.inputs.cells import cell_text, column_texts
from sangkien.inputs.encodings import SUSPECT_RE
from sangkien.inputs.params import default_blocks
from sangkien.inputs.register import read_register

BLOCKS = list(default_blocks())  # what `check` without --params accepts
UNITS = {  # unit -> its block
    "Trường THPT Trần Phú": BLOCKS[0], "Sở Giáo dục và Đào tạo": BLOCKS[0], "Trường THCS Lê Lợi": BLOCKS[0],
    "Sở Y tế": BLOCKS[1], "UBND quận Lê Chân": BLOCKS[1], "UBND huyện Thủy Nguyên": BLOCKS[1],
}
FIELDS = ["Giáo dục", "Y tế", "Nông nghiệp", "Công nghiệp"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Đức Dũng", "Hoàng Thị Én"]
RESULTS = list(schema.RESULTS)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _spell(draw, text: str) -> str:
    """The same text as an analyst might type it: other case, stray spaces, decomposed accents."""
    text = draw(st.sampled_from([text, text.upper(), text.lower(), text.title()])) if draw(st.booleans()) else text
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return draw(st.sampled_from(["", " ", "  ", "\t"])) + text + draw(st.sampled_from(["", " ", "\u00a0"]))


@st.composite
def initiatives(draw):
    """One valid initiative: its true values and the cells a user might write for it."""
    unit = draw(st.sampled_from(sorted(UNITS)))
    authors = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    amount = draw(st.one_of(st.none(), st.integers(0, 5_000_000_000)))
    true = {
        "nam": draw(st.integers(2016, 2024)),
        "don_vi": unit,
        "khoi": UNITS[unit],
        "linh_vuc": draw(st.sampled_from(FIELDS)),
        "ket_qua": draw(st.sampled_from(RESULTS)),
        "authors": authors,
        "so_tien_lam_loi": amount,
    }
    cells = {
        "nam": draw(st.sampled_from([true["nam"], str(true["nam"]), f" {true['nam']} "])),
        "ten_sang_kien": draw(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ ", min_size=1, max_size=30)
                              .filter(str.strip)),
        "tac_gia": (draw(st.sampled_from(["; ", ";", " ; "]))).join(authors) + draw(st.sampled_from(["", ";", "; "])),
        "don_vi": _spell(draw, unit),
        # blocks and results are matched case-insensitively; units and fields keep their first spelling
        "khoi": _spell(draw, true["khoi"]),
        "linh_vuc": true["linh_vuc"],
        "ket_qua": _spell(draw, true["ket_qua"]),
        "so_tien_lam_loi": None if amount is None else draw(st.sampled_from([amount, f"{amount:,}".replace(",", ".")])),
        "diem": draw(st.one_of(st.none(), st.integers(0, 100))),
    }
    return true, cells


def _table(items, header=HEADER) -> list[list]:
    rows = []
    for n, (_, cells) in enumerate(items, start=1):
        rows.append([f"SK-{n:05d}" if i == "ma_so" else cells[i] for i in IDS])
    return [list(header)] + rows


@given(items=st.lists(initiatives(), min_size=1, max_size=40), fmt=st.sampled_from(["csv", "xlsx"]),
       year=st.integers(2017, 2024), header_style=st.sampled_from(["labels", "ids", "messy"]))
@SETTINGS
def test_valid_registers_give_the_figures_of_a_direct_count(tmp_path_factory, items, fmt, year, header_style):
    header = {"labels": HEADER, "ids": [i.upper() for i in IDS],
              "messy": [f"  {unicodedata.normalize('NFD', h.lower())} " for h in HEADER]}[header_style]
    table = _table(items, header)  # its header row first
    path = write_register_file(tmp_path_factory.mktemp("reg") / f"so-dang-ky.{fmt}", table, [], bom=True)
    register = read_register(path, BLOCKS)
    got = figures.manifest_figures(frame_of(register), year, 2016, BLOCKS)

    def direct(select):
        rows = [t for t, _ in items if select(t["nam"])]
        by_block = {b: {"submitted": sum(t["khoi"] == b for t in rows),
                        "recognized": sum(t["khoi"] == b and t["ket_qua"] == schema.RECOGNIZED for t in rows)}
                    for b in BLOCKS}
        return rows, by_block

    rows, by_block = direct(lambda y: y == year)
    assert got["year"] == {
        "submitted": len(rows),
        "recognized": sum(t["ket_qua"] == schema.RECOGNIZED for t in rows),
        "pending": sum(t["ket_qua"] == schema.PENDING for t in rows),
        "benefit_vnd": sum(t["so_tien_lam_loi"] or 0 for t in rows if t["ket_qua"] == schema.RECOGNIZED),
        "by_block": by_block,
    }
    rows, by_block = direct(lambda y: 2016 <= y <= year - 1)
    assert got["period"] == {"from": 2016, "to": year - 1, "submitted": len(rows),
                             "recognized": sum(t["ket_qua"] == schema.RECOGNIZED for t in rows), "by_block": by_block}

    # the text is clean and canonical: NFC, trimmed, one spelling per unit, authors 'A; B'
    frame = frame_of(register)
    assert set(frame["khoi"]) <= set(BLOCKS) and set(frame["ket_qua"]) <= set(RESULTS)
    assert {schema.fold(u) for u in frame["don_vi"]} == {schema.fold(t["don_vi"]) for t, _ in items}
    assert frame["don_vi"].nunique() == len({t["don_vi"] for t, _ in items})
    assert list(frame["tac_gia"]) == ["; ".join(t["authors"]) for t, _ in items]
    people = figures.authors(frame)
    assert people["entries"] == sum(len(t["authors"]) for t, _ in items)
    assert people["people"] == len({(n, t["don_vi"]) for t, _ in items for n in t["authors"]})  # a name in a unit
    for column in ("ten_sang_kien", "don_vi", "khoi", "ket_qua"):
        assert all(v == unicodedata.normalize("NFC", v).strip() for v in frame[column])


# A corruption: (column id, the bad value, text the message must contain). None as the value empties the cell.
CORRUPTIONS = {
    "empty-code": ("ma_so", None, "ô trống"),
    "empty-title": ("ten_sang_kien", "   ", "ô trống"),
    "empty-authors": ("tac_gia", None, "ô trống"),
    "only-separators": ("tac_gia", " ; ;", "không có tên tác giả"),
    "empty-unit": ("don_vi", "", "ô trống"),
    "empty-field": ("linh_vuc", None, "ô trống"),
    "empty-year": ("nam", None, "ô trống"),
    "year-text": ("nam", "năm 2023", "năm không hợp lệ"),
    "year-fraction": ("nam", 2023.5, "năm không hợp lệ"),
    "unknown-block": ("khoi", "Khối doanh nghiệp", "khối không có trong tham số"),
    "unknown-result": ("ket_qua", "Đạt", "kết quả không hợp lệ"),
    "negative-amount": ("so_tien_lam_loi", -5, "ngoài khoảng"),
    "text-amount": ("so_tien_lam_loi", "khoảng 1 triệu", "không phải là số"),
    "score-high": ("diem", 101, "ngoài khoảng"),
    "score-text": ("diem", "tốt", "không phải là số"),
    "tcvn3": ("don_vi", "Së Gi¸o dôc vµ §µo t¹o", "TCVN3"),
    "vni": ("don_vi", "Tröôøng Ñaïi hoïc", "VNI"),
}


@given(items=st.lists(initiatives(), min_size=2, max_size=25), fmt=st.sampled_from(["csv", "xlsx"]),
       kind=st.sampled_from(sorted(CORRUPTIONS) + ["duplicate-code", "unit-in-two-blocks"]),
       where=st.integers(0, 10_000))
@SETTINGS
def test_every_corruption_is_named_by_row_and_column(tmp_path_factory, capsys, items, fmt, kind, where):
    table = _table(items)
    index = 1 + where % (len(table) - 1)  # a data row (table[0] is the header)
    row = table[index]
    if kind == "duplicate-code":
        column, expected = "ma_so", "mã số trùng"
        other = 1 + (index % (len(table) - 1))  # another data row
        table[other][IDS.index("ma_so")] = row[IDS.index("ma_so")]
        index = max(index, other)
    elif kind == "unit-in-two-blocks":
        column, expected = "khoi", "một đơn vị chỉ thuộc một khối"
        other = 1 + (index % (len(table) - 1))
        for r, block in ((table[min(index, other)], BLOCKS[0]), (table[max(index, other)], BLOCKS[1])):
            r[IDS.index("don_vi")], r[IDS.index("khoi")] = "Trường Mới", block
        index = max(index, other)
    else:
        column, value, expected = CORRUPTIONS[kind]
        row[IDS.index(column)] = value
    path = write_register_file(tmp_path_factory.mktemp("bad") / f"so-dang-ky.{fmt}", table, [], bom=True)
    before = path.read_bytes()

    capsys.readouterr()
    status = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    assert status == 3, (status, out, err)
    assert "Traceback" not in err and out == ""
    label = HEADER[IDS.index(column)]
    wanted = [line for line in err.splitlines()
              if line.startswith(f'{path}: dòng {index + 1}, cột "{label}"') and expected in line]
    assert wanted, err
    assert path.read_bytes() == before  # the user's file is only read


@given(st.lists(st.one_of(
    st.text(alphabet=string.ascii_letters + " \t\u00a0\u3000\u2028;,.áàạăắđĐƯư\u0301\u0323\u0306\u0308" + "¸µ§öôø"
            + "\u200b\ufeff\u00ad", max_size=12),
    st.sampled_from(["Sở Y tế", " Sở  Y tế ", unicodedata.normalize("NFD", "Sở Y tế"), "a\x00b", ""]),
    st.integers(-5, 5), st.floats(allow_nan=True), st.none(), st.booleans(),
), max_size=30), st.booleans())
@example([" a", "b "], False)
@example(["b ", " a", "b "], True)
@example([" a b", 1.0, None, "\u00a0x\t"], False)
@example(["Sở", "o\u0308"], False)  # nothing odd as written, an odd letter once composed
@example(["Sở\u200b ", "Y tế"], False)  # a space that ends a cell once an invisible character is dropped
@settings(max_examples=300, deadline=None)
def test_column_normalisation_is_cell_text_of_every_cell(values, repeats):
    texts, suspect = column_texts(list(values), repeats=repeats)
    assert texts == [cell_text(v) for v in values]
    if not suspect:  # 'no legacy text here' is only said when it is true
        assert not any(SUSPECT_RE.search(t) for t in texts)


def test_a_corruption_is_found_beside_others(write_register, make_row):
    """Sanity check of the fixture above: two corruptions give two lines (one pass, every problem)."""
    path = write_register([make_row(ma_so="SK-1", nam="x"), make_row(ma_so="SK-2", diem=500)])
    with pytest.raises(DataError) as caught:
        read_register(path, BEFORE_2025)  # make_row's block
    assert len(caught.value.problems) == 2
