"""The register's rules (contract section 2), one function each, every one read from the schema.

A rule takes a :class:`~sangkien.inputs.sheet.Sheet` and yields a :class:`Problem` per cell that breaks
it, worded as the user reads it: the file, the row as Excel numbers it, the column as written in the
file, the value, and what was expected. A rule looks at each distinct value of a column once; its row
loop, which words the problems, only runs for a column that has one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from sangkien.inputs import encodings as legacy
from sangkien.inputs import schema
from sangkien.inputs.cells import BAD, cell_text, number_trouble
from sangkien.inputs.encodings import SUSPECT_RE
from sangkien.inputs.sheet import Sheet
from sangkien.inputs.workbook import NOT_COMPUTED

ORDER = {c.id: i for i, c in enumerate(schema.COLUMNS)}
"""Problems are listed by row, then in the schema's column order."""


@dataclass(order=True)
class Problem:
    row: int
    column: int
    text: str = field(compare=False)


def show(value) -> str:
    """A cell's value in a message: quoted, on one line, at most 60 characters."""
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def bad_value(sheet: Sheet, row: int, column_id: str, value, what: str) -> Problem:
    return Problem(row, ORDER[column_id], f"{sheet.cell(row, column_id)}, giá trị {show(value)}: {what}")


def empty_cell(sheet: Sheet, row: int, column_id: str) -> Problem:
    return Problem(row, ORDER[column_id], f"{sheet.cell(row, column_id)}: ô trống; "
                                          f"cần {schema.BY_ID[column_id].when_empty}")


def _columns(sheet: Sheet, kinds=schema.TEXT_KINDS, **attributes) -> Iterator[schema.Column]:
    """The schema's columns of these kinds (and attributes) that the file has."""
    for column in schema.COLUMNS:
        if column.kind in kinds and column.id in sheet.raw and all(
                getattr(column, k) == v for k, v in attributes.items()):
            yield column


# --------------------------------------------------------------------------- the rules, in the order they run

def required_cells(sheet: Sheet) -> Iterator[Problem]:
    """A required text cell is not empty (years: :func:`years`)."""
    for column in _columns(sheet, required=True):
        texts = sheet.texts[column.id]
        if "" in texts:
            yield from (empty_cell(sheet, row, column.id) for row, text in zip(sheet.numbers, texts) if not text)


def legacy_text(sheet: Sheet) -> Iterator[Problem]:
    """No text is typed in a legacy 8-bit encoding (TCVN3, VNI)."""
    for column in _columns(sheet):
        if not sheet.suspect[column.id]:
            continue
        texts = sheet.texts[column.id]
        encodings = {text: legacy.detect(text) for text in set(texts) if SUSPECT_RE.search(text)}
        encodings = {text: encoding for text, encoding in encodings.items() if encoding}
        if encodings:
            for row, value, text in zip(sheet.numbers, sheet.raw[column.id], texts):
                if text in encodings:
                    yield bad_value(sheet, row, column.id, value, f"chữ có vẻ được gõ bằng mã {encodings[text]}; "
                                    + legacy.HINT.format(encoding=encodings[text]))


def authors(sheet: Sheet) -> Iterator[Problem]:
    """A list of names holds at least one name once the separators are taken out."""
    for column in _columns(sheet, kinds=(schema.NAMES,)):
        texts, names = sheet.texts[column.id], sheet.values(column.id)
        if names is not texts:
            what = f"không có tên {column.label.lower()} nào giữa các dấu {schema.AUTHOR_SEPARATOR}"
            yield from (bad_value(sheet, row, column.id, text, what)
                        for row, text, found in zip(sheet.numbers, texts, names) if text and not found)


def unique_codes(sheet: Sheet) -> Iterator[Problem]:
    """No two rows share a code; the second names the first."""
    for column in _columns(sheet, unique=True):
        codes, name = sheet.texts[column.id], column.label.lower()
        if len(set(codes)) == len(codes):
            continue
        first_seen: dict[str, int] = {}
        for row, code in zip(sheet.numbers, codes):
            if code and code in first_seen:
                yield bad_value(sheet, row, column.id, code, f"{name} trùng với {sheet.mention(first_seen[code], row)}; "
                                                             f"mỗi sáng kiến cần một {name} riêng")
            elif code:
                first_seen[code] = row


def years(sheet: Sheet) -> Iterator[Problem]:
    """A year is there, and is a whole number within the schema's limits."""
    for column in _columns(sheet, kinds=(schema.YEAR,)):
        parsed = sheet.values(column.id)
        if None in parsed or BAD in parsed:
            for row, value, year in zip(sheet.numbers, sheet.raw[column.id], parsed):
                if year is None:
                    yield empty_cell(sheet, row, column.id)
                elif year is BAD:
                    yield bad_value(sheet, row, column.id, cell_text(value), f"{column.invalid}; {column.need}")


def _later(sheet: Sheet) -> list[bool]:
    """Whether each row is of a year after the report year (``sheet.until``): the report leaves it out, and
    its block may be one a later organisation has."""
    if sheet.until is None or "nam" not in sheet.raw:
        return [False] * len(sheet.numbers)
    return [isinstance(year, int) and year > sheet.until for year in sheet.values("nam")]


def choices(sheet: Sheet) -> Iterator[Problem]:
    """A choice is one of its values (a block of the parameters, a result), in any case; a block of a row
    after the report year may be another."""
    for column in _columns(sheet, kinds=(schema.CHOICE,)):
        known = {schema.fold(value) for value in sheet.choices(column.id)}
        unknown = {text for text in sheet.canonical(column.id) if text and schema.fold(text) not in known}
        if unknown:
            what = f"{column.invalid}; {schema.need_choice(sheet.choices(column.id))}"
            later = _later(sheet) if column.choices is None else [False] * len(sheet.numbers)
            yield from (bad_value(sheet, row, column.id, text, what)
                        for row, text, skip in zip(sheet.numbers, sheet.texts[column.id], later)
                        if text in unknown and not skip)


def _renamed_note(sheet: Sheet, i: int, column_ids) -> str:
    """' (theo reorganisation: "old" tính là "new")' for the names of row ``i`` a reorganisation changed."""
    parts = [f'"{sheet.renamed[c][i]}" tính là "{sheet.texts[c][i]}"'
             for c in column_ids if c in sheet.renamed and sheet.renamed[c][i] != sheet.texts[c][i]]
    return f" (theo reorganisation: {'; '.join(parts)})" if parts else ""


def one_block_per_unit(sheet: Sheet) -> Iterator[Problem]:
    """A unit is under one block (a value of a ``belongs_to`` column under one value of the other), its
    spellings taken as one; the second row names the first."""
    for column in _columns(sheet, kinds=(schema.TEXT,)):
        group = schema.BY_ID.get(column.belongs_to)
        if group is None or group.id not in sheet.raw:
            continue
        members, groups = sheet.values(column.id), sheet.values(group.id)
        if len(set(zip(members, groups))) == len(set(members)):
            continue
        known = set(sheet.choices(group.id)) if group.kind == schema.CHOICE else set(groups)
        seen: dict[str, tuple[str, int]] = {}
        member_name, group_name = column.label.lower(), group.label.lower()
        for i, (row, member, value) in enumerate(zip(sheet.numbers, members, groups)):
            if not member or value not in known:
                continue
            first = seen.setdefault(member, (value, row))
            if first[0] != value:
                written = sheet.renamed[group.id][i] if group.id in sheet.renamed else value
                yield bad_value(sheet, row, group.id, written,
                                f'{member_name} "{member}" đã thuộc {group_name} "{first[0]}" ở '
                                f"{sheet.mention(first[1], row)}; một {member_name} chỉ thuộc một {group_name}"
                                + _renamed_note(sheet, i, (column.id, group.id)))


def numbers(sheet: Sheet) -> Iterator[Problem]:
    """An optional number is empty or a number within the schema's limits."""
    for column in _columns(sheet, kinds=(schema.NUMBER,)):
        parsed = sheet.values(column.id)
        low = column.low if column.low is not None else -float("inf")
        high = column.high if column.high is not None else float("inf")
        distinct = sheet.distinct(column.id) - {None}
        if BAD in distinct or any(not low <= n <= high for n in distinct - {BAD}):
            for row, value, number in zip(sheet.numbers, sheet.raw[column.id], parsed):
                if number is BAD:
                    yield bad_value(sheet, row, column.id, cell_text(value), f"{number_trouble(value)}; {column.need}")
                elif number is not None and not low <= number <= high:
                    yield bad_value(sheet, row, column.id, cell_text(value), "ngoài khoảng cho phép; " + column.need)


RULES = (required_cells, legacy_text, authors, unique_codes, years, choices, one_block_per_unit, numbers)


def excel_cells(sheet: Sheet) -> Iterator[Problem]:
    """A cell Excel left an error value in ('#DIV/0!', '#REF!', '#N/A'...; in a CSV file, the error's text),
    or a formula saved without its value, is named as such (and nothing else is said of it)."""
    rows = set(sheet.numbers) if sheet.quirks else ()
    for (row, column_id), what in sheet.quirks.items():
        if row in rows:
            yield Problem(row, ORDER[column_id], f"{sheet.cell(row, column_id)}: {_quirk(what)}")
    for column in schema.COLUMNS:
        if column.id not in sheet.raw:
            continue
        if column.kind in (schema.YEAR, schema.NUMBER):  # an error's text is not a number: looked at if any
            texts = [cell_text(v) for v in sheet.raw[column.id]] if BAD in sheet.distinct(column.id) else ()
        else:
            texts = sheet.texts[column.id]
            distinct = sheet.canonical(column.id) if column.kind == schema.CHOICE or column.one_spelling else texts
            texts = texts if not schema.EXCEL_ERRORS.isdisjoint(distinct) else ()
        yield from (Problem(row, ORDER[column.id], f"{sheet.cell(row, column.id)}: {_quirk(text)}")
                    for row, text in zip(sheet.numbers, texts) if text in schema.EXCEL_ERRORS)


def _quirk(what: str) -> str:
    if what == NOT_COMPUTED:
        return ("ô có công thức chưa được tính (tệp được lưu bởi một chương trình khác, không phải Excel); "
                "hãy mở tệp bằng Excel rồi lưu lại")
    return f"ô có lỗi công thức {what}; hãy sửa công thức (hoặc gõ giá trị) rồi lưu lại"


def problems(sheet: Sheet) -> list[str]:
    """Every problem of every rule, by row and then column; a cell with an Excel error value or an uncomputed
    formula is named as such, and nothing else is said of it."""
    marked = list(excel_cells(sheet))
    cells = {(p.row, p.column) for p in marked}
    found = sorted(marked + [problem for rule in RULES for problem in rule(sheet)
                             if (problem.row, problem.column) not in cells])
    return [p.text for p in found]

