"""A large register's parsed form kept between commands (:mod:`sangkien.inputs.kept`): read once, never stale,
never in the way, and what a command says of the register the same either way."""
from __future__ import annotations

import os
import pickle

import pytest
from conftest import BLOCKS, TODAY_BLOCKS

from sangkien.errors import DataError
from sangkien.inputs import kept, register
from sangkien.inputs.register import read_register


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, and every register kept (however few its rows)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SANGKIEN_CACHE", str(folder))
    monkeypatch.setattr(kept, "FROM_ROWS", 1)
    yield folder / "so-dang-ky"
    kept._all_written()  # what the test left to be written, as its command would end


@pytest.fixture
def parses(monkeypatch):
    """How many times a register's file was parsed (laid out as a sheet) in the test."""
    count = []
    real = register.combined

    def counted(*args, **kwargs):
        count.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(register, "combined", counted)
    return count


def rows(make_row, n=3):
    return [make_row(ma_so=f"SK-{i}", nam=2020 + i % 3, don_vi=f"Sở {i % 2}") for i in range(n)]


def same(a, b) -> bool:
    return (a.columns, a.headers, a.reading, a.sha256, a.blocks) == (b.columns, b.headers, b.reading, b.sha256,
                                                                       b.blocks)


def test_a_register_read_again_is_not_parsed_again_and_is_the_same(cache, parses, write_register, make_row):
    path = write_register(rows(make_row), fmt="xlsx")
    first = read_register(path, BLOCKS)
    again = read_register(path, BLOCKS)
    assert len(parses) == 1 and same(first, again)
    assert [p.name for p in cache.iterdir()] == [f"{first.sha256}-{kept.code_digest()[:16]}{kept.SUFFIX}"]


def test_a_changed_byte_is_a_new_parse(cache, parses, write_register, make_row):
    path = write_register(rows(make_row))
    first = read_register(path, BLOCKS)
    path.write_bytes(path.read_bytes().replace(b"SK-1", b"SK-9"))
    changed = read_register(path, BLOCKS)
    assert len(parses) == 2 and "SK-9" in changed.columns["ma_so"] and changed.sha256 != first.sha256


def test_the_rules_run_on_a_kept_register_with_the_command_s_parameters(cache, parses, write_register, make_row):
    """Kept by `check` against today's blocks, read again by a build against a year's: the rules of the second
    say what is wrong, naming the file by the name it has now (the same bytes under another name)."""
    rows_ = [make_row(ma_so="SK-1", khoi=TODAY_BLOCKS[1])]
    path = write_register(rows_, name="a.csv")
    read_register(path, TODAY_BLOCKS)
    copy = path.with_name("b.csv")
    copy.write_bytes(path.read_bytes())
    with pytest.raises(DataError) as raised:
        read_register(copy, BLOCKS)
    assert len(parses) == 1
    assert f"{copy}: dòng 2" in str(raised.value) and f"{path}:" not in str(raised.value)


def test_a_register_with_problems_says_the_same_when_kept(cache, parses, write_register, make_row):
    """The year and number columns are read before the sheet is kept: what could not be read is said again."""
    path = write_register([make_row(ma_so="SK-1"), make_row(ma_so="SK-1", nam="năm ngoái"),
                           make_row(ma_so="SK-3", so_tien_lam_loi="chưa tính", diem="tốt")])
    messages = []
    for _ in range(2):
        with pytest.raises(DataError) as raised:
            read_register(path, BLOCKS)
        messages.append(str(raised.value))
    assert len(parses) == 1 and messages[0] == messages[1]
    assert all(f"giá trị \"{bad}\"" in messages[1] for bad in ("năm ngoái", "chưa tính", "tốt"))


def test_a_damaged_or_foreign_entry_is_no_entry(cache, parses, write_register, make_row):
    path = write_register(rows(make_row))
    first = read_register(path, BLOCKS)
    (entry,) = cache.iterdir()
    for damaged in (b"not a pickle", pickle.dumps({"sha256": "other", "code": kept.code_digest()})):
        entry.write_bytes(damaged)
        assert same(read_register(path, BLOCKS), first)
    assert len(parses) == 3 and same(read_register(path, BLOCKS), first) and len(parses) == 3


def test_nothing_is_kept_where_others_may_write_or_when_switched_off(cache, parses, write_register, make_row,
                                                                       monkeypatch):
    path = write_register(rows(make_row))
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    read_register(path, BLOCKS)
    read_register(path, BLOCKS)
    assert len(parses) == 2 and not list(cache.iterdir())
    monkeypatch.setenv("SANGKIEN_CACHE", "")
    read_register(path, BLOCKS)
    assert len(parses) == 3


def test_a_folder_that_cannot_be_written_is_no_folder(tmp_path, parses, write_register, make_row, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("SANGKIEN_CACHE", str(blocked))
    monkeypatch.setattr(kept, "FROM_ROWS", 1)
    path = write_register(rows(make_row))
    assert len(read_register(path, BLOCKS)) == 3 and len(read_register(path, BLOCKS)) == 3 and len(parses) == 2


def test_a_small_register_is_not_kept(cache, parses, write_register, make_row, monkeypatch):
    monkeypatch.setattr(kept, "FROM_ROWS", 4)
    path = write_register(rows(make_row, 3))
    read_register(path, BLOCKS)
    assert not cache.exists() or not list(cache.iterdir())


def test_the_least_recently_used_entries_go(cache, write_register, make_row, monkeypatch):
    monkeypatch.setattr(kept, "KEEP", 2)
    paths = [write_register(rows(make_row, n), name=f"r{n}.csv") for n in (1, 2, 3)]
    digests = []
    for path in paths:
        digests.append(read_register(path, BLOCKS).sha256)
        for entry in cache.iterdir():  # older than the next one, whatever the clock's resolution
            os.utime(entry, (entry.stat().st_mtime - 10, entry.stat().st_mtime - 10))
    read_register(paths[1], BLOCKS)  # kept (r1's went when r3's came): used again, now the most recent
    read_register(paths[0], BLOCKS)  # parsed again and kept: r3's, now the least recently used, goes
    kept_now = sorted(p.name.split("-")[0] for p in cache.iterdir())
    assert len(kept_now) == 2 and digests[0] in kept_now and digests[1] in kept_now


def test_check_then_a_year_s_build_parse_the_register_once(cache, parses, write_register, make_row, tmp_path,
                                                           monkeypatch):
    """`check` (today's blocks, every year) then the build's loading of 2022 (its own parameters pinning the
    blocks before the reorganisation): one parse, and the build's register is what reading it afresh gives."""
    from sangkien import inputs

    path = write_register(rows(make_row, 6))
    params = tmp_path / "2022.yaml"
    params.write_text(f"year: 2022\nperiod_start: 2020\ndata: {path}\n" + 'blocks: [Giáo dục, "Quận, huyện, sở, ngành"]\n',
                      encoding="utf-8")
    inputs.check(path, params)
    _, built = inputs.load(2022, params)
    assert len(parses) == 1
    monkeypatch.setenv("SANGKIEN_CACHE", "")
    _, afresh = inputs.load(2022, params)
    assert len(parses) == 2 and same(built, afresh)


def test_a_build_keeps_the_validated_register_and_takes_it_again_under_the_same_rules_only(
        cache, parses, write_register, make_row, monkeypatch):
    rules_run = []
    real = register.register_of
    monkeypatch.setattr(register, "register_of", lambda *a, **k: rules_run.append(1) or real(*a, **k))
    path = write_register(rows(make_row, 6))
    first = read_register(path, BLOCKS, until=2022, keep_validated=True)
    again = read_register(path, BLOCKS, until=2022, keep_validated=True)
    assert len(parses) == 1 and len(rules_run) == 1 and same(first, again)
    assert again.kept_at is not None and again.kept_at.suffix == kept.REGISTER_SUFFIX
    read_register(path, BLOCKS, until=2023, keep_validated=True)  # another report year: the rules run again
    read_register(path, BLOCKS, until=2022)  # check: the rules always run
    assert len(parses) == 1 and len(rules_run) == 3


def test_a_snapshot_of_a_kept_register_is_its_entry_copied_and_the_same_as_one_written(
        cache, write_register, make_row, tmp_path, monkeypatch):
    from sangkien.inputs import snapshot
    from sangkien.inputs.params import Params

    path = write_register(rows(make_row, 6))
    params = Params(2022, path, blocks=BLOCKS)
    register_ = read_register(path, BLOCKS, until=2022, keep_validated=True)
    copied, written = tmp_path / "copied.pickle", tmp_path / "written.pickle"
    snapshot.save(params, register_, copied)
    assert copied.read_bytes().startswith(register_.kept_at.read_bytes())
    register_.kept_at.unlink()  # pruned meanwhile: written instead
    snapshot.save(params, register_, written)
    for kept_file in (copied, written):
        p, r = snapshot.load(kept_file, 2022)
        assert p == params and same(r, register_) and r.path == path
    from_bytes = tmp_path / "sent.pickle"
    from_bytes.write_bytes(snapshot.dumps(params, register_))
    assert same(snapshot.load(from_bytes)[1], register_)
    with pytest.raises(Exception, match="không phải năm 2023"):
        snapshot.load(copied, 2023)


@pytest.mark.slow
def test_a_register_read_again_while_its_copy_still_writes_it_is_taken_once_written(
        cache, parses, write_register, make_row, monkeypatch):
    """The same process reading the register again while the forked copy that keeps it still writes it
    (slowly here) waits for the entry rather than running the rules again."""
    import time

    from sangkien.inputs import halves

    monkeypatch.setattr(halves, "can_fork", lambda: True)
    real_write = kept._write
    monkeypatch.setattr(kept, "_write", lambda *a: time.sleep(0.5) or real_write(*a))
    rules_run = []
    real = register.register_of
    monkeypatch.setattr(register, "register_of", lambda *a, **k: rules_run.append(1) or real(*a, **k))
    path = write_register(rows(make_row, 5))
    first = read_register(path, BLOCKS, until=2022, keep_validated=True)
    assert first.kept_at in kept._WRITING and not first.kept_at.exists()
    again = read_register(path, BLOCKS, until=2022, keep_validated=True)
    assert len(rules_run) == 1 and same(first, again) and first.kept_at not in kept._WRITING


def test_a_register_check_passed_is_taken_by_a_build_of_any_year_under_the_same_blocks(
        cache, parses, write_register, make_row, monkeypatch):
    """`check` holds every year's rows to the blocks (``until`` None): a build of any report year, whose rules
    only let rows after that year name another block, takes the register `check` kept without its rules; a build
    under other blocks runs them."""
    rules_run = []
    real = register.register_of
    monkeypatch.setattr(register, "register_of", lambda *a, **k: rules_run.append(1) or real(*a, **k))
    path = write_register(rows(make_row, 6))
    checked = read_register(path, BLOCKS, keep_validated=True)
    for year in (2021, 2022, 2030):
        built = read_register(path, BLOCKS, until=year, keep_validated=True)
        assert same(built, checked) and built.kept_at == checked.kept_at
    assert len(rules_run) == 1
    with pytest.raises(DataError, match="Khối khác"):  # the rules ran: under these blocks the rows do not pass
        read_register(path, BLOCKS[:1] + ("Khối khác",), until=2022, keep_validated=True)
    assert len(rules_run) == 2 and len(parses) == 1


def test_a_build_s_register_is_not_taken_by_check_nor_by_another_year(cache, write_register, make_row, monkeypatch):
    """A row after the report year may name another block: the build of 2022 passes such a register, `check`
    (every year held to the blocks) does not, whatever the build kept."""
    later = [make_row(ma_so="SK-9", nam=2024, khoi="Khối của năm sau", don_vi="Đơn vị mới")]
    path = write_register(rows(make_row, 6) + later)
    read_register(path, BLOCKS, until=2022, keep_validated=True)
    with pytest.raises(DataError, match="Khối của năm sau"):
        read_register(path, BLOCKS, keep_validated=True)
    with pytest.raises(DataError, match="Khối của năm sau"):
        read_register(path, BLOCKS, until=2024, keep_validated=True)


@pytest.fixture
def unfrozen():
    """The collector as it was: what a test froze is given back to it."""
    import gc

    yield gc.get_freeze_count
    gc.unfreeze()


@pytest.mark.parametrize("threshold, frozen", [(1, True), (10**9, False)], ids=["large", "small"])
def test_a_large_register_read_or_read_back_is_out_of_the_collectors_walks_and_still_freed(
        unfrozen, monkeypatch, write_register, make_row, tmp_path, threshold, frozen):
    """Read, and read back from a build's snapshot (a kernel's), a register of :data:`register.FROZEN_FROM` rows or
    more leaves the cyclic collector's full passes (its objects in the permanent generation); a smaller one
    does not. Either is freed once nothing refers to it."""
    import gc
    import weakref

    from sangkien.inputs import snapshot
    from sangkien.inputs.params import Params

    monkeypatch.setattr(register, "FROZEN_FROM", threshold)
    path = write_register(rows(make_row, 6))
    snapshot.save(Params(2022, path, blocks=BLOCKS), read_register(path, BLOCKS), tmp_path / "kept.pickle")
    for read in (lambda: read_register(path, BLOCKS), lambda: snapshot.load(tmp_path / "kept.pickle")[1]):
        gc.unfreeze()
        read_ = read()
        assert (unfrozen() > 0) is frozen
        gone = weakref.ref(read_)
        del read_
        assert gone() is None  # by reference counting: no cycle holds a register


@pytest.mark.parametrize("dated", [False, True], ids=["plain cells", "a date cell"])
def test_a_kept_sheet_is_the_sheet_it_was_its_plain_columns_packed_in_one_piece(dated):
    """A sheet as an entry holds it: its columns of plain values packed together by marshal (an equal cell
    still one object: a cell the cleaning left as it was is its text too); a sheet with a value marshal does
    not know (a date) pickled as it is. Either way the same sheet comes back."""
    import datetime as dt

    from sangkien.inputs.sheet import _PACKED, sheet_of

    header = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực", "Kết quả"]
    row = ["SK-1", 2023, "Giải pháp  A", "Nguyễn Văn A", "Sở Y tế", BLOCKS[0], "Y tế", "Công nhận"]
    sheet = sheet_of(kept.Path("so-dang-ky.xlsx"), [header, row, [*row[:2], dt.date(2023, 5, 1), *row[3:]]
                                                    if dated else ["SK-2", *row[1:]]], tuple(BLOCKS))
    sheet.read_numbers()
    sheet.values("ten_sang_kien")
    assert ("packed" in sheet.__getstate__()) is not dated
    back = pickle.loads(pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL))
    assert all(getattr(back, name) == getattr(sheet, name) for name in _PACKED)
    assert (back.path, back.written, back.blocks) == (sheet.path, sheet.written, sheet.blocks)
    assert back.raw["don_vi"][0] is back.texts["don_vi"][0]  # one object, as in the sheet
