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


@pytest.mark.parametrize("value, text", [
    (12.375, "12,38%"), (50.0, "50,00%"), (0, "0,00%"), (100, "100,00%"),
    (55.42570951585977, "55,43%"), (85.645933, "85,65%"), (33.3333, "33,33%"),
    (-12.5, "-12,50%"), (None, "–"), (NAN, "–"),
])
def test_percent_always_has_two_decimals(value, text):
    assert vn.percent(value) == text


@pytest.mark.parametrize("vnd, text", [
    (0, "0 đồng"),
    (500_000, "500.000 đồng"),
    (999_999, "999.999 đồng"),
    (999_999.6, "1,0 triệu đồng"),
    (1_000_000, "1,0 triệu đồng"),
    (1_500_000, "1,5 triệu đồng"),
    (350_000_000, "350,0 triệu đồng"),
    (999_940_000, "999,9 triệu đồng"),
    (999_950_000, "1,00 tỷ đồng"),
    (1_000_000_000, "1,00 tỷ đồng"),
    (1_500_000_000, "1,50 tỷ đồng"),
    (15_269_000_000, "15,27 tỷ đồng"),
    (-2_000_000, "-2,0 triệu đồng"),
    (None, "–"),
])
def test_money_in_a_sentence(vnd, text):
    assert vn.money(vnd) == text


@pytest.mark.parametrize("total, unit, amounts", [
    (15_269_000_000, "triệu đồng", {5_108_300_000: "5.108,3", 3_101_000_000: "3.101,0", 791_000_000: "791,0",
                                    250_000: "0,3", None: "–"}),
    (99_999_000_000, "triệu đồng", {99_999_000_000: "99.999,0"}),
    (100_000_000_000, "tỷ đồng", {100_000_000_000: "100,00", 29_000_000: "0,03", 1_234_567_000: "1,23"}),
])
def test_money_in_a_table_column_takes_one_unit(total, unit, amounts):
    assert vn.money_unit(total) == unit
    assert {v: vn.table_money(v, unit) for v in amounts} == amounts


def test_scores_and_means_have_one_decimal():
    assert [vn.score(v) for v in (92, 87.14, 100, 0, None)] == ["92,0", "87,1", "100,0", "0,0", "–"]
    assert vn.mean(73) == "73,0" and vn.points(7.925) == "7,93" and vn.points(13) == "13,00"


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


def test_header_date_left_blank_with_the_year_of_issue():
    text = vn.header_date(None, 2024)
    assert text == "ngày" + vn.BLANK + "tháng" + vn.BLANK + "năm 2024"
    assert vn.BLANK == "\u00a0" * 8  # non-breaking: wide enough to write in, never broken nor collapsed
    assert not any(ch.isdigit() for ch in vn.header_date(None))


@pytest.mark.parametrize("day, text", [
    ((2019, 1, 24), "24/01/2019"), ((2024, 3, 5), "05/03/2024"), ((2024, 12, 31), "31/12/2024"),
])
def test_text_date(day, text):
    assert vn.text_date(datetime.date(*day)) == text
