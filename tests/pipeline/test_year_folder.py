"""Safe by construction, through the command line: the year's folder holds the analyst's files too and
the build touches only its own; the register (and the parameters) read once, whatever happens to the
files meanwhile; the output folder a file or a link; permission denied, a read-only or a full disk."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EDU, tree
from registers import write_register_file

from sangkien.pipeline import stage
from sangkien.pipeline.processes import execute

ROOT = Path(__file__).resolve().parents[2]
USER_FILES = {"ban-ky-scan.pdf": b"%PDF-1.4 the signed copy", "ghi-chu/doc-truoc.txt": "đọc trước khi gửi".encode(),
              "don-vi/nhan-xet.txt": b"a note beside the unit sheets"}


def _everything(tmp_path: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(tmp_path, folders=True).items() if not k.startswith(".")}


def _rows(units=("Đơn vị 0", "Đơn vị 1"), n: int = 3, year: int = 2023):
    rows = [[f"SK-{year}-{i}", year, f"Giải pháp {i}", f"Tác giả {i}", units[i % len(units)], EDU, EDU,
             "Công nhận" if i % 3 else "Không công nhận", 1_000_000, 80] for i in range(n)]
    return rows + [["SK-old", year - 1, "Giải pháp cũ", "Tác giả cũ", units[0], EDU, EDU, "Công nhận", "", 90]]


# --------------------------------------------------------------------------- the analyst's files

def _only_its_own_files(year: Path, mine: dict[str, str]) -> dict:
    """Check that the year's folder holds the analyst's files (``mine``) byte for byte and, beside them,
    exactly the files of the build its manifest describes; that manifest."""
    manifest = json.loads((year / "manifest.json").read_text(encoding="utf-8"))
    files = {rel: hashlib.sha256(data).hexdigest() for rel, data in tree(year).items()}
    assert {rel: files[rel] for rel in mine} == mine, "the analyst's files, byte for byte"
    built = {rel: digest for rel, digest in files.items() if rel not in mine and rel != "manifest.json"}
    assert built == manifest["files_sha256"], "exactly the files of this build"
    return manifest


@pytest.mark.slow
def test_the_analysts_files_survive_every_build_and_a_build_reads_its_inputs_once(tmp_path, monkeypatch,
                                                                                  run_main):
    """Two guarantees, along one year's three builds (each a build of the other test they once were).

    The analyst's files: the register kept in OUT/2023 itself, a signed copy and notes beside the outputs
    (one beside the unit sheets): built with the unit sheets, rebuilt without them (``--force --no-units``), built
    again; each build leaves exactly its own files and every file of the analyst's byte for byte.

    One snapshot of the inputs: during the second build an analyst saves a new register and new parameters
    (just as the kernel starts): the report, the annex and the manifest all describe the bytes the build
    read first; the next build sees the change."""
    out = tmp_path / "out"
    year = out / "2023"
    (year / "ghi-chu").mkdir(parents=True)
    (year / "don-vi").mkdir()
    register, params = year / "so-dang-ky.csv", tmp_path / "2023.yaml"
    write_register_file(register, _rows(units=("Đơn vị 0",)))
    for rel, data in USER_FILES.items():
        (year / rel).write_bytes(data)
    params.write_text(f"year: 2023\ndata: {register}\ndoc_number: '7'\n", encoding="utf-8")
    mine = {rel: hashlib.sha256(data).hexdigest() for rel, data in USER_FILES.items()}
    mine["so-dang-ky.csv"] = old_sha = hashlib.sha256(register.read_bytes()).hexdigest()
    old_params = hashlib.sha256((ROOT / "params" / "defaults.yaml").read_bytes() + params.read_bytes()).hexdigest()
    build = ("build", 2023, "--params", params, "--data", register, "--out", out, "--to", "html")

    status, _, err = run_main(*build, "--units")
    assert status == 0, err
    assert "don-vi/index.html" in _only_its_own_files(year, mine)["files_sha256"]

    newer = tmp_path / "newer.csv"
    write_register_file(newer, _rows(units=("Trường Mới Lưu Sau",), n=8))
    new_sha = hashlib.sha256(newer.read_bytes()).hexdigest()
    real_run = execute.run_notebook

    def saved_meanwhile(*args, **kwargs):
        os.replace(newer, register)  # as a spreadsheet program saves: a new file renamed over the old
        params.write_text(f"year: 2023\ndata: {register}\ndoc_number: '99'\n", encoding="utf-8")
        return real_run(*args, **kwargs)

    monkeypatch.setattr(execute, "run_notebook", saved_meanwhile)
    status, _, err = run_main(*build, "--force", "--no-units")  # a build keeps its sheets unless told
    monkeypatch.undo()
    assert status == 0, err
    mine["so-dang-ky.csv"] = new_sha  # the analyst's new bytes, untouched by the build
    manifest = _only_its_own_files(year, mine)
    assert "don-vi/index.html" not in manifest["files_sha256"]
    assert sorted(p.name for p in (year / "don-vi").iterdir()) == ["nhan-xet.txt"]  # the sheets gone, the note kept
    page = (year / "bao-cao-2023.html").read_text(encoding="utf-8")
    annex = (year / "danh-sach-cong-nhan-2023.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert manifest["inputs"]["data"]["sha256"] == old_sha and manifest["inputs"]["data"]["rows"] == 4
    assert manifest["inputs"]["params"]["sha256"] == old_params == manifest["fingerprint"]["params"]
    assert manifest["fingerprint"]["register"] == old_sha
    assert (manifest["figures"]["year"]["submitted"], manifest["figures"]["year"]["recognized"]) == (3, 2)
    assert len(annex) == 1 + 2 and "Trường Mới" not in "".join(annex)
    assert old_sha in page and old_params in page  # the colophon names what was read
    assert "Số: 7/" in page and "Số: 99/" not in page and "Trường Mới" not in page
    assert manifest["files_sha256"]["bao-cao-2023.html"] == hashlib.sha256(page.encode()).hexdigest()

    status, _, err = run_main(*build)
    assert status == 0 and "đã thay đổi: sổ đăng ký, tệp tham số" in err, err
    manifest = _only_its_own_files(year, mine)
    assert manifest["inputs"]["data"]["sha256"] == new_sha != old_sha
    assert (manifest["figures"]["year"]["submitted"], manifest["figures"]["year"]["recognized"]) == (8, 5)
    page = (year / "bao-cao-2023.html").read_text(encoding="utf-8")
    assert "Trường Mới" in page and "Số: 99/" in page
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


@pytest.mark.slow  # the build starts its kernel before it finds the analyst's file
def test_a_file_of_the_analysts_under_an_outputs_name_is_never_overwritten(tmp_path, write_year, run_main):
    params = write_year(tmp_path)
    year = tmp_path / "out" / "2023"
    year.mkdir(parents=True)
    (year / "bao-cao-2023.pdf").write_bytes(b"a PDF of the analyst's")
    before = _everything(tmp_path)
    status, out, err = run_main("build", 2023, "--params", params, "--out", tmp_path / "out")
    assert (status, out) == (2, "")
    assert err == (f"{year / 'bao-cao-2023.pdf'}: tệp này không do lần dựng trước ghi (manifest.json không liệt kê "
                   "nó) nên sangkien không ghi đè; hãy dời nó sang chỗ khác hoặc đổi tên rồi dựng lại\n")
    assert _everything(tmp_path) == before and sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2023"]


@pytest.mark.parametrize("what", ["year-file", "year-link", "out-link", "out-file"])
def test_an_output_folder_that_is_a_file_or_a_link_is_refused_before_any_work(tmp_path, write_year, run_main,
                                                                               what):
    params = write_year(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_text("untouched")
    out = tmp_path / "out"
    if what.startswith("year"):
        out.mkdir()
    named = out / "2023" if what.startswith("year") else out
    if what.endswith("file"):
        named.write_text("a file of the analyst's")
    else:
        named.symlink_to(elsewhere)
    before = _everything(tmp_path)
    status, _, err = run_main("build", 2023, "--params", params, "--out", out)
    kind = "là một tệp, không phải thư mục" if what.endswith("file") else "là một liên kết tượng trưng"
    assert status == 2 and err.count("\n") == 1 and err.startswith(f"{named}: ") and kind in err, err
    assert _everything(tmp_path) == before
    assert not (elsewhere / ".locks").exists() and not (elsewhere / "2023").exists()


# --------------------------------------------------------------------------- permission denied, disk full

@pytest.mark.slow
def test_permission_denied_while_publishing_is_one_line_and_publishes_nothing(small_year, copy_published,
                                                                              monkeypatch, run_main):
    """The year's folder refuses the new files (as a folder the analyst cannot write to would; the tests
    run as root, which no permission stops): one line naming the folder, exit 1, the year as it was. The
    rebuild makes the page only (publishing is the same whatever the formats): the page, the notebook and
    the CSV annex are put in place before the workbook annex is refused, and the PDF and the Word draft
    of the published year, which it does not make, are still to move away."""
    out = copy_published(small_year.out)
    before = tree(out / "2023", folders=True)
    assert {"bao-cao-2023.pdf", "bao-cao-2023.docx"} <= set(before)
    real = os.replace

    def refused(src, dst, *args, **kwargs):
        if Path(dst).parent == out / "2023" and Path(dst).name == "danh-sach-cong-nhan-2023.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refused)
    status, stdout, err = run_main("build", 2023, "--params", small_year.params, "--out", out, "--force",
                                        "--to", "html")
    assert (status, stdout) == (1, "")
    assert err == (f"{out / '2023'}: không có quyền ghi vào thư mục này; hãy cấp quyền ghi hoặc chọn thư mục khác; "
                   "không có gì được công bố, báo cáo đã công bố trước đó giữ nguyên\n")
    assert tree(out / "2023", folders=True) == before  # the files renamed before the refusal were put back
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root is not stopped by a folder's permissions")
def test_a_read_only_output_folder_is_one_line(tmp_path, write_year, run_main):
    params = write_year(tmp_path)
    out = tmp_path / "out"
    out.mkdir(mode=0o555)
    try:
        status, _, err = run_main("build", 2023, "--params", params, "--out", out)
    finally:
        out.chmod(0o755)
    assert status == 1 and err.startswith(f"{out}: không có quyền ghi") and err.count("\n") == 1, err
    assert list(out.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB file system of its own (tmpfs), mounted on ``tmp_path / "disk"``; skipped where mounting is
    not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root): " + mounted.stderr.decode()[:80])
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
def test_a_full_or_read_only_disk_is_one_line_and_publishes_nothing(small_disk, small_year, run_main):
    """The year published on a small disk (the session's small year, copied there); the disk filled up: a
    rebuild stops with one line naming the output folder (exit 1), the year as it was, no staging folder
    left; the same on the disk made read-only. (The command line in this process: what is tested is the
    file system's refusal, the same to any process.)"""
    out = small_disk / "out"
    shutil.copytree(small_year.out, out)
    before = tree(out / "2023", folders=True)
    assert "bao-cao-2023.pdf" in before
    stats = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize - 64 * 1024))  # 64 KB left
    status, stdout, err = run_main("build", 2023, "--params", small_year.params, "--out", out, "--force")
    assert (status, stdout) == (1, "")
    assert err == (f"{out}: ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại; không có gì được công bố, "
                   "báo cáo đã công bố trước đó giữ nguyên\n")
    assert tree(out / "2023", folders=True) == before and sorted(p.name for p in out.iterdir()) == [".locks", "2023"]
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    status, _, err = run_main("build", 2023, "--params", small_year.params, "--out", out, "--force")
    assert status == 1 and err == (
        f"{out}: ổ đĩa chỉ cho đọc, không ghi được; hãy chọn thư mục khác; không có gì được công bố, báo cáo đã "
        "công bố trước đó giữ nguyên\n"), err
    assert tree(out / "2023", folders=True) == before


def test_build_unit_refuses_a_year_folder_that_is_a_link(tmp_path, write_year):
    from sangkien.errors import ParamsError
    from sangkien.pipeline import build

    params = write_year(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2023").symlink_to(tmp_path)
    with pytest.raises(ParamsError):
        build.build_unit(2023, "Đơn vị 0", params_file=params, out_dir=tmp_path / "out")
    assert not (tmp_path / "don-vi").exists()


def test_staging_names_the_folder_of_a_failed_write_not_its_own_hidden_one(tmp_path):
    with pytest.raises(Exception) as caught:
        with stage.staging(tmp_path, 2023) as folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(folder / "bao-cao-2023.pdf"))
    assert caught.value.problems[0].startswith(f"{tmp_path}: không có quyền ghi")
