"""A large sheet read on two cores (issue 25, national registers): the rows before the cut by this process, the
rows after by a forked one; whatever the sheet's shape, what is read is what reading it whole gives, and a sheet
that cannot be cut safely, or a half that fails, is read whole."""
from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import sys
import threading
import zipfile

import pytest
from conftest import BLOCKS
from openpyxl import Workbook

from sangkien.errors import DataError
from sangkien.inputs import halves, kept
from sangkien.inputs import workbook as excel
from sangkien.inputs.reading import read_sources
from sangkien.inputs.register import payload, read_register, unpacked

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="two cores are used through fork"),
              pytest.mark.slow]  # a forked process reads half of each sheet


@pytest.fixture
def split(monkeypatch):
    """Every sheet read in two (however small), and what each attempt gave: True when read in two, False when
    it fell back to the whole read."""
    monkeypatch.setattr(halves, "SPLIT_FROM", 0)
    monkeypatch.setattr(halves, "can_fork", lambda: True)  # pytest-xdist's worker has a thread of its own
    attempts = []
    real = halves.read

    def read(*args, **kwargs):
        found = real(*args, **kwargs)
        attempts.append(found[0] is not None)
        return found

    monkeypatch.setattr(halves, "read", read)
    return attempts


def whole(path, monkeypatch):
    """The sheets of ``path`` read as before: whole, on one core."""
    with monkeypatch.context() as m:
        m.setenv("SANGKIEN_ONE_CORE", "1")
        m.setattr(halves, "can_fork", lambda: False)
        return seen(path)


def seen(path) -> list:
    """What the reader makes of every sheet: its first rows, rows, merged ranges and quirks."""
    out = []
    for sheet in read_sources(path):
        if sheet.hidden:
            continue
        out.append((sheet.name, sheet.head(5), sheet.rows(), sheet.merged(), sheet.quirks()))
    return out


FORKED: list[int] = []


@pytest.fixture(autouse=True)
def forks(monkeypatch):
    """The processes this test forked (other tests' children in the same worker are not ours to look at)."""
    FORKED.clear()
    real = os.fork

    def fork():
        pid = real()
        if pid:
            FORKED.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)


def no_child_left() -> bool:
    """Whether every process this test forked has ended and been waited for (none left running or a zombie)."""
    for pid in FORKED:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def _book(tmp_path, shape: str, truths: bool = True):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ"
    top, left = (3, 3) if shape == "offset" else (1, 1)
    rows = 60
    for r in range(rows):
        if shape == "gap" and 20 <= r < 45:
            continue
        unit = "Sở Y tế" if r % 3 else "Sở Xây dựng"
        values = [f"SK-{r}", 2020 + r % 4, f"Sáng kiến số {r} “trích”", unit,
                  r * 1.5 + 0.25, r % 2 == 0 if truths else "có"]
        if shape == "dates":
            values.append(dt.datetime(2023, 1 + r % 12, 1 + r % 28))
        for c, value in enumerate(values):
            sheet.cell(top + r, left + c, value)
    if shape == "wider":
        sheet.cell(top + rows - 1, 12, "ghi chú ở cột L")
    if shape == "quirks":
        sheet.cell(top + 50, left + 4, "#DIV/0!")
        sheet.cell(top + 52, left + 4, "=A1*2")
        sheet.merge_cells(start_row=top + 40, start_column=left + 3, end_row=top + 43, end_column=left + 3)
        workbook.create_sheet("Ẩn").sheet_state = "hidden"
        workbook.create_sheet("Thêm").append(["Mã số", "Năm"])
    path = tmp_path / f"{shape}.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("shape", ["plain", "offset", "gap", "wider", "dates", "quirks"])
def test_a_sheet_read_in_two_is_what_reading_it_whole_gives(tmp_path, split, monkeypatch, shape):
    path = _book(tmp_path, shape)
    expected = whole(path, monkeypatch)
    assert seen(path) == expected
    assert split[0], "the register's sheet was read in two"  # a sheet of one row is not cut
    assert FORKED and no_child_left()


def test_a_large_sheet_is_read_row_at_a_time_in_both_halves(tmp_path, split, monkeypatch):
    monkeypatch.setattr(excel, "ROW_AT_A_TIME", 0)
    path = _book(tmp_path, "offset", truths=False)  # (a sheet with True/False cells is read cell by cell)
    assert seen(path) == whole(path, monkeypatch)
    rows = seen(path)[0][2]
    assert rows[4][5] is rows[3][5] and rows[-1][5] is rows[-2][5]  # one object for "Sở Y tế" in each half
    assert split and all(split)


def _rewritten(path, change) -> None:
    """``path`` with its first sheet's XML changed by ``change``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part] = change(parts[part])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    path.write_bytes(out.getvalue())


def _last_row_first(xml: bytes) -> bytes:
    start = xml.index(b"<sheetData>") + len(b"<sheetData>")
    last = xml.rindex(b"<row ")
    end = xml.index(b"</sheetData>")
    return xml[:start] + xml[last:end] + xml[start:last] + xml[end:]


@pytest.mark.parametrize("change", [
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><!-- <row r=\"2\"> -->"),
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><?pi <row r=\"2\">?>"),
    _last_row_first,
    lambda xml: xml.replace(b'<row r="', b'<row spans="1:6" x="'),
], ids=["comment", "instruction", "rows out of order", "rows unnumbered"])
def test_a_sheet_that_cannot_be_cut_safely_is_read_whole(tmp_path, split, monkeypatch, change):
    path = _book(tmp_path, "plain")
    _rewritten(path, change)
    expected = whole(path, monkeypatch)
    assert seen(path) == expected
    assert split == [False]
    assert no_child_left()


def test_a_half_that_fails_is_read_whole_and_no_child_is_left(tmp_path, split, monkeypatch):
    path = _book(tmp_path, "quirks")
    expected = whole(path, monkeypatch)

    def fails(out, rows):
        raise MemoryError

    monkeypatch.setattr(halves, "_send", fails)  # in the forked child
    assert seen(path) == expected
    assert split[0] is False
    assert no_child_left()


@pytest.mark.parametrize("broken", [b"<v>5</v>", b"<v>55</v>"], ids=["first half", "second half"])
def test_a_broken_workbook_says_what_the_whole_read_says(tmp_path, split, monkeypatch, broken):
    workbook = Workbook()
    for r in range(60):
        workbook.active.append([f"SK-{r}", r, "x"])
    path = tmp_path / "hong.xlsx"
    workbook.save(path)
    _rewritten(path, lambda xml: xml.replace(broken, b"<v>abc</v>"))  # a number cell that is not a number
    with pytest.raises(DataError) as one_core:
        whole(path, monkeypatch)
    with pytest.raises(DataError) as two_cores:
        seen(path)
    assert str(two_cores.value) == str(one_core.value)
    assert split == [False]
    assert no_child_left()


def test_forking_only_where_sound(monkeypatch):
    monkeypatch.delenv("SANGKIEN_ONE_CORE", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert halves.can_fork() is sys.platform.startswith("linux")  # forking is relied on where it is sound
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not halves.can_fork()  # one core: a fork only costs
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not halves.can_fork()  # another thread might hold a lock the child would need
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setenv("SANGKIEN_ONE_CORE", "1")
    assert not halves.can_fork()


def test_a_register_read_in_two_is_the_register_read_whole(tmp_path, split, monkeypatch, write_register, make_row):
    rows = [make_row(ma_so=f"SK-{i}", nam=2020 + i % 3, don_vi=f"Sở {i % 7}", diem=50 + i % 40)
            for i in range(400)]
    path = write_register(rows, fmt="xlsx")
    monkeypatch.setenv("SANGKIEN_CACHE", "")
    two = payload(read_register(path, BLOCKS))
    assert split == [True]
    monkeypatch.setattr(halves, "can_fork", lambda: False)
    one = payload(read_register(path, BLOCKS))
    two["columns"], one["columns"] = unpacked(two["columns"]), unpacked(one["columns"])
    assert two == one


def test_what_is_written_aside_is_what_was_there_when_it_began(tmp_path, monkeypatch):
    monkeypatch.setattr(halves, "can_fork", lambda: True)
    sheet = {"rows": [1, 2, 3]}
    target = tmp_path / "entry"
    wait = kept.aside(lambda: target.write_bytes(pickle.dumps(sheet)) > 0)
    sheet["rows"].append(4)  # the rules go on with the sheet meanwhile
    wait()
    assert pickle.loads(target.read_bytes()) == {"rows": [1, 2, 3]}
    assert no_child_left()
    monkeypatch.setattr(halves, "can_fork", lambda: False)
    kept.aside(lambda: target.write_bytes(pickle.dumps(sheet)) > 0)()
    assert pickle.loads(target.read_bytes()) == {"rows": [1, 2, 3, 4]}


@pytest.mark.parametrize("fails", [False, True], ids=["written", "writing failed"])
def test_a_validated_register_written_aside_is_whole_when_the_kernels_snapshot_is_made(
        tmp_path, monkeypatch, write_register, make_row, fails):
    from sangkien.inputs import snapshot
    from sangkien.inputs.params import Params

    monkeypatch.setenv("SANGKIEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kept, "FROM_ROWS", 1)
    monkeypatch.setattr(halves, "can_fork", lambda: True)
    if fails:  # the forked writer fails, leaving a damaged file: it says so, and the snapshot is written whole
        monkeypatch.setattr(kept, "_write", lambda where, entry, payload: entry.write_bytes(b"hong") and False)
    path = write_register([make_row(ma_so=f"SK-{i}", nam=2022) for i in range(5)])
    register = read_register(path, BLOCKS, until=2022, keep_validated=True)
    assert register.kept_at is not None and register.kept_at in kept._WRITING
    target = tmp_path / "snapshot.pickle"
    snapshot.save(Params(2022, path, blocks=BLOCKS), register, target)
    assert register.kept_at not in kept._WRITING and FORKED
    kept._all_written()  # the parsed sheet's, written beside it, waited for as the command ends
    assert not kept._WRITING and no_child_left()
    assert snapshot.load(target, 2022)[1].columns == register.columns


def test_a_hidden_sheet_is_not_inflated_ahead(tmp_path, monkeypatch):
    """The XML inflated while calamine opens the workbook is the largest sheet's that will be read: a hidden
    one, however large, is never read."""
    monkeypatch.setattr(halves, "SPLIT_FROM", 0)
    monkeypatch.setattr(halves, "can_fork", lambda: True)
    workbook = Workbook()
    workbook.active.append(["Mã số", "Năm"])
    hidden = workbook.create_sheet("Ẩn")
    for r in range(200):
        hidden.append([f"SK-{r}", 2023, "một ô dài " * 5])
    hidden.sheet_state = "hidden"
    path = tmp_path / "an.xlsx"
    workbook.save(path)
    book = excel.ExcelBook(path, path.read_bytes())
    assert book._inflating is not None and book._inflating[0] == "xl/worksheets/sheet1.xml"
    book._inflating[1].join()
