"""Where a year is built and how it is published: a per-year lock, a staging folder beside the
published one, and the swap that publishes it in one step.

Everything is written into the staging folder; a failure (or Ctrl-C, or SIGTERM) removes it and
leaves the last good year untouched; a build killed outright leaves it behind, and the next build of
the year removes it under the lock. The lock keeps two builds of the same year apart.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path

from sangkien.errors import BuildLockedError
from sangkien.pipeline.workarounds.exchange import exchange


@contextlib.contextmanager
def year_lock(out_dir: Path, year: int):
    """Hold the build lock of ``year`` under ``out_dir``; BuildLockedError when another build has it."""
    lock_dir = out_dir / ".locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    handle = open(lock_dir / f"{year}.lock", "w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(f"một lần dựng báo cáo năm {year} khác đang chạy ({out_dir}); hãy đợi nó xong") from None
        yield
    finally:
        handle.close()


def clean_stale(out_dir: Path, year: int) -> None:
    """Remove staging folders an interrupted build of ``year`` left (call with its lock held)."""
    for debris in list(out_dir.glob(f".staging-{year}-*")) + list(out_dir.glob(f".old-{year}-*")):
        shutil.rmtree(debris, ignore_errors=True)


@contextlib.contextmanager
def staging(out_dir: Path, year: int):
    """Hold the lock of ``year``, clear what interrupted builds left, and yield a new, empty staging
    folder; it is removed when the ``with`` block fails (publish it before the block ends)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with year_lock(out_dir, year):
        clean_stale(out_dir, year)
        folder = out_dir / f".staging-{year}-{os.getpid()}"
        folder.mkdir()
        try:
            yield folder
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def publish(staging: Path, final: Path) -> None:
    """Put the finished ``staging`` folder in place of ``final`` in one step."""
    if not final.exists():
        os.rename(staging, final)
        return
    if exchange(staging, final):
        shutil.rmtree(staging)
        return
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old)
