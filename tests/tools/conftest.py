"""Fixtures of the generators's tests."""
from __future__ import annotations

import signal

import pytest

from sangkien.cli import main


@pytest.fixture
def run_main(capsys):
    """``run_main(*args)``: ``sangkien ARGS`` in this process (what ``python -m sangkien`` runs, without
    starting an interpreter); returns ``(status, stdout, stderr)``."""

    def run(*args) -> tuple[int, str, str]:
        capsys.readouterr()
        sigterm = signal.getsignal(signal.SIGTERM)
        try:
            status = main([str(a) for a in args])
        finally:
            signal.signal(signal.SIGTERM, sigterm)  # main() sets its own handler
        out, err = capsys.readouterr()
        return status, out, err

    return run
