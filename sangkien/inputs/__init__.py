"""The inputs layer: the register (``register``: reading the file, cell values, the sheet, the rules,
legacy encodings), the parameters (``params``, listed by ``paramdoc``), the register's schema, and the
snapshot of both a build hands its kernels (``snapshot``).

Nothing here imports pandas, matplotlib or anything of the layers above: ``check`` runs on this layer alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs import snapshot
from sangkien.inputs.params import Params, default_blocks_and_reorganisation, load_params
from sangkien.inputs.register import Register, read_register
from sangkien.inputs.renames import Reorganisation


def load(year: int | None, params_file=None, data_file=None, register_file=None) -> tuple[Params, Register]:
    """The year's parameters, then the register they name, both validated (ParamsError, then DataError).

    ``register_file``: the snapshot a build kept (:func:`sangkien.inputs.snapshot.save`) of the parameters
    and register it validated; used instead of reading any file again (``params_file`` and ``data_file``
    are then not read)."""
    if register_file:
        return snapshot.load(register_file, year)
    params = load_params(year, params_file or None, data_file or None)
    register = read_register(params.data, params.blocks, params.reorganisation, until=params.year, keep_validated=True)
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


@dataclass(frozen=True)
class Validity:
    """What a register is checked against (``check`` and ``collect`` alike): the blocks, the reorganisation
    mapping earlier names onto today's, and the report year after which a row's block is not checked."""

    blocks: tuple[str, ...]
    reorganisation: Reorganisation
    until: int | None = None
    said: str = ""
    """Which parameters these are, in words, when none were given (``check`` and ``collect`` say it); empty for
    a file given with ``--params``."""


YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")


def latest_params_file(params_dir: str | Path | None = None) -> Path | None:
    """The parameters file of the latest year in ``params/`` (``params/2025.yaml``), None when there is none."""
    folder = Path(params_dir) if params_dir is not None else paths.PARAMS_DIR
    years = sorted((int(m.group(1)), p) for p in folder.glob("*.yaml") if (m := YEAR_FILE.match(p.name)))
    return years[-1][1] if years else None


def validity(params_file: str | Path | None = None) -> Validity:
    """The blocks, reorganisation and year of a parameters file; without one, those of the latest year's
    file in ``params/`` (every year's rows checked: ``until`` is None), else of the shared defaults."""
    if params_file is not None:
        params = load_params(None, params_file, require_data=False)
        return Validity(params.blocks, params.reorganisation, params.year)
    latest = latest_params_file()
    if latest is not None:
        params = load_params(None, latest, require_data=False)
        return Validity(params.blocks, params.reorganisation, None,
                        f"theo tham số của năm mới nhất trong {paths.PARAMS_DIR.name}/: {latest} "
                        "(chọn tệp khác bằng --params)")
    blocks, reorganisation = default_blocks_and_reorganisation()
    return Validity(blocks, reorganisation, None, f"theo tham số chung {paths.DEFAULTS_FILE}")


def check(file: str | Path, params_file: str | Path | None = None) -> Register:
    """Validate a register against :func:`validity` of a parameters file (or of the latest year's): its blocks
    and its ``reorganisation`` (old names are counted under today's). A parameters file's year is the
    report's: a row of a later year may name another block, as when building. A large register that passes
    is kept as it passed (:func:`~sangkien.inputs.register.read_register`): the build that follows takes it."""
    rules = validity(params_file)
    register = read_register(file, rules.blocks, rules.reorganisation, until=rules.until, keep_validated=True)
    register.checked_with = rules.said
    return register
