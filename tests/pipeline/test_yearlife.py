"""The year's life (contract section 3): the state in the manifest, ``status``, a signed year closed on
every path (the command, the API, ``--jobs``, ``--scheduler local``, one unit's sheet), ``--reopen
--reason`` keeping the signed file under ``luu-tru/``, and a build keeping the unit sheets.

The signed years here are copies of the session's sample year with a signature recorded as ``sign``
records it (the file's bytes are not a real signature: the rule reads the manifest)."""
from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import tree
from signing import copy_year

import sangkien
from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.pipeline import manifest, yearstate

pytestmark = pytest.mark.slow  # the session's sample year is built with a kernel


def _sign_copy(sample_year, out: Path) -> Path:
    """A copy of the sample year under ``out`` recorded as signed (what ``sign`` writes into the manifest)."""
    folder = copy_year(sample_year, out)
    data = (folder / "bao-cao-2023.pdf").read_bytes() + b"%signed\n"
    (folder / "bao-cao-2023-da-ky.pdf").write_bytes(data)
    record = manifest.published(folder)
    record["outputs"]["signed"] = "bao-cao-2023-da-ky.pdf"
    record["state"] = "signed"
    record["signed"] = {"file": "bao-cao-2023-da-ky.pdf", "sha256": hashlib.sha256(data).hexdigest(),
                        "of": "bao-cao-2023.pdf", "signer": "Nguyễn Văn Mẫu", "time": "2024-01-15T09:00:00+07:00"}
    manifest.store(folder, record)
    return folder


@pytest.fixture
def signed_out(sample_year, tmp_path) -> Path:
    _sign_copy(sample_year, tmp_path / "out")
    return tmp_path / "out"


def test_build_records_the_state(sample_year):
    _, result = sample_year
    assert result.manifest["state"] == "draft"  # the sample's signer and sections are left empty
    assert "signer.name" in result.manifest["missing"]
    assert yearstate.state_of(result.manifest) == "draft"


def test_signed_year_unchanged_is_kept_saying_so(signed_out, run_main):
    before = tree(signed_out / "2023")
    status, out, err = run_main("build", "2023", "--out", str(signed_out))
    assert status == 0, err
    assert "2023: đã ký, không đổi — bao-cao-2023-da-ky.pdf (Nguyễn Văn Mẫu" in err
    # the reason printed is true: nothing named as changed
    assert "đã thay đổi" not in err and "tùy chọn dựng" not in err and "sổ tay báo cáo" not in err
    assert tree(signed_out / "2023") == before


def test_signed_year_forced_is_refused_naming_the_file_and_reopen(signed_out, run_main):
    before = tree(signed_out / "2023")
    status, _, err = run_main("build", "2023", "--out", str(signed_out), "--force")
    assert status == 2
    assert "bao-cao-2023-da-ky.pdf" in err and "--reopen --reason" in err
    assert tree(signed_out / "2023") == before


def test_signed_year_with_changed_inputs_is_refused(signed_out, tmp_path, run_main):
    params = tmp_path / "2023.yaml"  # the same parameters elsewhere: the build's options change
    shutil.copy(paths.PARAMS_DIR / "2023.yaml", params)
    before = tree(signed_out / "2023")
    status, _, err = run_main("build", "2023", "--out", str(signed_out), "--params", str(params))
    assert status == 2
    assert "năm 2023 đã ký số" in err and "đã thay đổi: tùy chọn dựng" in err and "--reopen" in err
    assert tree(signed_out / "2023") == before


def test_no_units_says_so(signed_out, run_main):
    status, _, err = run_main("build", "2023", "--out", str(signed_out), "--no-units")
    assert status == 0, err
    assert err.startswith("không dựng phiếu đơn vị (--no-units)")


def test_signed_year_through_the_api(signed_out):
    result = sangkien.build_year(2023, out=signed_out)
    assert result.up_to_date and result.reason.startswith("đã ký, không đổi")
    with pytest.raises(ParamsError, match="--reopen"):
        sangkien.build_year(2023, out=signed_out, force=True)


def test_signed_year_refuses_a_unit_sheet(signed_out):
    before = tree(signed_out / "2023")
    unit = sangkien.units_of_year(2023)[0]
    with pytest.raises(ParamsError, match="đã ký số"):
        sangkien.build_unit(2023, unit, out=signed_out)
    assert tree(signed_out / "2023") == before


def test_reopen_moves_the_signed_file_and_manifest_into_the_archive(signed_out):
    folder = signed_out / "2023"
    signed_bytes = (folder / "bao-cao-2023-da-ky.pdf").read_bytes()
    archive = yearstate.reopen(signed_out, 2023, "sửa số liệu của một đơn vị")
    assert archive.parent == folder / "luu-tru"
    assert (archive / "bao-cao-2023-da-ky.pdf").read_bytes() == signed_bytes
    assert not (folder / "bao-cao-2023-da-ky.pdf").exists()
    kept = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    assert kept["signed"]["file"] == "bao-cao-2023-da-ky.pdf"
    assert "sửa số liệu của một đơn vị" in (archive / "ly-do.txt").read_text(encoding="utf-8")
    now = manifest.published(folder)
    assert "signed" not in now and "signed" not in now["outputs"] and now["state"] != "signed"
    assert now["reopened"][0]["reason"] == "sửa số liệu của một đơn vị"
    assert yearstate.reopen(signed_out, 2023, "lần nữa") is None  # no longer signed


def test_the_archive_is_named_by_the_office_s_clock_whatever_the_machine_s(monkeypatch):
    """On a machine set to UTC, the archive's time is the office's (Hà Nội, UTC+7, the parameters' timezone):
    at 23:30 UTC on 31/12 the office's folder already says 1/1 of the next year."""
    import time
    import zoneinfo

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        office, machine = yearstate.office_now("Asia/Ho_Chi_Minh"), yearstate.office_now("")
        assert office.utcoffset() == datetime.timedelta(hours=7) and machine.utcoffset() == datetime.timedelta(0)
        assert yearstate.office_now("Châu Á/Không có").utcoffset() == datetime.timedelta(0)  # unknown: the machine's
        assert office.tzinfo == zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("args", [["--reopen"], ["--reason", "x"], ["--units", "--no-units"]])
def test_reopen_options_checked(args, run_main, tmp_path):
    status, _, err = run_main("build", "2023", "--out", str(tmp_path / "out"), *args)
    assert status == 2 and "lệnh không hợp lệ" in err
    assert not (tmp_path / "out").exists()


def test_status_of_a_signed_year(signed_out, run_main):
    [row] = sangkien.status(2023, out=signed_out)
    assert row.state == "signed" and row.rows == 81 and not row.changed and row.missing == []
    status, out, err = run_main("status", "2023", "--out", str(signed_out))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].split()[0] == "Năm"
    assert lines[1].startswith("2023") and "đã ký" in lines[1] and "pdf" in lines[1]


def test_status_of_a_draft_and_of_a_year_never_built(sample_year, tmp_path, run_main):
    out, _ = sample_year
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    rows = {r.year: r for r in sangkien.status(out=out)}
    assert rows[2023].state == "draft" and "người ký" in rows[2023].missing
    assert rows[2022].state is None and rows[2022].missing[0] == "dựng: build 2022"
    status, _, err = run_main("status", "2031", "--out", str(out), "--params-dir", str(params_dir))
    assert status == 2 and "new-year 2031" in err


def test_kept_units(tmp_path):
    from sangkien.pipeline.build import kept_units

    folder = tmp_path / "2023"
    folder.mkdir()
    assert kept_units(tmp_path, 2023, False) is False
    manifest.store(folder, {"year": 2023, "outputs": {"pdf": "a.pdf"}, "units": {"x": {"unit": "X"}}})
    assert kept_units(tmp_path, 2023, False) is True
    assert kept_units(tmp_path, 2023, None) is False  # --no-units
    manifest.store(folder, {"year": 2023, "outputs": {}, "units": {"x": {"unit": "X"}}})  # sheets built alone
    assert kept_units(tmp_path, 2023, False) is False


def test_signed_year_passed_by_in_a_batch(sample_year, tmp_path, capfd):
    out = tmp_path / "out"
    _sign_copy(sample_year, out)
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    shutil.copy(paths.PARAMS_DIR / "2023.yaml", params_dir / "2023.yaml")  # elsewhere: its inputs changed
    before = tree(out / "2023")
    assert sangkien.build_all(out=out, params_dir=params_dir, jobs=1) == 0
    assert tree(out / "2023") == before
    [line] = [line for line in capfd.readouterr().err.splitlines() if line.startswith("2023:")]
    assert "không đổi" in line and "đã ký, để nguyên" in line and "--reopen" in line  # one line


def test_signed_year_passed_by_on_a_local_cluster(sample_year, tmp_path, capfd):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    _sign_copy(sample_year, out)
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    shutil.copy(paths.PARAMS_DIR / "2023.yaml", params_dir / "2023.yaml")
    before = tree(out / "2023")
    assert sangkien.build_all(out=out, params_dir=params_dir, scheduler="local", jobs=1) == 0
    assert "2023: không đổi" in capfd.readouterr().err
    assert tree(out / "2023") == before


FILLED = """sections:
  context: Bối cảnh của năm.
  assessment: Đánh giá chung.
  direction: "- Nhiệm vụ năm tới."
  recommendations: Kiến nghị.
"""


def test_a_year_from_start_to_archive(tmp_path, write_year, small_rows, pki, run_main, monkeypatch):
    """Issue 20's "done when", through the command line: new-year, check, a draft with the unit notices,
    the version to sign (the notices kept), sign, ``build --all`` passing the signed year by, a change
    refused until ``--reopen``, which keeps the signed file under ``luu-tru/``; ``status`` at each step."""
    pytest.importorskip("uharfbuzz")
    from signing import PASSWORD, PASSWORD_ENV, SIGNER

    params_dir, out = tmp_path / "params", tmp_path / "out"
    params_dir.mkdir()
    write_year(params_dir, small_rows(years=(2025, 2026)), year=2025)
    assert run_main("new-year", 2026, "--params-dir", params_dir)[0] == 0
    params = params_dir / "2026.yaml"
    assert run_main("check", params_dir / "so-dang-ky.csv", "--params", params)[0] == 0

    def state(year=2026):
        status, text, err = run_main("status", year, "--out", out, "--params-dir", params_dir)
        assert status == 0, err
        return text.splitlines()[1]

    assert "chưa dựng" in state()
    build = ("build", 2026, "--params", params, "--out", out, "--to", "html,pdf")
    status, _, err = run_main(*build, "--units")
    assert status == 0, err
    assert "2026: DỰ THẢO" in err and "phần I. Đặc điểm tình hình" in err
    assert "…" not in err and "%|" not in err  # not a terminal: no step, no bar
    assert "dự thảo" in state() and "người ký" in state()
    notices = sorted(p.name for p in (out / "2026" / "don-vi").iterdir())

    text = params.read_text(encoding="utf-8")
    text = text.replace('doc_number: ""', 'doc_number: "15"').replace("issue_date:\n", "issue_date: 2027-01-08\n")
    text = text.replace('signer:\n  name: ""', f"signer:\n  name: {SIGNER}")
    params.write_text(text.split("\n# Các phần do chuyên viên viết")[0] + "\n" + FILLED, encoding="utf-8")
    status, _, err = run_main(*build, "--final")
    assert status == 0, err
    assert "DỰ THẢO" not in err
    assert sorted(p.name for p in (out / "2026" / "don-vi").iterdir()) == notices  # the notices kept
    assert "bản để ký" in state() and "chữ ký số" in state()

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    status, signed, err = run_main("sign", out / "2026" / "bao-cao-2026.pdf", "--p12", pki.valid,
                                   "--password-env", PASSWORD_ENV)
    assert status == 0, err
    signed = Path(signed.strip())
    assert "đã ký" in state()
    assert sangkien.build_all(out=out, formats=["html", "pdf"], params_dir=params_dir, jobs=1) == 0
    record = manifest.published(out / "2026")
    assert record["state"] == "signed" and record["signed"]["file"] == signed.name and record["units"]
    assert sorted(p.name for p in (out / "2026" / "don-vi").iterdir()) == notices

    params.write_text(params.read_text(encoding="utf-8").replace('"15"', '"16"'), encoding="utf-8")
    status, _, err = run_main(*build)
    assert status == 2 and signed.name in err and "--reopen" in err and "tệp tham số" in err
    assert "đầu vào đã đổi" in state()
    status, _, err = run_main(*build, "--reopen", "--reason", "văn thư cấp lại số")
    assert status == 0, err
    [archive] = (out / "2026" / "luu-tru").iterdir()
    assert (archive / signed.name).is_file() and (archive / "manifest.json").is_file()
    assert not signed.exists() and "bản để ký" in state()
    assert sorted(p.name for p in (out / "2026" / "don-vi").iterdir()) == notices
