"""Small file helpers every layer uses: a file's digest, a path as the user is shown it, writing a
file in one step (a temporary file beside it, renamed over it), a temporary folder of one's own, and
Office Open XML packages (.xlsx, .docx) with the same bytes on every run."""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from sangkien import paths


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def shown(path: str | Path, base: str | Path | None = None, outside: str = "absolute") -> str:
    """A path as the user is shown it: relative to ``base`` (default: the repository) when inside it,
    else the absolute path — or only the file's name with ``outside="name"`` (a published page names no
    folder of the analyst's machine).

    >>> shown(paths.ROOT / "params" / "2023.yaml"), shown("/home/a/so.xlsx", outside="name")
    ('params/2023.yaml', 'so.xlsx')
    """
    base = Path(base).resolve() if base is not None else paths.ROOT
    resolved = Path(path).resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return resolved.name if outside == "name" else str(resolved)


def printable(text: str | Path) -> str:
    r"""A file name as it can be printed and written into a workbook: bytes that are not UTF-8 (kept by
    Python as lone surrogates) shown escaped.

    >>> printable("b\udce1o-c\udce1o.xlsx"), printable("báo-cáo.xlsx")
    ('b\\xe1o-c\\xe1o.xlsx', 'báo-cáo.xlsx')
    """
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def write_new(target: str | Path, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``target`` in one step, only if no file is there when it lands (FileExistsError
    otherwise, the existing file untouched): of two writers racing for one name, the second is refused."""
    return _land(target, data, mode, os.link)  # a link fails when the name is taken, unlike a rename


def write_atomic(target: str | Path, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``target`` in one step: a reader sees the old file or the new one, never a part."""
    return _land(target, data, mode, os.replace)


def _land(target: str | Path, data: bytes, mode: int, place) -> Path:
    """``data`` written whole to a temporary file beside ``target``, then put in its place by ``place``
    (``os.replace`` or ``os.link``); the temporary file never left behind."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes it private; an output is an ordinary file
        place(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


@contextlib.contextmanager
def private_tempdir(prefix: str = "sangkien-"):
    """Within the block, every temporary file — this process's, its kernels' and workers' (``TMPDIR``),
    and the libraries' (nbclient, WeasyPrint, matplotlib) — goes into one new folder, removed with all it
    holds when the block ends, however it ends: nothing is left in the temporary folder."""
    folder = tempfile.mkdtemp(prefix=prefix)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = folder
    os.environ["TMPDIR"] = folder
    try:
        yield Path(folder)
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- Office Open XML packages
# openpyxl and python-docx stamp the time of saving on the package ('created', 'modified') and on every
# ZIP entry; :func:`deterministic_zip` writes the package again with fixed ones.
CORE = "docProps/core.xml"
"""The package part that holds the document's dates."""
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_core_dates(content: bytes, when: datetime.datetime) -> bytes:
    """``docProps/core.xml`` with the workbook's created and modified dates set to ``when``.

    >>> fixed_core_dates(b'<dcterms:modified xsi:type="x">2026-05-01T10:00:00Z</dcterms:modified>',
    ...                  datetime.datetime(2024, 1, 1))
    b'<dcterms:modified xsi:type="x">2024-01-01T00:00:00Z</dcterms:modified>'
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)


def stored_with(package: bytes, name: str, pieces) -> bytes:
    """The zip ``package`` again, entry by entry in its order, every entry stored (not deflated), the entry
    ``name`` holding ``pieces`` instead (bytes or memoryviews, written one after another, never joined: a
    sheet's XML may be hundreds of megabytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.external_attr = info.external_attr
            if info.filename != name:
                target.writestr(entry, source.read(info.filename))
                continue
            entry.file_size = sum(len(piece) for piece in pieces)
            with target.open(entry, "w", force_zip64=entry.file_size >= zipfile.ZIP64_LIMIT) as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def deterministic_zip(data: bytes, when: datetime.datetime, *, entry_time: tuple[int, ...] | None = None,
                      mode: int = 0o644, compresslevel: int | None = None) -> bytes:
    """The package ``data`` again, entry by entry in its order: the workbook dated ``when``, every entry
    dated ``entry_time`` (default: ``when``) with file mode ``mode``, deflated at ``compresslevel``
    (default: zlib's)."""
    entry_time = entry_time or when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == CORE:
                content = fixed_core_dates(content, when)
            entry = zipfile.ZipInfo(info.filename, date_time=entry_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = mode << 16
            target.writestr(entry, content, compresslevel=compresslevel)
    return out.getvalue()
