"""The build's benchmark runs (``make bench``'s rows; no timing asserted)."""
from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_the_build_benchmark_gives_its_rows():
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.table_rows(quick=True)
    assert [set(row) for row in rows] == [{"what", "measured", "goal", "holds"}] * 2
    assert all(row["measured"].endswith(" s)") and "×" in row["measured"] for row in rows)
    assert all(isinstance(row["holds"], bool) for row in rows)
