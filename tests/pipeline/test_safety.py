"""Nothing lost, nothing injected: hostile text, reproducible bytes, no network, kills and races."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực", "Kết quả", "Số tiền làm lợi", "Điểm"]

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


def run(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "sangkien", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def write_year(tmp: Path, rows: list[list], sections: str = "", extra: str = "") -> Path:
    data = tmp / "so-dang-ky.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    params = tmp / "2023.yaml"
    params.write_text(f"year: 2023\ndata: {data}\nissue_date: 2024-01-05\ndoc_number: '7'\n{extra}{sections}",
                      encoding="utf-8")
    return params


def small_rows(title_texts=None) -> list[list]:
    titles = title_texts or ["Giải pháp A", "Giải pháp B", "Giải pháp C"]
    rows = []
    for i, title in enumerate(titles):
        rows.append([f"SK-{i}", 2023, title, f"Tác giả {i}; Đồng tác giả {i}", f"Đơn vị {i % 2}",
                     "Giáo dục", "Giáo dục", "Công nhận" if i % 3 else "Không công nhận", 5_000_000, 80])
    rows.append(["SK-old", 2022, "Giải pháp cũ", "Tác giả cũ", "Đơn vị 0", "Giáo dục", "Giáo dục", "Công nhận", "", 90])
    return rows


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
def hostile_build(tmp_path_factory):
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
    params = write_year(tmp, rows, sections)
    completed = run("build", 2023, "--params", params, "--out", tmp / "out")
    assert completed.returncode == 0, completed.stderr
    folder = tmp / "out" / "2023"
    page = (folder / "bao-cao-2023.html").read_text(encoding="utf-8")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(str(folder / "bao-cao-2023.pdf")).pages)
    return page, " ".join(pdf_text.split())


def test_hostile_text_is_never_live_markup(hostile_build):
    page, _ = hostile_build
    scan = _Scan()
    scan.feed(page)
    assert "script" not in scan.tags
    assert scan.bad == []
    assert "javascript:" not in page.split("<body>", 1)[1].replace("&#40;", "(") or "href=\"javascript" not in page
    assert 'href="javascript' not in page
    assert '<a href="https://skhcn.haiphong.gov.vn">liên kết tốt</a>' in page
    assert "<b>thẻ HTML</b>" not in page and "&lt;b&gt;thẻ HTML&lt;/b&gt;" in page


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_printed_literally_in_pdf(hostile_build, name):
    _, pdf_text = hostile_build
    text = " ".join(HOSTILE[name].split())
    assert text in pdf_text, name


def test_templates_and_math_not_evaluated(hostile_build):
    page, pdf_text = hostile_build
    # {{ 7*7 }} stays as written: no "49" standing alone (hashes in the appendix may hold the digits)
    assert "{{ 7*7 }}" in " ".join(pdf_text.split()) or "{{7*7}}" in pdf_text
    assert not re.search(r"(?<![\w/.,])49(?![\w/.,])", pdf_text)
    assert "{{ config }}" in pdf_text and "$a+b$" in pdf_text
    assert "mathjax" not in page.lower()


def test_same_inputs_same_bytes(tmp_path):
    params = write_year(tmp_path, small_rows())
    for out in ("a", "b"):
        completed = run("build", 2023, "--params", params, "--out", tmp_path / out)
        assert completed.returncode == 0, completed.stderr
    a, b = digests(tmp_path / "a" / "2023"), digests(tmp_path / "b" / "2023")
    assert a["bao-cao-2023.html"] == b["bao-cao-2023.html"]
    assert a["bao-cao-2023.pdf"] == b["bao-cao-2023.pdf"]


def test_source_date_epoch_sets_the_stated_date(tmp_path):
    params = write_year(tmp_path, small_rows())
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # 14/11/2023
    completed = run("build", 2023, "--params", params, "--out", tmp_path / "out", "--to", "html", env=env)
    assert completed.returncode == 0, completed.stderr
    assert "Ngày lập: 14/11/2023" in (tmp_path / "out" / "2023" / "bao-cao-2023.html").read_text(encoding="utf-8")


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


def test_build_makes_no_network_request(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": str(blocker), "SANGKIEN_NET_LOG": str(log),
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    params = write_year(tmp_path, small_rows())
    completed = run("build", 2023, "--params", params, "--out", tmp_path / "out", env=env)
    assert completed.returncode == 0, completed.stderr
    assert not log.exists(), log.read_text()
    assert (tmp_path / "out" / "2023" / "bao-cao-2023.pdf").exists()


def test_bad_data_through_build_same_lines_as_check(tmp_path):
    rows = small_rows()
    rows[0][1] = "hai nghìn"
    rows[1][5] = "Khối lạ"
    rows[2][8] = "-5"
    params = write_year(tmp_path, rows)
    data = tmp_path / "so-dang-ky.csv"
    before = data.read_bytes()
    out = tmp_path / "out"
    built = run("build", 2023, "--params", params, "--out", out)
    checked = run("check", data, "--params", params)
    assert built.returncode == 3 and checked.returncode == 3
    assert built.stderr == checked.stderr and len(built.stderr.splitlines()) == 3
    assert not out.exists() and data.read_bytes() == before


def test_yaml_syntax_error_names_the_line(tmp_path):
    params = tmp_path / "2023.yaml"
    params.write_text("year: 2023\ndata: x.csv\nsections:\n  context: [chưa đóng\n", encoding="utf-8")
    completed = run("build", 2023, "--params", params, "--out", tmp_path / "out")
    assert completed.returncode == 2
    assert "dòng" in completed.stderr and "YAML" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    params = write_year(tmp, small_rows())
    completed = run("build", 2023, "--params", params, "--out", tmp / "out")
    assert completed.returncode == 0, completed.stderr
    return tmp, params, tmp / "out"


@pytest.mark.parametrize("delay", [0.3, 1.5, 3.0, 5.0])
def test_killed_build_leaves_published_year_untouched(published, delay):
    tmp, params, out = published
    before = digests(out / "2023")
    process = subprocess.Popen([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params),
                                "--out", str(out), "--force"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = digests(out / "2023")
    # killed before publishing: the old year; killed after: the new one, complete (same inputs, same bytes)
    assert {k: v for k, v in after.items() if k.endswith((".html", ".pdf"))} == \
        {k: v for k, v in before.items() if k.endswith((".html", ".pdf"))}
    assert set(after) == set(before)


def test_next_build_cleans_debris_of_a_killed_one(published):
    tmp, params, out = published
    process = subprocess.Popen([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params),
                                "--out", str(out), "--force"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    completed = run("build", 2023, "--params", params, "--out", out)  # up to date: debris cleaned all the same
    assert completed.returncode == 0, completed.stderr
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


def test_sigterm_cleans_up(published):
    tmp, params, out = published
    process = subprocess.Popen([sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params),
                                "--out", str(out), "--force"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2.5)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]


def test_two_builds_of_one_year_at_once(published):
    tmp, params, out = published
    command = [sys.executable, "-m", "sangkien", "build", "2023", "--params", str(params), "--out", str(out), "--force"]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=300) + (p.returncode,) for p in (first, second)]
    codes = sorted(r[2] for r in results)
    assert codes in ([0, 0], [0, 1]), results
    if codes == [0, 1]:
        loser = next(r for r in results if r[2] == 1)
        assert "đang chạy" in loser[1]
    files = digests(out / "2023")
    assert set(files) == {"bao-cao-2023.html", "bao-cao-2023.pdf", "bao-cao-2023.ipynb", "manifest.json",
                          "danh-sach-cong-nhan-2023.csv"}
    assert sorted(p.name for p in out.iterdir()) == [".locks", "2023"]
