"""``reorganisation`` (contract section 3): earlier blocks and units mapped onto today's, validated once, and
applied when the register is read, so that every row of every year is counted under today's names."""
from __future__ import annotations

import unicodedata

import pytest
from conftest import EDU, OTHER, PINNED
from merger import HAI_DUONG, HAI_PHONG, MERGED_PARAMS
from registers import write_register_file

from sangkien import paths
from sangkien.errors import DataError, ParamsError
from sangkien.inputs import renames
from sangkien.inputs.params import Reorganisation, load_params
from sangkien.inputs.register import FRAME_COLUMNS, read_register

TODAY = "Sở, ngành, địa phương"
BLOCKS_2025 = (EDU, TODAY)
MAPPING = Reorganisation(blocks={OTHER: TODAY},
                         units={"UBND quận A": "UBND phường A", "UBND quận B": "UBND phường A",
                                "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ"})


@pytest.fixture
def params_file(tmp_path):
    """``params_file(text)``: a parameters file of 2025 with the blocks of 2025, then ``text``."""

    def write(text: str):
        path = tmp_path / "2025.yaml"
        path.write_text(f"year: 2025\ndata: {paths.SAMPLE_REGISTER}\nblocks: [Giáo dục, '{TODAY}']\n{text}",
                        encoding="utf-8")
        return path

    return write


def error_of(path) -> str:
    with pytest.raises(ParamsError) as info:
        load_params(2025, path)
    (line,) = info.value.problems
    return line


# --------------------------------------------------------------------------- the parameter

def test_the_mapping_is_resolved(params_file):
    path = params_file(
        "reorganisation:\n"
        "  blocks:\n    'quận,  HUYỆN, sở, ngành': 'sở, ngành, địa phương'\n"
        "  units:\n"
        "    UBND quận A: UBND phường A\n"
        "    UBND phường A: UBND phường A mới\n"  # a chain: A -> phường A -> phường A mới
        "    Sở Y tế: sở y tế\n"  # a name mapped to itself changes nothing
        f"    {unicodedata.normalize('NFD', 'UBND huyện Đồ Sơn')}:  UBND  phường Đồ Sơn \n")
    reorganisation = load_params(2025, path).reorganisation
    assert reorganisation.blocks == {"quận, HUYỆN, sở, ngành": TODAY}  # today's block as blocks spells it
    assert reorganisation.units == {"UBND quận A": "UBND phường A mới", "UBND phường A": "UBND phường A mới",
                                    "UBND huyện Đồ Sơn": "UBND phường Đồ Sơn"}
    assert reorganisation


def test_without_it_nothing_is_mapped(params_file):
    """The shared defaults map earlier names onto today's blocks; a year that pins its own blocks (before 2025)
    maps nothing, and neither does a file that empties the mapping."""
    assert load_params(2025, params_file("")).reorganisation == load_params(2025).reorganisation
    reorganisation = load_params(2025, params_file("reorganisation:\n  blocks: {}\n  units: {}\n")).reorganisation
    assert reorganisation == Reorganisation() and not reorganisation
    assert load_params(2023).reorganisation == Reorganisation()
    pinned = params_file("").with_name("2024.yaml")
    pinned.write_text(f"year: 2024\n{PINNED}", encoding="utf-8")
    assert load_params(2024, pinned, require_data=False).reorganisation == Reorganisation()


@pytest.mark.parametrize(("text", "expected"), [
    ("reorganisation:\n  blocks:\n    'Quận, huyện, sở, ngành': Khối Sở\n",
     'khóa "reorganisation.blocks": khối cũ "Quận, huyện, sở, ngành" chuyển sang "Khối Sở", nhưng "Khối Sở" '
     'không có trong blocks; cần một trong: "Giáo dục"; "Sở, ngành, địa phương"'),
    ("reorganisation:\n  blocks:\n    Giáo dục: 'Sở, ngành, địa phương'\n",
     'khóa "reorganisation.blocks": khối "Giáo dục" vẫn có trong blocks nên không là khối cũ'),
    ("reorganisation:\n  units:\n    UBND quận A: ''\n",
     'khóa "reorganisation.units": tên trống (tên hiện nay của "UBND quận A")'),
    ("reorganisation:\n  units:\n    '  ': UBND phường A\n", 'khóa "reorganisation.units": tên trống'),
    ("reorganisation:\n  units:\n    UBND quận A: [a, b]\n", 'khóa "reorganisation.units": tên cần là chữ'),
    ("reorganisation:\n  units:\n    A: B\n    B: C\n    C: a\n",
     'khóa "reorganisation.units": tên chuyển vòng tròn "A" → "B" → "C" → "A"'),
    ("reorganisation:\n  units:\n    UBND quận A: X\n    ubnd QUẬN a: Y\n",
     'khóa "reorganisation.units": tên cũ "ubnd QUẬN a" được ghi hai lần, sang "X" và sang "Y"'),
    ("reorganisation:\n  units: [UBND quận A]\n",
     "khóa \"reorganisation.units\" cần các cặp 'tên cũ: tên hiện nay' (YAML mapping)"),
    ("reorganisation: có\n", 'khóa "reorganisation" cần các khóa con (YAML mapping)'),
    ("reorganisation:\n  unit:\n    A: B\n", 'khóa không hợp lệ "reorganisation.unit"; có phải ý bạn là "reorganisation.units"?'),
])
def test_every_mistake_is_named_exit_2(params_file, text, expected):
    path = params_file(text)
    assert error_of(path).startswith(f"{path}")
    assert expected in error_of(path)


def test_a_mapping_in_the_shared_defaults_is_merged_key_by_key(tmp_path, monkeypatch):
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(f"blocks: [Giáo dục, '{TODAY}']\nreorganisation:\n  blocks:\n    '{OTHER}': '{TODAY}'\n",
                        encoding="utf-8")
    monkeypatch.setattr(paths, "DEFAULTS_FILE", defaults)
    year = tmp_path / "2025.yaml"
    year.write_text(f"year: 2025\ndata: {paths.SAMPLE_REGISTER}\nreorganisation:\n  units:\n    A: B\n",
                    encoding="utf-8")
    assert load_params(2025, year).reorganisation == Reorganisation(blocks={OTHER: TODAY}, units={"A": "B"})
    from sangkien.inputs.params import default_blocks_and_reorganisation

    assert default_blocks_and_reorganisation()[1] == Reorganisation(blocks={OTHER: TODAY})


# --------------------------------------------------------------------------- reading the register

@pytest.fixture
def register_of(write_register, make_row):
    """``register_of(rows, reorganisation=MAPPING, until=None)``: rows (dicts of make_row's keywords) read
    against the blocks of 2025."""

    def read(rows, reorganisation=MAPPING, until=None, blocks=BLOCKS_2025):
        path = write_register([make_row(ma_so=f"SK-{i}", **row) for i, row in enumerate(rows)])
        return read_register(path, blocks, reorganisation, until=until)

    return read


def test_old_names_are_counted_under_todays(register_of):
    register = register_of([
        {"nam": 2023, "don_vi": "UBND quận A", "khoi": OTHER},
        {"nam": 2024, "don_vi": "UBND quận B", "khoi": OTHER},
        {"nam": 2025, "don_vi": "UBND phường A", "khoi": TODAY},
        {"nam": 2023, "don_vi": "Trường A", "khoi": EDU},
    ])
    assert register.columns["khoi"] == [TODAY, TODAY, TODAY, EDU]
    assert register.columns["don_vi"] == ["UBND phường A", "UBND phường A", "UBND phường A", "Trường A"]
    assert register.columns["khoi_goc"] == [OTHER, OTHER, TODAY, EDU]  # as written
    assert register.columns["don_vi_goc"] == ["UBND quận A", "UBND quận B", "UBND phường A", "Trường A"]
    assert register.reorganisation == MAPPING and register.blocks == BLOCKS_2025


@pytest.mark.parametrize("spelling", [
    "ubnd QUẬN a", unicodedata.normalize("NFD", "UBND quận A"), "UBND\u200b quận A\ufeff", "  UBND   quận\u00a0A ",
    "UBND qu\u00adận A"])
def test_spellings_that_differ_by_case_nfd_spaces_or_invisible_characters_map_the_same(register_of, spelling):
    block = unicodedata.normalize("NFD", OTHER.upper())
    register = register_of([{"don_vi": spelling, "khoi": block}, {"don_vi": "UBND quận A", "khoi": OTHER}])
    assert register.columns["don_vi"] == ["UBND phường A", "UBND phường A"]
    assert register.columns["khoi"] == [TODAY, TODAY]


def test_without_reorganisation_the_register_is_as_before(register_of):
    rows = [{"don_vi": "UBND quận A", "khoi": OTHER}, {"don_vi": "Trường A", "khoi": EDU}]
    before = register_of(rows, reorganisation=None, blocks=(EDU, OTHER))
    assert tuple(before.columns) == FRAME_COLUMNS and before.reorganisation is None
    assert before.columns["don_vi"] == ["UBND quận A", "Trường A"]
    assert register_of(rows, reorganisation=Reorganisation(), blocks=(EDU, OTHER)).columns == before.columns


def test_an_old_block_that_is_not_mapped_is_still_unknown(register_of):
    with pytest.raises(DataError) as info:
        register_of([{"khoi": "Doanh nghiệp"}])
    assert 'giá trị "Doanh nghiệp": khối không có trong tham số; cần một trong: "Giáo dục"; "Sở, ngành, địa phương"' \
        in info.value.problems[0]


def test_one_block_per_unit_after_mapping(register_of):
    """A school mapped onto a unit of the other block: the unit is then under two blocks, and the message
    says which names the row holds."""
    mapping = Reorganisation(blocks={OTHER: TODAY}, units={"Trường A": "UBND phường A"})
    with pytest.raises(DataError) as info:
        register_of([{"don_vi": "UBND phường A", "khoi": TODAY}, {"don_vi": "Trường A", "khoi": EDU}], mapping)
    (line,) = info.value.problems
    assert ('dòng 3, cột "Khối", giá trị "Giáo dục": đơn vị "UBND phường A" đã thuộc khối "Sở, ngành, địa phương" '
            'ở dòng 2; một đơn vị chỉ thuộc một khối (theo reorganisation: "Trường A" tính là "UBND phường A")') in line
    # the old block of a merged unit is today's block: no problem
    register_of([{"don_vi": "UBND phường A", "khoi": TODAY}, {"don_vi": "UBND quận A", "khoi": OTHER}])


def test_rows_after_the_report_year_may_name_a_later_block(register_of):
    rows = [{"nam": 2023, "khoi": OTHER}, {"nam": 2025, "khoi": TODAY, "don_vi": "Sở Tư pháp"}]
    with pytest.raises(DataError):
        register_of(rows, reorganisation=None, blocks=(EDU, OTHER))
    register = register_of(rows, reorganisation=None, blocks=(EDU, OTHER), until=2023)
    assert register.columns["khoi"] == [OTHER, TODAY]
    with pytest.raises(DataError):  # a row of the report year is checked as always
        register_of(rows, reorganisation=None, blocks=(EDU, OTHER), until=2025)


def test_today_name():
    assert renames.today_name("UBND QUẬN B", MAPPING) == "UBND phường A"
    assert renames.today_name("Sở Y tế", MAPPING) == "Sở Y tế" == renames.today_name("Sở Y tế", None)


# --------------------------------------------------------------------------- check: two registers, one history

def test_check_of_two_provinces_registers_combined(tmp_path, run_main):
    """One file holding both registers: the merged province's earlier years are shown under today's names."""
    data = write_register_file(tmp_path / "so-dang-ky.csv", HAI_PHONG + HAI_DUONG)
    params = tmp_path / "2025.yaml"
    params.write_text(MERGED_PARAMS.replace("so-dang-ky.csv", str(data)), encoding="utf-8")
    status, out, err = run_main("check", data, "--params", params)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"{data}: hợp lệ — 8 sáng kiến, năm 2023, 2024, 2025",
        "Tính theo tên hiện nay (khóa reorganisation): 4 sáng kiến ghi khối trước đây, 4 sáng kiến ghi đơn vị "
        "trước đây:",
        '  khối "Huyện, thị xã, thành phố, sở, ngành" → "Sở, ngành, địa phương": 2 sáng kiến',
        '  khối "Quận, huyện, sở, ngành" → "Sở, ngành, địa phương": 2 sáng kiến',
        '  đơn vị "UBND thành phố Hải Dương" → "UBND phường Hải Dương": 2 sáng kiến',
        '  đơn vị "UBND quận Hồng Bàng" → "UBND phường Hồng Bàng": 2 sáng kiến',
        "Số sáng kiến theo năm và khối hiện nay (công nhận/đề nghị):",
        "  2023: Sở, ngành, địa phương 2/2",
        "  2024: Giáo dục 2/2; Sở, ngành, địa phương 1/2",
        "  2025: Sở, ngành, địa phương 2/2",
    ]
    # without the mapping, the earlier blocks are unknown: every such row is named
    params.write_text(f"year: 2025\ndata: {data}\nblocks: [Giáo dục, 'Sở, ngành, địa phương']\n"
                      "reorganisation:\n  blocks: {}\n  units: {}\n", encoding="utf-8")  # the shared mapping undone
    status, out, err = run_main("check", data, "--params", params)
    assert status == 3 and len(err.splitlines()) == 4


def test_check_names_old_names_it_did_not_find(tmp_path, run_main):
    data = write_register_file(tmp_path / "so-dang-ky.csv", HAI_PHONG)
    params = tmp_path / "2025.yaml"
    params.write_text(MERGED_PARAMS.replace("so-dang-ky.csv", str(data)), encoding="utf-8")
    status, out, err = run_main("check", data, "--params", params)
    assert status == 0
    assert out.splitlines()[-1] == ("Tên trước đây trong reorganisation không có trong sổ (sổ ghi tên trước đây ở năm "
                                    "2023, 2024; kiểm tra chính tả): "
                                    'khối "Huyện, thị xã, thành phố, sở, ngành"; đơn vị "UBND thành phố Hải Dương"')


def test_check_without_reorganisation_says_as_before(tmp_path, run_main, write_register, make_row):
    path = write_register([make_row()])
    params = tmp_path / "2023.yaml"
    params.write_text("year: 2023\n" + PINNED, encoding="utf-8")  # a year before 2025 maps nothing
    status, out, err = run_main("check", path, "--params", params)
    assert (status, err) == (0, "") and out == f"{path}: hợp lệ — 1 sáng kiến, năm 2023\n"
