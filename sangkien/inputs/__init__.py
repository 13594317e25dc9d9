"""The inputs layer: the register (``register``: reading the file, cell values, the sheet, the rules,
legacy encodings), the parameters (``params``, listed by ``paramdoc``), the register's schema, and the
snapshot of both a build hands its kernels (``snapshot``).

Nothing here imports pandas, matplotlib or anything of the layers above: ``check`` runs on this layer alone.
"""
from __future__ import annotations

from pathlib import Path

from sangkien.errors import ParamsError
from sangkien.inputs import snapshot
from sangkien.inputs.params import Params, default_blocks, default_blocks_and_reorganisation, load_params
from sangkien.inputs.register import Register, read_register


def load(year: int | None, params_file=None, data_file=None, register_file=None) -> tuple[Params, Register]:
    """The year's parameters, then the register they name, both validated (ParamsError, then DataError).

    ``register_file``: the snapshot a build kept (:func:`sangkien.inputs.snapshot.save`) of the parameters
    and register it validated; used instead of reading any file again (``params_file`` and ``data_file``
    are then not read)."""
    if register_file:
        return snapshot.load(register_file, year)
    params = snapshot.keep(load_params(year, params_file or None, data_file or None))
    register = read_register(params.data, params.blocks, params.reorganisation, until=params.year)
    _require_period(params, register)
    return params, register


def _require_period(params: Params, register: Register) -> None:
    """ParamsError when ``period_start`` is not before the year — the year has no comparison period —
    although the register holds earlier years: the report would say there is nothing to compare with. (The
    first year of a register, with nothing before it, may say so: ``period_start`` the year itself.)"""
    earlier = [y for y in register.years if y < params.year]
    if params.period_start >= params.year and earlier:
        raise ParamsError(f'{params.params_file}: "period_start" ({params.period_start}) không trước năm báo cáo '
                          f"({params.year}) nên không có giai đoạn so sánh, nhưng sổ đăng ký có số liệu năm "
                          f"{earlier[0]}–{earlier[-1]}; ghi period_start: {earlier[0]} (hoặc một năm trước "
                          f"{params.year}) trong tệp tham số của năm")


def blocks_of(params_file: str | Path | None = None) -> tuple[str, ...]:
    """The blocks of a parameters file (or of the shared defaults)."""
    if params_file is not None:
        return tuple(load_params(None, params_file, require_data=False).blocks)
    return tuple(default_blocks())


def check(file: str | Path, params_file: str | Path | None = None) -> Register:
    """Validate a register against the blocks of a parameters file (or the shared defaults), with its
    ``reorganisation``: old names are counted under today's. A parameters file's year is the report's: a row
    of a later year may name another block, as when building."""
    if params_file is not None:
        params = load_params(None, params_file, require_data=False)
        return read_register(file, params.blocks, params.reorganisation, until=params.year)
    return read_register(file, *default_blocks_and_reorganisation())
