"""Unit sheets built in a warm kernel (:mod:`sangkien.pipeline.processes.warm`): the same bytes as a sheet built alone,
nothing carried from one unit to the next, a failing unit named with its cell while the others are built,
and a stop that leaves no kernel and no file behind."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from conftest import EDU, OTHER

from sangkien import inputs, paths
from sangkien.errors import CellError, SangkienError
from sangkien.inputs.params import Params
from sangkien.pipeline import build, render, unitsheets
from sangkien.pipeline.exporters import pdf as pdf_exporter
from sangkien.pipeline.processes import execute
from sangkien.pipeline.processes.warm import WarmKernel

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2023


def _rows(units: dict[str, int], blocks: dict[str, str] | None = None) -> list[list]:
    """``units``: name -> initiatives in YEAR (each unit also has one the year before: a trend, a chart);
    ``blocks``: the block of a unit, when not EDU."""
    rows = []
    for u, (unit, count) in enumerate(units.items()):
        block = (blocks or {}).get(unit, EDU)
        for i in range(count):
            rows.append([f"SK-{YEAR}-{u}-{i}", YEAR, f"Giải pháp {u}.{i}", f"Tác giả {i}", unit, block, EDU,
                         "Công nhận" if i % 3 else "Không công nhận", (i + 1) * 1_000_000 if i % 2 else "", 70 + i])
        rows.append([f"SK-{YEAR - 1}-{u}", YEAR - 1, f"Giải pháp cũ {u}", "Tác giả cũ", unit, block, EDU,
                     "Công nhận", "", 80])
    return rows


UNITS = {"Trường THCS Lê Lợi": 7, "Phòng Giáo dục <b>Hải An</b>": 1, "UBND phường Đông Hải": 3, "Sở Tài chính": 2}
"""Sheets with a chart and without (more than CHART_MAX_ROWS initiatives), a name with markup, two blocks."""


def forking(monkeypatch, fork: bool) -> list[bool]:
    """The unit sheets' workers forked from this process (``fork``: as where a fork is sound, whatever this
    test process's threads) or spawned (as under ``SANGKIEN_ONE_CORE``); the list of how each pool was made."""
    from sangkien.pipeline.processes import forked, workers

    made, pool = [], workers.pool
    monkeypatch.setattr(forked, "sound", lambda: fork)

    def recorded(jobs, fork=False):
        made.append(fork)
        return pool(jobs, fork)

    monkeypatch.setattr(workers, "pool", recorded)
    return made


@pytest.mark.slow
@pytest.mark.parametrize("jobs, fork", [(1, False), (2, False), (1, True), (2, True)])
def test_sheets_built_in_a_batch_are_byte_identical_to_sheets_built_alone(tmp_path, write_year, monkeypatch, jobs, fork):
    """The sheets as ``build YEAR --units --jobs N`` makes them (:func:`unitsheets.sheets_alongside`, which
    ``build_year`` runs alongside the yearly report, which plays no part in a sheet; with 1, all four sheets
    in one worker process, one warm kernel, one after another; with 2, one worker from the first unit on
    and this process from the last back, each taking the next unit left; the workers fresh interpreters, or
    copies forked from this process once it warmed its renderers up) against an early sheet built alone
    (:func:`build.build_unit`) and the last one, the most exposed to what earlier units left, executed by
    Papermill in a kernel of its own (as the yearly report is) and laid out as a PDF in this process."""
    params = write_year(tmp_path, _rows(UNITS, {"Sở Tài chính": OTHER}))
    loaded, register = inputs.load(YEAR, params)
    staging = tmp_path / "staging"
    staging.mkdir()
    kept = execute.snapshot(loaded, register, staging)
    pools = forking(monkeypatch, fork)
    with unitsheets.sheets_alongside(loaded, register, kept, staging, ("html", "pdf"), jobs=jobs) as built:
        sheets = built()
    assert pools == [fork]
    assert [sheet["unit"] for sheet in sheets.values()] == [
        "Phòng Giáo dục <b>Hải An</b>", "Sở Tài chính", "Trường THCS Lê Lợi", "UBND phường Đông Hải"]
    (early_stem, early), (last_stem, last) = list(sheets.items())[1], list(sheets.items())[-1]
    alone = build.build_unit(YEAR, early["unit"], params_file=params, out_dir=tmp_path / "alone")
    for kind in ("html", "pdf"):
        assert alone[kind].read_bytes() == (staging / early[kind]).read_bytes(), f"{early_stem}.{kind} differs built alone"
    execute.run_notebook(paths.UNIT_NOTEBOOK, tmp_path / "fresh.ipynb", loaded,
                         extra={"unit": last["unit"], "register_file": str(kept)})
    from sangkien.report import wording

    fresh = render.export_html(nbformat.read(str(tmp_path / "fresh.ipynb"), as_version=4),
                               wording.unit_page_title(YEAR, last["unit"]))
    assert fresh == (staging / last["html"]).read_text(encoding="utf-8"), f"{last_stem}.html differs built alone"
    pdf_exporter.write_pdf(fresh, tmp_path / "fresh.pdf", (loaded.issuing_body,),  # as a sheet's PDF is made
                           wording.notice_subject(YEAR, last["unit"]))  # (:func:`unitsheets._sheet`)
    assert (tmp_path / "fresh.pdf").read_bytes() == (staging / last["pdf"]).read_bytes(), f"{last_stem}.pdf differs"


@pytest.mark.slow
def test_sheets_built_in_the_kernel_the_years_report_ran_in_are_as_built_alone(tmp_path, write_year):
    """The build process makes its share of the sheets in the kernel its year's report ran in (kept by
    ``run_report``'s ``keep``, taken by :meth:`WarmKernel.adopt`: no kernel of its own started): here every
    sheet, the report's kernel cleared when taken (the report's names gone), and each sheet the same bytes
    as built alone."""
    params = write_year(tmp_path, _rows(UNITS, {"Sở Tài chính": OTHER}))
    loaded, register = inputs.load(YEAR, params)
    staging = tmp_path / "staging"
    (staging / "don-vi").mkdir(parents=True)
    kept = execute.snapshot(loaded, register, staging)
    units = unitsheets.planned(register, YEAR)
    with execute.kernel_ahead() as kernel:
        execute.run_report(paths.REPORT_NOTEBOOK, staging, loaded, kept, tmp_path / "failed", kernel_manager=kernel,
                           keep=True)
        assert not kernel.ended and "BÁO CÁO" in (staging / f"{paths.report_basename(YEAR)}.ipynb").read_text("utf-8")
        here = unitsheets._Here(loaded, kept, paths.UNIT_NOTEBOOK, staging / "don-vi", str(tmp_path), ("html", "pdf"),
                                start=False)
        try:
            assert _printed_in(kernel, "print('report' in dir())") == "True\n"
            here.runner.adopt(kernel)
            assert _printed_in(kernel, "print('report' in dir())") == "False\n"  # cleared as soon as taken
            (tmp_path / "claims").mkdir()
            outcomes = here.build(units, str(tmp_path / "claims"))
        finally:
            here.discard()
        assert kernel.ended and here.runner.started == 0  # the report's kernel, discarded with the sheets
    assert [(o.subject, o.status) for o in outcomes] == [(unit, "built") for unit, _ in units]
    for unit, stem in (units[0], units[-1]):  # a name with markup; the last, the most exposed to what came before
        alone = build.build_unit(YEAR, unit, params_file=params, out_dir=tmp_path / "alone")
        for kind in ("html", "pdf"):
            assert alone[kind].read_bytes() == (staging / "don-vi" / alone[kind].name).read_bytes(), (stem, kind)


def _printed_in(kernel, code: str) -> str:
    """What ``code`` prints, run in ``kernel`` through its connected client (no notebook run)."""
    from jupyter_core.utils import run_sync

    printed = []
    run_sync(kernel.client.execute_interactive)(code, timeout=30, store_history=False, output_hook=lambda message: (
        printed.append(message["content"]["text"]) if message["header"]["msg_type"] == "stream" else None))
    return "".join(printed)


def test_a_units_sheet_is_claimed_by_one_builder_only(tmp_path):
    """Of the builders asking for a unit's sheet, the first has it, every other is told no (and each unit is
    its own claim)."""
    assert unitsheets.claimed(tmp_path, "truong-a") is True
    assert unitsheets.claimed(tmp_path, "truong-a") is False
    assert unitsheets.claimed(tmp_path, "truong-b") is True


_ALONE = """
import sys
from sangkien.pipeline.build import build_unit
print(build_unit(int(sys.argv[1]), sys.argv[2], params_file=sys.argv[3], out_dir=sys.argv[4])["pdf"].parent)
"""
"""A unit's sheet built alone, as a command of its own would: in a fresh interpreter."""


@pytest.mark.slow
def test_two_units_in_one_worker_in_either_order_are_each_as_built_alone(tmp_path, write_year):
    """What a sheet reuses from the one before it in its worker (the warm kernel and the snapshot it read,
    nbconvert's exporter, WeasyPrint's fonts and the house stylesheet parsed once) changes none of its
    bytes: two units of different blocks, with a chart and without, built one after the other in one batch
    (:func:`unitsheets.build_batch`, as a worker does) in both orders, against each sheet built alone
    (:func:`build.build_unit`) in an interpreter of its own."""
    params = write_year(tmp_path, _rows(UNITS, {"Sở Tài chính": OTHER}))
    loaded, register = inputs.load(YEAR, params)
    kept = execute.snapshot(loaded, register, tmp_path)
    pair = [(unit, stem) for unit, stem in unitsheets.planned(register, YEAR)
            if unit in ("Trường THCS Lê Lợi", "Sở Tài chính")]
    batches = {}
    for order in (pair, pair[::-1]):
        folder = tmp_path / "-".join(stem for _, stem in order)
        folder.mkdir()
        outcomes = unitsheets.build_batch(YEAR, str(kept), str(paths.UNIT_NOTEBOOK), str(folder), str(folder),
                                          ("html", "pdf"), order)
        assert [(o.subject, o.status) for o in outcomes] == [(unit, "built") for unit, _ in order]
        batches[folder.name] = folder
    for unit, stem in pair:
        done = subprocess.run([sys.executable, "-c", _ALONE, str(YEAR), unit, str(params), str(tmp_path / stem)],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        alone = Path(done.stdout.strip())
        for suffix in ("html", "pdf"):
            expected = (alone / f"{stem}.{suffix}").read_bytes()
            for name, folder in batches.items():
                assert (folder / f"{stem}.{suffix}").read_bytes() == expected, f"{stem}.{suffix} differs in {name}"


def _probe_notebook(path: Path) -> Path:
    """A notebook that dies for the unit 'chết', fails in its third cell for 'hỏng', and prints what the
    run before it may have left (a variable, the execution count, a warning already shown)."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    parameters = nbformat.v4.new_code_cell('year = 0\nunit = ""\nparams_file = ""\ndata_file = ""\nregister_file = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [
        parameters,
        nbformat.v4.new_code_cell('import os\nif unit == "chết":\n    os._exit(1)'),
        nbformat.v4.new_code_cell('assert unit != "hỏng", "đơn vị hỏng"'),
        nbformat.v4.new_code_cell(  # a warning whose registry outlives the run (json's module)
            'import json, warnings\nwarnings.warn_explicit("cảnh báo", UserWarning, "m.py", 1, module="m", '
            'registry=json.__dict__.setdefault("__warningregistry__", {}))\n'
            'print(globals().get("seen"), get_ipython().execution_count)\nseen = unit'),
    ]
    nbformat.write(notebook, str(path))
    return path


def _kernels(pid: int) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(pid).children(recursive=True) if "ipykernel_launcher" in p.cmdline()]
    except psutil.Error:
        return []


def _printed(executed) -> list:
    return [(o.get("name"), o.get("text")) for o in executed.cells[-1].outputs]


@pytest.mark.slow
def test_a_warm_kernel_starts_each_run_afresh_and_survives_failures(tmp_path):
    notebook = _probe_notebook(tmp_path / "probe.ipynb")
    params = Params(YEAR, Path("x.csv"), files=(Path("p.yaml"),))
    runner = WarmKernel()
    try:
        first = runner.run(notebook, tmp_path / "a.ipynb", params, {"unit": "a"})
        second = runner.run(notebook, tmp_path / "b.ipynb", params, {"unit": "b"})
        assert runner.started == 1
        assert _printed(first) == _printed(second)
        assert _printed(first) == [("stdout", f"None {len(first.cells) + 1}\n"),  # as in a new kernel
                                   ("stderr", "m.py:1: UserWarning: cảnh báo\n")]
        with pytest.raises(CellError) as failed:
            runner.run(notebook, tmp_path / "c.ipynb", params, {"unit": "hỏng"})
        assert "probe.ipynb, ô số 3 " in failed.value.problems[0] and "đơn vị hỏng" in failed.value.problems[0]
        assert _printed(runner.run(notebook, tmp_path / "d.ipynb", params, {"unit": "d"})) == _printed(first)
        assert runner.started == 2  # a new kernel after the failing cell
        with pytest.raises(SangkienError, match="đã dừng đột ngột"):
            runner.run(notebook, tmp_path / "e.ipynb", params, {"unit": "chết"})
        assert _printed(runner.run(notebook, tmp_path / "f.ipynb", params, {"unit": "f"})) == _printed(first)
        assert runner.started == 3
        for gone in _kernels(os.getpid()):  # killed from outside between two runs
            gone.kill()
        assert _printed(runner.run(notebook, tmp_path / "g.ipynb", params, {"unit": "g"})) == _printed(first)
        assert runner.started == 4
    finally:
        runner.discard()


def test_a_stopped_batch_waits_for_its_warm_up_before_its_folders_go(tmp_path, write_year, monkeypatch):
    """A stop (SIGTERM in a worker) while the renderers still warm up: the worker ends only once the warm-up
    is over, or WeasyPrint's font folder went from under it and a traceback reached the analyst."""
    loaded, register = inputs.load(YEAR, write_year(tmp_path, _rows({"Sở Y tế": 1})))
    kept = execute.snapshot(loaded, register, tmp_path)
    finished, stopping = [], threading.Event()

    def slow_warm_up(word=True, pdf=True):  # still at work when the stop comes, and a while after
        stopping.wait(timeout=60)
        time.sleep(0.2)
        finished.append(True)

    def stopped(*args, **kwargs):
        stopping.set()
        raise KeyboardInterrupt

    class WorkerEnded(Exception):
        pass

    def end_worker():
        raise WorkerEnded

    monkeypatch.setattr(render, "warm_up", slow_warm_up)
    monkeypatch.setattr(WarmKernel, "run", stopped)
    monkeypatch.setattr(unitsheets.workers, "stop_now", end_worker)
    with pytest.raises(WorkerEnded):
        unitsheets.build_batch(YEAR, str(kept), str(paths.UNIT_NOTEBOOK), str(tmp_path), str(tmp_path), ("html",),
                               [("Sở Y tế", "so-y-te")])
    assert finished == [True]


def test_a_background_error_is_raised_by_join_and_left_unsaid_by_wait(capsys):
    def fails():
        raise OSError("thư mục tạm đã bị xoá")

    failing = render.Background(fails)
    failing.wait()
    with pytest.raises(OSError, match="thư mục tạm"):
        failing.join()
    assert capsys.readouterr().err == ""  # nothing printed from the thread


def test_a_batch_that_cannot_read_its_snapshot_fails_every_unit_and_raises_nothing(tmp_path):
    outcomes = unitsheets.build_batch(YEAR, str(tmp_path / "missing.pickle"), str(paths.UNIT_NOTEBOOK),
                                      str(tmp_path), str(tmp_path), ("html",), [("Sở Y tế", "so-y-te"), ("B", "b")])
    assert [(o.subject, o.status) for o in outcomes] == [("Sở Y tế", "failed"), ("B", "failed")]
    assert all(o.problems and o.exit_status for o in outcomes)


@pytest.mark.slow
def test_a_failing_unit_is_named_with_its_cell_and_the_others_are_built(tmp_path, write_year):
    params_file = write_year(tmp_path, _rows({"Đơn vị A": 1, "hỏng": 1, "Đơn vị C": 1}))
    params, register = inputs.load(YEAR, params_file)
    kept = execute.snapshot(params, register, tmp_path)
    notebook = nbformat.read(str(paths.UNIT_NOTEBOOK), as_version=4)
    notebook.cells.insert(4, nbformat.v4.new_code_cell('assert unit != "hỏng", "đơn vị hỏng"'))
    nbformat.write(notebook, str(tmp_path / "don-vi.ipynb"))
    folder = tmp_path / "sheets"
    folder.mkdir()
    outcomes = unitsheets.build_batch(YEAR, str(kept), str(tmp_path / "don-vi.ipynb"), str(folder), str(folder),
                                      ("html",), [("Đơn vị A", "a"), ("hỏng", "hong"), ("Đơn vị C", "c")])
    assert [(o.subject, o.status) for o in outcomes] == [("Đơn vị A", "built"), ("hỏng", "failed"), ("Đơn vị C", "built")]
    assert "don-vi.ipynb, ô số 5 " in outcomes[1].problems[0] and "đơn vị hỏng" in outcomes[1].problems[0]
    assert outcomes[1].exit_status == CellError.exit_status
    assert sorted(p.name for p in folder.iterdir()) == ["a.html", "c.html"]
    with pytest.raises(CellError, match='phiếu kết quả của đơn vị "hỏng": .*ô số 5 '):
        unitsheets.raise_first([o for o in outcomes if o.failed])


@pytest.mark.slow
@pytest.mark.parametrize("one_core", ["1", ""], ids=["spawned", "forked"])
def test_units_stopped_midway_leave_no_kernel_and_no_file(tmp_path, write_year, wait_for, one_core):
    """SIGTERM to ``build YEAR --units --jobs 2`` while its sheets are built: every worker and kernel ends,
    nothing is published, and neither the output folder nor the temporary one keeps anything; the worker a
    fresh interpreter (``SANGKIEN_ONE_CORE``) or, where a fork is sound (two cores), a forked copy of the
    build, whose fonts' folder is the build's to remove."""
    if not one_core and len(os.sched_getaffinity(0)) < 2:
        pytest.skip("a fork is not worth it on one core: the workers are spawned")
    params = write_year(tmp_path, _rows({f"Đơn vị số {i}": 1 + i % 3 for i in range(16)}))
    out, temporary = tmp_path / "out", tmp_path / "t"
    temporary.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "sangkien", "build", str(YEAR), "--params", str(params),
                                "--out", str(out), "--units", "--jobs", "2", "--to", "html,pdf"], cwd=ROOT,
                               env={**os.environ, "TMPDIR": str(temporary), "SANGKIEN_ONE_CORE": one_core},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: list(out.glob(f".staging-{YEAR}-*/don-vi/*.html")), process, what="a first sheet")
    kernels = _kernels(process.pid)
    assert kernels  # the warm kernels, mid-way through their batches
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (128 + signal.SIGTERM, "đã dừng theo yêu cầu\n")
    assert not psutil.wait_procs(kernels, timeout=30)[1]
    assert sorted(p.name for p in out.iterdir()) == [".locks"]
    assert list(temporary.iterdir()) == []


REPORT_FAILS_ONCE_A_SHEET_IS_MADE = """\
import glob, time
deadline = time.monotonic() + 60
while not glob.glob({pattern!r}):
    assert time.monotonic() < deadline, "không có phiếu nào được dựng trong khi báo cáo chạy"
    time.sleep(0.05)
raise ValueError("ô hỏng khi các phiếu đang dựng")
"""


@pytest.mark.slow
@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_a_report_failing_while_the_sheets_are_built_stops_them_and_publishes_nothing(tmp_path, write_year,
                                                                                       monkeypatch, fork):
    """The sheets are built alongside the year's report (:func:`unitsheets.sheets_alongside`): a report cell
    failing once the first sheet is made (the workers at work) ends the build with the cell's error, and
    stops the workers and their kernels; no staging folder is left and nothing is published."""
    from sangkien.pipeline.build import build_year

    pools = forking(monkeypatch, fork)

    params = write_year(tmp_path, _rows({f"Đơn vị số {i}": 1 + i % 3 for i in range(12)}))
    out = tmp_path / "out"
    notebook = nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    pattern = str(out / f".staging-{YEAR}-*" / "don-vi" / "*.html")
    notebook.cells.insert(at + 1, nbformat.v4.new_code_cell(REPORT_FAILS_ONCE_A_SHEET_IS_MADE.format(pattern=pattern)))
    nbformat.write(notebook, str(tmp_path / "bao-cao.ipynb"))
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    with pytest.raises(CellError, match="ô hỏng khi các phiếu đang dựng"):
        build_year(YEAR, params_file=params, out_dir=out, formats=("html",), units=True, jobs=2,
                   notebook=tmp_path / "bao-cao.ipynb")
    started = [p for p in me.children(recursive=True) if p.pid not in before and not _tracker(p)]
    assert not psutil.wait_procs(started, timeout=30)[1]  # no worker, no kernel
    assert sorted(p.name for p in out.iterdir()) == [".locks", "_failed"]
    assert pools == [fork]


def _tracker(process: psutil.Process) -> bool:
    """multiprocessing's resource tracker, which the first pool of a process starts for the process's life."""
    try:
        return "resource_tracker" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def test_a_stop_right_after_a_single_sheets_scratch_folder_is_made_leaves_none(tmp_path, write_year, stop_once_made):
    """``build_unit`` makes its sheet in a scratch folder of the output folder (the analyst's), outside the
    year's lock: a stop landing as soon as it is made removes it too, as the staging folder's (test_stage.py)."""
    params = write_year(tmp_path, _rows({"Đơn vị A": 1}))
    stop_once_made(".unit-")
    with pytest.raises(KeyboardInterrupt):
        build.build_unit(YEAR, "Đơn vị A", params_file=params, out_dir=tmp_path / "out", formats=("html",))
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
def test_a_sheet_built_alone_is_the_years_own_for_the_next_build_with_units(tmp_path, write_year, run_main):
    """``build_unit`` publishes as a build does: into a year never built, the sheet and a manifest naming it
    alone; ``build YEAR --units`` into the same folder then takes the sheet as its own (exit 0), and a sheet
    built alone into a built year is recorded in its manifest (the year stays up to date)."""
    params = write_year(tmp_path, _rows({"Đơn vị A": 1, "Đơn vị B": 2}))
    out = tmp_path / "out"
    final = out / str(YEAR)
    written = build.build_unit(YEAR, "Đơn vị A", params_file=params, out_dir=out, formats=("html",))
    assert written == {"html": final / "don-vi" / "don-vi-a.html"}
    record = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    assert record["outputs"] == {} and record["units"] == {"don-vi-a": {"unit": "Đơn vị A", "html": "don-vi/don-vi-a.html"}}
    assert list(record["files_sha256"]) == ["don-vi/don-vi-a.html"]
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*")) == [
        "don-vi", "don-vi/don-vi-a.html", "manifest.json"]

    status, _, err = run_main("build", YEAR, "--params", params, "--out", out, "--units", "--to", "html")
    assert status == 0, err
    assert f"{YEAR}: đã dựng — chưa có báo cáo nào được dựng cho năm này" in err
    record = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(record["units"]) == ["don-vi-a", "don-vi-b"] and record["outputs"]["html"] == f"bao-cao-{YEAR}.html"

    again = build.build_unit(YEAR, "Đơn vị B", params_file=params, out_dir=out, formats=("html",))
    assert json.loads((final / "manifest.json").read_text(encoding="utf-8"))["fingerprint"] == record["fingerprint"]
    result = build.build_year(YEAR, params_file=params, out_dir=out, formats=("html",), units=True)
    assert result.up_to_date and again["html"].is_file()


def test_a_sheet_of_a_unit_not_in_the_year_publishes_nothing(tmp_path, write_year):
    params = write_year(tmp_path, _rows({"Đơn vị A": 1}))
    with pytest.raises(SangkienError):
        build.build_unit(YEAR, "Đơn vị không có", params_file=params, out_dir=tmp_path / "out", formats=("html",))
    assert not (tmp_path / "out" / str(YEAR)).exists()
