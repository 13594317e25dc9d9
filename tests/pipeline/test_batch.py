"""Batch builds (``build --all``), unit sheets, index pages, and rebuilds end to end: a year is rebuilt
only when an input changed (which input: tests/pipeline/test_freshness.py, without building)."""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
from concurrent.futures import Future
from pathlib import Path

import psutil
import pytest
from batches import build_all_command, write_years

import sangkien
from sangkien import paths
from sangkien.errors import CellError, DataError
from sangkien.pipeline import batch, build, freshness, indexes, unitsheets
from sangkien.pipeline.build import build_year
from sangkien.pipeline.processes import workers
from sangkien.pipeline.processes.workers import Outcome

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------- rebuilds

@pytest.mark.slow
def test_unchanged_year_is_not_rebuilt(small_year, digests):
    out = small_year.out
    before = digests(out / "2023")
    again = build_year(2023, params_file=small_year.params, out_dir=out)
    assert again.up_to_date and "không có gì thay đổi" in again.reason
    assert digests(out / "2023") == before
    assert again.outputs["pdf"] == out / "2023" / "bao-cao-2023.pdf"


@pytest.mark.slow
def test_up_to_date_through_the_command_line(small_year, run_cli):
    status, out, err = run_cli("build", "2023", "--params", small_year.params, "--out", small_year.out)
    assert status == 0, err
    assert "không đổi" in err and "--force" in err
    assert f"pdf: {small_year.out / '2023' / 'bao-cao-2023.pdf'}" in out


@pytest.mark.slow
def test_a_changed_input_rebuilds_then_is_up_to_date(small_year, copy_published):
    """One real rebuild: the formats (an option of the build) changed since the published year."""
    out = copy_published(small_year.out)
    kwargs = {"params_file": small_year.params, "out_dir": out}
    assert build_year(2023, **kwargs).up_to_date  # the copy is the published year
    result = build_year(2023, **kwargs, formats=("html",))
    assert not result.up_to_date and result.reason == "đã thay đổi: tùy chọn dựng (định dạng (--to))"
    assert sorted(p.name for p in (out / "2023").iterdir()) == [
        "bao-cao-2023.html", "bao-cao-2023.ipynb", "danh-sach-cong-nhan-2023.csv", "danh-sach-cong-nhan-2023.xlsx",
        "manifest.json"]
    assert build_year(2023, **kwargs, formats=("html",)).up_to_date


# ---------------------------------------------------------------------------- build --all

@pytest.mark.slow
def test_all_years_one_failing(tmp_path, write_year, small_rows, run_main, monkeypatch, capsys):
    params_dir = write_years(tmp_path, write_year, small_rows, (2022, 2023, 2030), built=(2021, 2022, 2023))
    monkeypatch.setattr(paths, "PARAMS_DIR", params_dir)  # no rows of 2030 in the register: exit 2
    out = tmp_path / "out"
    status, summary, err = run_main("build", "--all", "--out", out, "--jobs", 2, "--to", "html")
    assert status == 2, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["2022", "2023", "index.html"]
    assert err.startswith("dựng 3 năm (2022–2030), 2 năm một lúc\n")
    assert "2030: lỗi" in err and "không có dòng nào của năm 2030" in err
    assert "2022  đã dựng" in summary and "2023  đã dựng" in summary and "2030  lỗi" in summary
    assert "2023/bao-cao-2023.html" in summary
    assert "Tổng: 2 năm đã dựng, 0 năm không đổi, 1 năm lỗi" in summary
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/bao-cao-2023.html"' in index and 'href="2022/bao-cao-2022.html"' in index
    assert "2030" not in index

    # the second run: nothing changed (one worker process: each finds its year up to date as build_year does,
    # however many there are; two of them were shown building side by side above)
    status, summary, _ = run_main("build", "--all", "--out", out, "--jobs", 1, "--to", "html")
    assert status == 2 and "Tổng: 0 năm đã dựng, 2 năm không đổi, 1 năm lỗi" in summary

    # the version to sign, through the API: every year's plan refuses the empty sections, even an up-to-date year's
    before = (out / "2023" / "manifest.json").read_bytes()
    capsys.readouterr()
    assert sangkien.build_all(out=out, formats=["html"], jobs=1, params_dir=params_dir, final=True) == 2
    summary = capsys.readouterr().out
    assert "Tổng: 0 năm đã dựng, 0 năm không đổi, 3 năm lỗi" in summary and "sections.context" in summary
    assert (out / "2023" / "manifest.json").read_bytes() == before


def test_all_jobs_must_be_positive(run_main):
    status, _, err = run_main("build", "--all", "--jobs", "0")
    assert status == 2 and "--jobs" in err


def test_jobs_only_with_all_or_units(run_main, tmp_path):
    status, _, err = run_main("build", "2023", "--jobs", "2", "--out", tmp_path / "out")
    assert (status, err) == (2, "lệnh không hợp lệ: --jobs chỉ dùng cùng --all hoặc --units\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_sigterm_stops_every_worker_and_leaves_no_debris(tmp_path, write_year, small_rows, wait_for):
    """SIGTERM once both workers are building (a staging folder and a kernel each): the command stops
    (exit 143), every worker and kernel ends, no staging folder is left, nothing is left in the temporary
    folder, and a year is either whole or absent."""
    params_dir = write_years(tmp_path, write_year, small_rows, (2020, 2021, 2022, 2023))
    out = tmp_path / "out"
    temporary = tmp_path / "t"
    temporary.mkdir()
    process = subprocess.Popen(build_all_command(params_dir, "--out", str(out), "--jobs", "2", "--to", "html"),
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(temporary)})
    seen: dict[int, psutil.Process] = {}

    def is_kernel(child: psutil.Process) -> bool:
        try:
            return "ipykernel_launcher" in child.cmdline()
        except psutil.Error:  # ended meanwhile
            return False

    def both_building() -> bool:
        try:
            for child in psutil.Process(process.pid).children(recursive=True):
                seen.setdefault(child.pid, child)
        except psutil.Error:
            return False
        return sum(map(is_kernel, seen.values())) == 2 and len(list(out.glob(".staging-*"))) == 2

    wait_for(both_building, process, what="two workers building, each with its kernel")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143 and err.endswith("đã dừng theo yêu cầu\n"), err
    _, alive = psutil.wait_procs(list(seen.values()), timeout=30)
    assert not alive  # no worker goes on building, no kernel is left behind
    left = sorted(p.name for p in out.iterdir())
    assert not [name for name in left if name.startswith((".staging", ".old"))], left
    assert list(temporary.iterdir()) == []
    for name in left:
        if name.isdigit():
            assert (out / name / "manifest.json").is_file()  # a year is either whole or absent


def _started(tmp_path, monkeypatch, jobs: int) -> list[tuple[int, bool]]:
    """``build --all --jobs JOBS`` over four years of which three were built before (2020 and 2023 took
    5 seconds, 2021 took 2, 2022 was never built), in a pool that builds nothing: the years in the order
    they were started in, each with whether its Word draft is made beside its PDF."""
    params_dir = tmp_path / "params"
    params_dir.mkdir(parents=True)
    out = tmp_path / "out"
    for year in (2020, 2021, 2022, 2023):
        (params_dir / f"{year}.yaml").write_text("", encoding="utf-8")
    for year, seconds in ((2020, 5.0), (2021, 2.0), (2023, 5.0)):
        (out / str(year)).mkdir(parents=True)
        (out / str(year) / "manifest.json").write_text(json.dumps({"timings_s": {"execute": seconds - 1, "pdf": 1.0}}),
                                                       encoding="utf-8")
    started = []

    class Pool:
        def submit(self, work, year, *args):
            started.append((year, args[-1]))
            future = Future()
            future.set_result(Outcome(year, "built"))
            return future

    monkeypatch.setattr(workers, "pool", lambda count: contextlib.nullcontext(Pool()))
    assert batch.build_all(out, jobs=jobs, params_dir=params_dir) == 0
    return started


def test_the_longest_years_start_first_and_the_last_ones_use_the_idle_cores(tmp_path, monkeypatch):
    """A year never built first (its time unknown), then by the time the last build took, the newest first
    among equals; with two workers the last two years make their Word draft beside their PDF (no year is
    left to take a worker that is done), with one worker none does."""
    assert _started(tmp_path / "two", monkeypatch, 2) == [(2022, False), (2023, False), (2020, True), (2021, True)]
    assert _started(tmp_path / "one", monkeypatch, 1) == [(2022, False), (2023, False), (2020, False), (2021, False)]


@pytest.mark.slow
def test_the_word_draft_beside_the_pdf_or_after_it_gives_the_same_bytes(small_year, tmp_path, digests):
    """A year built without its second process (``overlap=False``, most years of a batch) writes the very files
    of one built with it (``small_year``, as ``build YEAR`` and the last years of a batch build)."""
    result = build_year(2023, params_file=small_year.params, out_dir=tmp_path / "out", overlap=False)
    made = digests(result.folder)
    for name in ("bao-cao-2023.html", "bao-cao-2023.pdf", "bao-cao-2023.docx", "danh-sach-cong-nhan-2023.csv",
                 "danh-sach-cong-nhan-2023.xlsx"):
        assert made[name] == small_year.digests[name], name


@pytest.mark.slow
def test_a_worker_runs_its_clean_ups_at_exit(tmp_path):
    """A worker ends without the interpreter's teardown, but after its ``atexit`` clean-ups (WeasyPrint's
    font folder is released by one)."""
    marker = tmp_path / "cleaned-up"
    with workers.pool(1) as pool:
        pool.submit(atexit.register, os.mkdir, str(marker)).result()
    assert marker.is_dir()


# ---------------------------------------------------------------------------- outcomes of workers

def test_an_outcome_for_every_end_of_a_task():
    built = workers.attempt(2023, lambda: Outcome(2023, "built", reason="vì"))
    assert (built.status, built.reason, built.failed) == ("built", "vì", False) and built.seconds >= 0

    def bad_data():
        raise DataError(["dòng 2: sai", "dòng 3: sai"])

    def broken():
        raise ValueError("hỏng")

    failed = workers.attempt(2022, bad_data)
    assert (failed.subject, failed.failed, failed.exit_status, failed.problems) == (2022, True, 3, ["dòng 2: sai", "dòng 3: sai"])
    unexpected = workers.attempt("Sở Y tế", broken)
    assert (unexpected.exit_status, unexpected.problems) == (1, ["lỗi không mong đợi: ValueError: hỏng"])


def test_failing_unit_sheets_name_the_first_unit_and_count_the_others():
    failures = [Outcome(f"Đơn vị {i}", "failed", exit_status=4, problems=[f"ô số {i}"]) for i in range(8)]
    with pytest.raises(CellError) as caught:
        unitsheets.raise_first(failures)
    assert caught.value.exit_status == 4
    assert caught.value.problems == [
        'phiếu kết quả của đơn vị "Đơn vị 0": ô số 0',
        'và 7 đơn vị khác cũng lỗi: "Đơn vị 1"; "Đơn vị 2"; "Đơn vị 3"; "Đơn vị 4"; "Đơn vị 5"; …']


# ---------------------------------------------------------------------------- index pages

def test_years_index_escapes_and_orders(tmp_path):
    for year in (2021, 2023):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "manifest.json").write_text(json.dumps({
            "outputs": {"html": f"bao-cao-{year}.html", "pdf": f"bao-cao-{year}.pdf"},
            "figures": {"year": {"submitted": 1234, "recognized": 5}}}), encoding="utf-8")
    (tmp_path / "2023" / "don-vi").mkdir()
    (tmp_path / "2022").mkdir()  # no manifest: not a published year
    (tmp_path / "2020").mkdir()  # a manifest someone edited: its text is printed, never live
    (tmp_path / "2020" / "manifest.json").write_text(json.dumps({
        "outputs": {"html": '"><script>alert(1)</script>.html'}, "figures": {}}), encoding="utf-8")
    page = indexes.write_years(tmp_path).read_text(encoding="utf-8")
    assert page.index("Năm 2023") < page.index("Năm 2021") and "Năm 2022" not in page
    assert "1.234 sáng kiến đề nghị, 5 được công nhận" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert page.count("don-vi/index.html") == 1 and 'href="2023/don-vi/index.html"' in page
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["index.html"]  # no temporary file left


def test_units_index_escapes_and_links_the_formats_built(tmp_path):
    sheets = {"so-y-te": {"unit": "Sở Y tế <script>", "html": "don-vi/so-y-te.html"},
              "ubnd": {"unit": "UBND", "html": "don-vi/ubnd.html", "pdf": "don-vi/ubnd.pdf"}}
    page = indexes.write_units(tmp_path, 2023, sheets).read_text(encoding="utf-8")
    assert "<td>1</td><td>Sở Y tế &lt;script&gt;</td><td><a href=\"so-y-te.html\">HTML</a></td>" in page
    assert '<a href="ubnd.html">HTML</a> · <a href="ubnd.pdf">PDF</a>' in page
    assert "năm 2023" in page and "<script" not in page


# ---------------------------------------------------------------------------- unit sheets

@pytest.mark.slow
def test_units_build_one_sheet_per_unit_with_ascii_names(tmp_path, write_year, monkeypatch):
    units = ["Trường THCS Lê Lợi / Hải An", "TRƯỜNG THCS LÊ LỢI - HẢI AN", "Sở Y tế <script>"]
    rows = [[f"SK-{i}", 2023, f"Giải pháp {i}", "Tác giả", unit, "Giáo dục", "Giáo dục",
             "Công nhận", 1_000_000, 80] for i, unit in enumerate(units)]
    rows.append(["SK-old", 2022, "Cũ", "Tác giả", "Đơn vị cũ", "Giáo dục", "Giáo dục", "Công nhận", "", 70])
    params = write_year(tmp_path, rows)
    out = tmp_path / "out"
    result = build_year(2023, params_file=params, out_dir=out, formats=("html",), units=True, jobs=2)
    folder = out / "2023" / "don-vi"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["index.html", "so-y-te-script.html", "truong-thcs-le-loi-hai-an-2.html",
                     "truong-thcs-le-loi-hai-an.html"], names
    assert all(name.isascii() for name in names)
    manifest = json.loads((out / "2023" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == result.manifest and set(manifest["timings_s"]) == {"execute", "html", "units"}
    assert {entry["unit"] for entry in manifest["units"].values()} == set(units)  # not the unit of 2022
    sheet = (folder / manifest["units"]["so-y-te-script"]["html"].split("/")[-1]).read_text(encoding="utf-8")
    assert "Sở Y tế &lt;script&gt;" in sheet and "<script>" not in sheet
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="so-y-te-script.html"' in index and "&lt;script&gt;" in index
    # the sheets are part of the year: up to date next time, rebuilt when one is missing
    state = freshness.check(out / "2023", manifest["fingerprint"])
    assert state.up_to_date
    (folder / "so-y-te-script.html").unlink()
    assert "bị thiếu" in freshness.check(out / "2023", manifest["fingerprint"]).reason

    # one unit's sheet alone (the call for fanning units out): the same page under the same name, here
    # into an output folder relative to a working folder outside the repository
    monkeypatch.chdir(tmp_path)
    written = build.build_unit(2023, "sở y tế <SCRIPT>", params_file=params, out_dir="alone", formats=("html",))
    assert written == {"html": Path("alone/2023/don-vi/so-y-te-script.html")}
    assert written["html"].read_text(encoding="utf-8") == sheet
    assert sorted(p.name for p in (tmp_path / "alone" / "2023" / "don-vi").iterdir()) == ["so-y-te-script.html"]


def test_an_index_page_of_the_analysts_is_never_written_over(tmp_path):
    (tmp_path / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    assert indexes.write_years(tmp_path) is None
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>my own page</p>"
    (tmp_path / "index.html").unlink()
    written = indexes.write_years(tmp_path)
    assert written == tmp_path / "index.html" and indexes.write_years(tmp_path) == written  # ours: rewritten
    line = batch.summary([], 1.0, tmp_path, None).splitlines()[-1]
    assert line.endswith(f"Mục lục: không ghi, {tmp_path / 'index.html'} không do sangkien ghi nên được giữ nguyên")
