"""Where a year is built and how it is published: a per-year lock, a staging folder beside the year's
folder, and publishing that touches only the files the build owns.

Everything is written into the staging folder; a failure (or Ctrl-C, or SIGTERM) removes it and leaves
the last good year untouched; a build killed outright leaves it behind, and the next build of the year
clears it under the lock. The lock keeps two builds of the same year apart.

Publishing — the design, and why
--------------------------------
``OUT/YEAR`` is the analyst's folder as much as ours: the register may be kept there, a scanned signed
copy of the report put beside it. So the year's folder is never swapped, moved or removed. A build
owns exactly the files its manifest lists (``files_sha256``, and ``manifest.json`` itself); publishing
(:func:`publish`)

1. refuses, before changing anything, when a file it would write is one it does not own (a file of the
   analyst's with the name of an output) or its place is taken by a folder or a link;
2. renames each new file into place (``os.replace``: a reader opening a file gets all of the old bytes
   or all of the new, never a mix), the unit sheets of ``don-vi/`` like the others;
3. moves away the files the previous manifest lists that the new build does not make (only those);
4. renames ``manifest.json`` last: it is the year's record, and the commit point;
5. removes the staging folder. Every other file and folder in ``OUT/YEAR`` stays as it was, byte for byte.

A reader sees each file whole, and after the commit exactly one build's files, as the manifest lists
them. During the step (milliseconds, under the year's lock) a reader may find some files already new
while the old manifest is still in place; one that must have a single build's files checks them
against the manifest's ``files_sha256``. Making the whole switch one atomic step would need the files
of a build alone in a folder of their own: swapping the year's folder (``renameat2``) carries the
analyst's files away with it (the fault this design removes), and a hidden versioned folder behind
symbolic links puts links, not files, in the year's folder, which do not survive a copy to a Windows
share, a USB stick or a zip sent by mail.

The step cannot be left half-way: stopping signals are deferred while it runs (:mod:`.interrupts`);
each file it replaces or moves away is first kept in the staging folder (a hard link, else a copy), so
an error half-way puts the previous year back at once; and a journal written before the first rename
lets the next build of the year finish the job after a SIGKILL or a power cut — put the previous year
back when the manifest had not moved yet, else only clear up.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
from pathlib import Path, PurePosixPath

from sangkien import files
from sangkien.errors import BuildLockedError, ParamsError, writing_into
from sangkien.pipeline.indexes import UNIT_SHEETS
from sangkien.pipeline.processes import interrupts

MANIFEST = "manifest.json"
JOURNAL = ".publishing.json"
"""In a staging folder whose publishing has begun: what it moves (see :func:`publish`)."""
PREVIOUS = ".previous"
"""In a staging folder: the files publishing replaced or moved away, until it is over."""


# --------------------------------------------------------------------------- before any work

def _refuse_non_folder(path: Path, what: str) -> None:
    if path.is_symlink():
        raise ParamsError(f"{path}: {what} là một liên kết tượng trưng; sangkien chỉ ghi vào một thư mục thật, "
                          "không ghi theo liên kết — hãy dùng --out với một thư mục thật")
    if path.exists() and not path.is_dir():
        raise ParamsError(f"{path}: {what} là một tệp, không phải thư mục; hãy dời tệp đi hoặc dùng --out khác")


def check_out(out_dir: Path, year: int | None = None, units: bool = False) -> None:
    """ParamsError (exit 2, touching nothing) when the output folder, the year's folder, its lock folder
    or (with ``units``) its unit sheets' folder is a file or a symbolic link, or a parent of the output
    folder is a file."""
    out_dir = Path(out_dir)
    for parent in reversed(out_dir.absolute().parents):
        if parent.exists() and not parent.is_dir():
            raise ParamsError(f"{parent}: là một tệp, không phải thư mục; không tạo được thư mục kết quả {out_dir}")
    _refuse_non_folder(out_dir, "thư mục kết quả")
    _refuse_non_folder(out_dir / ".locks", "thư mục khóa của lần dựng")
    if year is not None:
        _refuse_non_folder(out_dir / str(year), f"thư mục báo cáo năm {year}")
        if units:
            _refuse_non_folder(out_dir / str(year) / UNIT_SHEETS, f"thư mục phiếu kết quả đơn vị năm {year}")


def _relative(rel) -> str | None:
    """``rel`` (a path a manifest lists) as a file of the year's folder a build may write: a name, or
    ``don-vi/NAME``; None for anything else (nothing outside the year's folder is ever touched)."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return None
    parts = PurePosixPath(rel).parts
    if not 1 <= len(parts) <= 2 or any(p in (".", "..") for p in parts) or (len(parts) == 2 and parts[0] != UNIT_SHEETS):
        return None
    return "/".join(parts)


def _through_a_link(final: Path, rel: str) -> bool:
    """Whether ``final/rel`` lies behind a symbolic link (``don-vi`` made a link): never touched then."""
    parts = PurePosixPath(rel).parts
    return any((final / Path(*parts[:n])).is_symlink() for n in range(1, len(parts)))


def owned(final: Path) -> set[str]:
    """The files of ``final`` the published build wrote: those its manifest lists, and the manifest."""
    mine = {MANIFEST}
    try:
        manifest = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return mine
    if not isinstance(manifest, dict):
        return mine
    # the signed PDF (``sangkien sign``: outputs.signed) is the office's document, never the build's to replace
    outputs = {k: v for k, v in (manifest.get("outputs") or {}).items() if k != "signed"}
    listed = list(manifest.get("files_sha256") or {}) + list(outputs.values())
    for sheet in (manifest.get("units") or {}).values():
        listed += [v for k, v in sheet.items() if k != "unit"] if isinstance(sheet, dict) else []
    return mine | {rel for rel in map(_relative, listed) if rel}


def check_free(final: Path, names, mine: set[str] | None = None) -> None:
    """ParamsError naming the first of ``names`` (files to write in ``final``) whose place holds something
    the published build did not write, or a folder; nothing is changed."""
    mine = owned(final) if mine is None else mine
    for rel in names:
        target = final / rel
        if len(PurePosixPath(rel).parts) == 2:
            _refuse_non_folder(target.parent, "thư mục phiếu kết quả đơn vị")
        if not os.path.lexists(target):
            continue
        if target.is_dir() and not target.is_symlink():
            raise ParamsError(f"{target}: là một thư mục, trùng tên với một tệp kết quả; hãy đổi tên hoặc dời nó đi")
        if rel not in mine:
            raise ParamsError(f"{target}: tệp này không do lần dựng trước ghi ({MANIFEST} không liệt kê nó) nên "
                              "sangkien không ghi đè; hãy dời nó sang chỗ khác hoặc đổi tên rồi dựng lại")


# --------------------------------------------------------------------------- the lock and the staging folder

@contextlib.contextmanager
def year_lock(out_dir: Path, year: int, wait: bool = False, waiting=None):
    """Hold the build lock of ``year`` under ``out_dir``; BuildLockedError when another build has it, or
    with ``wait``, once it let it go (a unit's sheet built alone waits to add itself to the year; ``sign``, to
    record its signature), ``waiting()`` called first when it has to wait."""
    lock_dir = out_dir / ".locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / f"{year}.lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise BuildLockedError(f"một lần dựng báo cáo năm {year} khác đang chạy ({out_dir}); hãy đợi nó xong") from None
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def clean_stale(out_dir: Path, year: int) -> None:
    """Clear what interrupted builds of ``year`` left (call with its lock held): a publishing cut short
    is finished first (:func:`recover`), then the staging folders are removed."""
    for debris in sorted(out_dir.glob(f".staging-{year}-*")):
        if (debris / JOURNAL).is_file():
            recover(debris, out_dir / str(year))
        shutil.rmtree(debris, ignore_errors=True)


@contextlib.contextmanager
def staging(out_dir: Path, year: int, wait: bool = False):
    """Hold the lock of ``year`` (with ``wait``, once another build let it go), clear what interrupted
    builds left, and yield a new, empty staging folder; it is removed when the ``with`` block fails
    (publish it before the block ends), unless a publishing could not be undone (the next build finishes
    it). A permission, disk-full or read-only error in the block is an OutputError naming the folder."""
    with writing_into(out_dir, "; không có gì được công bố, báo cáo đã công bố trước đó giữ nguyên"):
        out_dir.mkdir(parents=True, exist_ok=True)
        with year_lock(out_dir, year, wait):
            clean_stale(out_dir, year)
            folder = out_dir / f".staging-{year}-{os.getpid()}"
            try:  # made inside: a stop landing right after the folder is made removes it too
                folder.mkdir()
                yield folder
            except BaseException:
                if not (folder / JOURNAL).exists():
                    shutil.rmtree(folder, ignore_errors=True)
                raise


# --------------------------------------------------------------------------- publishing

def _plan(staging: Path, final: Path) -> dict:
    """What publishing ``staging`` into ``final`` does: the files to put in place (the manifest last),
    the previous build's files to move away, the folders to make. A file the new manifest lists that
    ``staging`` does not hold is left as it is when the previous build wrote it (one unit's sheet added
    to a year: :func:`sangkien.pipeline.build.build_unit`)."""
    manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    _refuse_non_folder(final, "thư mục báo cáo của năm")
    mine = owned(final)
    listed = sorted(manifest["files_sha256"]) + [MANIFEST]
    new = [rel for rel in listed if rel not in mine or os.path.lexists(staging / rel)]
    check_free(final, new, mine)
    stale = sorted(rel for rel in mine - set(listed) if not _through_a_link(final, rel)
                   and os.path.lexists(final / rel) and not (final / rel).is_dir())
    sheets = any(rel.startswith(UNIT_SHEETS + "/") for rel in new)
    made = [UNIT_SHEETS] if sheets and not (final / UNIT_SHEETS).is_dir() else []
    return {"new": new, "stale": stale, "made": made}


def _keep(target: Path, kept: Path) -> None:
    """Keep the file ``target`` as ``kept`` (a hard link: no bytes copied; a copy where links are not
    supported) before it is replaced."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        shutil.copy2(target, kept, follow_symlinks=False)


def _apply(staging: Path, final: Path, plan: dict) -> None:
    for folder in plan["made"]:
        (final / folder).mkdir()
    for rel in plan["new"]:
        if rel == MANIFEST:  # the commit: after everything else
            for stale in plan["stale"]:
                kept = staging / PREVIOUS / stale
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(final / stale, kept)
        if os.path.lexists(final / rel):
            _keep(final / rel, staging / PREVIOUS / rel)
        os.replace(staging / rel, final / rel)


def _roll_back(staging: Path, final: Path, plan: dict) -> None:
    """Put back the previous year from what publishing kept (the manifest not yet moved)."""
    for rel in plan["stale"]:
        kept = staging / PREVIOUS / rel
        if os.path.lexists(kept) and not os.path.lexists(final / rel):
            os.replace(kept, final / rel)
    for rel in reversed(plan["new"]):
        if os.path.lexists(staging / rel):
            continue  # never moved
        kept = staging / PREVIOUS / rel
        if os.path.lexists(kept):
            os.replace(kept, final / rel)
        else:
            (final / rel).unlink(missing_ok=True)
    for folder in plan["made"]:
        with contextlib.suppress(OSError):
            (final / folder).rmdir()


def _tidy(final: Path, plan: dict) -> None:
    """After the commit: a unit sheets' folder the new build left empty is removed (not when it holds
    anything else)."""
    if any(rel.startswith(UNIT_SHEETS + "/") for rel in plan["stale"]):
        with contextlib.suppress(OSError):
            (final / UNIT_SHEETS).rmdir()


def publish(staging: Path, final: Path) -> None:
    """Put the finished ``staging`` folder's files in place in ``final`` (see the module's notes):
    ParamsError, changing nothing, when a file to write is not the build's own."""
    interrupts.check()  # a stop whose exception was swallowed publishes nothing either
    if not os.path.lexists(final):
        try:  # the first build of the year: the folder itself, in one rename
            os.rename(staging, final)
            return
        except OSError as exc:  # made meanwhile, not empty: file by file, as always
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    plan = _plan(staging, final)
    files.write_atomic(staging / JOURNAL, json.dumps(plan).encode())
    with interrupts.deferred():
        try:
            _apply(staging, final, plan)
        except BaseException:
            _roll_back(staging, final, plan)  # when this fails too, the journal stays for the next build
            (staging / JOURNAL).unlink()
            raise
        _tidy(final, plan)
        shutil.rmtree(staging, ignore_errors=True)


def recover(staging: Path, final: Path) -> None:
    """Finish a publishing cut short (SIGKILL, power cut) from its journal: put the previous year back
    when the manifest had not moved yet; after it had, only the clearing up was left."""
    plan = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    with interrupts.deferred():
        if os.path.lexists(staging / MANIFEST):
            _roll_back(staging, final, plan)
        else:
            _tidy(final, plan)
        (staging / JOURNAL).unlink()


def unpublish(out_dir: Path) -> None:
    """Remove what builds wrote under ``out_dir`` (``make clean``): each year's own files (those its
    manifest lists, and the manifest), what interrupted builds left, failed notebooks, the index and the
    locks; a folder left empty goes too. Every other file — the analyst's — stays where it is."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir() or out_dir.is_symlink():
        return
    for final in sorted(p for p in out_dir.iterdir() if p.name.isdigit() and p.is_dir() and not p.is_symlink()):
        for rel in sorted(owned(final), reverse=True):
            if not _through_a_link(final, rel) and os.path.lexists(final / rel) and not (final / rel).is_dir():
                (final / rel).unlink()
        for folder in (final / UNIT_SHEETS, final):
            with contextlib.suppress(OSError):
                folder.rmdir()
    for debris in [*out_dir.glob(".staging-*"), *out_dir.glob(".unit-*"), out_dir / "_failed", out_dir / ".locks"]:
        shutil.rmtree(debris, ignore_errors=True)
    (out_dir / "index.html").unlink(missing_ok=True)
