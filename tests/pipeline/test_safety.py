"""Nothing lost, nothing injected: hostile text, reproducible bytes, no network, kills and races.

Kills and races act on what a running build shows (its staging folder, the files it writes there), not
after fixed delays; the published year the kills keep is the shared ``small_year``, the one two builds at
once keep is a copy of the network-blocked build's (which is also the build found holding its lock)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import psutil
import pytest
from pypdf import PdfReader

from sangkien.errors import BuildLockedError
from sangkien.pipeline import stage
from sangkien.pipeline.build import build_year

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = {
    "script": "<script>alert('x')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "jslink": "[bấm vào](javascript:alert(1))",
    "jinja": "{{ 7*7 }} {% if true %}ĐÚNG{% endif %}",
    "math": "$x^2 + y^2$",
    "emphasis": "**đậm** _nghiêng_",
    "heading": "# Tiêu đề giả",
    "pipes": "| a | b |",
}


def start(params: Path, out: Path, *more: str, env: dict | None = None, stdout=subprocess.DEVNULL,
          group: bool = False) -> subprocess.Popen:
    """``python -m sangkien build 2023 --params PARAMS --out OUT --force MORE`` started in a new interpreter
    (with ``group``, leading a process group of its own, as a shell runs a command)."""
    return subprocess.Popen([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params), "--out", str(out),
                             "--force", *more], cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
                            start_new_session=group)


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.bad = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src") and value and not value.startswith(("#", "data:image/png", "http", "mailto")):
                self.bad.append(f"{tag} {name}={value[:30]}")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, write_year, small_rows):
    """A year whose register and sections hold hostile text, built with SOURCE_DATE_EPOCH set (the page and
    the PDF: the tests read nothing else)."""
    tmp = tmp_path_factory.mktemp("hostile")
    texts = list(HOSTILE.values())
    rows = small_rows(texts)
    for row in rows:
        row[7] = "Công nhận"  # titles, authors and units are printed in the appendix of recognised ones
    rows[1][3] = HOSTILE["script"] + "; " + HOSTILE["jinja"]  # authors
    rows[2][4] = HOSTILE["img"]  # a unit name
    sections = "sections:\n  context: |\n" + "".join(
        f"    {line}\n" for line in [
            "Đoạn có <b>thẻ HTML</b> và <script>alert(2)</script>.", "",
            "[liên kết độc](javascript:alert(3)) và [liên kết tốt](https://skhcn.haiphong.gov.vn)", "",
            "Công thức $a+b$ và {{ config }} giữ nguyên.", "", "- **Ưu điểm:** tốt"])
    params = write_year(tmp, rows, extra=sections)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14/11/2023
        result = build_year(2023, params_file=params, out_dir=tmp / "out", formats=("html", "pdf"))  # what is read
    page = result.outputs["html"].read_text(encoding="utf-8")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(str(result.outputs["pdf"])).pages)
    return page, " ".join(pdf_text.split())


@pytest.mark.slow
def test_hostile_text_is_never_live_markup(hostile_build):
    page, _ = hostile_build
    scan = _Scan()
    scan.feed(page)
    assert "script" not in scan.tags
    assert scan.bad == []
    assert 'href="javascript' not in page  # the links are shown as the text they were written as
    assert "<p>[liên kết độc](javascript:alert(3)) và " in page and "[bấm vào](javascript:alert(1))</td>" in page
    assert '<a href="https://skhcn.haiphong.gov.vn">liên kết tốt</a>' in page
    assert "<b>thẻ HTML</b>" not in page and "&lt;b&gt;thẻ HTML&lt;/b&gt;" in page


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_printed_literally_in_pdf(hostile_build, name):
    _, pdf_text = hostile_build
    text = " ".join(HOSTILE[name].split())
    assert text in pdf_text, name


@pytest.mark.slow
def test_templates_and_math_not_evaluated(hostile_build):
    page, pdf_text = hostile_build
    # {{ 7*7 }} stays as written: no "49" standing alone (hashes in the appendix may hold the digits)
    assert "{{ 7*7 }} {% if true %}ĐÚNG{% endif %}" in pdf_text
    assert not re.search(r"(?<![\w/.,])49(?![\w/.,])", pdf_text)
    assert "{{ config }}" in pdf_text and "$a+b$" in pdf_text
    assert "mathjax" not in page.lower()


@pytest.mark.slow
def test_source_date_epoch_sets_the_stated_date(hostile_build):
    page, _ = hostile_build
    assert "Ngày lập: 14/11/2023" in page  # not the issue date of the parameters (05/01/2024)


SITECUSTOMIZE = '''
import os, socket
_real_connect = socket.socket.connect
def _refuse(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        with open(os.environ["SANGKIEN_NET_LOG"], "a") as log:
            log.write(repr(address) + "\\n")
        raise OSError("network blocked by the test")
    return _real_connect(self, address)
socket.socket.connect = _refuse
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("network blocked by the test"))
'''


@pytest.fixture(scope="module")
def blocked_build(small_year, tmp_path_factory, wait_for):
    """The small year built again by the command line in a new interpreter whose every network connection
    is refused and logged, from a working folder outside the repository into a relative ``--out``; while it
    runs (its staging folder made), this process tries to take the year's lock: ``refused``, the problems
    of the BuildLockedError it met (None if it got the lock)."""
    tmp = tmp_path_factory.mktemp("blocked")
    blocker = tmp / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp / "net.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(blocker), str(ROOT), os.environ.get("PYTHONPATH")])),
           "SANGKIEN_NET_LOG": str(log), "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    process = subprocess.Popen([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(small_year.params),
                                "--out", "out"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp, env=env)
    out = tmp / "out"
    wait_for(lambda: list(out.glob(".staging-2023-*")), process, what="the build's staging folder")
    refused = None
    try:
        with stage.year_lock(out, 2023):
            pass
    except BuildLockedError as exc:
        refused = exc.problems
    _, err = process.communicate(timeout=180)
    return SimpleNamespace(returncode=process.returncode, stderr=err, log=log, out=out, folder=out / "2023",
                           params=small_year.params, refused=refused)


@pytest.mark.slow
def test_build_makes_no_network_request(blocked_build):
    assert blocked_build.returncode == 0, blocked_build.stderr
    assert not blocked_build.log.exists(), blocked_build.log.read_text()
    assert (blocked_build.folder / "bao-cao-2023.pdf").exists()


@pytest.mark.slow
def test_same_inputs_same_bytes(small_year, blocked_build, digests):
    assert blocked_build.returncode == 0, blocked_build.stderr
    again = digests(blocked_build.folder)
    for name in ("bao-cao-2023.html", "bao-cao-2023.pdf", "bao-cao-2023.docx", "danh-sach-cong-nhan-2023.csv",
                 "danh-sach-cong-nhan-2023.xlsx"):
        assert again[name] == small_year.digests[name], name


def test_bad_data_through_build_same_lines_as_check(tmp_path, write_year, small_rows, run_main):
    rows = small_rows()
    rows[0][1] = "hai nghìn"
    rows[1][5] = "Khối lạ"
    rows[2][8] = "-5"
    params = write_year(tmp_path, rows)
    data = tmp_path / "so-dang-ky.csv"
    before = data.read_bytes()
    out = tmp_path / "out"
    built = run_main("build", 2023, "--params", params, "--out", out)
    checked = run_main("check", data, "--params", params)
    assert built[0] == 3 and checked[0] == 3
    assert built[2] == checked[2] and len(built[2].splitlines()) == 3
    assert not out.exists() and data.read_bytes() == before


def test_yaml_syntax_error_names_the_line(tmp_path, run_main):
    params = tmp_path / "2023.yaml"
    params.write_text("year: 2023\ndata: x.csv\nsections:\n  context: [chưa đóng\n", encoding="utf-8")
    status, _, err = run_main("build", 2023, "--params", params, "--out", tmp_path / "out")
    assert status == 2
    assert "dòng" in err and "YAML" in err
    assert len(err.strip().splitlines()) == 1


def _kernels(process: subprocess.Popen) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(process.pid).children(recursive=True) if "ipykernel_launcher" in p.cmdline()]
    except psutil.Error:  # ended meanwhile
        return []


STAGES = {  # what a running build shows at each stage before publishing
    "kernel": lambda out, process: list(out.glob(".staging-2023-*")) and _kernels(process),  # the notebook running
    "pdf": lambda out, process: list(out.glob(".staging-2023-*/bao-cao-2023.html")),  # the page written, the PDF not
}


STOPS = [  # (stage, signal, sent to the whole process group as a terminal or a scheduler does)
    ("kernel", signal.SIGTERM, False), ("kernel", signal.SIGINT, True), ("pdf", signal.SIGTERM, True),
    # a kill at any stage leaves a staging folder that the next build clears by the same path (clean_stale,
    # no journal): the latest stage, its folder holding the page, stands for them all
    ("pdf", signal.SIGKILL, False),
]


@pytest.mark.slow
@pytest.mark.parametrize("stage_name, sig, group", STOPS, ids=[f"{s}-{g.name}{'-group' if p else ''}" for s, g, p in STOPS])
def test_stopped_build_leaves_published_year_untouched(small_year, digests, wait_for, tmp_path, run_main,
                                                      stage_name, sig, group):
    """A build stopped at a given stage, before publishing: the published year is byte for byte the one
    before. The stopped build had other inputs (another SOURCE_DATE_EPOCH), so its year would differ.
    Ctrl-C and SIGTERM unwind: exit 130 or 143, one line, no kernel, staging folder or temporary file left."""
    out = small_year.out
    before = digests(out / "2023")
    temporary = tmp_path / "t"
    temporary.mkdir()
    process = start(small_year.params, out, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000",
                                                 "TMPDIR": str(temporary)}, group=group)
    seen = wait_for(lambda: STAGES[stage_name](out, process), process, what=f"the {stage_name} stage")
    if group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert digests(out / "2023") == before
    left = sorted(p.name for p in out.iterdir())
    if sig != signal.SIGKILL:  # unwinds: the kernel shut down, the staging folder removed, one line
        assert (process.returncode, err) == (128 + sig, "đã dừng theo yêu cầu\n")
        if stage_name == "kernel":
            assert not psutil.wait_procs(seen, timeout=30)[1]
        assert left == [".locks", "2023"]
        assert list(temporary.iterdir()) == []
    else:  # killed outright: its staging folder stays until the next build of the year clears it
        assert process.returncode == -signal.SIGKILL
        assert len(left) == 3 and left[1].startswith(".staging-2023-"), left
        status, _, err = run_main("build", 2023, "--params", small_year.params, "--out", out)
        assert status == 0, err
        assert "không đổi" in err  # up to date: debris cleared all the same
        assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


STOPPED_RUN = """
import os, signal, sys, threading, time
from pathlib import Path
import psutil
from sangkien.inputs.params import Params
from sangkien.pipeline.processes import execute

def stop_once_the_cell_runs():
    me = psutil.Process()
    while not (kernels := [c for c in me.children(recursive=True) if "ipykernel_launcher" in c.cmdline()]):
        time.sleep(0.02)
    print(*(k.pid for k in kernels), flush=True)
    if sys.argv[3] == "booting":
        time.sleep(0.3)
    else:  # the cell running: it made its file
        while not Path(sys.argv[3]).exists():
            time.sleep(0.02)
    os.kill(os.getpid(), signal.SIGINT)

signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as in a terminal, even when the tests run
# with SIGINT ignored (a job started in the background by a shell without job control: then it was lost)
threading.Thread(target=stop_once_the_cell_runs, daemon=True).start()
try:
    execute.run_notebook(Path(sys.argv[1]), Path(sys.argv[2]), Params(2023, Path("x.csv"), files=(Path("p.yaml"),)))
except KeyboardInterrupt:
    print("stopped", file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize("when", ["booting", "running"])  # (before this fix: files left; a traceback)
def test_a_run_stopped_while_its_kernel_works_prints_nothing_and_leaves_nothing(tmp_path, when):
    """Ctrl-C while a cell runs: nbclient's polling tasks, abandoned on the event loop, fail once the kernel
    is gone ("Kernel died while waiting for execute reply.", then a DeadKernelError traceback when they are
    collected, as the issue saw); none of it reaches the terminal, and the kernel, its sockets and its
    connection file are gone. The same 0.3 s after the kernel started, as it boots. (The cell says it runs
    with a file: the stop lands while it runs however slow the machine, not after a guessed delay.)"""
    running = tmp_path / "running"
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(f"import pathlib, time\npathlib.Path({str(running)!r}).touch()\n"
                                                "for _ in range(600):\n    time.sleep(0.05)")]
    nbformat.write(notebook, str(tmp_path / "slow.ipynb"))
    temporary = tmp_path / "t"
    temporary.mkdir()
    completed = subprocess.run([sys.executable, "-c", STOPPED_RUN, str(tmp_path / "slow.ipynb"), str(tmp_path / "out.ipynb"),
                                when if when == "booting" else str(running)], capture_output=True, text=True,
                               cwd=ROOT, timeout=120,
                               env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT)})
    assert completed.stderr == "stopped\n"
    assert list(temporary.iterdir()) == []
    kernels = [int(pid) for pid in completed.stdout.split()]
    assert kernels and not [pid for pid in kernels if psutil.pid_exists(pid)]


@pytest.mark.slow
def test_two_builds_of_one_year_at_once(blocked_build, digests, tmp_path, run_main):
    """While a build of the year runs, its lock is held: a second build stops at once, with one line. The
    build running is ``blocked_build``'s (another interpreter), which this process found locked; the
    second build is the command line's, here, while this process holds the lock of a copy of that year."""
    assert blocked_build.refused == [f"một lần dựng báo cáo năm 2023 khác đang chạy ({blocked_build.out}); hãy đợi nó xong"]
    assert blocked_build.returncode == 0, blocked_build.stderr
    said = blocked_build.stderr.splitlines()  # the build, then what its draft lacks (issue 20)
    assert said[0] == "2023: đã dựng — chưa có báo cáo nào được dựng cho năm này", blocked_build.stderr
    assert said[1].startswith("2023: DỰ THẢO") and len(said) <= 3, blocked_build.stderr
    out = tmp_path / "out"
    shutil.copytree(blocked_build.out, out)
    before = digests(out / "2023")

    with stage.year_lock(out, 2023):  # a build of the year running: the command line's second build
        second = run_main("build", 2023, "--params", blocked_build.params, "--out", out, "--force")
    assert second == (1, "", f"một lần dựng báo cáo năm 2023 khác đang chạy ({out}); hãy đợi nó xong\n")
    assert digests(out / "2023") == before
    assert set(before) == {"bao-cao-2023.html", "bao-cao-2023.pdf", "bao-cao-2023.docx", "bao-cao-2023.ipynb",
                           "manifest.json", "danh-sach-cong-nhan-2023.csv", "danh-sach-cong-nhan-2023.xlsx"}
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]
