"""``python -m sangkien`` and the ``sangkien`` command: :func:`sangkien.cli.main`, then the process ended."""
from __future__ import annotations

import atexit
import os
import sys

from sangkien.cli import main


def console() -> None:
    """The command line as a process: :func:`~sangkien.cli.main`'s status, and once every clean-up registered
    with ``atexit`` has run (a forked writer waited for, logging flushed), the process ended with its output
    flushed but without the interpreter's teardown, which frees every object one by one: half a second after
    a national register's build, for nothing. A command that ends by an uncaught exception is torn down as
    usual (its traceback printed)."""
    status: list[int] = []

    def end_at_once() -> None:  # registered first, so run last
        if status:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
            os._exit(status[0])

    atexit.register(end_at_once)
    code = main()
    status.append(code if isinstance(code, int) else 1)
    raise SystemExit(code)


if __name__ == "__main__":  # not when a worker process of `build --all` re-imports the main module
    console()
