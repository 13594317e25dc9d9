"""The register's cells as columns: the tables of a file (:mod:`~sangkien.inputs.layout`) laid end to end,
the rows that are not initiatives left out, and the values each column holds once cleaned (what the rules
check and the Register keeps), each worked out once.
"""
from __future__ import annotations

import marshal
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path

from sangkien.errors import DataError
from sangkien.inputs import layout, schema
from sangkien.inputs.cells import (
    author_column,
    column_texts,
    parse_amount,
    parse_column,
    parse_year,
)
from sangkien.inputs.layout import SPAN, Origin, Table
from sangkien.inputs.reading import RowsSource

TEXT_IDS = tuple(c.id for c in schema.COLUMNS if c.kind in schema.TEXT_KINDS)


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
    origins: list[Origin] = field(default_factory=list)
    """The tables the rows come from. One: a row's number is its Excel row. Several: ``number // SPAN`` is
    the table, ``number % SPAN`` the Excel row in it."""
    quirks: dict[tuple[int, str], str] = field(default_factory=dict)
    """(row, column id) -> the error value Excel left in the cell ('#DIV/0!'), or an uncomputed formula."""
    scales: dict[str, list[float]] = field(default_factory=dict)
    """Column id -> each row's factor to the column's unit, for a column whose header gave its unit."""

    def __getstate__(self) -> dict:
        """What a kept sheet holds (:mod:`~sangkien.inputs.kept`): its columns of plain values (texts, numbers)
        packed by ``marshal`` in one piece, an equal cell one object as in the sheet (a million rows' columns
        in 0.85 s where pickle took 1.2–1.4 s, read back as quickly); as they are when a value is not plain (a
        date, an unreadable number's mark)."""
        state = dict(self.__dict__)
        columns = {name: state.pop(name) for name in _PACKED}
        try:
            state["packed"] = marshal.dumps(columns)
        except ValueError:
            state.update(columns)
        return state

    def __setstate__(self, state: dict) -> None:
        packed = state.pop("packed", None)
        self.__dict__.update(state if packed is None else {**state, **marshal.loads(packed)})

    def origin(self, row: int) -> tuple[Origin, int]:
        """The table row ``row`` comes from, and its Excel row there."""
        if len(self.origins) > 1:
            return self.origins[row // SPAN], row % SPAN
        return (self.origins[0] if self.origins else Origin(self.path, written=self.written)), row

    def where(self, row: int) -> str:
        """A row in a problem: 'FILE: dòng 7' (or with its sheet)."""
        origin, excel_row = self.origin(row)
        return origin.place(excel_row)

    def cell(self, row: int, column_id: str) -> str:
        """A cell in a problem: 'FILE: dòng 7, cột "Mã số"', the column as written in its table."""
        origin, excel_row = self.origin(row)
        return f'{origin.place(excel_row)}, cột "{origin.written.get(column_id) or self.written[column_id]}"'

    def mention(self, row: int, seen_from: int) -> str:
        """Row ``row`` named in a problem about row ``seen_from``: 'dòng 5' (or with its sheet, its file)."""
        origin, excel_row = self.origin(row)
        return origin.mention(excel_row, self.origin(seen_from)[0])

    def excel_rows(self) -> list[int]:
        """Each row's number as Excel shows it in its sheet."""
        return [n % SPAN for n in self.numbers] if len(self.origins) > 1 else self.numbers

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

    def read_numbers(self) -> None:
        """The year and number columns read (:meth:`values`, :meth:`distinct`): the same under any command's
        parameters, so worked out before the sheet is kept (:mod:`~sangkien.inputs.kept`), and a build that
        finds it kept does not read them again."""
        for column in schema.COLUMNS:
            if column.kind in (schema.YEAR, schema.NUMBER) and column.id in self.raw:
                self.distinct(column.id)

    def _values(self, column: schema.Column) -> list:
        if column.id not in self.raw:
            return [float("nan") if column.kind == schema.NUMBER else ""] * len(self.numbers)
        if column.kind == schema.YEAR:
            return parse_column(self.raw[column.id], partial(parse_year, low=column.low, high=column.high))
        if column.kind == schema.NUMBER:
            units = schema.unit_factors(column)
            if column.id in self.scales:
                return parse_column(list(zip(self.raw[column.id], self.scales[column.id])),
                                    lambda cell: parse_amount(cell[0], cell[1], units))
            return parse_column(self.raw[column.id], partial(parse_amount, units=units))
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
        columns = {"row": self.excel_rows()}
        for column in schema.COLUMNS:
            values = self.values(column.id)
            if column.kind == schema.NUMBER and None in self.distinct(column.id):
                values = [float("nan") if n is None else n for n in values]
            columns[column.id] = values
        return columns


_PACKED = ("numbers", "raw", "texts", "suspect", "renamed", "derived", "quirks", "scales")
"""The attributes of a :class:`Sheet` that :meth:`Sheet.__getstate__` packs together."""


def _laid_end_to_end(tables: list[Table]) -> tuple[dict, list[int], list[list], list]:
    """The tables' columns (id -> cells), row numbers, whole rows and (start, end, table) of each."""
    ids = [c.id for c in schema.COLUMNS if any(c.id in t.header.positions for t in tables)]
    raw: dict[str, list] = {cid: [] for cid in ids}
    numbers: list[int] = []
    bodies: list[list] = []
    segments = []
    for i, table in enumerate(tables):
        header = table.header
        start = header.index + header.span
        body = table.rows[start:]
        width = max(header.positions.values()) + 1
        if body and min(map(len, body)) < width:
            body = [row if len(row) >= width else list(row) + [None] * (width - len(row)) for row in body]
        base = i * SPAN if len(tables) > 1 else 0
        segments.append((len(numbers), len(numbers) + len(body), table))
        numbers.extend(range(base + start + 1, base + start + len(body) + 1))
        if len(tables) == 1:
            raw = {cid: list(map(itemgetter(pos), body)) for cid, pos in header.positions.items()}
            return raw, numbers, body, segments
        bodies.extend(body)
        for cid in ids:
            raw[cid].extend(map(itemgetter(header.positions[cid]), body) if cid in header.positions
                            else [None] * len(body))
    return raw, numbers, bodies, segments


def _marks(sheet: Sheet, segments: list) -> None:
    """The tables' quirks and units, by the sheet's rows and column ids."""
    for i, (_, _, table) in enumerate(segments):
        header, base = table.header, i * SPAN if len(segments) > 1 else 0
        columns = {pos: cid for cid, pos in header.positions.items()}
        for (r, c), what in table.quirks.items():
            if c in columns and r >= header.index + header.span:
                sheet.quirks[(base + r + 1, columns[c])] = what
    scaled = {cid for _, _, table in segments for cid in table.header.scales}
    for cid in scaled:
        sheet.scales[cid] = [factor for start, end, table in segments
                             for factor in [table.header.scales.get(cid, 1.0)] * (end - start)]


def sheet_of_tables(tables: list[Table], blocks: tuple[str, ...]) -> Sheet:
    """The tables' rows as one Sheet, the rows that are not initiatives left out (each table's ``left_out``
    says which). DataError when no row is left."""
    raw, numbers, bodies, segments = _laid_end_to_end(tables)
    written: dict[str, str] = {}
    for table in tables:
        for cid, text in table.header.written.items():
            written.setdefault(cid, text)
    sheet = Sheet(tables[0].origin.path, written, tuple(blocks), numbers, raw, origins=[t.origin for t in tables])
    _marks(sheet, segments)
    for column in schema.COLUMNS:
        if column.id in TEXT_IDS and column.id in raw:
            sheet.texts[column.id], sheet.suspect[column.id] = column_texts(raw[column.id], column.repeats)
    _drop_rows(sheet, layout.leave_out(sheet, bodies, segments))
    if not sheet.numbers:
        raise DataError(f"{sheet.path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
    return sheet


def sheet_of(path: Path, rows: list[list], blocks: tuple[str, ...]) -> Sheet:
    """The rows of one sheet (row 1 first) as a Sheet. DataError for a file without data or without a header."""
    found = layout.tables_of(Path(path), [RowsSource(rows)])
    if found.problems:
        raise DataError(found.problems)
    return sheet_of_tables(found.tables, blocks)


def _drop_rows(sheet: Sheet, drop: set[int]) -> None:
    """Leave out the rows at these indexes (blank rows, rows that are not initiatives)."""
    if drop:
        def keep(values: list) -> list:
            return [v for i, v in enumerate(values) if i not in drop]

        sheet.numbers = keep(sheet.numbers)
        sheet.raw = {cid: keep(values) for cid, values in sheet.raw.items()}
        sheet.texts = {cid: keep(values) for cid, values in sheet.texts.items()}
        sheet.scales = {cid: keep(values) for cid, values in sheet.scales.items()}
