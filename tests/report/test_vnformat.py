"""Numbers and dates written the Vietnamese way (domain.md sections 5 and 6)."""
from __future__ import annotations

import datetime

import pytest

from sangkien.report import vnformat as vn

NAN = float("nan")


@pytest.mark.parametrize("value, text", [
    (0, "0"), (7, "7"), (999, "999"), (1000, "1.000"), (1_500_050, "1.500.050"), (-1_234_567, "-1.234.567"),
    (1234.5, "1.235"), (0.5, "1"), (2.5, "3"),  # half up, not to even
    (1e15, "1.000.000.000.000.000"), (None, "–"), (NAN, "–"),
])
def test_integer(value, text):
    assert vn.integer(value) == text


@pytest.mark.parametrize("args, text", [
    ((1_500_050.3, 2), "1.500.050,30"),
    ((1_500_050.3, 2, True), "1.500.050,3"),
    ((12.0, 1, True), "12"),
    ((0.125, 2), "0,13"),
    ((2.675, 2), "2,68"),          # as written, not as the binary float rounds
    ((-0.004, 2), "0,00"),         # no "-0,00"
    ((-1234.56, 1), "-1.234,6"),
    ((None, 2), "–"),
])
def test_decimal(args, text):
    assert vn.decimal(*args) == text


@pytest.mark.parametrize("args, text", [
    ((12.375,), "12,38%"), ((50.0,), "50%"), ((0,), "0%"), ((100,), "100%"),
    ((55.42570951585977,), "55,43%"), ((85.645933,), "85,65%"), ((33.3333, 1), "33,3%"),
    ((-12.5,), "-12,5%"), ((None,), "–"), ((NAN,), "–"),
])
def test_percent(args, text):
    assert vn.percent(*args) == text


@pytest.mark.parametrize("vnd, text", [
    (0, "0 đồng"),
    (500_000, "500.000 đồng"),
    (999_999, "999.999 đồng"),
    (999_999.6, "1 triệu đồng"),
    (1_000_000, "1 triệu đồng"),
    (1_500_000, "1,5 triệu đồng"),
    (350_000_000, "350 triệu đồng"),
    (999_940_000, "999,9 triệu đồng"),
    (999_950_000, "1 tỷ đồng"),
    (1_000_000_000, "1 tỷ đồng"),
    (1_500_000_000, "1,5 tỷ đồng"),
    (15_269_000_000, "15,27 tỷ đồng"),
    (-2_000_000, "-2 triệu đồng"),
    (None, "–"),
])
def test_money(vnd, text):
    assert vn.money(vnd) == text


@pytest.mark.parametrize("vnd, text", [(1_500_500_000, "1.500,5"), (250_000, "0,3"), (2_000_000, "2"), (None, "–")])
def test_millions(vnd, text):
    assert vn.millions(vnd) == text


@pytest.mark.parametrize("day, text", [
    ((2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
    ((2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
    ((2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
    ((2024, 3, 5), "ngày 05 tháng 3 năm 2024"),
    ((2024, 9, 10), "ngày 10 tháng 9 năm 2024"),
    ((2023, 11, 1), "ngày 01 tháng 11 năm 2023"),
    ((2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
])
def test_header_date(day, text):
    assert vn.header_date(datetime.date(*day)) == text


def test_header_date_left_blank():
    text = vn.header_date(None)
    assert text.startswith("ngày ") and " tháng " in text and " năm " in text
    assert not any(ch.isdigit() for ch in text)


@pytest.mark.parametrize("day, text", [
    ((2019, 1, 24), "24/01/2019"), ((2024, 3, 5), "05/03/2024"), ((2024, 12, 31), "31/12/2024"),
])
def test_text_date(day, text):
    assert vn.text_date(datetime.date(*day)) == text
