"""Parameters (contract section 3): shared defaults, per-year files, every mistake named."""
from __future__ import annotations

import datetime
import hashlib
import unicodedata
from pathlib import Path

import pytest

from sangkien import inputs, paths
from sangkien.errors import ParamsError
from sangkien.inputs import yamlfile
from sangkien.inputs.fields import convert, field_types
from sangkien.inputs.params import KINDS, Params, Signer, default_blocks, load_params

SAMPLE = "data/sample/so-dang-ky-sang-kien.xlsx"
MINIMAL = f"year: 2023\ndata: {SAMPLE}\n"


@pytest.fixture
def params_file(tmp_path):
    """``params_file(text, name="p.yaml")`` writes a parameters file into a temporary folder."""

    def write(text: str, name: str = "p.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def error_of(*args, **kwargs) -> str:
    with pytest.raises(ParamsError) as info:
        load_params(*args, **kwargs)
    (line,) = info.value.problems
    return line


# --------------------------------------------------------------------------- the committed files

def test_the_2023_parameters():
    params = load_params(2023)
    assert params.year == 2023 and params.period_start == 2016 and params.period_end == 2022
    assert params.data == paths.ROOT / SAMPLE
    assert params.blocks == ("Giáo dục", "Quận, huyện, sở, ngành")
    assert params.sample_data is True
    assert params.doc_number == "45" and params.doc_symbol == "BC-SKHCN"
    assert params.issue_date == datetime.date(2024, 1, 5)
    assert params.parent_body == "UBND THÀNH PHỐ HẢI PHÒNG"
    assert params.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    # no name nor recipients in the shared defaults (the report derives the recipients; the name is the year's)
    assert params.signer.name == "" and params.signer.authority == "KT. GIÁM ĐỐC"
    assert params.recipients == ()
    assert params.sections.context.startswith("Năm 2023")
    assert params.files == (paths.DEFAULTS_FILE, paths.params_file_for(2023))
    assert "2024" in params.subject_line and "năm 2023" in params.subject_line


@pytest.mark.parametrize("path", sorted(paths.PARAMS_DIR.glob("[0-9]*.yaml")), ids=lambda p: p.stem)
def test_every_committed_parameters_file_loads(path):
    params = load_params(int(path.stem))
    assert params.year == int(path.stem)
    assert params.data.is_file()


def test_default_blocks():
    assert default_blocks() == ("Giáo dục", "Sở, ngành, địa phương")  # today's organisation


# --------------------------------------------------------------------------- a file anywhere inherits the defaults

def test_year_and_data_are_enough(params_file):
    path = params_file(MINIMAL)
    params = load_params(2023, path)
    assert params.files == (paths.DEFAULTS_FILE, path)
    assert params.blocks == ("Giáo dục", "Sở, ngành, địa phương")
    assert params.parent_body == "UBND THÀNH PHỐ HẢI PHÒNG"
    assert params.signer.authority == "KT. GIÁM ĐỐC"
    assert params.recipients == ()
    assert params.sample_data is False and params.period_start == 2016
    assert params.data == paths.ROOT / SAMPLE  # a relative path counts from the repository root


def test_a_file_overrides_key_by_key(params_file):
    path = params_file(MINIMAL + "blocks: [Giáo dục, Quận huyện, Doanh nghiệp]\nperiod_start: 2019\n"
                       "signer:\n  name: Trần Văn B\n")
    params = load_params(2023, path)
    assert params.blocks == ("Giáo dục", "Quận huyện", "Doanh nghiệp")
    assert params.period_start == 2019
    assert params.signer.name == "Trần Văn B"
    assert params.signer.title == "PHÓ GIÁM ĐỐC"  # the rest of signer still from the defaults


def test_an_empty_nested_key_keeps_the_defaults(params_file):
    params = load_params(2023, params_file(MINIMAL + "signer:\nsections:\n"))
    assert params.signer.authority == "KT. GIÁM ĐỐC"


def test_data_given_on_the_command_line(params_file, tmp_path):
    register = tmp_path / "so.xlsx"
    register.write_bytes(b"x")
    params = load_params(2023, params_file("year: 2023\n"), data_file=register)
    assert params.data == register


def test_blocks_are_nfc(params_file):
    nfd = unicodedata.normalize("NFD", "Giáo dục")
    params = load_params(2023, params_file(MINIMAL + f"blocks: [{nfd}, Khác]\n"))
    assert params.blocks == ("Giáo dục", "Khác")


def test_sha256_covers_every_file(params_file):
    first = load_params(2023, params_file(MINIMAL)).sha256()
    second = load_params(2023, params_file(MINIMAL + "place: Hải Dương\n")).sha256()
    assert len(first) == 64 and first != second


def test_sha256_names_the_bytes_that_were_parsed(params_file):
    """The digest is of the defaults then the year's file as they were read: a file saved over afterwards
    changes neither the values nor the digest (it is not read again)."""
    path = params_file(MINIMAL)
    params = load_params(2023, path)
    parsed = paths.DEFAULTS_FILE.read_bytes() + path.read_bytes()
    path.write_text(MINIMAL + "place: Hải Dương\n", encoding="utf-8")
    assert params.sha256() == hashlib.sha256(parsed).hexdigest()
    assert params.place == "Hải Phòng"


def test_each_parameters_file_is_read_once(params_file, monkeypatch, write_register, make_row):
    """``load_params`` and ``check`` without ``--params`` read each parameters file once."""
    read: list[Path] = []
    original = yamlfile._param_bytes

    def counted(path):
        read.append(Path(path))
        return original(path)

    monkeypatch.setattr(yamlfile, "_param_bytes", counted)
    path = params_file(MINIMAL)
    load_params(2023, path).sha256()
    assert read == [paths.DEFAULTS_FILE, path]
    read.clear()
    inputs.check(write_register([make_row()]))
    assert read == [paths.DEFAULTS_FILE, paths.params_file_for(2025)]  # the latest year's, inheriting the defaults


# --------------------------------------------------------------------------- mistakes

def test_unknown_key_names_the_nearest(params_file):
    path = params_file(MINIMAL + "perod_start: 2016\n")
    assert error_of(2023, path) == f'{path}: khóa không hợp lệ "perod_start"; có phải ý bạn là "period_start"?'


@pytest.mark.parametrize("text, key, nearest", [
    ("signer:\n  nmae: X\n", "signer.nmae", "signer.name"),
    ("sections:\n  contex: X\n", "sections.contex", "sections.context"),
    ("sampel_data: true\n", "sampel_data", "sample_data"),
    ("block:\n  - Giáo dục\n", "block", "blocks"),
])
def test_unknown_nested_key_names_the_nearest(params_file, text, key, nearest):
    path = params_file(MINIMAL + text)
    assert error_of(2023, path) == f'{path}: khóa không hợp lệ "{key}"; có phải ý bạn là "{nearest}"?'


def test_unknown_key_without_a_near_one_lists_the_keys(params_file):
    path = params_file(MINIMAL + "zzz: 1\n")
    line = error_of(2023, path)
    assert line.startswith(f'{path}: khóa không hợp lệ "zzz"; các khóa hợp lệ: year, data, blocks, period_start')


def test_missing_year(params_file):
    path = params_file(f"data: {SAMPLE}\n")
    assert error_of(None, path) == f'{path}: thiếu khóa bắt buộc "year" (năm báo cáo)'


def test_missing_data(params_file):
    path = params_file("year: 2023\n")
    assert error_of(2023, path) == f'{path}: thiếu khóa bắt buộc "data" (tệp sổ đăng ký), hoặc dùng --data'


@pytest.mark.parametrize("text, key, expected", [
    ("period_start: abc\n", "period_start", "một số nguyên, nhận được 'abc'"),
    ("period_start: 2016.5\n", "period_start", "một số nguyên, nhận được 2016.5"),
    ("blocks: 5\n", "blocks", "một danh sách các dòng chữ không trống, nhận được 5"),
    ("blocks: Giáo dục\n", "blocks", "một danh sách các dòng chữ không trống, nhận được 'Giáo dục'"),
    ('sample_data: "yes"\n', "sample_data", "true hoặc false, nhận được 'yes'"),
    ("issue_date: mai\n", "issue_date", "một ngày (2024-01-05 hoặc 05/01/2024), nhận được 'mai'"),
    ("signer: Nguyễn Văn A\n", "signer", "các khóa con (YAML mapping), nhận được 'Nguyễn Văn A'"),
    ("recipients: [UBND, 5]\n", "recipients", "một danh sách các dòng chữ không trống, nhận được ['UBND', 5]"),
    ("signer:\n  name: [X]\n", "signer.name", "một đoạn chữ, nhận được ['X']"),
    ("place: [Hải Phòng]\n", "place", "một đoạn chữ, nhận được ['Hải Phòng']"),
    ("data: [a.xlsx]\n", "data", "một đoạn chữ, nhận được ['a.xlsx']"),
])
def test_wrong_type(params_file, text, key, expected):
    path = params_file(("year: 2023\n" if key == "data" else MINIMAL) + text)  # a key is written once
    assert error_of(2023, path) == f'{path}: khóa "{key}" cần {expected}'


def test_year_as_text(params_file):
    path = params_file(f"year: '2023'\ndata: {SAMPLE}\n")
    assert error_of(None, path) == f"{path}: khóa \"year\" cần một số nguyên, nhận được '2023'"


def test_dates_in_both_spellings(params_file):
    assert load_params(2023, params_file(MINIMAL + "issue_date: 05/01/2024\n")).issue_date == datetime.date(2024, 1, 5)
    assert load_params(2023, params_file(MINIMAL + "issue_date: 2024-01-05\n")).issue_date == datetime.date(2024, 1, 5)


def test_data_file_that_does_not_exist(params_file):
    path = params_file("year: 2023\ndata: data/khong-co.xlsx\n")
    assert error_of(2023, path) == f"{path}: tệp sổ đăng ký không tồn tại: {paths.ROOT / 'data/khong-co.xlsx'}"


def test_yaml_syntax_error_names_the_line(params_file):
    path = params_file(MINIMAL + "place: Hải Phòng\nblocks: [Giáo dục\nsubject: x\n")
    line = error_of(2023, path)
    assert line.startswith(f"{path}, dòng 5, cột 8: lỗi cú pháp YAML")


def test_tab_indentation_names_the_line(params_file):
    path = params_file(MINIMAL + "signer:\n\tname: X\n")
    assert error_of(2023, path).startswith(f"{path}, dòng 4, cột 1: lỗi cú pháp YAML")


def test_a_date_that_does_not_exist_names_the_line(params_file):
    path = params_file(MINIMAL + "issue_date: 2024-13-05\n")
    line = error_of(2023, path)
    assert line.startswith(f"{path}, dòng 3, cột 13: ")
    assert "2024-13-05" in line


def test_not_a_mapping(params_file):
    path = params_file("- year: 2023\n")
    assert error_of(2023, path) == f"{path}: tệp tham số phải là các cặp 'khóa: giá trị' (YAML mapping)"


def test_not_utf8(params_file, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("year: 2023\nplace: Hải Phòng\n".encode("utf-16"))
    assert "UTF-8" in error_of(2023, path)


def test_year_mismatch(params_file):
    path = params_file(MINIMAL)
    assert error_of(2022, path) == f"{path}: tệp tham số ghi year: 2023, nhưng lệnh yêu cầu năm 2022"


def test_no_parameters_for_the_year():
    line = error_of(2031)
    assert line.startswith(f"{paths.params_file_for(2031)}: không có tệp tham số cho năm 2031")


def test_parameters_file_not_found(tmp_path):
    path = tmp_path / "khong-co.yaml"
    assert error_of(2023, path) == f"{path}: không tìm thấy tệp tham số"


def test_period_start_after_the_year(params_file):
    path = params_file(MINIMAL + "period_start: 2024\n")
    assert error_of(2023, path) == f'{path}: "period_start" (2024) phải không sau năm báo cáo (2023)'


@pytest.mark.parametrize("blocks, expected", [
    ("[]", "cần ít nhất một khối"),
    ("[Giáo dục, GIÁO DỤC]", "có khối trùng tên"),
    ("['', Khác]", "cần một danh sách các dòng chữ không trống, nhận được ['', 'Khác']"),
], ids=["empty", "twice", "blank"])
def test_bad_block_lists(params_file, blocks, expected):
    path = params_file(MINIMAL + f"blocks: {blocks}\n")
    assert error_of(2023, path) == f'{path}: khóa "blocks" {expected}'


# --------------------------------------------------------------------------- one converter per type

@pytest.mark.parametrize("kind_of, value, expected, bad", [
    (int, 2016, 2016, "2016"),
    (bool, False, False, "yes"),
    (str, 45, "45", ["45"]),
    (tuple[str, ...], [" A ", "B"], ("A", "B"), "A"),
    (datetime.date | None, "05/01/2024", datetime.date(2024, 1, 5), "mai"),
    (Signer, {"name": "A"}, Signer(name="A"), "A"),
], ids=["int", "bool", "str", "texts", "date", "nested"])
def test_each_type_has_its_converter(kind_of, value, expected, bad):
    assert convert("p.yaml", "k", value, kind_of) == expected
    with pytest.raises(ParamsError) as info:
        convert("p.yaml", "k", bad, kind_of)
    assert info.value.problems == [f'p.yaml: khóa "k" cần {KINDS[kind_of].label}, nhận được {bad!r}']


def test_converters_are_chosen_by_the_fields_type():
    types = field_types(Params)
    assert types["issue_date"] == (datetime.date | None) and types["blocks"] == tuple[str, ...]
    assert types["signer"] is Signer and types["data"] is Path


# --------------------------------------------------------------------------- a reorganisation's long chains

CHAIN = 4_000


def _chain(order) -> str:
    """``reorganisation.units`` mapping "Đơn vị i" to "Đơn vị i+1" for i in ``order``."""
    return "reorganisation:\n  units:\n" + "".join(f"    Đơn vị {i}: Đơn vị {i + 1}\n" for i in order)


@pytest.mark.parametrize("order", [range(CHAIN), range(CHAIN - 1, -1, -1)], ids=["forward", "backward"])
def test_a_long_chain_of_names_ends_at_todays(params_file, order):
    """Every old name of a chain of 4,000 is counted under the last one, whichever order the file lists them."""
    units = load_params(2023, params_file(MINIMAL + _chain(order))).reorganisation.units
    assert units == {f"Đơn vị {i}": f"Đơn vị {CHAIN}" for i in order}


def test_a_long_loop_of_names_is_named_from_the_first(params_file):
    path = params_file(MINIMAL + _chain(range(CHAIN)) + f"    Đơn vị {CHAIN}: Đơn vị 0\n")
    loop = " → ".join(f'"Đơn vị {i}"' for i in [*range(CHAIN + 1), 0])
    assert error_of(2023, path) == (f'{path}: khóa "reorganisation.units": tên chuyển vòng tròn {loop}; mỗi tên cũ '
                                    "cần về một tên hiện nay")


def test_chains_that_meet_end_at_the_same_name(params_file):
    text = ("reorganisation:\n  units:\n    C: D\n    A: B\n    B: C\n    X: B\n    Y: X\n    D: E\n")
    units = load_params(2023, params_file(MINIMAL + text)).reorganisation.units
    assert units == dict.fromkeys(["C", "A", "B", "X", "Y", "D"], "E")
