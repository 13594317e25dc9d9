"""Benchmark (not a test) of ``collect`` against ``check`` on the same rows (issue 24, row 3).

    python benchmarks/bench_collect.py [--rows 10000] [--files 10] [--rounds 3] [--quick]

A generated register (:mod:`national`, the blocks of the latest params/YEAR.yaml) is cut into ``files``
workbooks of the units' shape (one per share of the rows) in a folder; side by side, alternating, each
round runs ``python -m sangkien collect FOLDER --out FILE --params P`` and ``python -m sangkien check
WHOLE --params P`` over the same rows as one workbook. The row is collect's rows per second and its
time against check's (goal: within 2×; before the fix it grew with the square of the rows).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402
from bench_scale import ROOT, measure, sangkien  # noqa: E402


def _latest_params() -> Path:
    return max((ROOT / "params").glob("[0-9]*.yaml"), key=lambda p: int(p.stem))


def prepare(rows: int, files: int, folder: Path) -> tuple[Path, Path, Path]:
    """``(units folder, the same rows as one workbook, parameters)``."""
    from sangkien.inputs import validity

    params = _latest_params()
    all_rows = list(national.make_rows(rows, validity(params).blocks))
    units = folder / "don-vi"
    units.mkdir()
    share = -(-rows // files)
    for n in range(files):
        national.write_xlsx(units / f"don-vi-{n + 1:02d}.xlsx", all_rows[n * share:(n + 1) * share])
    whole = folder / "ca-so.xlsx"
    national.write_xlsx(whole, all_rows)
    return units, whole, params


def measure_side_by_side(rows: int, files: int, rounds: int) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {"collect": [], "check": []}
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as tmp:
        units, whole, params = prepare(rows, files, Path(tmp))
        for n in range(rounds):
            out = Path(tmp) / f"gop-{n}.xlsx"
            found["collect"].append(measure(sangkien("collect", str(units), "--out", str(out), "--params", str(params))))
            found["check"].append(measure(sangkien("check", str(whole), "--params", str(params))))
    return found


def table_rows(quick: bool = False, rows: int = 10_000, files: int = 10, rounds: int = 3) -> list[dict]:
    if quick:
        rows, files, rounds = 500, 2, 1
    found = measure_side_by_side(rows, files, rounds)
    collect = statistics.median(m["wall"] for m in found["collect"])
    check = statistics.median(m["wall"] for m in found["check"])
    ratio = collect / check
    return [{"what": f"collect, {rows:,} rows in {files} unit workbooks, vs check of the same rows (one workbook)",
             "measured": f"{ratio:.2f}× ({collect:.1f} s vs {check:.1f} s; {rows / collect:,.0f} rows/s vs "
                         f"{rows / check:,.0f} rows/s)",
             "goal": "≤ 2×", "holds": ratio <= 2}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 rows, once: shows it runs")
    args = parser.parse_args()
    for row in table_rows(args.quick, args.rows, args.files, args.rounds):
        print(f"{row['what']}: {row['measured']} (goal {row['goal']})")


if __name__ == "__main__":
    main()
