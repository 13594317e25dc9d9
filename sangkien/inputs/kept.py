"""A large register's parsed form, kept between commands by the digest of its bytes.

Reading a national register's workbook is most of what ``check`` and a year's build spend on it (python-calamine
alone takes ten seconds for a million rows). Once a register of :data:`FROM_ROWS` rows or more is read, two
things are kept in the user's cache folder (:func:`sangkien.paths.cache_dir`), under the SHA-256 of the file's
bytes and of this package's own code:

- its parsed sheet (:class:`~sangkien.inputs.sheet.Sheet`: the cells laid out as columns, before any rule) and
  what was read, so that ``check`` then a build read the workbook once; the rules then run on every command (the
  parameters decide them: blocks, reorganisation, report year), so what a command says of a register is the same
  whether its parsed form was kept or not;
- for a build, the register the rules passed (:func:`keep_register`), under the digest of those rules too: a
  rebuild takes it as it is, and the build hands it to its kernels by copying the file
  (:mod:`~sangkien.inputs.snapshot`), not by writing it again.

Never stale: the file's bytes are read and digested on every command (a changed byte is a new parse), and a
change to the reading code or to the rules is a new key. Never in the way: a folder that cannot be written, a
full disk or an entry that does not load is the same as no entry (the register is read again); a folder that
others may write into is not used (an entry is a pickle; its columns of plain values inside it as ``marshal``
bytes). At most :data:`KEEP` entries are kept, the least recently used removed first; an entry is written whole
under a new name, then renamed, and never changed after. Entries are written by forked copies of the command,
side by side while it goes on, and waited for as it ends (:func:`written`: a command that reads an entry it is
still writing waits for it first).
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import os
import pickle
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from sangkien import paths

FROM_ROWS = 20_000
"""A register of this many rows or more is kept: below, reading it again costs less than a second."""
KEEP = 6
"""The most entries kept (a million rows' sheet is about 130 MB, its register about 100 MB)."""
FORMAT = 1
SUFFIX, REGISTER_SUFFIX = ".sheet", ".register"


@functools.cache
def code_digest() -> str:
    """The digest of the code a parsed sheet depends on: this package's modules, the Python and calamine that
    ran them, and :data:`FORMAT`."""
    from importlib import metadata

    digest = hashlib.sha256(f"{FORMAT} {sys.version} {metadata.version('python-calamine')}".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def folder() -> Path | None:
    """The folder entries are kept in, None when there is none to use: not set, not made, or writable by
    others than its owner, the user (a planted entry would run as code)."""
    where = paths.cache_dir()
    if where is None:
        return None
    where = where / "so-dang-ky"
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = where.stat()
    except OSError:
        return None
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or status.st_uid != getattr(os, "getuid", lambda: 0)():
        return None
    return where


def _entry(where: Path, sha256: str, suffix: str = SUFFIX, rules: str = "") -> Path:
    return where / (f"{sha256}-{code_digest()[:16]}" + (f"-{rules[:16]}" if rules else "") + suffix)


def _read(entry: Path, **expected) -> dict | None:
    """The payload of ``entry`` when it holds what is expected of it (``sha256``, ``code``...), else None; an entry
    this process is writing (the API's `check`, then its build) is waited for first."""
    written(entry)
    try:
        with open(entry, "rb") as f:
            payload = pickle.load(f)
        os.utime(entry)  # the most recently used
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is no entry (it is written again)
        return None
    if not isinstance(payload, dict) or any(payload.get(key) != value for key, value in expected.items()):
        return None
    return payload


def _write(where: Path, entry: Path, payload: dict) -> bool:
    """Write ``payload`` as ``entry``, whole or not at all; the oldest entries beyond :data:`KEEP` removed."""
    partial = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=where, prefix=".", suffix=".part", delete=False) as f:
            partial = Path(f.name)
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)
    except OSError:
        if partial is not None:
            partial.unlink(missing_ok=True)
        return False
    _prune(where)
    return True


def load(path: Path, sha256: str):
    """``(sheet, reading)`` kept for the bytes ``sha256`` (the sheet's file named as ``path`` now), or None."""
    where = folder()
    kept = where and _read(_entry(where, sha256), sha256=sha256, code=code_digest())
    if not kept:
        return None
    sheet = kept["sheet"]
    sheet.path = path
    for origin in sheet.origins:
        origin.path = path
    return sheet, kept["reading"]


def keep(sha256: str, sheet, reading: list[str]) -> None:
    """Keep the parsed ``sheet`` (before any rule ran on it) and ``reading`` of the bytes ``sha256`` when the
    register is large enough: written by a forked copy of this process (:func:`aside`) while this one goes on to
    the rules, and waited for as it ends (or by :func:`written`), not before: the register the rules pass is
    written beside it (:func:`keep_register`)."""
    if len(sheet.numbers) < FROM_ROWS:
        return
    where = folder()
    if where is None:
        return
    entry, payload = _entry(where, sha256), {"sha256": sha256, "code": code_digest(), "sheet": sheet,
                                             "reading": reading}
    _writing(entry, aside(lambda: _write(where, entry, payload)))


def aside(write: Callable[[], bool]) -> Callable[[], bool]:
    """``write()`` run by a forked copy of this process, which sees everything as it is now whatever this one
    changes after (a sheet the rules then work on); what is returned waits for it and says whether it wrote.
    Where forking is not sound (:func:`~sangkien.inputs.halves.can_fork`), run here and now."""
    from sangkien.inputs.halves import can_fork

    if not can_fork():
        done = write()
        return lambda: done
    child = os.fork()
    if child == 0:  # write, then gone: nothing of the parent's runs here
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            status = 0 if write() else 1
        finally:
            os._exit(status)
    ended: list[bool] = []

    def wait() -> bool:
        if not ended:
            try:
                ended.append(os.waitpid(child, 0)[1] == 0)
            except ChildProcessError:
                ended.append(False)
        return ended[0]

    return wait


def rules_of(blocks, reorganisation, until: int | None) -> str:
    """The digest of the rules a register was validated under: its blocks, reorganisation and report year."""
    return hashlib.sha256(pickle.dumps((tuple(blocks), reorganisation, until), protocol=4)).hexdigest()


def load_register(sha256: str, rules: str) -> tuple[dict, Path] | None:
    """The register validated under ``rules`` (:func:`rules_of`) kept for the bytes ``sha256``, as
    :func:`sangkien.inputs.register.payload` made it, and the entry it is kept in; or None."""
    where = folder()
    if where is None:
        return None
    entry = _entry(where, sha256, REGISTER_SUFFIX, rules)
    payload = _read(entry, sha256=sha256, code=code_digest(), rules=rules)
    return None if payload is None else (payload, entry)


def keep_register(sha256: str, payload: Callable[[], dict], rows: int, rules: str) -> Path | None:
    """Keep a validated register of the bytes ``sha256`` (``payload()``:
    :func:`sangkien.inputs.register.payload`, made by the copy that writes it; ``rows`` rows) validated under
    ``rules`` when it is large enough; the entry it is kept in, or None. It is written by a forked copy of this
    process while the build goes on (its kernel boots meanwhile): :func:`written` waits for it and says whether
    it was written whole."""
    if rows < FROM_ROWS:
        return None
    where = folder()
    if where is None:
        return None
    entry = _entry(where, sha256, REGISTER_SUFFIX, rules)
    _writing(entry, aside(lambda: _write(where, entry, {**payload(), "code": code_digest(), "rules": rules})))
    return entry


def _writing(entry: Path, wait: Callable[[], bool]) -> None:
    """``entry`` is being written by a forked copy (``wait`` waits for it): waited for by :func:`written`, or as
    this process ends (the next command finds it whole)."""
    if not _WRITING:
        atexit.register(_all_written)
    _WRITING[entry] = wait


_WRITING: dict[Path, Callable[[], bool]] = {}
"""Entries a forked copy of this process is writing, and how to wait for each."""


def written(entry: Path) -> bool:
    """Whether ``entry`` (of :func:`keep_register`, or found kept) is whole, once the copy of this process
    writing it, if any, has ended."""
    wait = _WRITING.pop(entry, None)
    return True if wait is None else wait()


def _all_written() -> None:
    for entry in list(_WRITING):
        written(entry)


STALE_PART_SECONDS = 3600
"""A partly written entry this old was left by a command that stopped (a running one writes for seconds)."""


def _prune(where: Path) -> None:
    """Remove the entries beyond the :data:`KEEP` most recently used, and what an interrupted write left."""
    try:
        entries = sorted([*where.glob(f"*{SUFFIX}"), *where.glob(f"*{REGISTER_SUFFIX}")],
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for entry in entries[KEEP:]:
            entry.unlink(missing_ok=True)
        now = time.time()
        for part in where.glob(".*.part"):
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink(missing_ok=True)
    except OSError:
        pass
