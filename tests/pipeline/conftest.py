"""Fixtures of the pipeline's tests.

Years built once and shared (session scope: a build costs seconds): ``small_year`` (a three-initiative
register) here, and ``sample_year`` (the sample register) in tests/conftest.py, shared with tests/report.
A test that changes a published year works on a copy (``copy_published``) or puts it back as it was.

Helpers, handed out as fixtures: ``write_year`` (a register and a parameters file in a folder),
``small_rows``, ``digests`` (the sha256 of every file of a folder), ``wait_for`` (poll, with a deadline,
for what a running build shows: a staging folder, a written file, a kernel) and ``stop_once_made`` (a
stop landing the instant a folder is made). The command line in this process is ``run_main`` of
tests/conftest.py.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import EDU, built_once
from registers import write_register_file

from sangkien.pipeline.build import build_year

YEAR = 2023


def _small_rows(titles=None, years=(YEAR,)) -> list[list]:
    """Three initiatives a year (two recognised), and one of the year before the first."""
    titles = titles or ["Giải pháp A", "Giải pháp B", "Giải pháp C"]
    rows = []
    for year in years:
        for i, title in enumerate(titles):
            rows.append([f"SK-{year}-{i}", year, title, f"Tác giả {i}; Đồng tác giả {i}", f"Đơn vị {i % 2}", EDU, EDU,
                         "Công nhận" if i % 3 else "Không công nhận", 5_000_000, 80])
    rows.append(["SK-old", years[0] - 1, "Giải pháp cũ", "Tác giả cũ", "Đơn vị 0", EDU, EDU, "Công nhận", "", 90])
    return rows


def _write_year(folder: Path, rows=None, year: int = YEAR, extra: str = "", data: Path | None = None) -> Path:
    """``folder/so-dang-ky.csv`` (``rows``, or the small rows of ``year``; unless ``data`` names a register
    already written) and ``folder/YEAR.yaml`` naming it; returns the parameters file."""
    if data is None:
        data = write_register_file(folder / "so-dang-ky.csv", rows if rows is not None else _small_rows(years=(year,)))
    params = folder / f"{year}.yaml"
    params.write_text(f"year: {year}\ndata: {data}\nissue_date: {year + 1}-01-05\ndoc_number: '7'\n{extra}",
                      encoding="utf-8")
    return params


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _wait_for(condition, process: subprocess.Popen | None = None, timeout: float = 120, what: str = ""):
    """Poll ``condition()`` until it is true and return its value; fail at the deadline, or when
    ``process`` ends first (it never showed what was awaited)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the process ended (status {process.returncode}) before {what or condition}: "
                        f"{process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            pytest.fail(f"not seen within {timeout} s: {what or condition}")
        time.sleep(0.02)


@pytest.fixture(scope="session")
def small_rows():
    return _small_rows


@pytest.fixture(scope="session")
def write_year():
    return _write_year


@pytest.fixture(scope="session")
def digests():
    return _digests


@pytest.fixture(scope="session")
def wait_for():
    return _wait_for


@pytest.fixture(scope="session")
def small_year(tmp_path_factory):
    """A small year (HTML, PDF and Word): folder, params, data, out, result, and the digests of its published
    files right after the build. Built once for the run (``built_once``: its register and parameters are
    shared, read only); each worker gets a copy of the output folder ``out`` of its own, which tests may
    build into again (up to date: the fingerprint names the inputs' paths, not the output's)."""

    def make(folder: Path):
        params = _write_year(folder)
        result = build_year(YEAR, params_file=params, out_dir=folder / "out")
        assert not result.up_to_date
        return params, result

    params, built = built_once(tmp_path_factory, "small-year-built", make)
    folder = tmp_path_factory.mktemp("small-year")
    out = folder / "out"
    shutil.copytree(built.folder.parent, out)
    result = replace(built, folder=out / str(YEAR), outputs={k: out / str(YEAR) / v.name for k, v in built.outputs.items()})
    return SimpleNamespace(folder=folder, params=params, data=params.parent / "so-dang-ky.csv", out=out, result=result,
                           digests=_digests(out / str(YEAR)))


@pytest.fixture
def copy_published(tmp_path):
    """``copy_published(out)``: a copy of the output folder ``out`` (its published years) to change freely."""

    def copy(out: Path) -> Path:
        target = tmp_path / "out"
        shutil.copytree(out, target)
        return target

    return copy


@pytest.fixture
def stop_once_made(monkeypatch):
    """``stop_once_made(prefix)``: from then on in the test, a folder whose name starts with ``prefix`` is
    made, and a stop (KeyboardInterrupt) lands at once — the instant before any block that removes it."""
    def patch(prefix: str) -> None:
        make = Path.mkdir

        def made_then_stopped(self, *args, **kwargs):
            make(self, *args, **kwargs)
            if self.name.startswith(prefix):
                raise KeyboardInterrupt

        monkeypatch.setattr(Path, "mkdir", made_then_stopped)

    return patch


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """A PKI made for the run (``signing.make_pki``): a CA, signers' .p12 files, a time-stamping authority."""
    import signing

    return signing.make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def tsa(pki):
    """An RFC 3161 time-stamping service on 127.0.0.1 for the run (``signing.time_stamping_service``)."""
    import signing

    with signing.time_stamping_service(pki) as service:
        yield service
