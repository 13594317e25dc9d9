"""The benchmarks stay runnable: every ``benchmarks/bench_*.py`` gives rows to ``make bench``'s one table
(their timings are never asserted: the machines are shared and noisy)."""
from __future__ import annotations

from conftest import benchmark

from sangkien import paths

BENCH = paths.ROOT / "benchmarks" / "bench.py"



def _bench():
    return benchmark("bench")


def test_every_benchmark_module_feeds_the_one_table():
    bench = _bench()
    files = sorted(p.stem for p in BENCH.parent.glob("bench_*.py"))
    assert files, "no benchmark modules"
    assert sorted(f"bench_{name}" for name in bench.modules()) == files


def test_the_table_says_which_goals_hold():
    bench = _bench()
    text = bench.table([{"what": "a | b", "measured": "1.2×", "goal": "≤ 1.0×", "holds": False},
                        {"what": "c", "measured": "3 s", "goal": "", "holds": None}])
    assert text.splitlines()[2] == "| a \\| b | 1.2× | ≤ 1.0× | NO |"
    assert text.splitlines()[3].endswith("| — |")
