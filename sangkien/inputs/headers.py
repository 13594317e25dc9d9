"""The register's header row: found among a sheet's first rows, and each of its cells read as a column of the
schema (contract section 2).

A header cell is read, in this order, as: a column's id, label or alias (any case, spaces, accents); a column
with its unit in brackets ('Số tiền làm lợi (triệu đồng)', 'Điểm (thang 100)'), the amounts then scaled to
the column's unit; or a header that *resembles* a column (its label inside it, 'Đơn vị công tác'; or a near
spelling, 'Tên sáng kến'). A resembling header is used when nothing else claims the column and it resembles
one column only, and the reading says so; otherwise it is refused with the reason, never dropped silently.
'STT' is never a column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable

from sangkien.inputs import schema
from sangkien.inputs.cells import cell_text, is_blank
from sangkien.inputs.shown import thousands

HEAD_ROWS = 30
"""The header row is looked for among this many first rows of a sheet."""
MIN_REQUIRED = (len(schema.REQUIRED) + 1) // 2
"""A row is a register's header when it names at least half of the required columns (a summary sheet's
"Đơn vị | Khối | Số tiền làm lợi" is not one; a register's header missing a column or two is, and the
missing columns are named)."""

EXACT, UNIT, LIKE, AMBIGUOUS, REFUSED = "exact", "unit", "like", "ambiguous", "refused"
_BRACKETS = re.compile(r"^(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Reading:
    """How one header cell is read: as which column, how sure, and (for an amount) times what."""

    column: str
    how: str
    scale: float = 1.0
    why: str = ""
    """LIKE: what it resembles by; REFUSED: why it cannot be read."""
    others: tuple[str, ...] = ()
    """AMBIGUOUS: every column it resembles."""
    unit: bool = False
    """The header names the column's unit (so a unit said above the table does not apply)."""


def _words(text: str, plain: bool) -> tuple[str, ...]:
    return tuple(_WORD.findall(schema.strip_accents(text) if plain else schema.fold(text)))


_NAMES = [(c.id, name) for c in schema.COLUMNS for name in (c.label,) + c.aliases]
_NAME_WORDS = {plain: [(cid, _words(name, plain)) for cid, name in _NAMES] for plain in (False, True)}
_NAME_KEYS = [(cid, schema.header_key(name)) for cid, name in _NAMES]


def _inside(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is known to be more than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _near_limit(key: str) -> int:
    return 2 if len(key) >= 10 else 1 if len(key) >= 5 else 0


def _resembles(text: str) -> list[tuple[str, str]]:
    """The columns ``text`` resembles, each with how: (column id, 'its label inside' or 'a near spelling')."""
    plain = text.isascii()
    words, key = _words(text, plain), schema.header_key(text)
    found: dict[str, str] = {}
    for cid, name_words in _NAME_WORDS[plain]:
        if name_words and _inside(words, name_words):
            found.setdefault(cid, "có tên cột trong đó")
    for cid, name_key in _NAME_KEYS:
        limit = _near_limit(name_key)
        if cid not in found and limit and _distance(key, name_key, limit) <= limit:
            found[cid] = "viết gần giống"
    return list(found.items())


def _with_unit(column: schema.Column, unit: str) -> Reading:
    if not column.units:  # a note in brackets ('Tác giả (họ và tên)'): the column, said
        return Reading(column.id, UNIT, why=f'phần trong ngoặc "({unit})" là ghi chú')
    factor = schema.unit_factors(column).get(schema.header_key(unit))
    if factor is None:
        first = {}
        for name, unit_factor in column.units:
            first.setdefault(unit_factor, name)
        accepted = ", ".join(f"({name})" for name in first.values())
        return Reading(column.id, REFUSED, why=f'không đọc được đơn vị "({unit})"; cần một trong: {accepted}')
    return Reading(column.id, UNIT, scale=factor, unit=True)


@lru_cache(maxsize=8192)
def read_cell(text: str) -> Reading | None:
    """How a header cell (already through ``cell_text``) is read; None: not a column of the register.

    >>> read_cell("Số tiền làm lợi (triệu đồng)").scale
    1000000.0
    >>> read_cell("Đơn vị công tác").how, read_cell("STT")
    ('like', None)
    """
    key = schema.header_key(text)
    if not key or key in schema.IGNORED_HEADERS or len(text) > 80:
        return None
    if key in schema.HEADER_KEYS:
        return Reading(schema.HEADER_KEYS[key], EXACT)
    bracketed = _BRACKETS.match(text)
    if bracketed and schema.header_key(bracketed[1]) in schema.HEADER_KEYS:
        return _with_unit(schema.BY_ID[schema.HEADER_KEYS[schema.header_key(bracketed[1])]], bracketed[2].strip())
    base, unit = (bracketed[1], bracketed[2].strip()) if bracketed else (text, None)
    like = _resembles(base)
    if len(like) > 1:
        return Reading(like[0][0], AMBIGUOUS, others=tuple(cid for cid, _ in like))
    if not like:
        return None
    column, why = schema.BY_ID[like[0][0]], like[0][1]
    unit = unit or _unit_after(base, column)
    if column.units and unit:  # 'Số tiền làm lợi dự kiến (triệu đồng)', 'Tổng số tiền làm lợi, triệu đồng'
        reading = _with_unit(column, unit)
        return Reading(column.id, LIKE if reading.how == UNIT else REFUSED, reading.scale, reading.why or why,
                       unit=True)
    return Reading(column.id, LIKE, why=why)


_MONEY_WORDS = frozenset(("đ", "đồng", "vnđ", "vnd", "nghìn", "ngàn", "triệu", "tr", "tỷ", "tỉ", "usd"))


def _unit_after(text: str, column: schema.Column) -> str | None:
    """The words after a column's label in a header, when they say a unit ('… làm lợi triệu đồng')."""
    if not column.units:
        return None
    words = _words(text, False)
    for name in (column.label,) + column.aliases:
        label = _words(name, False)
        for i in range(len(words) - len(label) + 1):
            if words[i:i + len(label)] == label:
                after = words[i + len(label):]
                return " ".join(after) if any(w in _MONEY_WORDS for w in after) else None
    return None


def _readings(row: list) -> list[tuple[int, str, Reading]]:
    """(position, header as written, reading) of every cell of ``row`` read as a column."""
    found = []
    for position, value in enumerate(row):
        if isinstance(value, str) and value:
            text = cell_text(value)
            reading = read_cell(text)
            if reading is not None:
                found.append((position, text, reading))
    return found


def score(row: list) -> tuple[int, int]:
    """How many of the required columns, and of all the schema's columns, a row names (a cell that
    resembles several columns counts for none)."""
    named = {r.column for _, _, r in _readings(row) if r.how != AMBIGUOUS}
    return len(named & set(schema.REQUIRED)), len(named)


def find_header(head: list[list]) -> int | None:
    """The index of the header row among ``head`` (a sheet's first rows): of the rows naming at least
    MIN_REQUIRED required columns, the first that names the most columns."""
    best, index = 0, None
    for i, row in enumerate(head):
        required, named = score(row)
        if required >= MIN_REQUIRED and named > best:
            best, index = named, i
    return index


@dataclass
class Header:
    """The header row of a table: where each column is, as written, and what was read how."""

    index: int
    """The header row's index in the sheet (0 is Excel's row 1)."""
    span: int = 1
    """Rows the header takes: 2 when the row under it names more columns (a header of two rows)."""
    positions: dict[str, int] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What was read by resemblance or with a unit, and what was set aside and why (said, never silent)."""
    problems: list[str] = field(default_factory=list)
    with_unit: set[str] = field(default_factory=set)
    """The columns whose header names their unit."""


def _claim(header: Header, place: Callable[[int], str], row: int, position: int, text: str, reading: Reading) -> None:
    cid = reading.column
    if cid in header.positions:
        header.problems.append(f'{place(row)}: cột "{text}" và cột "{header.written[cid]}" cùng là '
                               f'"{schema.BY_ID[cid].label}"; hãy giữ một cột')
        return
    header.positions[cid], header.written[cid] = position, text
    said = [f'đọc là "{schema.BY_ID[cid].label}" ({reading.why})'] if reading.why else []
    if reading.unit:
        header.with_unit.add(cid)
    if reading.scale != 1:
        header.scales[cid] = reading.scale
        said.append(f"số tiền nhân {thousands(round(reading.scale))} thành đồng")
    if said:
        header.notes.append(f'"{text}"' + (" " if reading.why else ": ") + ", ".join(said))


def _settle_resembling(header: Header, place: Callable[[int], str], pending: list) -> set[str]:
    """Resembling, ambiguous and refused cells, once the sure ones have claimed their columns: each is used
    (it resembles one free column, and no other cell does), set aside (its columns are taken: said), or
    refused with the reason (a problem). Returns the columns a refused cell stands for (not also missing)."""
    refused: set[str] = set()
    targets = []
    for row, position, text, reading in pending:
        free = [cid for cid in (reading.others or (reading.column,)) if cid not in header.positions]
        if not free:
            header.notes.append(f'bỏ qua "{text}" (đã có cột "{header.written[reading.column]}")')
        elif reading.how == REFUSED:
            header.problems.append(f'{place(row)}: cột "{text}": {reading.why}')
            refused.add(reading.column)
        elif len(free) > 1:
            labels = " và ".join(f'"{schema.BY_ID[cid].label}"' for cid in free)
            header.problems.append(f'{place(row)}: cột "{text}" giống cả cột {labels}; hãy đặt lại tên cột '
                                   "đúng tên một cột của sổ")
            refused.update(free)
        else:
            why = reading.why or "các cột khác nó giống đã có"
            targets.append((row, position, text, replace(reading, column=free[0], how=LIKE, why=why, others=())))
    for row, position, text, reading in targets:
        rivals = [t for _, _, t, r in targets if r.column == reading.column]
        if len(rivals) == 1:
            _claim(header, place, row, position, text, reading)
        elif rivals[0] == text:
            label = schema.BY_ID[reading.column].label
            names = " và ".join(f'"{t}"' for t in rivals)
            header.problems.append(f'{place(row)}: các cột {names} đều giống cột "{label}"; hãy đặt tên cột cần '
                                   f'đọc là "{label}"')
            refused.add(reading.column)
    return refused


def _sub_header(header: Header, rows: list[list], index: int) -> list:
    """The readings of the row under the header when it names more columns (a header of two rows: "Hiệu
    quả" over "Số tiền làm lợi" and "Điểm"): a row that is blank under most columns already named."""
    if index + 1 >= len(rows) or not header.positions:
        return []
    below = rows[index + 1]
    filled = sum(1 for pos in header.positions.values() if pos < len(below) and not is_blank(below[pos]))
    if 2 * filled >= len(header.positions):
        return []  # a row of data, or of column numbers
    return [r for r in _readings(below) if r[2].column not in header.positions or r[2].others]


_UNIT_LINE = re.compile(r"^(?:đơn vị tính|đvt)\s*[:.]?\s*(.+)$")


def _unit_above(header: Header, rows: list[list], place: Callable[[int], str]) -> None:
    """'ĐVT: triệu đồng' (or 'Đơn vị tính: ...') above the table: the unit of an amount whose header names none."""
    money = [cid for cid in header.positions if schema.BY_ID[cid].units == schema.MONEY_UNITS
             and cid not in header.with_unit]
    for number, row in enumerate(rows[:header.index], start=1):
        for value in row:
            found = _UNIT_LINE.match(schema.fold(value)) if isinstance(value, str) else None
            if not found or not money:
                continue
            factor = schema.unit_factors(schema.BY_ID[money[0]]).get(schema.header_key(found[1]))
            said = cell_text(value)
            if factor is None and set(_words(found[1], False)) & _MONEY_WORDS:
                header.problems.append(f'{place(number)}: "{said}": không đọc được đơn vị; cần "ĐVT: đồng", '
                                       '"ĐVT: nghìn đồng", "ĐVT: triệu đồng" hoặc "ĐVT: tỷ đồng" (hoặc ghi đơn vị '
                                       'trong tiêu đề cột, "Số tiền làm lợi (triệu đồng)")')
            elif factor is not None and factor != 1:
                for cid in money:
                    header.scales[cid] = factor
                    header.notes.append(f'"{header.written[cid]}": số tiền nhân {thousands(round(factor))} thành đồng '
                                        f'(theo "{said}" ở dòng {number})')
            return


def read_header(rows: list[list], index: int, place: Callable[[int], str]) -> Header:
    """The header at ``rows[index]`` (and the row under it, for a header of two rows) read against the
    schema, with a unit said above the table; ``place(excel_row)`` names a row in a problem ('FILE: dòng 5')."""
    header = Header(index)
    readings = [(index + 1,) + r for r in _readings(rows[index])]
    for row, position, text, reading in readings:
        if reading.how in (EXACT, UNIT):
            _claim(header, place, row, position, text, reading)
    below = [(index + 2,) + r for r in _sub_header(header, rows, index)]
    if below:
        header.span = 2
        for row, position, text, reading in below:
            if reading.how in (EXACT, UNIT):
                _claim(header, place, row, position, text, reading)
    pending = [r for r in readings + below if r[3].how not in (EXACT, UNIT)]
    refused = _settle_resembling(header, place, pending)
    for cid in schema.REQUIRED:
        if cid not in header.positions and cid not in refused:
            header.problems.append(f'{place(index + 1)}: thiếu cột bắt buộc "{schema.BY_ID[cid].label}" '
                                   f'(hoặc "{cid}")')
    _unit_above(header, rows, place)
    return header
