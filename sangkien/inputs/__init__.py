"""The inputs layer: the register (``register``: reading the file, cell values, the sheet, the rules,
legacy encodings), the parameters (``params``, listed by ``paramdoc``), and the register's schema.

Nothing here imports pandas, matplotlib or anything of the layers above: ``check`` runs on this layer alone.
"""
from __future__ import annotations

from pathlib import Path

from sangkien.inputs.params import Params, default_blocks, load_params
from sangkien.inputs.register import Register, load_snapshot, read_register


def load(year: int | None, params_file=None, data_file=None, register_file=None) -> tuple[Params, Register]:
    """The year's parameters, then the register they name, both validated (ParamsError, then DataError).

    ``register_file``: a snapshot the build kept (:func:`~sangkien.inputs.register.save_snapshot`) of the
    register it validated; used instead of reading the register file again."""
    params = load_params(year, params_file or None, data_file or None, require_data=not register_file)
    if register_file:
        return params, load_snapshot(register_file)
    return params, read_register(params.data, params.blocks)


def blocks_of(params_file: str | Path | None = None) -> tuple[str, ...]:
    """The blocks of a parameters file (or of the shared defaults)."""
    if params_file is not None:
        return tuple(load_params(None, params_file, require_data=False).blocks)
    return tuple(default_blocks())


def check(file: str | Path, params_file: str | Path | None = None) -> Register:
    """Validate a register against the blocks of a parameters file (or the shared defaults)."""
    return read_register(file, blocks_of(params_file))
