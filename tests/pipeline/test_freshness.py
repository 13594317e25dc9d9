"""Is a published year up to date? The fingerprint of a build's inputs and the check against the
published manifest, on temporary trees: every kind of change is named, nothing is built."""
from __future__ import annotations

import json

import pytest

from sangkien import paths
from sangkien.inputs.params import load_params
from sangkien.pipeline import freshness


@pytest.fixture
def trees(tmp_path, monkeypatch, write_year):
    """The package, its templates and fonts, and the requirements, as copies the test may change; a
    year's register and parameters; a notebook."""
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
    params_file = write_year(tmp_path)
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    return tmp_path, load_params(2023, params_file), notebook


def _changed(before: dict, after: dict) -> list[str]:
    return [k for k in before if k != "option_values" and before[k] != after[k]]  # the options' digest says it


def _publish(folder, fingerprint, outputs: dict[str, bytes] | None = None):
    """A published year in ``folder``: ``outputs`` and a manifest recording them and ``fingerprint``."""
    folder.mkdir()
    for name, data in (outputs or {}).items():
        (folder / name).write_bytes(data)
    (folder / "manifest.json").write_text(json.dumps({"fingerprint": fingerprint,
                                                      "files_sha256": freshness.file_digests(folder)}))


@pytest.mark.parametrize("component, edit", [
    ("package", lambda t: (t / "sangkien" / "build.py").write_text("# other code\n")),
    ("package", lambda t: (t / "sangkien" / "new_module.py").write_text("x = 1\n")),
    ("templates", lambda t: (t / "sangkien" / "templates" / "report.css").write_text("body {color: red}\n")),
    ("fonts", lambda t: (t / "sangkien" / "fonts" / "Tinos-Regular.ttf").write_bytes(b"\0other")),
    ("requirements", lambda t: (t / "requirements.txt").write_text("papermill==2\n")),
    ("register", lambda t: (t / "so-dang-ky.csv").write_text((t / "so-dang-ky.csv").read_text() + "\n")),
    ("notebook", lambda t: (t / "n.ipynb").write_text('{"cells": []}')),
])
def test_fingerprint_names_what_changed(trees, component, edit):
    tmp, params, notebook = trees
    before = freshness.fingerprint(params, [notebook], {"formats": ["html"]})
    (tmp / "sangkien" / "__pycache__").mkdir(exist_ok=True)
    (tmp / "sangkien" / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"cache")  # caches do not count
    assert freshness.fingerprint(params, [notebook], {"formats": ["html"]}) == before
    edit(tmp)
    after = freshness.fingerprint(params, [notebook], {"formats": ["html"]})
    assert _changed(before, after) == [component]
    folder = tmp / "out"
    _publish(folder, before)
    state = freshness.check(folder, after)
    assert not state.up_to_date and state.reason == "đã thay đổi: " + freshness.WHAT[component]


def test_parameters_are_an_input(trees, write_year):
    tmp, params, notebook = trees
    before = freshness.fingerprint(params, [notebook], {})
    edited = load_params(2023, write_year(tmp, extra="doc_symbol: BC-KHCN\n", data=tmp / "so-dang-ky.csv"))
    assert _changed(before, freshness.fingerprint(edited, [notebook], {})) == ["params"]


def test_source_date_epoch_is_an_option(trees, monkeypatch):
    tmp, params, notebook = trees
    before = freshness.fingerprint(params, [notebook], {})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    after = freshness.fingerprint(params, [notebook], {})
    assert _changed(before, after) == ["options"]
    folder = tmp / "out"
    _publish(folder, before)
    assert freshness.check(folder, after).reason == "đã thay đổi: tùy chọn dựng (SOURCE_DATE_EPOCH)"


def test_a_build_is_fingerprinted_with_its_notebook_formats_and_unit_sheets(trees):
    tmp, params, notebook = trees
    register = freshness.sha256_file(params.data)
    html_and_pdf = freshness.of_build(params, register, notebook, ("pdf", "html"), False)
    assert html_and_pdf == {**freshness.fingerprint(params, [notebook], {"formats": ["html", "pdf"], "units": False}),
                            "unit_notebook": ""}
    assert freshness.of_build(params, register, notebook, ("html", "pdf"), False) == html_and_pdf  # order aside
    assert _changed(html_and_pdf, freshness.of_build(params, register, notebook, ("html",), False)) == ["options"]
    other = tmp / "other.ipynb"
    other.write_text('{"other": 1}')
    assert _changed(html_and_pdf, freshness.of_build(params, register, other, ("html", "pdf"), False)) == ["notebook"]
    # the unit sheets: their notebook is an input too, named as such (the report's notebook did not change)
    with_units = freshness.of_build(params, register, notebook, ("html", "pdf"), True)
    assert _changed(html_and_pdf, with_units) == ["options", "unit_notebook"]
    folder = tmp / "out"
    _publish(folder, with_units)
    assert freshness.check(folder, html_and_pdf).reason == (  # --no-units: only what did change
        "đã thay đổi: sổ tay thông báo đơn vị, tùy chọn dựng (phiếu đơn vị (--units, --no-units))")


def test_check_of_the_published_outputs(trees):
    tmp, params, notebook = trees
    current = freshness.fingerprint(params, [notebook], {})
    folder = tmp / "out"
    assert freshness.check(folder, current).reason == "chưa có báo cáo nào được dựng cho năm này"
    _publish(folder, current, {"a.html": b"<p>a</p>", "b.pdf": b"%PDF"})
    state = freshness.check(folder, current)
    assert state.up_to_date and state.manifest["fingerprint"] == current
    assert "không có gì thay đổi" in state.reason
    (folder / "a.html").write_bytes(b"<p>edited</p>")
    assert freshness.check(folder, current).reason == "tệp kết quả a.html đã bị sửa sau lần dựng trước"
    (folder / "a.html").unlink()
    assert freshness.check(folder, current).reason == "tệp kết quả a.html bị thiếu"


@pytest.mark.parametrize("manifest, reason", [
    ("{not json", "manifest.json của lần dựng trước không đọc được"),
    ('{"files_sha256": {}}', "lần dựng trước không ghi dấu vân tay đầu vào (phiên bản cũ)"),
    (None, "manifest.json của lần dựng trước thiếu mã băm của các tệp kết quả"),
])
def test_a_manifest_that_cannot_vouch_for_the_year(trees, manifest, reason):
    tmp, params, notebook = trees
    current = freshness.fingerprint(params, [notebook], {})
    folder = tmp / "out"
    folder.mkdir()
    text = manifest if manifest is not None else json.dumps({"fingerprint": current})
    (folder / "manifest.json").write_text(text)
    state = freshness.check(folder, current)
    assert not state.up_to_date and state.reason == reason
