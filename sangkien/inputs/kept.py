"""A large register's parsed form, kept between commands by the digest of its bytes.

Reading a national register's workbook is most of what ``check`` and a year's build spend on it (python-calamine
alone takes ten seconds for a million rows). Once a register of :data:`FROM_ROWS` rows or more is read, its
parsed sheet (:class:`~sangkien.inputs.sheet.Sheet`, the cells laid out as columns, before any rule) and what was
read are kept in the user's cache folder (:func:`sangkien.paths.cache_dir`), under the SHA-256 of the file's
bytes and of this package's own code: ``check`` then a build, or a rebuild, reads the workbook once. The rules
run on every command (the parameters decide them: blocks, reorganisation, report year), so what a command says
of a register is the same whether its parsed form was kept or not.

Never stale: the file's bytes are read and digested on every command (a changed byte is a new parse), and a
change to the reading code is a new key. Never in the way: a folder that cannot be written, a full disk or an
entry that does not load is the same as no entry (the register is read again); a folder that others may write
into is not used (an entry is a pickle). At most :data:`KEEP` entries are kept, the least recently used
removed first.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from pathlib import Path

from sangkien import paths

FROM_ROWS = 20_000
"""A register of this many rows or more is kept: below, reading it again costs less than a second."""
KEEP = 4
"""The most entries kept (a million rows' entry is about 130 MB)."""
FORMAT = 1
SUFFIX = ".sheet"


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


def _entry(where: Path, sha256: str) -> Path:
    return where / f"{sha256}-{code_digest()[:16]}{SUFFIX}"


def load(path: Path, sha256: str):
    """``(sheet, reading)`` kept for the bytes ``sha256`` (the sheet's file named as ``path`` now), or None."""
    where = folder()
    if where is None:
        return None
    entry = _entry(where, sha256)
    try:
        with open(entry, "rb") as f:
            kept = pickle.load(f)
        os.utime(entry)  # the most recently used
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is no entry (it is written again)
        return None
    if not (isinstance(kept, dict) and kept.get("sha256") == sha256 and kept.get("code") == code_digest()):
        return None
    sheet = kept["sheet"]
    sheet.path = path
    for origin in sheet.origins:
        origin.path = path
    return sheet, kept["reading"]


def keep(sha256: str, sheet, reading: list[str]) -> None:
    """Keep the parsed ``sheet`` (before any rule ran on it) and ``reading`` of the bytes ``sha256`` when the
    register is large enough; written whole or not at all, and the oldest entries beyond :data:`KEEP` removed."""
    if len(sheet.numbers) < FROM_ROWS:
        return
    where = folder()
    if where is None:
        return
    payload = {"sha256": sha256, "code": code_digest(), "sheet": sheet, "reading": reading}
    partial = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=where, prefix=".", suffix=".part", delete=False) as f:
            partial = Path(f.name)
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, _entry(where, sha256))
    except OSError:
        if partial is not None:
            partial.unlink(missing_ok=True)
        return
    _prune(where)


STALE_PART_SECONDS = 3600
"""A partly written entry this old was left by a command that stopped (a running one writes for seconds)."""


def _prune(where: Path) -> None:
    """Remove the entries beyond the :data:`KEEP` most recently used, and what an interrupted write left."""
    try:
        entries = sorted(where.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for entry in entries[KEEP:]:
            entry.unlink(missing_ok=True)
        now = time.time()
        for part in where.glob(".*.part"):
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink(missing_ok=True)
    except OSError:
        pass
