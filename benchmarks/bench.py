"""Every benchmark of the project in one run, printed as one table (``make bench``).

    .venv/bin/python benchmarks/bench.py [--quick] [--only NAME ...] [--markdown FILE]

Each module ``benchmarks/bench_*.py`` that defines ``table_rows(quick=False)`` is run in turn, in this
process's order below; each returns rows ``{"what", "measured", "goal", "holds"}`` whose numbers it
measured side by side in one run (ratios between commands run alternately, never a lone wall time
compared with a number from another day). The table says the date, the machine and its load before
and after, because the machines here are shared: a ratio is only as good as the quiet it was taken in.

``--quick`` runs each benchmark on tiny inputs: it shows the benchmarks work, its numbers mean nothing.
Not a test: it asserts nothing and its exit status is 0 even when a goal does not hold.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["build", "units", "batch", "scale", "check", "collect", "tests"]
"""The benchmarks in the order the table lists them (others found later follow, by name)."""


def modules() -> dict[str, Path]:
    """``{name: file}`` of the benchmark modules that can give table rows, in table order."""
    found = {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))
             if "def table_rows(" in p.read_text(encoding="utf-8")}
    return {name: found[name] for name in sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))}


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def machine() -> str:
    """One line about where the numbers were taken."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{', ' + model if model else ''}, "
            f"Python {platform.python_version()}")


def fonts() -> str:
    """Which font subsetter the builds ran (the pinned uharfbuzz, whatever the system has) and whether the
    system's HarfBuzz subsetter, which WeasyPrint would take otherwise, is installed."""
    import ctypes.util

    sys.path.insert(0, str(HERE.parent))
    from sangkien.pipeline.workarounds import weasyprint_subset

    system = "installed" if ctypes.util.find_library("harfbuzz-subset") else "not installed"
    return f"fonts subset by {weasyprint_subset.version()} (the system's libharfbuzz-subset: {system})"


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def holds_word(value) -> str:
    """
    >>> holds_word(True), holds_word(False), holds_word(None)
    ('yes', 'NO', '—')
    """
    return {True: "yes", False: "NO"}.get(value, "—")


def table(rows: list[dict]) -> str:
    """The rows as one Markdown table.

    >>> print(table([{"what": "a", "measured": "0.9×", "goal": "≤ 1.0×", "holds": True}]))
    | benchmark | measured | goal | holds |
    |---|---|---|---|
    | a | 0.9× | ≤ 1.0× | yes |
    """
    lines = ["| benchmark | measured | goal | holds |", "|---|---|---|---|"]
    for row in rows:
        cells = [str(row.get("what", "")), str(row.get("measured", "")), str(row.get("goal", "")),
                 holds_word(row.get("holds"))]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs: shows the benchmarks run, numbers mean nothing")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks (e.g. build units)")
    parser.add_argument("--markdown", type=Path, help="also write the table (with its heading) into this file")
    args = parser.parse_args(argv)
    found = modules()
    chosen = [n for n in found if args.only is None or n in args.only]
    started_load, started = load_average(), time.perf_counter()
    rows: list[dict] = []
    for name in chosen:
        print(f"# bench_{name} …", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            rows += load(found[name]).table_rows(quick=args.quick)
        except Exception as exc:  # one benchmark failing must not hide the others' rows
            rows.append({"what": f"bench_{name}", "measured": f"failed: {type(exc).__name__}: {exc}", "goal": "",
                         "holds": False})
        print(f"# bench_{name}: {time.perf_counter() - begun:.0f} s", file=sys.stderr, flush=True)
    heading = (f"Measured {datetime.date.today().isoformat()} on {machine()}; {fonts()}; load average {started_load} at the "
               f"start, {load_average()} at the end; {time.perf_counter() - started:.0f} s in all"
               + (" (--quick: tiny inputs, the numbers mean nothing)" if args.quick else "") + ".")
    text = heading + "\n\n" + table(rows)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
