"""Benchmark of reading and checking a large register (not a test: it prints timings, asserts nothing).

    .venv/bin/python benchmarks/bench_check.py [--rows 100000] [--repeat 3] [--keep DIR]

Generates a register of ROWS initiatives as .xlsx (openpyxl, write-only mode) and as .csv (UTF-8 with
BOM) in a temporary folder (generation is not timed), then measures for each format:

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

from sangkien.params import default_blocks  # noqa: E402
from sangkien.register import read_register  # noqa: E402

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
        assert len(register.frame) > 0
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
        files = {"xlsx": folder / "so-dang-ky.xlsx", "csv": folder / "so-dang-ky.csv"}
        write_xlsx(files["xlsx"], rows)
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
