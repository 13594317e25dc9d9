"""The register's cells as columns: the header row mapped onto the schema, blank rows left out, and the
values each column holds once cleaned (what the rules check and the Register keeps), each worked out once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path

from sangkien.errors import DataError
from sangkien.inputs import encodings as legacy
from sangkien.inputs import schema
from sangkien.inputs.cells import (
    author_column,
    cell_text,
    column_texts,
    is_blank,
    parse_column,
    parse_number,
    parse_year,
)

TEXT_IDS = tuple(c.id for c in schema.COLUMNS if c.kind in schema.TEXT_KINDS)


def map_headers(path: Path, header_row: list) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column id -> position and -> header as written; problems with the header row."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[str] = []
    for i, raw in enumerate(header_row):
        text = cell_text(raw)
        column_id = schema.HEADER_KEYS.get(schema.header_key(text)) if text else None
        if column_id is None:
            continue
        if column_id in positions:
            problems.append(
                f'{path}: dòng 1: cột "{text}" và cột "{written[column_id]}" cùng là '
                f'"{schema.BY_ID[column_id].label}"; hãy giữ một cột'
            )
            continue
        positions[column_id] = i
        written[column_id] = text
    missing = [c for c in schema.REQUIRED if c not in positions]
    if missing:
        problems.extend(_missing_columns(path, header_row, missing, found_any=bool(positions)))
    return positions, written, problems


def _missing_columns(path: Path, header_row: list, missing: list[str], found_any: bool) -> list[str]:
    problems = [f'{path}: dòng 1: thiếu cột bắt buộc "{schema.BY_ID[c].label}" (hoặc "{c}")' for c in missing]
    encoding = legacy.detect(" ".join(cell_text(h) for h in header_row))
    if encoding:
        problems.append(
            f"{path}: dòng 1: tiêu đề có vẻ được gõ bằng mã {encoding}; " + legacy.HINT.format(encoding=encoding))
    elif not found_any:
        found = ", ".join(f'"{cell_text(h)}"' for h in header_row if cell_text(h)) or "(trống)"
        problems.append(f"{path}: dòng 1 phải là dòng tiêu đề; các cột tìm thấy: {found}")
    return problems


@dataclass
class Sheet:
    """The register's data rows, column by column (only the columns the schema knows)."""

    path: Path
    written: dict[str, str]
    """Column id -> the header as written in the file."""
    blocks: tuple[str, ...]
    numbers: list[int]
    """Each row's number as Excel shows it (the header is row 1)."""
    raw: dict[str, list]
    """Column id -> the cells as read."""
    texts: dict[str, list[str]] = field(default_factory=dict)
    """Text columns: every cell trimmed, white space collapsed, NFC."""
    suspect: dict[str, bool] = field(default_factory=dict)
    """Text columns: whether some cell may be legacy text."""
    renamed: dict[str, list[str]] = field(default_factory=dict)
    """Columns whose old names a reorganisation changed to today's (:mod:`~sangkien.inputs.renames`): the texts
    as written (``texts`` then holds today's names)."""
    until: int | None = None
    """The report year, when known: a row of a later year may name a later organisation's block."""
    derived: dict = field(default_factory=dict, repr=False)

    def _once(self, key, make):
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    def choices(self, column_id: str) -> tuple[str, ...]:
        return schema.choices(schema.BY_ID[column_id], self.blocks)

    def canonical(self, column_id: str) -> dict[str, str]:
        """Text -> the value it stands for: a choice in its own spelling (unknown text unchanged); for a
        ``one_spelling`` column, the first spelling of each value."""
        def make() -> dict[str, str]:
            if schema.BY_ID[column_id].kind == schema.CHOICE:
                keys = {schema.fold(value): value for value in self.choices(column_id)}
                return {text: keys.get(schema.fold(text), text) for text in set(self.texts[column_id])}
            spelling: dict[str, str] = {}
            return {text: spelling.setdefault(schema.fold(text), text) for text in dict.fromkeys(self.texts[column_id])}

        return self._once(("canonical", column_id), make)

    def values(self, column_id: str) -> list:
        """The column as the register keeps it (``BAD`` where a year or number could not be read)."""
        return self._once(("values", column_id), partial(self._values, schema.BY_ID[column_id]))

    def distinct(self, column_id: str) -> set:
        """The distinct values of :meth:`values`."""
        return self._once(("distinct", column_id), lambda: set(self.values(column_id)))

    def _values(self, column: schema.Column) -> list:
        if column.id not in self.raw:
            return [float("nan") if column.kind == schema.NUMBER else ""] * len(self.numbers)
        if column.kind == schema.YEAR:
            return parse_column(self.raw[column.id], partial(parse_year, low=column.low, high=column.high))
        if column.kind == schema.NUMBER:
            return parse_column(self.raw[column.id], parse_number)
        if column.kind == schema.NAMES:
            return author_column(self.texts[column.id])
        texts = self.texts[column.id]
        if column.kind == schema.CHOICE or column.one_spelling:
            canonical = self.canonical(column.id)
            if column.kind == schema.CHOICE or any(k != v for k, v in canonical.items()):
                return list(map(canonical.__getitem__, texts))
        return texts

    def columns(self) -> dict[str, list]:
        """Every column of the schema, and ``row``: what a valid register holds (empty numbers are NaN)."""
        columns = {"row": self.numbers}
        for column in schema.COLUMNS:
            values = self.values(column.id)
            if column.kind == schema.NUMBER and None in self.distinct(column.id):
                values = [float("nan") if n is None else n for n in values]
            columns[column.id] = values
        return columns


def sheet_of(path: Path, rows: list[list], blocks: tuple[str, ...]) -> Sheet:
    """The rows under the header as a Sheet. DataError for a file without data or with a bad header row."""
    if not rows or all(all(is_blank(v) for v in row) for row in rows):
        raise DataError(f"{path}: tệp không có dữ liệu (không có cả dòng tiêu đề)")
    positions, written, header_problems = map_headers(path, rows[0])
    if header_problems:
        raise DataError(header_problems)
    width = max(positions.values()) + 1
    body = rows[1:]
    if body and min(map(len, body)) < width:
        body = [row if len(row) >= width else list(row) + [None] * (width - len(row)) for row in body]
    raw = {cid: list(map(itemgetter(pos), body)) for cid, pos in positions.items()}
    sheet = Sheet(path, written, tuple(blocks), list(range(2, len(rows) + 1)), raw)
    for column in schema.COLUMNS:
        if column.id in TEXT_IDS and column.id in raw:
            sheet.texts[column.id], sheet.suspect[column.id] = column_texts(raw[column.id], column.repeats)
    _drop_blank_rows(sheet, body)
    if not sheet.numbers:
        raise DataError(f"{path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
    return sheet


def _drop_blank_rows(sheet: Sheet, body: list[list]) -> None:
    """Rows with nothing in them (Excel's empty formatted rows, blank CSV lines) are not initiatives; only
    a row whose first text column is empty can be one."""
    first = sheet.texts[TEXT_IDS[0]]
    if "" not in first:
        return
    blank = {i for i, text in enumerate(first) if not text and all(is_blank(v) for v in body[i])}
    if blank:
        def keep(values: list) -> list:
            return [v for i, v in enumerate(values) if i not in blank]

        sheet.numbers = keep(sheet.numbers)
        sheet.raw = {cid: keep(values) for cid, values in sheet.raw.items()}
        sheet.texts = {cid: keep(values) for cid, values in sheet.texts.items()}

