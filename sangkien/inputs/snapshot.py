"""One build, one snapshot of its inputs: the parameters and the register exactly as the build validated
them, handed to every notebook's kernel (the notebook parameter ``register_file``).

A build reads the register's bytes once (:func:`~sangkien.inputs.register.read_register`) and its
parameters files once; the kernels, the annex and the manifest all work from what was read then, so a
file saved over the register (or the parameters) while a build runs changes nothing in that build, and
the next build sees the change. The parameters carry the digest of the bytes they were parsed from
(``Params.sha256()``), so the fingerprint, the manifest and the report's colophon name the same bytes.
"""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from sangkien.errors import ParamsError
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register, of_payload, out_of_collector, payload

# A snapshot is two pickles, one after the other: the register as a kept entry holds it
# (:func:`sangkien.inputs.register.payload`), then the parameters and the register's file name.


def _header(params: Params, register: Register) -> bytes:
    return pickle.dumps({"params": params, "path": str(register.path)}, protocol=pickle.HIGHEST_PROTOCOL)


def dumps(params: Params, register: Register) -> bytes:
    """The validated parameters and register as bytes, as :func:`save` writes them (a Dask task carries them)."""
    return pickle.dumps(payload(register), protocol=pickle.HIGHEST_PROTOCOL) + _header(params, register)


def save(params: Params, register: Register, target: Path) -> None:
    """Keep the validated parameters and register for a notebook's kernel (``register_file``): a register kept
    between commands is copied from its entry (the bytes are already written), any other streamed to the
    file, never whole in memory (a national register's snapshot is a hundred megabytes)."""
    if not _copied(register, target):
        with open(target, "wb") as f:
            pickle.dump(payload(register), f, protocol=pickle.HIGHEST_PROTOCOL)
    with open(target, "ab") as f:
        f.write(_header(params, register))


def _copied(register: Register, target: Path) -> bool:
    """Whether the register's kept entry was copied to ``target`` (once written whole: not when it has none,
    its writing failed, or it went meanwhile)."""
    from sangkien.inputs import kept

    if register.kept_at is None or not kept.written(register.kept_at):
        return False
    try:
        shutil.copyfile(register.kept_at, target)
    except OSError:
        return False
    return True


def load(source: str | Path, year: int | None = None) -> tuple[Params, Register]:
    """The parameters and register :func:`save` (or :func:`dumps`) kept (ParamsError when they are not of
    ``year``)."""
    with open(source, "rb") as f:
        data = pickle.load(f)
        header = pickle.load(f)
    params = header["params"]
    if year is not None and params.year != year:
        raise ParamsError(f"{source}: bản sổ đăng ký đã kiểm tra là của năm {params.year}, không phải năm {year}")
    register = of_payload(data, Path(header["path"]))
    out_of_collector(register)  # a kernel's: read back, kept out of the collector's walks as when read
    return params, register
