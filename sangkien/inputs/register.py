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
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sangkien.errors import DataError
from sangkien.files import sha256_bytes
from sangkien.inputs import kept, layout, renames
from sangkien.inputs.cells import cell_text, parse_number, parse_year
from sangkien.inputs.reading import read_bytes, read_sources
from sangkien.inputs.renames import Reorganisation
from sangkien.inputs.rules import problems
from sangkien.inputs.sheet import Sheet, sheet_of_tables

__all__ = ["FRAME_COLUMNS", "Register", "cell_text", "combined", "of_payload", "packed", "parse_number",
           "parse_year", "payload", "unpacked", "read_bytes", "read_register", "register_of",
           "sheet_problems"]

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
    reading: list[str] = field(default_factory=list, compare=False)
    """What was read and what was left out (sheets, header rows, rows, columns), one line each; empty for a
    plain table read whole."""
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    """What later layers derive from the register once (the pandas frame)."""
    blocks: tuple[str, ...] = ()
    """The blocks it was checked against, in report order."""
    reorganisation: Reorganisation | None = None
    """The mapping of earlier names onto today's it was read with; ``columns`` then also holds the names as
    written (:data:`sangkien.inputs.renames.ORIGINAL`)."""
    checked_with: str = ""
    """Which parameters it was checked against, in words (``check`` says it)."""
    kept_at: Path | None = field(default=None, repr=False, compare=False)
    """The entry it is kept in between commands (:func:`sangkien.inputs.kept.keep_register`), if it is; whole once
    :func:`sangkien.inputs.kept.written` says so (a forked copy of the command may be writing it)."""

    def __len__(self) -> int:
        return len(self.columns["row"])

    @property
    def years(self) -> list[int]:
        return sorted(set(self.columns["nam"]))


def combined(path: Path, sources: list, blocks: Iterable[str], name_sheets: bool = False
             ) -> tuple[Sheet, layout.Tables]:
    """The register's tables in the file's sheets (``sources``), as one Sheet; DataError for a file without
    a register's header, with a bad header, or without a row."""
    found = layout.tables_of(Path(path), sources, name_sheets=name_sheets)
    if found.problems:
        raise DataError(found.problems)
    return sheet_of_tables(found.tables, tuple(blocks)), found


def register_of(sheet: Sheet, reorganisation: Reorganisation | None = None, until: int | None = None) -> Register:
    """Check every row against every rule; the register, or DataError with every problem.

    ``reorganisation``: old blocks and units are counted under today's names (:mod:`~sangkien.inputs.renames`);
    ``until``: the report year, after which a row's block need not be one of the blocks."""
    blocks = sheet.blocks
    found = sheet_problems(sheet, reorganisation, until)
    if found:
        raise DataError(found)
    columns = sheet.columns()
    kept = {cid: columns[cid] for cid in FRAME_COLUMNS} | renames.originals(sheet, reorganisation)
    return Register(path=sheet.path, columns=kept, headers=sheet.written, blocks=blocks,
                    reorganisation=reorganisation or None)


def sheet_problems(sheet: Sheet, reorganisation: Reorganisation | None = None, until: int | None = None) -> list[str]:
    """Every problem of the sheet's rows under the parameters: the one decision on a register's validity, for
    ``check``, a build and ``collect`` alike. The old names of ``reorganisation`` are changed to today's first
    (``sheet.renamed`` keeps them as written); a row of a year after ``until`` may name another block."""
    sheet.until = until
    renames.apply(sheet, reorganisation)
    return problems(sheet)


def read_register(path: str | Path, blocks: Iterable[str], reorganisation: Reorganisation | None = None,
                  until: int | None = None, keep_validated: bool = False) -> Register:
    """Read and validate a register file (.xlsx or .csv); ``reorganisation`` and ``until`` as :func:`register_of`.
    A large register's parsed form is kept between commands (:mod:`~sangkien.inputs.kept`), and with
    ``keep_validated`` (a build, ``check``) the register the rules passed too: taken again under the same
    rules, and by a build of any year when ``check`` held every year's rows to the blocks (``until`` None)."""
    path = Path(path)
    blocks = list(blocks)
    # A large register is a million small objects and no reference cycles: the cyclic garbage
    # collector would only spend a tenth of the time walking them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        register = _read(path, blocks, reorganisation, until, keep_validated)
    finally:
        if collecting:
            gc.enable()
    give_back_memory()  # the file's bytes, its cells and calamine's copy of them are gone now
    out_of_collector(register)
    return register


FROZEN_FROM = 20_000
"""Rows of a register from which, once read, it is kept out of the cyclic garbage collector's walks
(:func:`out_of_collector`)."""


def out_of_collector(register: Register) -> None:
    """A large register's columns kept out of the cyclic garbage collector's full passes (``gc.freeze``:
    what the collector tracks now goes to its permanent generation, which it never walks; objects are still
    freed when nothing refers to them). A full pass visits every element of every list it walks: a million
    rows' columns cost each pass a third of a second, and a build ran four of them (1.1 s) while it made the
    report, its kernel some more. Registers under :data:`FROZEN_FROM` rows are left alone (nothing to gain).
    What is garbage in a reference cycle at that moment stays until the process ends (a build's process, a
    kernel, a worker's): little, as the reading runs with the collector off."""
    if len(register) >= FROZEN_FROM:
        gc.freeze()


def _read(path: Path, blocks: list[str], reorganisation: Reorganisation | None, until: int | None,
          keep_validated: bool) -> Register:
    data = read_bytes(path)
    sha256 = sha256_bytes(data)
    rules = kept.rules_of(blocks, reorganisation, until) if keep_validated else ""
    found = kept.load_register(sha256, rules) if keep_validated else None
    if found is None and keep_validated and until is not None:
        # validated with every year's rows held to the blocks (`check`): it holds for any report year, whose
        # rules only let the rows after it name another block, and the register is the same
        found = kept.load_register(sha256, kept.rules_of(blocks, reorganisation, None))
    if found is not None:
        register = of_payload(found[0], path)
        register.kept_at = found[1]
        return register
    parsed = kept.load(path, sha256)
    if parsed is None:
        sheet, found = combined(path, read_sources(path, data), blocks)
        reading = layout.report(found, is_csv=path.suffix.lower() == ".csv")
        del data, found
        sheet.read_numbers()
        kept.keep(sha256, sheet, reading)  # by a forked copy, while the rules run here
    else:
        del data
        sheet, reading = parsed
        sheet.blocks = tuple(blocks)
    register = register_of(sheet, reorganisation, until)
    register.sha256, register.reading = sha256, reading
    if keep_validated:
        register.kept_at = kept.keep_register(sha256, lambda: payload(register), len(register), rules)
    return register


def payload(register: Register) -> dict:
    """A validated register as plain data: what a kept entry (:mod:`~sangkien.inputs.kept`) and a build's
    snapshot (:mod:`~sangkien.inputs.snapshot`) hold of it; its columns as :func:`packed` gives them."""
    return {"sha256": register.sha256, "columns": packed(register.columns), "headers": register.headers,
            "reading": register.reading, "blocks": register.blocks, "reorganisation": register.reorganisation}


def of_payload(data: dict, path: Path) -> Register:
    """The register of :func:`payload`, its file named as ``path``."""
    return Register(path=path, columns=unpacked(data["columns"]), headers=data["headers"], sha256=data["sha256"],
                    reading=data["reading"], blocks=data["blocks"], reorganisation=data["reorganisation"])


def packed(columns: dict[str, list]) -> bytes | dict[str, list]:
    """A register's columns as ``marshal`` bytes (plain values only: texts, numbers; a million rows' columns in
    0.38 s where pickle took 0.96 s, read back as quickly), or as they are when a value is not plain.

    >>> unpacked(packed({"nam": [2023, 2023], "diem": [80.5, float("nan")]}))["nam"]
    [2023, 2023]
    """
    try:
        return marshal.dumps(columns)
    except ValueError:
        return columns


def unpacked(columns: bytes | dict[str, list]) -> dict[str, list]:
    """The columns :func:`packed` gave."""
    return marshal.loads(columns) if isinstance(columns, bytes) else columns


def give_back_memory() -> None:
    """Hand the memory the reading freed back to the system (glibc keeps it otherwise: calamine's copy of a
    large sheet is a third of a gigabyte the build would hold while its kernel runs). Nothing elsewhere."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
