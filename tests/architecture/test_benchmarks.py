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


def test_every_name_a_benchmark_imports_from_the_package_exists():
    """The benchmarks import the package lazily, inside functions: a name the package no longer has would
    only fail when `make bench` runs (minutes later); checked here from their source."""
    import ast
    import importlib
    import importlib.util

    missing = []
    for path in sorted(BENCH.parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("sangkien"):
                module = importlib.import_module(node.module)
                missing += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                            if not hasattr(module, a.name) and importlib.util.find_spec(f"{node.module}.{a.name}") is None]
    assert not missing
