"""Numbers, money, percentages and dates written the Vietnamese way (domain.md section 6).

Every number the report and the unit sheets print goes through this module, under one rule of style:
each kind of number is written one way, in every table and in every sentence, so that a column or a
paragraph never mixes "80%" with "85,71%", or "3.101" with "5.108,3":

- **counts**: whole numbers, a dot between thousands: ``81``, ``1.350``; **years** are never grouped
  (``2023``, ``2016–2022``: use ``str``);
- **percentages** (rates, shares, changes): always two decimals, in tables and in sentences alike
  (:func:`percent`): ``77,78%``, ``80,00%``, ``100,00%``; **percentage points** likewise (:func:`points`):
  ``7,93 điểm phần trăm``;
- **money in a sentence** (:func:`money`): tỷ đồng with two decimals from one tỷ (``15,27 tỷ đồng``),
  triệu đồng with one decimal from one triệu (``355,1 triệu đồng``), đồng below (``500.000 đồng``);
- **money in a table column**: one unit for the whole column, chosen by the column's total
  (:func:`money_unit`): triệu đồng with one decimal (``5.108,3``, ``3.101,0``, ``791,0``), or tỷ đồng
  with two decimals once the total reaches ``TABLE_BILLIONS_FROM`` (:func:`table_money`); the unit is
  named in the column's heading;
- **means** (initiatives a year): always one decimal (:func:`mean`): ``73,0``;
- **council scores**: always one decimal (:func:`score`): ``92,0``, ``87,1``;
- a figure that does not exist (a rate over nothing, a score not given) is a dash, ``–``, in any column.

>>> integer(1500050)
'1.500.050'
>>> decimal(1500050.3, 2)
'1.500.050,30'
>>> percent(12.375), percent(50.0), percent(100)
('12,38%', '50,00%', '100,00%')
>>> header_date(datetime.date(2024, 1, 5))
'ngày 05 tháng 01 năm 2024'
>>> header_date(datetime.date(2024, 3, 15))
'ngày 15 tháng 3 năm 2024'
>>> text_date(datetime.date(2019, 1, 24))
'24/01/2019'
>>> money(1_500_000_000), money(350_000_000), money(15_269_000_000)
('1,50 tỷ đồng', '350,0 triệu đồng', '15,27 tỷ đồng')
>>> unit = money_unit(15_269_000_000)
>>> unit, [table_money(v, unit) for v in (5_108_300_000, 3_101_000_000, 791_000_000)]
('triệu đồng', ['5.108,3', '3.101,0', '791,0'])
>>> score(92), score(87.14), mean(73)
('92,0', '87,1', '73,0')
"""
from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "–"
"""What a table cell shows when a figure does not exist (e.g. a rate over zero initiatives)."""


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(value: float, digits: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return ".".join(parts)


def decimal(value: float | int | None, digits: int = 2, trim: bool = False) -> str:
    """``value`` with a dot between thousands and a comma before the decimals.

    ``trim`` drops trailing zeros (and the comma when nothing is left): for a chart's axis only; the
    documents' numbers keep their decimals (the rule above).
    """
    if _is_missing(value):
        return DASH
    rounded = _round(value, digits)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{digits}f}"
    whole, _, frac = text.partition(".")
    if trim:
        frac = frac.rstrip("0")
    result = sign + _group(whole)
    return f"{result},{frac}" if frac else result


def integer(value: float | int | None) -> str:
    """A whole number with dot thousands separators: ``1.234``. Years are not numbers: use ``str``."""
    return decimal(value, 0)


def percent(value: float | None) -> str:
    """A percentage, always with two decimals: ``12,38%``, ``50,00%``; a dash when there is none."""
    if _is_missing(value):
        return DASH
    return decimal(value, 2) + "%"


def points(value: float | None) -> str:
    """A difference of two percentages in percentage points, always with two decimals: ``7,93``."""
    return decimal(value, 2)


def mean(value: float | None) -> str:
    """A mean (initiatives a year), always with one decimal: ``73,0``."""
    return decimal(value, 1)


def score(value: float | None) -> str:
    """A council's score, always with one decimal: ``92,0``; a dash when none was given."""
    return decimal(value, 1)


def money(vnd: float | int | None) -> str:
    """An amount of money in a sentence: tỷ đồng with two decimals, triệu đồng with one, or đồng."""
    if _is_missing(vnd):
        return DASH
    # the unit is chosen after rounding: 999.950.000 is "1,00 tỷ đồng", not "1.000,0 triệu đồng"
    if abs(_round(vnd / 1_000_000, 1)) >= 1_000:
        return f"{decimal(vnd / 1_000_000_000, 2)} tỷ đồng"
    if abs(_round(vnd, 0)) >= 1_000_000:
        return f"{decimal(vnd / 1_000_000, 1)} triệu đồng"
    return f"{integer(vnd)} đồng"


MILLIONS, BILLIONS = "triệu đồng", "tỷ đồng"
TABLE_BILLIONS_FROM = 100_000_000_000
"""A table's money column is in tỷ đồng when its total reaches this (100 tỷ: beyond it, amounts in triệu
run to nine characters); in triệu đồng below."""


def money_unit(total_vnd: float | int | None) -> str:
    """The unit of a table's money column, chosen once by the column's total.

    >>> money_unit(15_269_000_000), money_unit(250_000_000_000)
    ('triệu đồng', 'tỷ đồng')
    """
    return BILLIONS if not _is_missing(total_vnd) and abs(total_vnd) >= TABLE_BILLIONS_FROM else MILLIONS


def table_money(vnd: float | int | None, unit: str) -> str:
    """An amount in a table column of ``unit`` (:func:`money_unit`): ``5.108,3`` (triệu) or ``15,27`` (tỷ).

    >>> table_money(250_000, MILLIONS), table_money(29_000_000, BILLIONS), table_money(None, MILLIONS)
    ('0,3', '0,03', '–')
    """
    if _is_missing(vnd):
        return DASH
    return decimal(vnd / 1_000_000_000, 2) if unit == BILLIONS else decimal(vnd / 1_000_000, 1)


def text_date(day: datetime.date) -> str:
    """A date in running text: ``24/01/2019``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


BLANK = "\u00a0" * 8
"""A gap left for the clerk to write in by hand: non-breaking spaces, so that a line never breaks inside
it and it keeps its width (about 9 mm at 13 pt)."""


def header_date(day: datetime.date | None, year: int | None = None) -> str:
    """The date under the national motto (Decree 30/2020): zero before days below 10 and months 1 and 2.

    Without a date, gaps for the clerk to write the day and the month in by hand, then ``year`` (the
    year of issue) when it is known:

    >>> header_date(None, 2024).split(BLANK)
    ['ngày', 'tháng', 'năm 2024']
    """
    if day is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year}" if year else f"ngày{BLANK}tháng{BLANK}năm{BLANK}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
