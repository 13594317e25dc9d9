"""Batch builds (`build --all`) and incremental rebuilds: a year is rebuilt only when an input changed."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sangkien import paths
from sangkien.pipeline import batch, freshness
from sangkien.pipeline.build import build_year

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực", "Kết quả", "Số tiền làm lợi", "Điểm"]


def write_register(path: Path, years=(2022, 2023), extra_title: str = "") -> Path:
    rows = []
    for year in years:
        for i in range(3):
            rows.append([f"SK-{year}-{i}", year, f"Giải pháp {i}{extra_title}", f"Tác giả {i}", f"Đơn vị {i % 2}",
                         "Giáo dục", "Giáo dục", "Công nhận" if i else "Không công nhận", 1_000_000, 80])
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def write_params(folder: Path, year: int, data: Path, extra: str = "") -> Path:
    path = folder / f"{year}.yaml"
    path.write_text(f"year: {year}\ndata: {data}\nissue_date: {year + 1}-01-05\n{extra}", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- incremental rebuilds

@pytest.fixture(scope="module")
def year_built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    data = write_register(tmp / "so-dang-ky.csv")
    params = write_params(tmp, 2023, data)
    out = tmp / "out"
    first = build_year(2023, params_file=params, out_dir=out)
    assert not first.up_to_date
    return tmp, data, params, out


def _outputs_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "2023").iterdir())}


def test_unchanged_year_is_not_rebuilt(year_built):
    tmp, data, params, out = year_built
    before = _outputs_bytes(out)
    again = build_year(2023, params_file=params, out_dir=out)
    assert again.up_to_date and "không có gì thay đổi" in again.reason
    assert _outputs_bytes(out) == before
    assert again.outputs["pdf"] == out / "2023" / "bao-cao-2023.pdf"


def test_up_to_date_through_the_command_line(year_built):
    tmp, data, params, out = year_built
    completed = subprocess.run([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params),
                                "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr
    assert "không đổi" in completed.stderr and "--force" in completed.stderr
    assert "pdf: " in completed.stdout


CHANGES = [
    ("register", "sổ đăng ký"),
    ("params", "tệp tham số"),
    ("notebook", "sổ tay báo cáo"),
    ("formats", "tùy chọn dựng"),
    ("edited-output", "đã bị sửa"),
    ("missing-output", "bị thiếu"),
    ("force", "--force"),
]


def test_each_kind_of_change_rebuilds(tmp_path):
    """One change at a time on one published year: each rebuilds, naming the change; then it is up to date."""
    data = write_register(tmp_path / "so-dang-ky.csv")
    params = write_params(tmp_path, 2023, data)
    out = tmp_path / "out"
    kwargs = {"params_file": params, "out_dir": out, "formats": ("html",)}
    build_year(2023, **kwargs)
    for change, expected in CHANGES:
        if change == "register":
            write_register(data, extra_title=" (sửa)")
        elif change == "params":
            params.write_text(params.read_text(encoding="utf-8") + "doc_number: '12'\n", encoding="utf-8")
        elif change == "notebook":
            notebook = nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4)
            notebook.cells.append(nbformat.v4.new_markdown_cell("Một đoạn mới."))
            kwargs["notebook"] = tmp_path / "bao-cao-nam.ipynb"
            nbformat.write(notebook, str(kwargs["notebook"]))
        elif change == "formats":
            kwargs["formats"] = ("html", "pdf")
        elif change == "edited-output":
            html = out / "2023" / "bao-cao-2023.html"
            html.write_text(html.read_text(encoding="utf-8").replace("BÁO CÁO", "BÁO CÁO SỬA"), encoding="utf-8")
        elif change == "missing-output":
            (out / "2023" / "bao-cao-2023.html").unlink()
        result = build_year(2023, **kwargs, force=change == "force")
        assert not result.up_to_date, change
        assert expected in result.reason, (change, result.reason)
        assert build_year(2023, **kwargs).up_to_date, change  # and then it is up to date again


@pytest.fixture
def trees(tmp_path, monkeypatch):
    """The package, its templates and fonts, and the requirements, as copies the test may change."""
    package = tmp_path / "sangkien"
    (package / "templates").mkdir(parents=True)
    (package / "fonts").mkdir()
    (package / "build.py").write_text("# code\n")
    (package / "templates" / "report.css").write_text("body {}\n")
    (package / "fonts" / "Tinos-Regular.ttf").write_bytes(b"\0font")
    (tmp_path / "requirements.txt").write_text("papermill==1\n")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "PACKAGE", package)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", package / "templates")
    monkeypatch.setattr(paths, "FONTS_DIR", package / "fonts")
    data = write_register(tmp_path / "so-dang-ky.csv")
    from sangkien.inputs.params import load_params

    params = load_params(2023, write_params(tmp_path, 2023, data))
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    return tmp_path, params, notebook


@pytest.mark.parametrize("component, edit", [
    ("package", lambda t: (t / "sangkien" / "build.py").write_text("# other code\n")),
    ("package", lambda t: (t / "sangkien" / "new_module.py").write_text("x = 1\n")),
    ("templates", lambda t: (t / "sangkien" / "templates" / "report.css").write_text("body {color: red}\n")),
    ("fonts", lambda t: (t / "sangkien" / "fonts" / "Tinos-Regular.ttf").write_bytes(b"\0other")),
    ("requirements", lambda t: (t / "requirements.txt").write_text("papermill==2\n")),
])
def test_fingerprint_names_what_changed(trees, component, edit):
    tmp, params, notebook = trees
    before = freshness.fingerprint(params, [notebook], {"formats": ["html"]})
    (tmp / "sangkien" / "__pycache__").mkdir(exist_ok=True)
    (tmp / "sangkien" / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"cache")  # caches do not count
    assert freshness.fingerprint(params, [notebook], {"formats": ["html"]}) == before
    edit(tmp)
    after = freshness.fingerprint(params, [notebook], {"formats": ["html"]})
    assert [k for k in before if before[k] != after[k]] == [component]
    folder = tmp / "out"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"fingerprint": before, "files_sha256": {}}))
    state = freshness.check(folder, after)
    assert not state.up_to_date and freshness.WHAT[component] in state.reason


def test_source_date_epoch_is_an_option(trees, monkeypatch):
    tmp, params, notebook = trees
    before = freshness.fingerprint(params, [notebook], {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    after = freshness.fingerprint(params, [notebook], {})
    assert [k for k in before if before[k] != after[k]] == ["options"]


# ---------------------------------------------------------------------------- build --all

def test_all_years_one_failing(tmp_path):
    params_dir = tmp_path / "params"
    params_dir.mkdir()
    shutil.copy(paths.DEFAULTS_FILE, params_dir / "defaults.yaml")  # not a year: never built
    data = write_register(tmp_path / "so-dang-ky.csv", years=(2021, 2022, 2023))
    for year in (2022, 2023):
        write_params(params_dir, year, data)
    write_params(params_dir, 2030, data)  # no rows of 2030 in the register: exit 2
    out = tmp_path / "out"
    command = [sys.executable, "-c", "import sys; from sangkien.pipeline.batch import build_all; "
               f"sys.exit(build_all(out_dir={str(out)!r}, params_dir={str(params_dir)!r}, jobs=2, formats=('html',)))"]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 2, completed.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["2022", "2023", "index.html"]
    assert "2030: lỗi" in completed.stderr and "không có dòng nào của năm 2030" in completed.stderr
    summary = completed.stdout
    assert "2022  đã dựng" in summary and "2023  đã dựng" in summary and "2030  lỗi" in summary
    assert "Tổng: 2 năm đã dựng, 0 năm không đổi, 1 năm lỗi" in summary
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2023/bao-cao-2023.html"' in index and 'href="2022/bao-cao-2022.html"' in index
    assert "2030" not in index

    # the second run: nothing changed
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert "Tổng: 0 năm đã dựng, 2 năm không đổi, 1 năm lỗi" in completed.stdout


def test_all_jobs_must_be_positive():
    completed = subprocess.run([sys.executable, "-m", "sangkien", "build", "--all", "--jobs", "0"],
                               capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 2 and "--jobs" in completed.stderr


def test_index_escapes_and_orders(tmp_path):
    for year in (2021, 2023):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "manifest.json").write_text(json.dumps({
            "outputs": {"html": f"bao-cao-{year}.html", "pdf": f"bao-cao-{year}.pdf"},
            "figures": {"year": {"submitted": 1234, "recognized": 5}}}), encoding="utf-8")
    (tmp_path / "2022").mkdir()  # no manifest: not a published year
    (tmp_path / "2020").mkdir()  # a manifest someone edited: its text is printed, never live
    (tmp_path / "2020" / "manifest.json").write_text(json.dumps({
        "outputs": {"html": '"><script>alert(1)</script>.html'}, "figures": {}}), encoding="utf-8")
    page = batch.write_index(tmp_path).read_text(encoding="utf-8")
    assert page.index("Năm 2023") < page.index("Năm 2021") and "Năm 2022" not in page
    assert "1.234 sáng kiến đề nghị, 5 được công nhận" in page
    assert "<script" not in page and "&lt;script&gt;" in page


# ---------------------------------------------------------------------------- unit sheets

def test_units_build_one_sheet_per_unit_with_ascii_names(tmp_path):
    data = tmp_path / "so-dang-ky.csv"
    units = ["Trường THCS Lê Lợi / Hải An", "TRƯỜNG THCS LÊ LỢI - HẢI AN", "Sở Y tế <script>"]
    rows = [[f"SK-{i}", 2023, f"Giải pháp {i}", "Tác giả", unit, "Giáo dục", "Giáo dục",
             "Công nhận", 1_000_000, 80] for i, unit in enumerate(units)]
    rows.append(["SK-old", 2022, "Cũ", "Tác giả", "Đơn vị cũ", "Giáo dục", "Giáo dục", "Công nhận", "", 70])
    with open(data, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    params = write_params(tmp_path, 2023, data)
    out = tmp_path / "out"
    completed = subprocess.run([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params),
                                "--out", str(out), "--units", "--jobs", "2", "--to", "html"],
                               capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr
    folder = out / "2023" / "don-vi"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["index.html", "so-y-te-script.html", "truong-thcs-le-loi-hai-an-2.html",
                     "truong-thcs-le-loi-hai-an.html"], names
    assert all(name.isascii() for name in names)
    manifest = json.loads((out / "2023" / "manifest.json").read_text(encoding="utf-8"))
    assert {entry["unit"] for entry in manifest["units"].values()} == set(units)  # not the unit of 2022
    sheet = (folder / manifest["units"]["so-y-te-script"]["html"].split("/")[-1]).read_text(encoding="utf-8")
    assert "Sở Y tế &lt;script&gt;" in sheet and "<script>" not in sheet
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="so-y-te-script.html"' in index and "&lt;script&gt;" in index
    # the sheets are part of the year: up to date next time, rebuilt when one is missing
    state = freshness.check(out / "2023", json.loads((out / "2023" / "manifest.json").read_text())["fingerprint"])
    assert state.up_to_date
    (folder / "so-y-te-script.html").unlink()
    assert "bị thiếu" in freshness.check(out / "2023", manifest["fingerprint"]).reason


def test_sigterm_stops_every_worker_and_leaves_no_debris(tmp_path):
    import signal
    import time

    params_dir = tmp_path / "params"
    params_dir.mkdir()
    data = write_register(tmp_path / "so-dang-ky.csv", years=(2020, 2021, 2022, 2023))
    for year in (2020, 2021, 2022, 2023):
        write_params(params_dir, year, data)
    out = tmp_path / "out"
    code = ("import sys; from sangkien.cli import _stop_on_sigterm; from sangkien.pipeline.batch import build_all; "
            "_stop_on_sigterm(); "
            f"sys.exit(build_all(out_dir={str(out)!r}, params_dir={str(params_dir)!r}, jobs=2, formats=('html',)))")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    assert process.returncode != 0

    def state():
        return sorted(p.name for p in out.iterdir()) if out.exists() else []

    time.sleep(6)
    first = state()
    time.sleep(6)
    assert state() == first  # no worker goes on building after the stop
    assert not [name for name in first if name.startswith((".staging", ".old"))], first
    for name in first:
        if name.isdigit():
            assert (out / name / "manifest.json").is_file()  # a year is either whole or absent
