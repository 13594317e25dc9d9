"""The lock of a year, its staging folder and publishing in one step, without building anything."""
from __future__ import annotations

import os

import pytest

from sangkien.errors import BuildLockedError
from sangkien.pipeline import stage
from sangkien.pipeline.workarounds.exchange import exchange


def _folder(path, **files):
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def _contents(folder):
    return {p.name: p.read_text() for p in folder.iterdir()}


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


def test_staging_clears_what_interrupted_builds_left(tmp_path):
    for name in (".staging-2023-1", ".old-2023-2", ".staging-2022-3"):
        _folder(tmp_path / name, x="x")
    with stage.staging(tmp_path, 2023) as folder:
        assert sorted(p.name for p in tmp_path.iterdir()) == [".locks", ".staging-2022-3", folder.name]


@pytest.mark.parametrize("swap", [True, False], ids=["exchange", "two-renames"])
def test_publish_replaces_the_year_in_one_step(tmp_path, monkeypatch, swap):
    if not swap:  # where the kernel or the file system cannot exchange two folders
        monkeypatch.setattr(stage, "exchange", lambda a, b: False)
    final = _folder(tmp_path / "2023", **{"old.html": "old"})
    staging = _folder(tmp_path / ".staging-2023-1", **{"new.html": "new"})
    stage.publish(staging, final)
    assert _contents(final) == {"new.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]
    stage.publish(_folder(tmp_path / ".staging-2024-1", **{"a": "a"}), tmp_path / "2024")  # the first of a year
    assert _contents(tmp_path / "2024") == {"a": "a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "2024"]


def test_exchange_swaps_two_folders_or_says_it_cannot(tmp_path):
    a = _folder(tmp_path / "a", **{"x": "a"})
    b = _folder(tmp_path / "b", **{"y": "b"})
    if exchange(a, b):
        assert (_contents(a), _contents(b)) == ({"y": "b"}, {"x": "a"})
        with pytest.raises(FileNotFoundError):  # a real error is raised, not taken for "not supported"
            exchange(tmp_path / "missing", a)
    else:  # not supported here: nothing moved
        assert (_contents(a), _contents(b)) == ({"x": "a"}, {"y": "b"})
