"""``build --all --scheduler``: the years (and the unit sheets) as tasks on a Dask cluster of two worker
processes, one cluster shared by the module's tests; the client publishes with the rules of every build."""
from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import nbformat
import psutil
import pytest
from batches import build_all_command, write_years
from conftest import tree

import sangkien
import sangkien.errors
from sangkien import paths
from sangkien.pipeline import cluster

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dask_address():
    """The address of a local cluster of two worker processes (one thread each), for the whole module, with
    the settings ``--scheduler local`` starts its cluster with (``cluster.QUIET``: no profiler sampling the
    workers' stacks, which took CPU from the builds and from the other tests running meanwhile)."""
    import dask

    with dask.config.set(cluster.QUIET), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", memory_limit=0) as local:
        yield local.scheduler_address


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_cluster_publishes_what_jobs_publishes(tmp_path, write_year, small_rows, run_main, monkeypatch,
                                                   dask_address, digests, capsys):
    """One year with its two units' sheets (the report's task and one task per unit, the cluster having two
    threads), published as ``--jobs`` publishes it. Several years on the cluster at once, one failing:
    test_a_failing_year_and_a_lost_worker."""
    params_dir = write_years(tmp_path, write_year, small_rows, (2023,))
    monkeypatch.setattr(paths, "PARAMS_DIR", params_dir)
    jobs, dask = tmp_path / "jobs", tmp_path / "dask"
    status, _, err = run_main("build", "--all", "--out", jobs, "--jobs", 2, "--to", "html", "--units")
    assert status == 0, err
    status, summary, err = run_main("build", "--all", "--out", dask, "--scheduler", dask_address, "--to", "html",
                                         "--units")
    assert status == 0, err
    assert err.startswith(f"dựng 1 năm (2023–2023) trên cụm Dask {dask_address} (2 tiến trình tính toán)\n"), err
    assert "2023: đã dựng" in err
    assert "2023  đã dựng" in summary and "2023/bao-cao-2023.html" in summary
    assert "Tổng: 1 năm đã dựng, 0 năm không đổi, 0 năm lỗi" in summary
    assert sorted(tree(dask)) == sorted(tree(jobs))  # the year, its unit sheets, the index; no staging folder left
    assert {"2023/don-vi/don-vi-0.html", "2023/don-vi/don-vi-1.html"} <= set(tree(dask))  # two tasks' sheets
    made, expected = _manifest(dask / "2023"), _manifest(jobs / "2023")
    for key in ("outputs", "inputs", "figures", "units", "fingerprint"):
        assert made[key] == expected[key], key
    notebook = "bao-cao-2023.ipynb"  # Papermill records times and paths in it: the only file that differs
    assert made["files_sha256"].pop(notebook) != expected["files_sha256"].pop(notebook)
    assert made["files_sha256"] == expected["files_sha256"]  # the pages, annex and sheets byte for byte
    assert set(made["timings_s"]) == set(expected["timings_s"])
    assert (dask / "index.html").read_bytes() == (jobs / "index.html").read_bytes()

    # nothing changed (through the API): the year up to date, decided by the client, nothing rewritten
    before = digests(dask / "2023")
    capsys.readouterr()
    assert sangkien.build_all(out=dask, formats=["html"], units=True, params_dir=params_dir, scheduler=dask_address) == 0
    assert "Tổng: 0 năm đã dựng, 1 năm không đổi, 0 năm lỗi" in capsys.readouterr().out
    assert digests(dask / "2023") == before


BREAKING_CELL = """\
import os, pathlib, signal
if year == 2021:
    raise ValueError("ô hỏng có chủ ý")
if year == 2023 and not pathlib.Path({marker!r}).exists():
    pathlib.Path({marker!r}).write_text(str(os.getppid()))
    os.kill(os.getppid(), signal.SIGKILL)  # the worker running this task: gone midway
    os._exit(0)
"""


def _breaking_notebook(folder: Path, marker: Path) -> Path:
    """The yearly notebook with a cell after the parameters that fails in 2021 and, the first time only,
    kills the worker process building 2023."""
    notebook = nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    notebook.cells.insert(at + 1, nbformat.v4.new_code_cell(BREAKING_CELL.format(marker=str(marker))))
    target = folder / "bao-cao-nam.ipynb"
    nbformat.write(notebook, str(target))
    return target


@pytest.mark.slow
def test_a_failing_year_and_a_lost_worker(tmp_path, write_year, small_rows, run_main, monkeypatch, dask_address):
    """2021's cell fails (exit 4, its notebook kept here, nothing of it published); the worker building 2023
    is killed midway: the task runs again on another worker and 2023 is published whole; 2022 as always."""
    params_dir = write_years(tmp_path, write_year, small_rows, (2021, 2022, 2023))
    marker = tmp_path / "killed"
    monkeypatch.setattr(paths, "PARAMS_DIR", params_dir)
    monkeypatch.setattr(paths, "REPORT_NOTEBOOK", _breaking_notebook(tmp_path, marker))
    out = tmp_path / "out"
    status, summary, err = run_main("build", "--all", "--out", out, "--scheduler", dask_address, "--to", "html")
    assert status == 4, err
    killed = int(marker.read_text())
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE
    assert "2021: lỗi" in err and "ValueError: ô hỏng có chủ ý" in err
    failed = out / "_failed" / "2021" / "bao-cao-2021.ipynb"
    assert f"2021: sổ tay đã chạy được giữ lại để xem lỗi: {failed}" in err and failed.is_file()
    assert "Tổng: 2 năm đã dựng, 0 năm không đổi, 1 năm lỗi" in summary
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2022", "2023", "_failed", "index.html"]
    for year in ("2022", "2023"):
        manifest = _manifest(out / year)
        assert sorted(manifest["files_sha256"]) + ["manifest.json"] == sorted(tree(out / year))
        index = (out / "index.html").read_text(encoding="utf-8")
        assert f'href="{year}/bao-cao-{year}.html"' in index


def test_an_address_that_is_not_one(run_main, tmp_path):
    status, _, err = run_main("build", "--all", "--scheduler", "máy chủ:8786", "--out", tmp_path / "out")
    assert status == 2 and "không phải địa chỉ bộ lập lịch Dask" in err and "tcp://máy:8786" in err
    assert not (tmp_path / "out" / "2023").exists()


def test_no_scheduler_answering(run_main, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    status, _, err = run_main("build", "--all", "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "out")
    assert status == 1, err
    assert err.startswith("không kết nối được tới bộ lập lịch Dask tcp://127.0.0.1:9 sau 1s"), err


def test_scheduler_only_with_all(run_main, tmp_path):
    status, _, err = run_main("build", "2023", "--scheduler", "local", "--out", tmp_path / "out")
    assert (status, err) == (2, "lệnh không hợp lệ: --scheduler chỉ dùng cùng --all\n")
    status, _, err = run_main("build", "--all", "--scheduler", "tcp://h:8786", "--jobs", "2")
    assert status == 2 and "--jobs chỉ đi cùng --scheduler local" in err


@pytest.mark.slow
def test_sigterm_cancels_the_tasks_and_publishes_nothing_half(tmp_path, write_year, small_rows, wait_for,
                                                              dask_address):
    """SIGTERM while the cluster builds: the command stops (exit 143), the staging folders are removed,
    the tasks cancelled (the cluster goes idle), and a year is either whole or absent."""
    params_dir = write_years(tmp_path, write_year, small_rows, (2020, 2021, 2022, 2023))
    out = tmp_path / "out"
    process = subprocess.Popen(build_all_command(params_dir, "--out", str(out), "--scheduler", dask_address, "--to",
                                                 "html"), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    wait_for(lambda: len(list(out.glob(".staging-*"))) == 4, process, what="four years sent")
    with distributed.Client(dask_address) as client:
        wait_for(lambda: sum(map(len, client.processing().values())) == 2, process, what="both workers building")
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
        wait_for(lambda: not any(client.processing().values()), what="the cluster idle")
    assert process.returncode == 143 and err.endswith("đã dừng theo yêu cầu\n"), err
    left = sorted(p.name for p in out.iterdir())
    assert not [name for name in left if name.startswith((".staging", ".old"))], left
    for name in left:
        if name.isdigit():
            assert (out / name / "manifest.json").is_file()


def test_jobs_with_a_remote_scheduler_is_refused_by_the_api_too(tmp_path):
    """The API refuses what the command line refuses (one check, in the batch): ``jobs`` sets the worker
    processes of a local cluster only; nothing is tried, no scheduler reached."""
    with pytest.raises(sangkien.errors.ParamsError, match="--jobs chỉ đi cùng --scheduler local"):
        sangkien.build_all(out=tmp_path / "out", jobs=2, scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_final_holds_on_the_cluster(tmp_path, write_year, small_rows, dask_address, capsys):
    """``final`` on a cluster is planned as on every path: a year whose sections are empty fails there
    (exit 2, naming each), before any task goes out, and nothing of it is published."""
    params_dir = write_years(tmp_path, write_year, small_rows, (2023,))
    out = tmp_path / "out"
    capsys.readouterr()
    assert sangkien.build_all(out=out, formats=["html"], params_dir=params_dir, scheduler=dask_address, final=True) == 2
    err = capsys.readouterr().err
    assert "2023: lỗi" in err and "sections.context" in err and "--final: chưa dựng bản để ký" in err
    assert not (out / "2023").exists()
