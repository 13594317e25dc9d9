"""The annex workbook's body written as worksheet XML text, for long lists (a national register's year):
openpyxl makes an object per cell and writes each through lxml, which for tens of thousands of rows takes
most of the annex's time. The rows written here are what openpyxl 3.1 writes for the same cells (inline
strings, ``t="n"`` numbers as ``%.16g``, the row's height), and they go into the package openpyxl saved
with the rest of the sheet (:func:`splice`), so the workbook reads back cell for cell the same.
"""
from __future__ import annotations

import io
import re
import zipfile

from sangkien import files

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
"""The characters openpyxl refuses in a cell (``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``)."""
MAX_TEXT = 32767
"""Excel's longest cell text; openpyxl cuts a longer one there."""


class Unusual(Exception):
    """A value that is neither text nor a number nor empty: the caller writes the table cell by cell."""


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(n) for n in range(1, count + 1)]


def text_of(value: str) -> str:
    """A cell's text as openpyxl keeps it: at most ``MAX_TEXT`` characters, none of the refused ones."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    value = value[:MAX_TEXT]
    if _ILLEGAL.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


def _text_xml(text: str, quote_start: tuple[str, ...]) -> tuple[bool, str]:
    """Whether ``text`` takes the quote prefix, and its ``<is>`` element ("" for an empty text); escaped as
    lxml escapes an element's text (a bare carriage return would be read as a line feed)."""
    text = text_of(text)
    if not text:
        return False, ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text.startswith(quote_start), f"<is><t{space}>{escaped}</t></is>"


def cell_xml(ref: str, style: int, quoted: int, value, quote_start: tuple[str, ...],
             known: dict[str, tuple[bool, str]] | None = None) -> str:
    """One ``<c>`` element: ``style`` for a number or plain text, ``quoted`` for text that starts like a
    formula (the style with the quote prefix); ``known`` keeps each text's element (names repeat)."""
    kind = type(value)
    if kind is str:
        found = known.get(value) if known is not None else None
        if found is None:
            found = _text_xml(value, quote_start)
            if known is not None:
                known[value] = found
        style = quoted if found[0] else style
        if not found[1]:
            return f'<c r="{ref}" s="{style}" t="inlineStr"/>'
        return f'<c r="{ref}" s="{style}" t="inlineStr">{found[1]}</c>'
    if value is None:
        return f'<c r="{ref}" s="{style}" t="n"/>'
    if kind is int or kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            return f'<c r="{ref}" s="{style}" t="n"/>'
        return f'<c r="{ref}" s="{style}" t="n"><v>{value:.16g}</v></c>'
    if kind is bool:
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    raise Unusual(repr(value))


_EXACT = 10 ** 15
"""Whole numbers below this are written the same with ``str`` as with ``%.16g`` (openpyxl's)."""


def rows_xml(table, first_row: int, styles: list[tuple[int, int]], quote_start: tuple[str, ...]) -> str:
    """``<row>`` elements for ``table`` (rows of ``(height, values)``; a height of None: Excel's own) from
    ``first_row`` on; ``styles`` holds each column's (style, quoted style) numbers in the workbook's
    stylesheet. Texts and whole numbers, most of a register, are written here directly; other values by
    :func:`cell_xml` (the same elements)."""
    letters = _letters(len(styles))
    known: dict[str, tuple[bool, str]] = {}
    # per column: the text element's opening for a plain and a quoted text, and a number's
    opening = [(f'" s="{style}" t="inlineStr">', f'" s="{quoted}" t="inlineStr">', f'" s="{style}" t="n"><v>')
               for style, quoted in styles]
    out = []
    for number, (height, values) in enumerate(table, start=first_row):
        cells = []
        for letter, (style, quoted), (plain, quoting, numeric), value in zip(letters, styles, opening, values):
            kind = type(value)
            if kind is str:
                found = known.get(value)
                if found is None:
                    found = known[value] = _text_xml(value, quote_start)
                if found[1]:
                    cells.append(f'<c r="{letter}{number}{quoting if found[0] else plain}{found[1]}</c>')
                    continue
            elif kind is int and -_EXACT < value < _EXACT:  # written as '%.16g' writes it
                cells.append(f'<c r="{letter}{number}{numeric}{value}</v></c>')
                continue
            cells.append(cell_xml(f"{letter}{number}", style, quoted, value, quote_start, known))
        size = "" if height is None else f' ht="{height:.16g}" customHeight="1"'
        out.append(f'<row r="{number}"{size}>{"".join(cells)}</row>')
    return "".join(out)


def splice(package: bytes, sheet: str, rows: str, last_cell: str) -> bytes:
    """``package`` with ``rows`` at the end of ``sheet``'s data and its dimension reaching ``last_cell``
    (entries in their order, stored: :func:`sangkien.files.deterministic_zip` compresses them after)."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        xml = source.read(sheet).decode("utf-8")
    end = xml.index("</sheetData>")
    xml = re.sub(r'<dimension ref="A1:[A-Z]+\d+"/>', f'<dimension ref="A1:{last_cell}"/>', xml[:end],
                 count=1) + rows + xml[end:]
    return files.stored_with(package, sheet, [xml.encode("utf-8")])
