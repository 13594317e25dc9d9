"""Benchmark of reading and checking a large register (not a test: it prints timings, asserts nothing).

    .venv/bin/python benchmarks/bench_check.py [--rows 100000] [--repeat 3] [--keep DIR]

Generates a register of ROWS initiatives in a temporary folder (generation is not timed) three ways:
.xlsx with shared strings (as Excel saves a workbook), .xlsx with inline strings (as openpyxl's
write-only mode saves one: a sheet about three times larger, the slow case) and .csv (UTF-8 with
BOM); then measures for each:

- ``read_register`` in this process (median of REPEAT runs);
- ``python -m sangkien check FILE`` as a user runs it: wall time (median of REPEAT runs) and the
  child's peak memory (``ru_maxrss`` from ``os.wait4``, the largest of the runs).

The goal (issue): ``check`` of 100,000 rows in at most 3 s and under 1 GB on a 2-core machine.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sangkien.inputs.params import default_blocks  # noqa: E402
from sangkien.inputs.register import read_register  # noqa: E402

HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
          "Kết quả", "Số tiền làm lợi", "Điểm"]
FIELDS = ["Giáo dục", "Y tế", "Nông nghiệp", "Hành chính công", "Công nghệ thông tin", "Xây dựng",
          "Môi trường", "Giao thông", "Tài chính", "Văn hóa - Xã hội"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Tâm", "Trang"]
TITLES = ["Giải pháp nâng cao hiệu quả {x} tại {u}", "Ứng dụng công nghệ số trong {x} ở {u}",
          "Cải tiến quy trình {x} trên địa bàn {u}", "Một số biện pháp đổi mới công tác {x} của {u}"]
TOPICS = ["quản lý hồ sơ", "dạy học môn Toán", "tiếp nhận thủ tục hành chính", "chăm sóc người bệnh",
          "bảo vệ môi trường", "quản lý tài sản công", "bồi dưỡng học sinh giỏi", "tổ chức giao thông"]


def make_rows(n: int, blocks: tuple[str, ...]) -> list[list]:
    """n valid rows over 2016–2023; ~300 units, each under one block; amounts as Excel numbers."""
    rng = random.Random(20240105)
    units = [(f"Đơn vị số {i} {rng.choice(GIVEN)}", blocks[i % len(blocks)]) for i in range(300)]
    rows = []
    for i in range(n):
        unit, block = rng.choice(units)
        year = 2016 + i * 8 // n
        result = rng.choices(["Công nhận", "Không công nhận", "Đang xét"], weights=[6, 3, 1])[0]
        authors = "; ".join(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                            for _ in range(rng.randint(1, 4)))
        amount = rng.randrange(1, 3000) * 1_000_000 if rng.random() < 0.5 else None
        rows.append([f"SK-{year}-{i:06d}", year, rng.choice(TITLES).format(x=rng.choice(TOPICS), u=unit),
                     authors, unit, block, rng.choice(FIELDS), result, amount, round(rng.uniform(40, 99), 1)])
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ đăng ký")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def write_xlsx_shared(path: Path, rows: list[list]) -> None:
    """A minimal workbook laid out as Excel saves one: every text once in xl/sharedStrings.xml."""
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    lines = []
    for r, row in enumerate([HEADER] + rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>'))
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
                   f'xmlns:r="{rel}"><sheets><sheet name="Sổ đăng ký" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                   f'<sheetData>{"".join(lines)}</sheetData></worksheet>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" '
                   f'count="{len(strings)}" uniqueCount="{len(strings)}">'
                   + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>")


def write_csv(path: Path, rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def time_read(path: Path, blocks, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        register = read_register(path, blocks)
        times.append(time.perf_counter() - start)
        assert len(register) > 0
    return statistics.median(times)


# Runs each `check` and measures it. A child's ru_maxrss starts from its parent's peak (fork copies it),
# so the children are started by this small process, not by the benchmark that holds 100,000 rows.
LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    argv, cwd = json.loads(line)
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                      err.decode("utf-8", "replace")[:2000]]), flush=True)
"""


def start_launcher() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, encoding="utf-8")


def time_check(launcher: subprocess.Popen, path: Path, repeat: int) -> tuple[float, float, int]:
    """Median wall time (s), the largest peak memory of the child (MiB), exit status."""
    times, peaks, status = [], [], None
    for _ in range(repeat):
        launcher.stdin.write(json.dumps([[sys.executable, "-m", "sangkien", "check", str(path)], str(ROOT)]) + "\n")
        launcher.stdin.flush()
        wall, maxrss_kib, status, err = json.loads(launcher.stdout.readline())
        if status != 0:
            print(f"check {path.name} exited {status}:\n{err}", file=sys.stderr)
        times.append(wall)
        peaks.append(maxrss_kib / 1024)  # Linux: KiB
    return statistics.median(times), max(peaks), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the registers here and keep them")
    args = parser.parse_args()

    blocks = default_blocks()
    launcher = start_launcher()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        rows = make_rows(args.rows, blocks)
        files = {"xlsx (shared strings, as Excel saves)": folder / "so-dang-ky.xlsx",
                 "xlsx (inline strings, as openpyxl saves)": folder / "so-dang-ky-inline.xlsx",
                 "csv": folder / "so-dang-ky.csv"}
        write_xlsx_shared(files["xlsx (shared strings, as Excel saves)"], rows)
        write_xlsx(files["xlsx (inline strings, as openpyxl saves)"], rows)
        write_csv(files["csv"], rows)
        del rows
        print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s (not counted)", file=sys.stderr)

        results = []
        for fmt, path in files.items():
            read_s = time_read(path, blocks, args.repeat)
            check_s, peak_mib, status = time_check(launcher, path, args.repeat)
            results.append((fmt, path.stat().st_size / 2**20, read_s, check_s, peak_mib, status))
    launcher.stdin.close()
    launcher.wait()

    print(f"`check` of {args.rows:,} rows — Python {platform.python_version()}, {os.cpu_count()} CPU, "
          f"median of {args.repeat}; goal ≤ 3 s and < 1 GB\n")
    print("| format | file (MiB) | read_register (s) | `sangkien check` wall (s) | check peak RSS (MiB) | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for fmt, size, read_s, check_s, peak, status in results:
        print(f"| {fmt} | {size:.1f} | {read_s:.2f} | {check_s:.2f} | {peak:.0f} | {status} |")


if __name__ == "__main__":
    main()
