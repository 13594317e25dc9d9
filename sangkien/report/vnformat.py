"""Numbers, money, percentages and dates written the Vietnamese way (domain.md section 6).

Every number the report prints goes through this module.

>>> integer(1500050)
'1.500.050'
>>> decimal(1500050.3, 2)
'1.500.050,30'
>>> percent(12.375)
'12,38%'
>>> percent(50.0)
'50%'
>>> header_date(datetime.date(2024, 1, 5))
'ngày 05 tháng 01 năm 2024'
>>> header_date(datetime.date(2024, 3, 15))
'ngày 15 tháng 3 năm 2024'
>>> text_date(datetime.date(2019, 1, 24))
'24/01/2019'
>>> money(1_500_000_000)
'1,5 tỷ đồng'
>>> money(350_000_000)
'350 triệu đồng'
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

    ``trim`` drops trailing zeros (and the comma when nothing is left).
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


def percent(value: float | None, digits: int = 2) -> str:
    """A percentage with a decimal comma, trailing zeros dropped: ``12,38%``, ``50%``."""
    if _is_missing(value):
        return DASH
    return decimal(value, digits, trim=True) + "%"


def money(vnd: float | int | None) -> str:
    """An amount of money for running text, in tỷ, triệu or đồng."""
    if _is_missing(vnd):
        return DASH
    # the unit is chosen after rounding: 999.950.000 is "1 tỷ đồng", not "1.000 triệu đồng"
    if abs(_round(vnd / 1_000_000, 1)) >= 1_000:
        return f"{decimal(vnd / 1_000_000_000, 2, trim=True)} tỷ đồng"
    if abs(_round(vnd, 0)) >= 1_000_000:
        return f"{decimal(vnd / 1_000_000, 1, trim=True)} triệu đồng"
    return f"{integer(vnd)} đồng"


def millions(vnd: float | int | None) -> str:
    """An amount in triệu đồng for a table column: ``1.500,5``."""
    if _is_missing(vnd):
        return DASH
    return decimal(vnd / 1_000_000, 1, trim=True)


def text_date(day: datetime.date) -> str:
    """A date in running text: ``24/01/2019``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def header_date(day: datetime.date | None) -> str:
    """The date under the national motto (Decree 30/2020): zero before days below 10 and months 1 and 2.

    Without a date, blanks for the signer's office to fill in by hand.
    """
    if day is None:
        return "ngày      tháng      năm      "
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
