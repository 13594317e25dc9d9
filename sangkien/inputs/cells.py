"""Cell values: a cell as text or as a number, and the same done on a whole column at once.

A register repeats its units, blocks, results and years: the column functions work once per distinct
value, or on the column joined into one string (at C speed), and give what the cell functions give
cell by cell.
"""
from __future__ import annotations

import math
import re
import unicodedata
from itertools import repeat
from operator import is_

from sangkien.inputs import schema
from sangkien.inputs.encodings import SUSPECT_RE

_VN_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_COMMA_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
"""'89,000', '1,500', '53,000,000': the comma may group thousands (as English writes) or mark decimals (as
Vietnamese does); such a number is refused, never guessed."""
_WITH_UNIT = re.compile(r"^(-?[\d.,\s]*\d)\s*([^\d\s.,].*?)\.?$")

class _Bad:
    """The one value :data:`BAD`, the same object once pickled and read back (a kept sheet's parsed columns
    hold it: :meth:`~sangkien.inputs.sheet.Sheet.read_numbers`)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "BAD"

    def __repr__(self) -> str:
        return "BAD"


BAD = _Bad()
"""What a column parser gives for a value it could not parse."""
SEP = "\x00"
"""Joins a column's cells into one string, so that the work is done at C speed: it is not white space,
Unicode normalisation never crosses it, and cells do not hold it (XML cannot; should a cell hold it
after all, the column is done cell by cell)."""
_ODD_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""White space other than ' ' (with ' ', exactly what ``str.split()`` splits on)."""
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACE}]")
_ODD_RE = re.compile(f"[{_ODD_SPACE}" + SUSPECT_RE.pattern[1:])
"""Either: one search tells whether a column needs a closer look."""
_ODD_OR_INVISIBLE_RE = re.compile(f"[{_ODD_SPACE}{schema.INVISIBLE}" + SUSPECT_RE.pattern[1:])
"""Any of them, or a character :func:`~sangkien.inputs.schema.drop_invisible` drops: a column without any is
looked at once."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value)
    )


def cell_text(value) -> str:
    """A cell as text: trimmed, NFC, whole floats without '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return schema.nfc(str(value))


def parse_number(value) -> float | None:
    """A number from a cell: Excel numbers, '1500000', '1.500.000', '1.500.000,5', '12,5', '12.5'.

    Empty gives ``None``; anything else raises ValueError.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    text = "".join(schema.drop_invisible(str(value)).split())
    if _VN_GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN.match(text) and not _COMMA_GROUPED.match(text):
        return float(text.replace(",", "."))
    raise ValueError(value)


def parse_amount(value, scale: float = 1.0, units: dict[str, float] | None = None) -> float | None:
    """An amount in đồng: a number as :func:`parse_number` reads it, times ``scale`` (the unit its header
    gives); or a number typed with its own unit ('1.500.000 đ', '1,5 tỷ', '1,5 triệu đồng'), which wins.

    >>> parse_amount("1,5 tỷ"), parse_amount("1.500.000 đ"), parse_amount(2.5, scale=1e6)
    (1500000000.0, 1500000.0, 2500000.0)
    """
    if isinstance(value, str) and not _PLAIN.match(value):
        found = _WITH_UNIT.match(schema.nfc(value))
        factor = (units or _MONEY).get(schema.header_key(found[2])) if found else None
        if factor is not None:
            return _scaled(parse_number(found[1]), factor)
    return _scaled(parse_number(value), scale)


def _scaled(number: float | None, factor: float) -> float | None:
    if number is None or factor == 1:
        return number
    return round(number * factor, 6)


def number_trouble(value) -> str:
    """Why a cell is not read as a number, in the analyst's words.

    >>> number_trouble("89,000")[:40]
    'không rõ là số nào: dấu phẩy trong "89,0'
    """
    text = "".join(schema.drop_invisible(cell_text(value)).split())
    found = _WITH_UNIT.match(text)
    number = found[1] if found and _COMMA_GROUPED.match(found[1]) else text
    if not _COMMA_GROUPED.match(number):
        return "không phải là số"
    digits = number.lstrip("-").split(".")[0]
    return (f'không rõ là số nào: dấu phẩy trong "{number}" có thể là dấu thập phân (cách viết Việt Nam) '
            f'hoặc dấu phân cách hàng nghìn (cách viết tiếng Anh); viết {digits.replace(",", ".")} hoặc '
            f'{digits.replace(",", "")} nếu dấu phẩy phân cách hàng nghìn, dùng dấu phẩy chỉ cho phần thập phân')


_MONEY = schema.unit_factors(schema.BY_ID["so_tien_lam_loi"])


def parse_year(value, low: int = schema.YEAR_MIN, high: int = schema.YEAR_MAX) -> int | None:
    """A whole number from ``low`` to ``high``; empty gives ``None``; anything else raises ValueError."""
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer() or not low <= number <= high:
        raise ValueError(value)
    return int(number)


def _normalise_all(strings: list[str]) -> tuple[list[str], bool]:
    """``schema.nfc`` of every string, done on the column at once; and whether any may be legacy text."""
    joined = written = SEP.join(strings)
    if joined.count(SEP) != len(strings) - 1:  # a cell holds the separator after all: one by one
        texts = [schema.nfc(v) for v in strings]
        return texts, any(map(SUSPECT_RE.search, texts))
    if joined.isascii():
        odd = _ODD_RE.search(joined) is not None
    elif _ODD_OR_INVISIBLE_RE.search(joined) is None:  # most columns: one search says nothing is to drop or odd
        joined = unicodedata.normalize("NFC", joined)  # the same string when it is NFC already
        odd = joined is not written and _ODD_RE.search(joined) is not None  # composed characters may be odd
    else:
        joined = unicodedata.normalize("NFC", schema.drop_invisible(joined))
        odd = _ODD_RE.search(joined) is not None
    if (odd and _ODD_SPACE_RE.search(joined)) or "  " in joined:
        joined = " ".join(joined.split())  # the separator is not white space: it stays, maybe beside a space
    if _spaced_ends(strings) if joined is written else (" " + SEP in joined or SEP + " " in joined):
        joined = joined.replace(" " + SEP, SEP).replace(SEP + " ", SEP)
    suspect = odd and SUSPECT_RE.search(joined) is not None
    cleaned = joined.strip(" ")
    if len(cleaned) == len(written) and cleaned == written:  # nothing changed: the cells themselves, not copies
        return list(strings), suspect
    return cleaned.split(SEP), suspect


def _spaced_ends(strings: list[str]) -> bool:
    """Whether a cell begins or ends with a space: one call per cell, at C speed (searching the joined column for
    a space beside a separator is slower, spaces being everywhere in it)."""
    return any(map(str.startswith, strings, repeat(" "))) or any(map(str.endswith, strings, repeat(" ")))


def column_texts(values: list, repeats: bool = True) -> tuple[list[str], bool]:
    """``cell_text`` of every cell of a column (trimmed, inner white space collapsed, NFC), and whether
    any text may be in a legacy encoding. A column that ``repeats`` its values is worked on once per value."""
    if repeats:
        distinct = list(dict.fromkeys(values))
        # all text (no True == 1 to merge two cells), and values that do repeat
        if set(map(type, distinct)) == {str} and 2 * len(distinct) <= len(values):
            texts, suspect = _normalise_all(distinct)
            if all(map(is_, texts, distinct)):  # every value is its own text: so is every cell
                return list(values), suspect
            return list(map(dict(zip(distinct, texts)).__getitem__, values)), suspect
    try:
        return _normalise_all(values)
    except TypeError:  # not all text: numbers, dates, empty cells
        return _normalise_all([v if v.__class__ is str else cell_text(v) for v in values])  # cell_text is final


def parse_column(values: list, parse) -> list:
    """``parse`` of every cell of a column, once per distinct value; ``BAD`` where it raised ValueError."""
    try:
        if bool in set(map(type, values)):
            raise TypeError("True == 1, but only one is a number")
        results = {}
        for value in set(values):
            try:
                results[value] = parse(value)
            except ValueError:
                results[value] = BAD
        return list(map(results.__getitem__, values))
    except TypeError:  # bool cells, or unhashable ones: one by one
        out = []
        for value in values:
            try:
                out.append(parse(value))
            except ValueError:
                out.append(BAD)
        return out


def author_names(text: str) -> str:
    """The authors of a 'Tác giả' cell (already through ``column_texts``) as 'A; B', empty names dropped."""
    names = [n.strip() for n in text.split(schema.AUTHOR_SEPARATOR)]
    return "; ".join(n for n in names if n)


def author_column(texts: list[str]) -> list[str]:
    """``author_names`` of every cell; ``texts`` itself when every cell is already written 'A; B; C'."""
    joined = SEP.join(texts)
    if joined.count(";") == joined.count("; ") and not any(
            bad in joined for bad in (" ;", SEP + "; ", "; " + SEP)) and not (
            joined.startswith("; ") or joined.endswith("; ")):
        return texts
    return [author_names(t) if schema.AUTHOR_SEPARATOR in t else t for t in texts]
