"""The schema: every column says what it holds, and every limit is written once and said where it is used."""
from __future__ import annotations

import pytest
from conftest import BLOCKS, HEADER, IDS

from sangkien.inputs import schema

KINDS = (schema.TEXT, schema.NAMES, schema.CHOICE, schema.YEAR, schema.NUMBER)


def test_the_columns_of_the_contract():
    assert [c.id for c in schema.COLUMNS] == IDS and [c.label for c in schema.COLUMNS] == HEADER
    assert schema.REQUIRED == tuple(IDS[:8])


@pytest.mark.parametrize("column", schema.COLUMNS, ids=lambda c: c.id)
def test_every_column_has_a_kind_and_what_its_rules_need(column):
    assert column.kind in KINDS and column.meaning
    if column.kind in (schema.YEAR, schema.NUMBER):
        assert column.low is not None and column.need.startswith("cần ")
    else:
        assert (column.low, column.high) == (None, None)
    if column.kind in (schema.YEAR, schema.CHOICE):
        assert column.invalid
    if column.belongs_to:
        assert schema.BY_ID[column.belongs_to].kind == schema.CHOICE


@pytest.mark.parametrize("column", [c for c in schema.COLUMNS if c.kind in (schema.YEAR, schema.NUMBER)],
                         ids=lambda c: c.id)
def test_what_a_number_needs_names_its_limits(column):
    for limit in (column.low, column.high):
        if limit not in (None, 0):  # 0 as a lower limit reads "không âm" (not negative)
            assert str(limit) in column.need
    if column.low == 0 and column.high is None:
        assert "không âm" in column.need


def test_the_limits():
    assert (schema.BY_ID["nam"].low, schema.BY_ID["nam"].high) == (schema.YEAR_MIN, schema.YEAR_MAX) == (1975, 2100)
    assert (schema.BY_ID["diem"].low, schema.BY_ID["diem"].high) == (0, 100)
    assert (schema.BY_ID["so_tien_lam_loi"].low, schema.BY_ID["so_tien_lam_loi"].high) == (0, None)


def test_choices_are_the_results_or_the_blocks():
    assert schema.choices(schema.BY_ID["ket_qua"], BLOCKS) == schema.RESULTS
    assert schema.choices(schema.BY_ID["khoi"], BLOCKS) == BLOCKS
    assert schema.choices(schema.BY_ID["khoi"], ["Doanh nghiệp"]) == ("Doanh nghiệp",)
    assert schema.need_choice(("A", "B")) == 'cần một trong: "A"; "B"'
