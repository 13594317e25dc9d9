"""The lock of a year, its staging folder, and publishing that touches only the build's own files, without
building anything: a "build" here is a staging folder with files and a manifest listing them."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import threading

import pytest
from conftest import tree

from sangkien.errors import BuildLockedError, OutputError, ParamsError
from sangkien.pipeline import stage


def _staged(out, files: dict[str, str], name: str = ".staging-2023-1", extra_manifest: dict | None = None):
    """A finished staging folder: ``files`` and a manifest listing them (as a build writes it)."""
    folder = out / name
    folder.mkdir(parents=True)
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    digests = {rel: hashlib.sha256(text.encode()).hexdigest() for rel, text in files.items()}
    manifest = {"outputs": {}, "files_sha256": digests, **(extra_manifest or {})}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def _published(out, files: dict[str, str]):
    """Publish a build of ``files`` into ``out/2023`` (the year as the previous build left it)."""
    stage.publish(_staged(out, files, ".staging-2023-0"), out / "2023")
    return out / "2023"


OLD = {"bao-cao-2023.html": "old html", "bao-cao-2023.pdf": "old pdf", "don-vi/a.html": "old a",
       "don-vi/b.html": "old b", "don-vi/index.html": "old index"}
NEW = {"bao-cao-2023.html": "new html", "don-vi/a.html": "new a", "don-vi/c.html": "new c",
       "don-vi/index.html": "new index", "danh-sach.csv": "new csv"}
USER = {"so-dang-ky.xlsx": "the analyst's register", "ban-ky-scan.pdf": "a signed copy",
        "ghi-chu/thu.txt": "a note in a folder of theirs", "don-vi/nhan-xet.txt": "a note beside the sheets"}


@pytest.fixture
def year_with_user_files(tmp_path):
    """``out/2023`` published from OLD, with the analyst's own files (USER) added afterwards."""
    out = tmp_path / "out"
    final = _published(out, OLD)
    for rel, text in USER.items():
        (final / rel).parent.mkdir(parents=True, exist_ok=True)
        (final / rel).write_text(text)
    return out, final


def _expected(build: dict[str, str]) -> dict[str, bytes]:
    """The year's folder holding ``build`` (its manifest aside) and the analyst's files."""
    files = {rel: text.encode() for rel, text in {**build, **USER}.items()}
    folders = {rel.rsplit("/", 1)[0] + "/": b"" for rel in files if "/" in rel}
    return {**files, **folders}


def _without_manifest(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if k != "manifest.json"}


# --------------------------------------------------------------------------- the lock and the staging folder

def test_one_build_of_a_year_at_a_time(tmp_path):
    with stage.year_lock(tmp_path, 2023):
        with pytest.raises(BuildLockedError) as caught:
            with stage.year_lock(tmp_path, 2023):
                pass
        with stage.year_lock(tmp_path, 2022):  # another year: its own lock
            pass
    assert caught.value.exit_status == 1
    assert caught.value.problems == [f"một lần dựng báo cáo năm 2023 khác đang chạy ({tmp_path}); hãy đợi nó xong"]
    with stage.year_lock(tmp_path, 2023):  # released
        pass


def test_the_lock_file_is_never_followed_through_a_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / ".locks").mkdir()
    (tmp_path / ".locks" / "2023.lock").symlink_to(victim)
    with pytest.raises(OSError) as caught:
        with stage.year_lock(tmp_path, 2023):
            pass
    assert caught.value.errno == errno.ELOOP and victim.read_text() == "keep"


def test_staging_folder_removed_when_the_build_fails(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        with stage.staging(out, 2023) as folder:
            assert folder == out / f".staging-2023-{os.getpid()}" and folder.is_dir()
            (folder / "half.html").write_text("<p>")
            raise KeyboardInterrupt
    assert sorted(p.name for p in out.iterdir()) == [".locks"]
    with stage.year_lock(out, 2023):  # and the lock released
        pass


def test_a_stop_right_after_the_staging_folder_is_made_leaves_none(tmp_path, stop_once_made):
    """The stop lands between the folder's making and the block (seen under load: a build stopped as soon as
    its staging folder appeared kept it)."""
    stop_once_made(".staging-")
    with pytest.raises(KeyboardInterrupt):
        with stage.staging(tmp_path / "out", 2023):
            pass
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".locks"]


def test_staging_clears_what_interrupted_builds_left(tmp_path):
    for name in (".staging-2023-1", ".staging-2022-3"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x").write_text("x")
    with stage.staging(tmp_path, 2023) as folder:
        assert sorted(p.name for p in tmp_path.iterdir()) == [".locks", ".staging-2022-3", folder.name]


def test_disk_full_in_the_staging_folder_is_one_line_naming_the_output_folder(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(OutputError) as caught:
        with stage.staging(out, 2023):
            raise OSError(errno.ENOSPC, "No space left on device")  # a write that fills the disk names no file
    assert caught.value.problems == [f"{out}: ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại; không có gì được "
                                     "công bố, báo cáo đã công bố trước đó giữ nguyên"]
    assert sorted(p.name for p in out.iterdir()) == [".locks"]


# --------------------------------------------------------------------------- publishing

def test_the_first_build_of_a_year_is_its_folder(tmp_path):
    final = _published(tmp_path, NEW)
    assert _without_manifest(tree(final, folders=True)) == {
        "danh-sach.csv": b"new csv", "bao-cao-2023.html": b"new html", "don-vi/": b"", "don-vi/a.html": b"new a",
        "don-vi/c.html": b"new c", "don-vi/index.html": b"new index"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]


def test_publishing_replaces_only_the_previous_build_files(year_with_user_files):
    out, final = year_with_user_files
    stage.publish(_staged(out, NEW), final)
    # the PDF and sheet b of the old build gone, the rest kept
    assert _without_manifest(tree(final, folders=True)) == _expected(NEW)
    assert set(json.loads((final / "manifest.json").read_text())["files_sha256"]) == set(NEW)
    assert sorted(p.name for p in out.iterdir()) == ["2023"]  # no staging folder left


def test_a_unit_sheets_folder_left_empty_is_removed_one_with_files_of_the_analyst_kept(tmp_path):
    out = tmp_path / "out"
    final = _published(out, OLD)
    stage.publish(_staged(out, {"bao-cao-2023.html": "x"}), final)
    assert sorted(p.name for p in final.iterdir()) == ["bao-cao-2023.html", "manifest.json"]
    final = _published(tmp_path / "out2", OLD)
    (final / "don-vi" / "nhan-xet.txt").write_text("mine")
    stage.publish(_staged(tmp_path / "out2", {"bao-cao-2023.html": "x"}), final)
    assert [p.name for p in (final / "don-vi").iterdir()] == ["nhan-xet.txt"]


@pytest.mark.parametrize("taken, rel", [
    ("file", "bao-cao-2023.html"),  # the analyst's file under an output's name, the year never built here
    ("folder", "bao-cao-2023.html"),
    ("file", "don-vi"),  # the unit sheets' folder is a file
    ("link", "don-vi"),  # ... or a link to somewhere else
])
def test_a_place_not_the_builds_own_is_refused_before_any_change(tmp_path, taken, rel):
    out = tmp_path / "out"
    final = out / "2023"
    final.mkdir(parents=True)
    (final / "so-dang-ky.xlsx").write_text("register")
    if taken == "file":
        (final / rel).write_text("mine")
    elif taken == "folder":
        (final / rel).mkdir()
    else:
        (tmp_path / "elsewhere").mkdir()
        (final / rel).symlink_to(tmp_path / "elsewhere")
    before = tree(final, folders=True)
    staging = _staged(out, NEW)
    with pytest.raises(ParamsError) as caught:
        stage.publish(staging, final)
    (line,) = caught.value.problems
    assert line.startswith(f"{final / rel}: ")
    assert tree(final, folders=True) == before
    assert not (tmp_path / "elsewhere").exists() or list((tmp_path / "elsewhere").iterdir()) == []


def test_paths_a_manifest_lists_outside_the_year_are_never_touched(tmp_path):
    out = tmp_path / "out"
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    (out / "2023" / "ghi-chu").mkdir(parents=True)
    (out / "2023" / "ghi-chu" / "a.txt").write_text("keep too")
    hostile = {"files_sha256": {"../../precious.txt": "x", str(outside): "x", "ghi-chu/a.txt": "x",
                                "don-vi/../../../precious.txt": "x"}, "outputs": {"x": "../precious.txt"}}
    (out / "2023" / "manifest.json").write_text(json.dumps(hostile))
    assert stage.owned(out / "2023") == {"manifest.json"}
    stage.publish(_staged(out, {"bao-cao-2023.html": "x"}), out / "2023")
    assert outside.read_text() == "keep" and (out / "2023" / "ghi-chu" / "a.txt").read_text() == "keep too"


class _Failing:
    """``os.replace`` (or ``os.link``) failing at its ``n``-th call with ``error``."""

    def __init__(self, real, n: int, error: BaseException):
        self.real, self.n, self.error, self.calls = real, n, error, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.real(*args, **kwargs)


STEPS = 1 + len(NEW) + 1 + len(set(OLD) - set(NEW))
"""The renames of a publishing: the journal, each new file, the manifest, each file of the old build moved away."""


@pytest.mark.parametrize("n", range(1, STEPS + 1))
@pytest.mark.parametrize("error", [PermissionError(errno.EACCES, "Permission denied"), KeyboardInterrupt()],
                         ids=["permission", "interrupt"])
def test_a_failure_half_way_puts_the_previous_year_back(year_with_user_files, monkeypatch, n, error):
    out, final = year_with_user_files
    before = tree(final, folders=True)
    staging = _staged(out, NEW)
    monkeypatch.setattr(os, "replace", _Failing(os.replace, n, error))
    with pytest.raises(type(error)):
        stage.publish(staging, final)
    monkeypatch.undo()
    assert tree(final, folders=True) == before
    assert not (staging / stage.JOURNAL).exists()  # undone: the staging folder is plain debris


class _Killed(BaseException):
    """A SIGKILL in the middle of publishing: nothing after it runs in this process."""


def _kill(*args):
    raise _Killed


@pytest.mark.parametrize("n", range(1, STEPS + 2))
def test_a_publishing_killed_half_way_is_finished_by_the_next_build(year_with_user_files, monkeypatch, n):
    """Killed at the n-th rename (STEPS + 1: right after the last, the manifest's)."""
    out, final = year_with_user_files
    before = tree(final, folders=True)
    staging = _staged(out, NEW)
    if n <= STEPS:
        monkeypatch.setattr(os, "replace", _Failing(os.replace, n, _Killed()))
    else:
        monkeypatch.setattr(stage, "_tidy", _kill)
    monkeypatch.setattr(stage, "_roll_back", _kill)  # no undo: killed
    with pytest.raises(_Killed):
        stage.publish(staging, final)
    monkeypatch.undo()
    committed = not (staging / "manifest.json").exists()
    with stage.year_lock(out, 2023):  # what the next build of the year does first
        stage.clean_stale(out, 2023)
    assert committed == (n > STEPS)
    if committed:  # the manifest had moved: the new year stands, the clearing up finished
        assert _without_manifest(tree(final, folders=True)) == _expected(NEW)
    else:
        assert tree(final, folders=True) == before
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


@pytest.fixture
def ctrl_c():
    """SIGINT raising KeyboardInterrupt as in a terminal, for the test, even when the tests run with SIGINT
    ignored (a job started in the background by a shell without job control, `nohup make test &`: the
    signal was then lost, and the test failed)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_a_stop_signal_while_publishing_takes_effect_once_the_year_is_whole(year_with_user_files, monkeypatch,
                                                                             ctrl_c):
    out, final = year_with_user_files
    real = os.replace
    calls = []
    handler = signal.getsignal(signal.SIGINT)

    def replace_and_get_stopped(*args):
        if len(calls) == 1:  # the journal written: Ctrl-C as the first file is renamed into place
            os.kill(os.getpid(), signal.SIGINT)
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(os, "replace", replace_and_get_stopped)
    with pytest.raises(KeyboardInterrupt):
        stage.publish(_staged(out, NEW), final)
    assert len(calls) == STEPS  # every step ran
    assert _without_manifest(tree(final, folders=True)) == _expected(NEW)
    assert signal.getsignal(signal.SIGINT) is handler
    assert sorted(p.name for p in out.iterdir()) == ["2023"]


# --------------------------------------------------------------------------- before any work

@pytest.mark.parametrize("where, kind", [("out", "file"), ("out", "link"), ("year", "file"), ("year", "link"),
                                         ("units", "file"), ("units", "link"), ("parent", "file")])
def test_an_output_folder_that_is_a_file_or_a_link_is_refused(tmp_path, where, kind):
    out = tmp_path / "out"
    path = {"out": out, "year": out / "2023", "units": out / "2023" / "don-vi", "parent": tmp_path / "f"}[where]
    path.parent.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "target"
    target.mkdir()
    if kind == "file":
        path.write_text("x")
    else:
        path.symlink_to(target)
    checked = tmp_path / "f" / "out" if where == "parent" else out
    with pytest.raises(ParamsError) as caught:
        stage.check_out(checked, 2023, units=True)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}: ")
    assert ("liên kết tượng trưng" if kind == "link" else "là một tệp") in line


def test_make_clean_removes_what_builds_wrote_and_nothing_else(year_with_user_files):
    out, final = year_with_user_files
    (out / "2022").mkdir()  # a year of only the build's own files: the folder goes too
    stage.publish(_staged(out, {"bao-cao-2022.html": "x"}, ".staging-2022-1"), out / "2022")
    (out / "index.html").write_text("index")
    (out / "_failed" / "2023").mkdir(parents=True)
    (out / ".locks").mkdir()
    (out / "ghi-chu.txt").write_text("the analyst's, beside the years")
    stage.unpublish(out)
    assert tree(out, folders=True) == {"2023/": b"", "ghi-chu.txt": b"the analyst's, beside the years",
                          **{f"2023/{rel}": data for rel, data in _expected({}).items()}}


def test_a_kernels_sockets_go_to_a_short_folder_when_the_temporary_one_is_too_long(tmp_path, monkeypatch):
    import tempfile

    from sangkien.pipeline.processes import kernel

    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    folder = kernel._socket_dir()
    try:
        assert len(os.fsencode(folder + "/ipc-5")) <= kernel.SOCKET_PATH_MAX and not folder.startswith(str(deep))
    finally:
        os.rmdir(folder)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    if len(str(tmp_path)) < 60:
        folder = kernel._socket_dir()
        assert folder.startswith(str(tmp_path))
        os.rmdir(folder)


def test_unit_sheets_behind_a_link_are_never_removed(tmp_path):
    """The previous build's sheets listed, then ``don-vi`` made a link to a folder elsewhere holding files
    of the same names: a build without sheets, and ``make clean``, leave that folder alone."""
    out = tmp_path / "out"
    final = _published(out, OLD)
    shutil.rmtree(final / "don-vi")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.html").write_text("not the build's")
    (final / "don-vi").symlink_to(elsewhere)
    stage.publish(_staged(out, {"bao-cao-2023.html": "x"}), final)
    stage.unpublish(out)
    assert (elsewhere / "a.html").read_text() == "not the build's"


def test_a_signed_pdf_is_never_the_builds_to_replace(tmp_path):
    folder = tmp_path / "2023"
    folder.mkdir()
    manifest = {"outputs": {"pdf": "bao-cao-2023.pdf", "signed": "bao-cao-2023-da-ky.pdf"},
                "files_sha256": {"bao-cao-2023.pdf": "0" * 64}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    mine = stage.owned(folder)
    assert "bao-cao-2023.pdf" in mine and "bao-cao-2023-da-ky.pdf" not in mine


def test_a_lock_taken_with_wait_is_held_once_the_other_build_lets_it_go(tmp_path):
    """A unit's sheet built alone waits for the year's lock to publish (``wait``), where a build is refused."""
    taken = threading.Event()

    def waiting() -> None:
        with stage.year_lock(tmp_path, 2023, wait=True):
            taken.set()

    with stage.year_lock(tmp_path, 2023):
        with pytest.raises(BuildLockedError):
            with stage.year_lock(tmp_path, 2023):
                pass
        waiter = threading.Thread(target=waiting)
        waiter.start()
        assert not taken.wait(0.2)  # still held here
    waiter.join()
    assert taken.is_set()
