"""Figures across a reorganisation: a register whose earlier years use old blocks and unit names, read with
``reorganisation``, gives every figure under today's names; merged blocks and units sum their predecessors."""
from __future__ import annotations

import pytest

from sangkien import figures as fig
from sangkien.figures import frame as frame_of
from sangkien.inputs.params import Reorganisation
from sangkien.inputs.register import read_register

EDU, OTHER, TODAY = "Giáo dục", "Quận, huyện, sở, ngành", "Sở, ngành, địa phương"
BLOCKS = (EDU, TODAY)
CN, KCN = "Công nhận", "Không công nhận"
MAPPING = Reorganisation(blocks={OTHER: TODAY, "Khối huyện (Hải Dương)": TODAY},
                         units={"UBND quận A": "UBND phường A", "UBND quận B": "UBND phường A",
                                "Sở Du lịch": "Sở Văn hóa, Thể thao và Du lịch",
                                "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ"})

# nam, khoi, don_vi, ket_qua
ROWS = [
    (2022, OTHER, "UBND quận A", CN),
    (2022, OTHER, "UBND quận B", KCN),
    (2022, "Khối huyện (Hải Dương)", "UBND huyện C", CN),
    (2023, OTHER, "ubnd  QUẬN a", CN),
    (2023, OTHER, "Sở Khoa học và Công nghệ", CN),
    (2023, OTHER, "Sở Thông tin và Truyền thông", CN),
    (2023, EDU, "Trường A", KCN),
    (2024, OTHER, "UBND quận B", CN),
    (2024, OTHER, "Sở Du lịch", KCN),
    (2024, "Khối huyện (Hải Dương)", "UBND huyện C", KCN),
    (2025, TODAY, "UBND phường A", CN),
    (2025, TODAY, "UBND phường A", KCN),
    (2025, TODAY, "Sở Khoa học và Công nghệ", CN),
    (2025, TODAY, "Sở Văn hóa, Thể thao và Du lịch", CN),
    (2025, EDU, "Trường A", CN),
]


@pytest.fixture
def register(write_register, make_row):
    rows = [make_row(ma_so=f"SK-{i}", nam=nam, khoi=khoi, don_vi=unit, ket_qua=result)
            for i, (nam, khoi, unit, result) in enumerate(ROWS)]
    return lambda reorganisation=MAPPING: read_register(write_register(rows), BLOCKS, reorganisation)


@pytest.fixture
def frame(register):
    return frame_of(register())


def test_merged_blocks_sum_their_predecessors_in_the_year_and_the_period(frame):
    figures = fig.manifest_figures(frame, 2025, 2022, BLOCKS)
    assert figures["year"]["by_block"] == {EDU: {"submitted": 1, "recognized": 1}, TODAY: {"submitted": 4, "recognized": 3}}
    # 2022-2024: every row of the two old blocks (both provinces') under today's block
    assert figures["period"]["by_block"] == {EDU: {"submitted": 1, "recognized": 0},
                                             TODAY: {"submitted": 9, "recognized": 6}}
    assert set(frame["khoi"]) == set(BLOCKS)
    trend = fig.trend_by_block(frame, 2022, 2025, BLOCKS)
    assert set(trend["khoi"]) == set(BLOCKS)
    assert trend[trend["khoi"] == TODAY]["submitted"].tolist() == [3, 3, 3, 4]


def test_merged_units_sum_theirs(frame):
    ward = fig.unit_figures(frame, 2025, "UBND phường A", BLOCKS, 2022)
    assert ward["year"] == {"submitted": 2, "recognized": 1, "pending": 0}
    assert ward["previous"] == {"submitted": 1, "recognized": 1, "pending": 0}  # UBND quận B in 2024
    assert ward["period"] == {"from": 2022, "to": 2024, "submitted": 4, "recognized": 3}  # quận A and B
    assert ward["block"] == TODAY
    assert fig.unit_trend(frame, "UBND phường A", 2022, 2025)["submitted"].tolist() == [2, 1, 1, 2]
    science = fig.unit_figures(frame, 2025, "Sở Khoa học và Công nghệ", BLOCKS, 2022)
    assert science["period"]["submitted"] == 2  # its own row and the merged department's
    units = fig.by_unit(fig.rows_of_year(frame, 2025), BLOCKS)
    assert units["don_vi"].tolist() == ["Trường A", "UBND phường A", "Sở Khoa học và Công nghệ",
                                        "Sở Văn hóa, Thể thao và Du lịch"]


def test_renamed_lists_every_mapped_name_with_its_initiatives(frame):
    blocks = fig.renamed(frame, "khoi")
    assert blocks.to_dict("records") == [
        {"old": "Khối huyện (Hải Dương)", "new": TODAY, "submitted": 2, "recognized": 1},
        {"old": OTHER, "new": TODAY, "submitted": 7, "recognized": 5},
    ]
    units = fig.renamed(frame, "don_vi")
    assert units.to_dict("records") == [
        {"old": "Sở Thông tin và Truyền thông", "new": "Sở Khoa học và Công nghệ", "submitted": 1, "recognized": 1},
        {"old": "Sở Du lịch", "new": "Sở Văn hóa, Thể thao và Du lịch", "submitted": 1, "recognized": 0},
        {"old": "UBND quận A", "new": "UBND phường A", "submitted": 2, "recognized": 2},  # both spellings: one name
        {"old": "UBND quận B", "new": "UBND phường A", "submitted": 2, "recognized": 1},
    ]
    assert fig.renamed(fig.rows_of_year(frame, 2025), "don_vi").empty  # 2025 is written in today's names


def test_predecessors_say_whether_the_unit_kept_its_name(frame):
    assert fig.predecessors(frame, 2025) == {
        "Sở Khoa học và Công nghệ": (["Sở Thông tin và Truyền thông"], True),  # it took the other in
        "Sở Văn hóa, Thể thao và Du lịch": (["Sở Du lịch"], False),
        "UBND phường A": (["UBND quận A", "UBND quận B"], False),  # made of the two
    }


def test_the_manifest_says_what_was_mapped(frame):
    mapped = fig.manifest_figures(frame, 2025, 2023, BLOCKS)["reorganisation"]
    assert (mapped["from"], mapped["to"]) == (2023, 2025)
    assert mapped["blocks"] == [{"old": "Khối huyện (Hải Dương)", "new": TODAY, "submitted": 1, "recognized": 0},
                                {"old": OTHER, "new": TODAY, "submitted": 5, "recognized": 4}]
    # an earlier name as the compared rows first spell it
    assert [u["old"] for u in mapped["units"]] == ["Sở Thông tin và Truyền thông", "Sở Du lịch", "ubnd QUẬN a",
                                                   "UBND quận B"]


def test_without_reorganisation_the_figures_are_as_before(write_register, make_row):
    rows = [make_row(ma_so=f"SK-{i}", nam=nam, khoi=EDU, don_vi=unit, ket_qua=result)
            for i, (nam, _, unit, result) in enumerate(ROWS)]
    path = write_register(rows)
    plain = frame_of(read_register(path, BLOCKS))
    assert list(plain.columns) == ["row", "ma_so", "ten_sang_kien", "tac_gia", "don_vi", "khoi", "linh_vuc",
                                   "ket_qua", "nam", "so_tien_lam_loi", "diem"]
    assert fig.renamed(plain, "don_vi").empty and fig.predecessors(plain, 2025) == {}
    figures = fig.manifest_figures(plain, 2025, 2022, BLOCKS)
    assert "reorganisation" not in figures
    # a mapping of names the register does not hold changes no figure
    unrelated = frame_of(read_register(path, BLOCKS, Reorganisation(units={"UBND quận Z": "UBND phường Z"})))
    assert fig.manifest_figures(unrelated, 2025, 2022, BLOCKS) == figures
    assert fig.by_unit(fig.rows_of_year(unrelated, 2025), BLOCKS).equals(fig.by_unit(fig.rows_of_year(plain, 2025), BLOCKS))
