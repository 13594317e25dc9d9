"""The build's benchmark runs (``make bench``'s rows; no timing asserted)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import benchmark


def _bench():
    return benchmark("bench_build")


def test_the_full_benchmark_times_a_full_build_and_the_quick_one_says_what_it_times():
    """What the quick run leaves out (PDF/A, Word) is left out of the quick run only: the full benchmark's
    build and rebuild take the build's default formats, the quick one's the same --to both."""
    bench = _bench()
    full, quick = bench.commands(2023, Path("/tmp/x")), bench.commands(2023, Path("/tmp/x"), bench.QUICK_FORMATS)
    assert "--to" not in full["build"] and "--to" not in full["rebuild"] and "--force" in full["build"]
    assert full["bare"] == quick["bare"]
    assert quick["build"] == full["build"][:-1] + ["--to", "html", "--force"] and quick["rebuild"] == full["rebuild"] + [
        "--to", "html"]


@pytest.mark.slow
def test_the_build_benchmark_gives_its_rows():
    rows = _bench().table_rows(quick=True)
    assert [set(row) for row in rows] == [{"what", "measured", "goal", "holds"}] * 2
    assert all(row["measured"].endswith(" s)") and "×" in row["measured"] for row in rows)
    assert all(isinstance(row["holds"], bool) for row in rows)
    assert all("quick: HTML only" in row["what"] for row in rows)
