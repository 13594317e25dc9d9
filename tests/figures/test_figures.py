"""Every figure, on a small register computed by hand (and the published figures on the sample)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangkien import figures as fig
from sangkien.figures import frame as frame_of
from sangkien.inputs.register import read_register

EDU, OTHER = "Giáo dục", "Quận, huyện, sở, ngành"
BLOCKS = (EDU, OTHER)
CN, KCN, DX = "Công nhận", "Không công nhận", "Đang xét"

# nam, khoi, don_vi, linh_vuc, ket_qua, so_tien_lam_loi, tac_gia
ROWS = [
    (2019, EDU, "Trường A", "Giáo dục", CN, 100, "Ngô F"),
    (2020, EDU, "Trường A", "Giáo dục", CN, None, "Ngô F"),
    (2020, OTHER, "Sở Y tế", "Y tế", KCN, 500, "Phạm D"),
    (2021, EDU, "Trường B", "Giáo dục", KCN, None, "Lê C"),
    (2022, OTHER, "Sở Y tế", "Y tế", CN, 2_000_000, "Phạm D"),
    (2022, OTHER, "UBND quận Lê Chân", "Hành chính công", CN, None, "Vũ G"),
    (2023, EDU, "Trường A", "Giáo dục", CN, 1_500_000, "Nguyễn Văn A; Trần Thị B"),
    (2023, EDU, "Trường A", "Công nghệ thông tin", "công nhận", None, " nguyễn văn a ;"),
    (2023, EDU, "Trường B", "Giáo dục", KCN, 9_000_000, "Lê C"),
    (2023, OTHER, "Sở Y tế", "Y tế", DX, 700_000, "Phạm D; Trần Thị  B; Hồ E"),
    (2023, OTHER, "Sở Y tế", "Y tế", CN, "250.000,5", "Phạm D"),
    (2024, EDU, "Trường A", "Giáo dục", CN, 99_000_000, "Ngô F"),
]


@pytest.fixture
def frame(write_register, make_row):
    """The rows above, written to a CSV and read back as the report reads them."""
    rows = [
        make_row(ma_so=f"SK-{i}", nam=nam, khoi=khoi, don_vi=unit, linh_vuc=field, ket_qua=result,
                 so_tien_lam_loi=amount, tac_gia=authors)
        for i, (nam, khoi, unit, field, result, amount, authors) in enumerate(ROWS, start=1)
    ]
    return frame_of(read_register(write_register(rows), BLOCKS))


def test_rows_of_year_and_period(frame):
    assert len(fig.rows_of_year(frame, 2023)) == 5
    assert fig.rows_of_period(frame, 2020, 2022)["nam"].tolist() == [2020, 2020, 2021, 2022, 2022]
    assert fig.rows_of_period(frame, 2023, 2022).empty


def test_counts(frame):
    assert fig.counts(fig.rows_of_year(frame, 2023)) == {"submitted": 5, "recognized": 3, "pending": 1}
    assert fig.counts(fig.rows_of_period(frame, 2020, 2022)) == {"submitted": 5, "recognized": 3, "pending": 0}
    assert fig.counts(fig.rows_of_year(frame, 2030)) == {"submitted": 0, "recognized": 0, "pending": 0}


def test_by_block_in_parameters_order_with_zeros(frame):
    rows = fig.rows_of_year(frame, 2023)
    assert fig.by_block(rows, BLOCKS) == {EDU: {"submitted": 3, "recognized": 2}, OTHER: {"submitted": 2, "recognized": 1}}
    result = fig.by_block(rows, (OTHER, "Doanh nghiệp", EDU))
    assert list(result) == [OTHER, "Doanh nghiệp", EDU]
    assert result["Doanh nghiệp"] == {"submitted": 0, "recognized": 0}


def test_benefit_counts_only_recognised_rows(frame):
    year = fig.rows_of_year(frame, 2023)
    # 1.500.000 + 250.000,5; the empty amount is ignored, the amounts of rows not (yet) recognised too
    assert fig.benefit_vnd(year) == 1_750_000.5
    assert fig.benefit_reported(year) == 2
    whole = fig.benefit_vnd(fig.rows_of_year(frame, 2022))
    assert whole == 2_000_000 and type(whole) is int
    nothing = fig.benefit_vnd(fig.rows_of_year(frame, 2021))
    assert nothing == 0 and type(nothing) is int


def test_recognition_rate_and_change():
    assert fig.recognition_rate(3, 5) == 60.0
    assert fig.recognition_rate(0, 0) is None
    assert fig.recognition_rate(0, 4) == 0.0
    assert fig.change_percent(5, 2) == 150.0
    assert fig.change_percent(1, 4) == -75.0
    assert fig.change_percent(3, 0) is None


def test_by_unit(frame):
    table = fig.by_unit(fig.rows_of_year(frame, 2023), BLOCKS)
    assert table.columns.tolist() == ["don_vi", "khoi", "submitted", "recognized", "rate", "benefit_vnd"]
    assert table.to_dict("records") == [
        {"don_vi": "Trường A", "khoi": EDU, "submitted": 2, "recognized": 2, "rate": 100.0, "benefit_vnd": 1_500_000.0},
        {"don_vi": "Trường B", "khoi": EDU, "submitted": 1, "recognized": 0, "rate": 0.0, "benefit_vnd": 0.0},
        {"don_vi": "Sở Y tế", "khoi": OTHER, "submitted": 2, "recognized": 1, "rate": 50.0, "benefit_vnd": 250_000.5},
    ]


def test_by_unit_orders_blocks_as_the_parameters(frame):
    table = fig.by_unit(fig.rows_of_period(frame, 2016, 2022), (OTHER, EDU))
    assert table["don_vi"].tolist() == ["Sở Y tế", "UBND quận Lê Chân", "Trường A", "Trường B"]
    assert table["submitted"].tolist() == [2, 1, 2, 1]
    assert table["recognized"].tolist() == [1, 1, 2, 0]


def test_by_field(frame):
    table = fig.by_field(fig.rows_of_year(frame, 2023))
    assert table.columns.tolist() == ["linh_vuc", "submitted", "recognized", "rate"]
    assert table.to_dict("records") == [
        {"linh_vuc": "Giáo dục", "submitted": 2, "recognized": 1, "rate": 50.0},
        {"linh_vuc": "Y tế", "submitted": 2, "recognized": 1, "rate": 50.0},
        {"linh_vuc": "Công nghệ thông tin", "submitted": 1, "recognized": 1, "rate": 100.0},
    ]


def test_empty_tables(frame):
    none = fig.rows_of_year(frame, 2030)
    assert fig.by_unit(none, BLOCKS).empty and fig.by_field(none).empty
    assert fig.authors(none) == {"people": 0, "entries": 0, "first_authors": 0, "co_authors": 0, "with_coauthors": 0}


def test_authors(frame):
    # a person is a name within a unit, names compared without case or extra spaces: Nguyễn Văn A twice in
    # Trường A (one person), Phạm D twice in Sở Y tế (one person); Trần Thị B in Trường A and in Sở Y tế
    # (two people of one name)
    assert fig.authors(fig.rows_of_year(frame, 2023)) == {
        "people": 6, "entries": 8, "first_authors": 5, "co_authors": 3, "with_coauthors": 2,
    }


def test_top_units_and_field(frame):
    units = fig.by_unit(fig.rows_of_year(frame, 2023), BLOCKS)
    assert fig.top_units(units)["don_vi"].tolist() == ["Trường A", "Sở Y tế"]
    assert fig.top_units(units, 1)["don_vi"].tolist() == ["Trường A"]
    fields = fig.by_field(fig.rows_of_year(frame, 2023))
    assert fig.top_field(fields) is None  # three fields with one recognised each: none leads
    assert fig.top_field(fields.iloc[:1]) == {"linh_vuc": "Giáo dục", "submitted": 2, "recognized": 1}


def test_decided_and_means():
    c = {"submitted": 1350, "recognized": 854, "pending": 32}
    assert fig.decided(c) == 1318 and round(fig.decided_rate(c), 2) == 64.80
    assert fig.decided_rate({"submitted": 2, "recognized": 0, "pending": 2}) is None
    assert fig.mean_per(15_269_000_000, 43) == 15_269_000_000 / 43 and fig.mean_per(1, 0) is None


def test_author_names():
    assert fig.author_names("Nguyễn Văn A;Trần Thị B ; ;") == ["Nguyễn Văn A", "Trần Thị B"]


def test_trend_by_block_keeps_every_year_and_block(frame):
    trend = fig.trend_by_block(frame, 2020, 2022, BLOCKS)
    assert trend.columns.tolist() == ["nam", "khoi", "submitted", "recognized"]
    assert [tuple(r) for r in trend.itertuples(index=False)] == [
        (2020, EDU, 1, 1), (2020, OTHER, 1, 0),
        (2021, EDU, 1, 0), (2021, OTHER, 0, 0),
        (2022, EDU, 0, 0), (2022, OTHER, 2, 2),
    ]


def test_manifest_figures(frame):
    figures = fig.manifest_figures(frame, 2023, 2020, BLOCKS)
    assert figures == {
        "year": {"submitted": 5, "recognized": 3, "pending": 1, "benefit_vnd": 1_750_000.5,
                 "by_block": {EDU: {"submitted": 3, "recognized": 2}, OTHER: {"submitted": 2, "recognized": 1}}},
        # 2019 is before the period; 2023 is the year itself; 2024 comes later and counts nowhere
        "period": {"from": 2020, "to": 2022, "submitted": 5, "recognized": 3,
                   "by_block": {EDU: {"submitted": 2, "recognized": 1}, OTHER: {"submitted": 3, "recognized": 2}}},
    }
    json.dumps(figures)  # plain Python numbers only


def test_the_period_ends_the_year_before(frame):
    period = fig.manifest_figures(frame, 2023, 2016, BLOCKS)["period"]
    assert (period["from"], period["to"], period["submitted"], period["recognized"]) == (2016, 2022, 6, 4)
    first = fig.manifest_figures(frame, 2019, 2019, BLOCKS)
    assert first["period"] == {"from": 2019, "to": 2018, "submitted": 0, "recognized": 0,
                               "by_block": {EDU: {"submitted": 0, "recognized": 0}, OTHER: {"submitted": 0, "recognized": 0}}}
    assert first["year"]["submitted"] == 1 and first["year"]["benefit_vnd"] == 100


def test_figures_of_a_later_year_ignore_nothing_earlier(frame):
    figures = fig.manifest_figures(frame, 2024, 2016, BLOCKS)
    assert figures["year"] == {"submitted": 1, "recognized": 1, "pending": 0, "benefit_vnd": 99_000_000,
                               "by_block": {EDU: {"submitted": 1, "recognized": 1}, OTHER: {"submitted": 0, "recognized": 0}}}
    assert figures["period"]["submitted"] == 11


def test_ordered_recognized_by_block_unit_code(frame):
    """The appendix's and the annex file's order: block (as the parameters list them), unit, code."""
    rows = fig.rows_of_period(frame, 2022, 2023)
    ordered = fig.ordered_recognized(rows, (OTHER, EDU))
    assert ordered["ma_so"].tolist() == ["SK-5", "SK-11", "SK-6", "SK-7", "SK-8"]  # codes: numbers as numbers
    assert set(ordered["ket_qua"]) == {CN}
    assert fig.ordered_recognized(rows, BLOCKS)["ma_so"].tolist() == ["SK-7", "SK-8", "SK-5", "SK-11", "SK-6"]


def _yearly_counts_year_by_year(rows, start, end):
    """The reference :func:`fig.yearly_counts` must equal: each year's rows counted on their own."""
    import pandas as pd

    records = []
    for year in range(start, end + 1):
        c = fig.counts(rows[rows["nam"] == year])
        records.append({"nam": year, "submitted": c["submitted"], "recognized": c["recognized"],
                        "rate": fig.recognition_rate(c["recognized"], c["submitted"])})
    return pd.DataFrame(records, columns=["nam", "submitted", "recognized", "rate"])


@pytest.mark.parametrize("start, end", [(2019, 2024), (2021, 2023), (2010, 2030), (2023, 2023), (2024, 2023),
                                        (2025, 2027)])
def test_yearly_counts_equals_counting_each_year(frame, start, end):
    import pandas as pd

    for rows in (frame, frame[frame["don_vi"] == "Trường A"], frame.iloc[:0]):
        expected = _yearly_counts_year_by_year(rows, start, end)
        found = fig.yearly_counts(rows, start, end)
        pd.testing.assert_frame_equal(found, expected)  # dtypes too: a rate is missing where nothing was put forward


def _authors_cell_by_cell(rows):
    """The reference :func:`fig.authors` must equal: each cell's names (:func:`fig.author_names`) in turn."""
    from sangkien.inputs.schema import fold

    lists = [(fig.author_names(t), fold(u)) for t, u in zip(rows["tac_gia"].tolist(), rows["don_vi"].tolist())]
    people = {(fold(name), unit) for names, unit in lists for name in names}
    entries = sum(len(names) for names, _ in lists)
    first = sum(1 for names, _ in lists if names)
    return {"people": len(people), "entries": entries, "first_authors": first, "co_authors": entries - first,
            "with_coauthors": sum(1 for names, _ in lists if len(names) > 1)}


_NAME_PARTS = st.sampled_from(["Nguyễn Văn A", "nguyễn  văn a", "Trần Thị B", "TRẦN THỊ B", "Lê C", " ", "",
                               ";", " ; ", ";;", "\u00a0", "\u200b", "Ngô\u200bF", "e\u0301", "é", "Đỗ"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_NAME_PARTS, max_size=6).map("".join),
                          st.sampled_from(["Trường A", "trường  a", "Sở Y tế", "SỞ Y TẾ "])), max_size=12))
def test_authors_equals_each_cell_in_turn(cells):
    """Cells with separators first, last, doubled, alone; blank names; case, spacing, invisible characters
    and composed or decomposed accents: the names split all at once count as each cell's names do."""
    import pandas as pd

    rows = pd.DataFrame({"tac_gia": pd.Series([t for t, _ in cells], dtype="str"),
                         "don_vi": pd.Series([u for _, u in cells], dtype="str")})
    assert fig.authors(rows) == _authors_cell_by_cell(rows)


@pytest.mark.parametrize("year", [2016, 2019, 2023, 2025])
def test_the_report_prints_the_sample_figures_the_manifest_would_work_out(year):
    from sangkien import inputs
    from sangkien.report.yearly import Report

    params, register = inputs.load(year)
    assert Report(params, register).figures() == fig.manifest_figures(frame_of(register), year, params.period_start,
                                                                      params.blocks)


@pytest.mark.parametrize("year", [2016, 2023, 2025, 2030])
def test_a_years_frame_is_the_whole_frames_rows_of_that_year(year):
    """Made from the year's rows alone (the annexes' frame), it is the frame's rows of the year: columns,
    types, values and index; the same once the whole frame is made; a year without rows too."""
    import pandas as pd

    from sangkien import inputs

    _, register = inputs.load(2025)
    alone = fig.year_frame(register, year)
    assert "frame" not in register.cache or year == 2030  # a year without rows takes the whole frame's
    expected = fig.rows_of_year(frame_of(register), year)
    pd.testing.assert_frame_equal(alone, expected)
    pd.testing.assert_frame_equal(fig.year_frame(register, year), expected)  # from the whole frame, once made
