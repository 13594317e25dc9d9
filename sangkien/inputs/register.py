"""The register of initiatives (contract section 2): read, checked and kept.

``read_register(path, blocks[, reorganisation, until])`` returns a :class:`Register` or raises :class:`DataError` listing
every problem, one line each, naming the file, the row as Excel numbers it, the column as written
in the file, the value and what was expected. The user's file is only ever opened for reading.

The work is shared out: :mod:`~sangkien.inputs.reading` reads the file, :mod:`~sangkien.inputs.cells`
reads cell values, :mod:`~sangkien.inputs.sheet` lays the rows out as columns and
:mod:`~sangkien.inputs.rules` holds the rules, each read from :mod:`~sangkien.inputs.schema`.
"""
from __future__ import annotations

import gc
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sangkien.errors import DataError
from sangkien.files import sha256_bytes
from sangkien.inputs import renames
from sangkien.inputs.cells import cell_text, parse_number, parse_year
from sangkien.inputs.params import Reorganisation
from sangkien.inputs.reading import read_bytes, read_table
from sangkien.inputs.rules import problems
from sangkien.inputs.sheet import sheet_of

__all__ = ["FRAME_COLUMNS", "Register", "cell_text", "load_snapshot", "parse_number", "parse_year", "read_bytes",
           "read_register", "read_table", "save_snapshot", "validate"]

FRAME_COLUMNS = ("row", "ma_so", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc", "ket_qua",
                 "nam", "so_tien_lam_loi", "diem")


@dataclass
class Register:
    """A validated register: one row per initiative, canonical columns, Excel row numbers in ``row``.

    ``columns`` holds each column as a list (this layer never imports pandas: the frame is made by
    :func:`sangkien.figures.frame`). ``sha256`` is the digest of the very bytes that were validated.
    """

    path: Path
    columns: dict[str, list]
    headers: dict[str, str] = field(default_factory=dict)
    """Column id -> the header as written in the file."""
    sha256: str = ""
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    """What later layers derive from the register once (the pandas frame)."""
    blocks: tuple[str, ...] = ()
    """The blocks it was checked against, in report order."""
    reorganisation: Reorganisation | None = None
    """The mapping of earlier names onto today's it was read with; ``columns`` then also holds the names as
    written (:data:`sangkien.inputs.renames.ORIGINAL`)."""

    def __len__(self) -> int:
        return len(self.columns["row"])

    @property
    def years(self) -> list[int]:
        return sorted(set(self.columns["nam"]))


def validate(path: Path, rows: list[list], blocks: Iterable[str], reorganisation: Reorganisation | None = None,
             until: int | None = None) -> Register:
    """Check every row against every rule; return the register or raise DataError with every problem.

    ``reorganisation``: old blocks and units are counted under today's names (:mod:`~sangkien.inputs.renames`);
    ``until``: the report year, after which a row's block need not be one of ``blocks``."""
    blocks = tuple(blocks)
    sheet = sheet_of(Path(path), rows, blocks)
    sheet.until = until
    renames.apply(sheet, reorganisation)
    found = problems(sheet)
    if found:
        raise DataError(found)
    columns = sheet.columns()
    kept = {cid: columns[cid] for cid in FRAME_COLUMNS} | renames.originals(sheet, reorganisation)
    return Register(path=sheet.path, columns=kept, headers=sheet.written, blocks=blocks,
                    reorganisation=reorganisation or None)


def save_snapshot(register: Register, target: Path) -> None:
    """Keep a validated register for a notebook's kernel (handed over as the ``register_file`` parameter),
    so that every part of one build describes the same bytes."""
    payload = {"path": str(register.path), "sha256": register.sha256, "columns": register.columns,
               "headers": register.headers, "blocks": register.blocks, "reorganisation": register.reorganisation}
    with open(target, "wb") as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)


def load_snapshot(source: str | Path) -> Register:
    """The register :func:`save_snapshot` kept."""
    with open(source, "rb") as f:
        payload = pickle.load(f)
    return Register(path=Path(payload["path"]), columns=payload["columns"], headers=payload["headers"],
                    sha256=payload["sha256"], blocks=payload.get("blocks", ()),
                    reorganisation=payload.get("reorganisation"))


def read_register(path: str | Path, blocks: Iterable[str], reorganisation: Reorganisation | None = None,
                  until: int | None = None) -> Register:
    """Read and validate a register file (.xlsx or .csv); ``reorganisation`` and ``until`` as :func:`validate`."""
    path = Path(path)
    blocks = list(blocks)
    # A large register is a million small objects and no reference cycles: the cyclic garbage
    # collector would only spend a tenth of the time walking them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = read_bytes(path)
        register = validate(path, read_table(path, data), blocks, reorganisation, until)
        register.sha256 = sha256_bytes(data)
        return register
    finally:
        if collecting:
            gc.enable()
