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
from pathlib import Path

from sangkien.errors import ParamsError
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register


def _payload(params: Params, register: Register) -> dict:
    return {"params": params, "path": str(register.path), "sha256": register.sha256,
            "columns": register.columns, "headers": register.headers, "blocks": register.blocks,
            "reorganisation": register.reorganisation}


def dumps(params: Params, register: Register) -> bytes:
    """The validated parameters and register as bytes, as :func:`save` writes them (a Dask task carries them)."""
    return pickle.dumps(_payload(params, register), protocol=pickle.HIGHEST_PROTOCOL)


def save(params: Params, register: Register, target: Path) -> None:
    """Keep the validated parameters and register for a notebook's kernel (``register_file``); streamed to
    the file, never whole in memory (a national register's snapshot is hundreds of megabytes)."""
    with open(target, "wb") as f:
        pickle.dump(_payload(params, register), f, protocol=pickle.HIGHEST_PROTOCOL)


def load(source: str | Path, year: int | None = None) -> tuple[Params, Register]:
    """The parameters and register :func:`save` (or :func:`dumps`) kept (ParamsError when they are not of
    ``year``)."""
    with open(source, "rb") as f:
        params, register = _restored(pickle.load(f))
    if year is not None and params.year != year:
        raise ParamsError(f"{source}: bản sổ đăng ký đã kiểm tra là của năm {params.year}, không phải năm {year}")
    return params, register


def _restored(payload: dict) -> tuple[Params, Register]:
    register = Register(path=Path(payload["path"]), columns=payload["columns"], headers=payload["headers"],
                        sha256=payload["sha256"], blocks=payload["blocks"], reorganisation=payload["reorganisation"])
    return payload["params"], register
