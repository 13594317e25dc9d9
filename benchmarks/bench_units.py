"""Benchmark (not a test) of unit sheets, measured side by side in one run (issue 14, deliverable 1).

    .venv/bin/python benchmarks/bench_units.py [--units 500] [--quick]

1. The marginal cost of one more unit sheet: for the sample year with the most units, ``build YEAR
   --units --jobs 2 --force`` between two runs of the same build without ``--units`` (a year's full build,
   ``build YEAR --force``); (with units − without) / units, as a share of the year's build.
   Goal: at most 0.05×.
2. A generated province (a register of UNITS distinct units in one year, and the four years before; a
   parameters file of its own, in a temporary folder): ``build 2024 --units --jobs 2 --force``.
   Goal: under 300 s for 500 units.

Commands are run as a user runs them (``python -m sangkien ...``), wall clock, in fresh temporary output
folders. ``table_rows(quick=True)`` builds a generated province of 4 units only, to check that the
benchmark runs.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
          "Kết quả", "Số tiền làm lợi", "Điểm"]
BLOCKS = ("Giáo dục và Đào tạo", "Sở, ban, ngành", "Huyện, thị xã", "Doanh nghiệp")
KINDS = {"Giáo dục và Đào tạo": "Trường THCS", "Sở, ban, ngành": "Phòng", "Huyện, thị xã": "UBND xã",
         "Doanh nghiệp": "Công ty"}
FIELDS = ("Giáo dục", "Y tế", "Nông nghiệp", "Cơ khí", "Hành chính công", "Công nghệ thông tin", "Xây dựng")
PLACES = ("An Bình", "Đông Hòa", "Ân Thi", "Ứng Hòa", "Tân Lập", "Phú Xuân", "Hòa Mỹ", "Yên Lạc", "Kim Sơn",
          "Thạch Bàn", "Quảng Phú", "Nghĩa Đô")
NAMES = ("Lê Văn An", "Trần Thị Bình", "Phạm Quốc Cường", "Đỗ Thu Dung", "Vũ Minh Đức", "Hoàng Thị Giang")
TOPICS = ("quản lý hồ sơ", "dạy học trực tuyến", "tiếp nhận phản ánh", "bảo trì thiết bị", "tiết kiệm năng lượng")
YEAR = 2024
FIRST_YEAR = 2020


def province_rows(units: int, seed: int = 14) -> list[list]:
    """A register where each of ``units`` distinct units puts forward 1–5 initiatives in YEAR (and 0–4 in
    each year since FIRST_YEAR)."""
    rng = random.Random(seed)
    names = [(BLOCKS[i % len(BLOCKS)], f"{KINDS[BLOCKS[i % len(BLOCKS)]]} {PLACES[i % len(PLACES)]} số {i + 1}")
             for i in range(units)]
    rows = []
    for year in range(FIRST_YEAR, YEAR + 1):
        for block, unit in names:
            for _ in range(rng.randint(1, 5) if year == YEAR else rng.randint(0, 4)):
                result = rng.choices(["Công nhận", "Không công nhận", "Đang xét"], weights=[7, 3, 1])[0]
                amount = rng.randrange(1, 900) * 1_000_000 if rng.random() < 0.5 else ""
                rows.append([f"PV-{year}-{len(rows):06d}", year, f"Giải pháp {rng.choice(TOPICS)} tại {unit}",
                             "; ".join(rng.sample(NAMES, rng.randint(1, 3))), unit, block, rng.choice(FIELDS),
                             result, amount, round(rng.uniform(50, 98), 1)])
    return rows


def write_province(folder: Path, units: int) -> Path:
    """The register (CSV) and the parameters file of a generated province in ``folder``; the parameters file."""
    data = folder / "so-dang-ky-tinh.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *province_rows(units)])
    params = folder / f"tinh-{YEAR}.yaml"
    params.write_text(
        f"year: {YEAR}\ndata: {data}\nparent_body: UBND TỈNH THỬ NGHIỆM\nissuing_body: SỞ KHOA HỌC VÀ CÔNG NGHỆ\n"
        f"place: Thử Nghiệm\ndoc_symbol: BC-SKHCN\nperiod_start: {FIRST_YEAR}\nsample_data: true\nblocks:\n"
        + "".join(f"  - {b}\n" for b in BLOCKS), encoding="utf-8")
    return params


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(*args: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the build, its workers and its kernels: each is waited for)
    of ``python -m sangkien build ARGS --force --out TMP`` (into a fresh temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="bench-units-") as out:
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "sangkien", "build", *args, "--force", "--out", out],
                              cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"sangkien build {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, cpu


def busiest_year() -> tuple[int, int]:
    """The sample year with the most units, and how many."""
    from sangkien import inputs
    from sangkien.figures import frame, units_of_year

    counts = {}
    for path in sorted((ROOT / "params").glob("[0-9][0-9][0-9][0-9].yaml")):
        params, register = inputs.load(int(path.stem))
        counts[params.year] = len(units_of_year(frame(register), params.year))
    year = max(counts, key=lambda y: (counts[y], y))
    return year, counts[year]


def marginal(args: list[str], units: int) -> dict:
    """Side by side: a year's full build (``build YEAR``, twice: before and after), and the same with
    ``--units --jobs 2`` (``--jobs`` goes only with ``--units``: without units, the year's build is the build)."""
    before, before_cpu = build(*args)
    with_units, with_cpu = build(*args, "--units", "--jobs", "2")
    after, after_cpu = build(*args)
    year_s, year_cpu = (before + after) / 2, (before_cpu + after_cpu) / 2
    per_sheet = (with_units - year_s) / units
    return {"year_s": year_s, "with_s": with_units, "with_cpu": with_cpu, "per_sheet_s": per_sheet,
            "ratio": per_sheet / year_s, "per_sheet_cpu": (with_cpu - year_cpu) / units, "year_cpu": year_cpu}


def province(units: int) -> tuple[float, float]:
    """``build 2024 --units --jobs 2`` of a generated province of ``units`` units: wall and CPU time."""
    with tempfile.TemporaryDirectory(prefix="bench-province-") as folder:
        params = write_province(Path(folder), units)
        return build(str(YEAR), "--params", str(params), "--units", "--jobs", "2")


def table_rows(quick: bool = False) -> list[dict]:
    """The rows of ``make bench``'s table: the marginal sheet (the sample year with the most units) and a
    province of 500 units. Quick: both are one generated province of 4 units, no goal checked."""
    count = 4 if quick else 500
    with tempfile.TemporaryDirectory(prefix="bench-province-") as folder:
        if quick:
            year, units, args = YEAR, count, [str(YEAR), "--params", str(write_province(Path(folder), count))]
        else:
            year, units = busiest_year()
            args = [str(year)]
        m = marginal(args, units)
    province_s, province_cpu = (m["with_s"], m["with_cpu"]) if quick else province(count)
    return [
        {"what": f"one more unit sheet vs a year's build ({year}, {units} units, --jobs 2)",
         "measured": f"{m['ratio']:.3f}× ({m['per_sheet_s']:.2f} s a sheet: {m['with_s']:.1f} s with units, "
                     f"{m['year_s']:.1f} s without; CPU {m['per_sheet_cpu']:.2f} s a sheet, "
                     f"{m['year_cpu']:.1f} s a year)",
         "goal": "≤ 0.05×", "holds": None if quick else m["ratio"] <= 0.05},
        {"what": f"{count} units of a generated province (--units --jobs 2)",
         "measured": f"{province_s:.1f} s ({province_s / count:.2f} s a unit; CPU {province_cpu:.0f} s)",
         "goal": "< 300 s for 500 units", "holds": None if quick else province_s < 300},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few units only (checks the benchmark runs)")
    args = parser.parse_args()
    for row in table_rows(quick=args.quick):
        holds = {True: "yes", False: "NO", None: "-"}[row["holds"]]
        print(f"{row['what']}\n    {row['measured']}  goal {row['goal']}  holds: {holds}")


if __name__ == "__main__":
    main()
