"""The outputs as exporters (:mod:`sangkien.pipeline.exporters`): the names a build writes, the formats
``--to`` offers, the unit sheets' formats and what is made beside the PDF all read from one registry;
each exporter writes its file into a folder from the report's :class:`~sangkien.pipeline.exporters.Source`."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from sangkien import cli, inputs
from sangkien.pipeline import exporters, unitsheets
from sangkien.report import annex, document
from sangkien.report.edition import edition_of

REPORT_FILES = ["bao-cao-2023.ipynb", "danh-sach-cong-nhan-2023.xlsx", "danh-sach-cong-nhan-2023.csv"]
"""What every build of 2023 writes, whatever its formats (manifest.json aside)."""


def test_file_names_are_the_files_a_build_writes():
    assert exporters.file_names(2023, ("html", "pdf", "docx")) == REPORT_FILES + [
        "bao-cao-2023.html", "bao-cao-2023.pdf", "bao-cao-2023.docx"]
    assert exporters.file_names(2023, ("docx", "html")) == REPORT_FILES + ["bao-cao-2023.docx", "bao-cao-2023.html"]
    assert exporters.file_names(2023, ("pdf", "html"), ["so-y-te", "truong-x"]) == REPORT_FILES + [
        "bao-cao-2023.pdf", "bao-cao-2023.html", "don-vi/index.html",
        "don-vi/so-y-te.pdf", "don-vi/so-y-te.html", "don-vi/truong-x.pdf", "don-vi/truong-x.html"]
    assert exporters.file_names(2023, ("docx",), []) == REPORT_FILES + ["bao-cao-2023.docx", "don-vi/index.html"]


def test_the_lists_of_formats_derive_from_the_registry():
    assert cli.FORMATS == exporters.FORMATS == ("html", "pdf", "docx")
    assert exporters.OUTPUTS == ("notebook", "annex", "annex_csv", "html", "pdf", "docx")
    assert unitsheets.SHEET_FORMATS == exporters.SHEET_FORMATS == ("html", "pdf")
    assert unitsheets.sheet_formats(("docx", "pdf")) == ("pdf",)
    assert [e.key for e in exporters.REGISTRY if e.beside_pdf] == ["docx"]
    assert [e.key for e in exporters.REGISTRY if e.without_page] == ["annex", "annex_csv"]
    assert [e.key for e in exporters.of_build(("docx",))] == ["notebook", "annex", "annex_csv", "docx"]


@pytest.fixture(scope="module")
def sample_source():
    params, register = inputs.load(2023)
    return exporters.Source("<p>.</p>", params, register, edition_of(params))


def test_the_annexes_are_written_into_a_folder(sample_source, tmp_path):
    source = sample_source
    name = exporters.by_key("annex_csv").write(source, tmp_path)
    assert name == annex.csv_name(2023) and (tmp_path / name).read_bytes().startswith(b"\xef\xbb\xbfSTT")
    assert (tmp_path / name).read_bytes() == annex.recognized_csv(source.rows, source.params.blocks).encode("utf-8-sig")
    name = exporters.by_key("annex").write(source, tmp_path)
    data = (tmp_path / name).read_bytes()
    assert name == annex.file_name(2023)
    assert data == annex.recognized_workbook(source.rows, source.params, document.appendix_subtitle(source.params),
                                             source.edition.made_on)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {entry.date_time[:3] for entry in package.infolist()} == {source.edition.made_on.timetuple()[:3]}


def test_a_unit_sheet_is_written_in_its_formats_only(tmp_path):
    assert exporters.write_sheet("<p>x</p>", tmp_path, "so-y-te", ("docx", "html")) == {"html": "so-y-te.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so-y-te.html"]
    assert (tmp_path / "so-y-te.html").read_text(encoding="utf-8") == "<p>x</p>"


def test_the_annexes_made_while_the_kernel_runs_are_the_annexes_made_from_the_page():
    """The thread that works while the kernel runs makes the outputs that need no page (render.ahead): the same
    bytes as each exporter makes from the report's Source once the page is there."""
    from sangkien.pipeline import render

    params, register = inputs.load(2023)
    edition = edition_of(params)
    with render.ahead(register, True, ("html",), params, edition) as early:
        pass
    early.join()
    source = exporters.Source("<html>the page</html>", params, register, edition)
    assert early.result == {e.key: (e.file_name(2023), e.make(source)) for e in exporters.REGISTRY if e.without_page}
    assert set(early.result) == {"annex", "annex_csv"}
    with render.ahead(register, True, ("html",)) as early:  # no parameters: nothing made ahead
        pass
    assert early.result == {}


@pytest.mark.slow
def test_the_annexes_a_forked_copy_makes_are_the_threads(monkeypatch):
    """Where a fork is sound (Linux, two cores, no other thread working: ``forked.sound``), a forked copy of the
    build makes the annexes from the moment the inputs are valid (render.made_aside), and the thread leaves
    them to it (render_report takes them once the PDF is laid out): the same bytes as the thread makes itself,
    and the build process never makes the register's frame for them. Where it is not (a Dask worker's
    threads, ``SANGKIEN_ONE_CORE``), nothing is forked."""
    from sangkien.pipeline import render
    from sangkien.pipeline.processes import forked

    params, register = inputs.load(2023)
    edition = edition_of(params)
    monkeypatch.setattr(forked, "sound", lambda: True)
    assert render.made_aside(params, register, ("html",), edition) is None  # the sample: a fork costs more
    monkeypatch.setattr(render, "ASIDE_FROM", len(register))
    aside = render.made_aside(params, register, ("html",), edition)
    assert aside is not None
    with render.ahead(register, True, ("html",), params, edition, aside) as early:
        pass
    early.join()
    assert early.result == {}  # not waited for by the thread
    made = aside.result()
    assert aside.pid is None  # the child is over and waited for
    assert "frame" not in register.cache
    assert set(made) == {"annex", "annex_csv"}
    monkeypatch.setattr(forked, "sound", lambda: False)
    assert render.made_aside(params, register, ("html",), edition) is None
    with render.ahead(register, True, ("html",), params, edition) as alone:
        pass
    alone.join()
    assert made == alone.result


def test_a_fork_is_sound_beside_the_progress_lines_only(monkeypatch):
    import threading

    from sangkien.inputs import halves
    from sangkien.pipeline import progress
    from sangkien.pipeline.processes import forked

    monkeypatch.setattr(halves, "can_fork", lambda alone=True: not alone)
    stop = threading.Event()
    for name, sound in ((progress.THREAD, True), ("a library's", False)):
        thread = threading.Thread(target=stop.wait, name=name, daemon=True)
        monkeypatch.setattr(threading, "enumerate", lambda t=thread: [threading.main_thread(), t])
        assert forked.sound() is sound
    stop.set()


@pytest.mark.slow
def test_a_build_publishes_the_annexes_its_forked_copy_made_as_its_thread_makes_them(sample_year, tmp_path,
                                                                                     monkeypatch):
    """A build whose annexes a forked copy makes (a large register: here the sample, the threshold lowered)
    takes them from it once the PDF is laid out (render_report): published and recorded in the manifest, the
    same bytes as a build whose thread made them (the sample year's)."""
    from sangkien.pipeline import render
    from sangkien.pipeline.build import build_year
    from sangkien.pipeline.processes import forked

    made_aside, asides = render.made_aside, []
    monkeypatch.setattr(forked, "sound", lambda: True)
    monkeypatch.setattr(render, "ASIDE_FROM", 0)
    monkeypatch.setattr(render, "made_aside", lambda *args: asides.append(made_aside(*args)) or asides[-1])
    result = build_year(2023, out_dir=tmp_path)
    assert asides and asides[0] is not None and asides[0].pid is None
    _, alone = sample_year
    for kind in ("annex", "annex_csv"):
        assert result.outputs[kind].name == alone.outputs[kind].name
        assert result.outputs[kind].read_bytes() == alone.outputs[kind].read_bytes()
    recorded = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert hashlib.sha256(result.outputs["annex"].read_bytes()).hexdigest() in json.dumps(recorded)
