"""Parameters that cannot hurt, through the command line: a key written twice, YAML aliases that would
expand without end, values too long to show, a period that does not come before the year, paths that
are folders or loops of links. Each is exit 2 with one short line, before anything is written."""
from __future__ import annotations

import pytest

from sangkien.inputs.yamlfile import MAX_DEPTH

SAMPLE = "data/sample/so-dang-ky-sang-kien.xlsx"


@pytest.fixture
def build(tmp_path, run_main):
    """``build(text)``: ``sangkien build 2023 --params P --out OUT`` with P holding ``text``; ``(status,
    stderr, P)``, and nothing may be written under OUT."""

    def run(text: str, name: str = "2023.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        status, out, err = run_main("build", 2023, "--params", path, "--out", tmp_path / "out")
        assert out == "" and not (tmp_path / "out").exists()
        return status, err, path

    return run


@pytest.mark.parametrize("text, key, lines", [
    (f"year: 2023\ndata: {SAMPLE}\nsections:\n  context: Một.\ndoc_number: '4'\nsections:\n  direction: Hai.\n",
     "sections", (3, 6)),
    (f"year: 2023\ndata: {SAMPLE}\ndoc_number: '4'\ndoc_number: '5'\n", "doc_number", (3, 4)),
    (f"year: 2023\ndata: {SAMPLE}\nsigner:\n  name: A\n  title: B\n  name: C\n", "name", (4, 6)),
    (f"year: 2023\ndata: {SAMPLE}\nrecipients:\n  - {{a: 1, a: 2}}\n", "a", (4, 4)),  # in a flow mapping, in a list
    (f"year: 2023\ndata: {SAMPLE}\n'year': 2023\n", "year", (1, 3)),  # quoted, the same key
])
def test_a_key_written_twice_at_any_depth(build, text, key, lines):
    status, err, path = build(text)
    assert status == 2
    assert err == f'{path}, khóa "{key}" được viết hai lần, ở dòng {lines[0]} và dòng {lines[1]}; hãy giữ một\n'


def test_keys_merged_in_may_be_overridden_as_yaml_means(tmp_path):
    from sangkien.inputs.yamlfile import load_yaml

    path = tmp_path / "p.yaml"
    path.write_text("base: &b {name: A, title: B}\nsigner:\n  <<: *b\n  name: C\n", encoding="utf-8")
    assert load_yaml(path)["signer"] == {"name": "C", "title": "B"}


BOMB = "".join([f"year: 2023\ndata: {SAMPLE}\n", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'] + [
    f"{this}: &{this} [" + ",".join([f"*{prev}"] * 9) + "]\n" for prev, this in zip("abcdefgh", "bcdefghi")]
    + ["recipients: [" + ",".join(["*i"] * 9) + "]\n"])


def test_an_alias_bomb_is_refused_in_one_short_line(build):
    """Refused on the composed document, before a value is built (how fast: benchmarks, not here)."""
    status, err, path = build(BOMB)
    assert status == 2
    assert err == (f"{path}, dòng 8: giá trị này có hơn 100.000 phần tử khi các bí danh YAML (*tên) được mở ra; "
                   "hãy viết các giá trị ra trực tiếp\n")


def test_a_few_aliases_are_fine(tmp_path, run_main):
    from sangkien.inputs.params import load_params

    path = tmp_path / "2023.yaml"
    path.write_text(f"year: 2023\ndata: {SAMPLE}\nrecipients: &r [Nơi A, 'Lưu: VT']\nsections:\n  context: &c Một.\n"
                    "  direction: *c\n", encoding="utf-8")
    params = load_params(2023, path)
    assert params.recipients == ("Nơi A", "Lưu: VT") and params.sections.direction == "Một."


@pytest.mark.parametrize("text, expected", [
    (f"year: 2023\ndata: {SAMPLE}\nrecipients: &r [a, *r]\n", "dòng 3: một bí danh YAML (*tên) nằm bên trong chính neo"),
    (f"year: 2023\ndata: {SAMPLE}\nrecipients: {'[' * (MAX_DEPTH + 5)}{']' * (MAX_DEPTH + 5)}\n",
     f"dòng 3: các danh sách, khóa con lồng nhau quá {MAX_DEPTH} tầng"),
])
def test_a_document_that_loops_or_nests_without_end_is_refused(build, text, expected):
    status, err, path = build(text)
    assert status == 2 and err.startswith(f"{path}, {expected}") and err.count("\n") == 1, err


def test_a_huge_parameters_file_is_refused_unread(build):
    status, err, path = build(f"year: 2023\ndata: {SAMPLE}\n# " + "x" * (1 << 20) + "\n")
    assert status == 2 and err == f"{path}: tệp tham số lớn hơn 1.024 KB; một tệp tham số chỉ cần vài KB\n"


def test_a_comma_in_the_path_is_shown_as_written(tmp_path, run_main):
    """Only the number is written the Vietnamese way (1.024): the file's path keeps its commas."""
    folder = tmp_path / "a,b"
    folder.mkdir()
    path = folder / "2023.yaml"
    path.write_text(f"year: 2023\ndata: {SAMPLE}\n# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    status, _, err = run_main("build", 2023, "--params", path, "--out", tmp_path / "out")
    assert status == 2 and err == f"{path}: tệp tham số lớn hơn 1.024 KB; một tệp tham số chỉ cần vài KB\n"
    assert "a,b" in err


@pytest.mark.parametrize("value, shown", [
    ("[" + ", ".join(["Một nơi nhận rất dài"] * 2000) + ", 5]",
     "một danh sách 2.001 mục, bắt đầu bằng ['Một nơi nhận rất dài', 'Một nơi nhận rất dài', 'Một nơi nhận …"),
    ("[a, {x: " + "y" * 100_000 + "}]", "một danh sách 2 mục, bắt đầu bằng ['a', {'x': '" + "y" * 50 + "…"),
])
def test_a_wrong_value_is_shown_by_its_kind_size_and_start(build, value, shown):
    status, err, path = build(f"year: 2023\ndata: {SAMPLE}\nrecipients: {value}\n")
    assert status == 2
    assert err == f'{path}: khóa "recipients" cần một danh sách các dòng chữ không trống, nhận được {shown}\n'
    assert len(err) < 300


def test_an_unknown_key_of_any_length_is_named_short(build):
    status, err, path = build(f"year: 2023\ndata: {SAMPLE}\n{'k' * 1000}: 1\n")  # YAML's longest plain key
    from sangkien.inputs.params import known_keys

    known = ", ".join(known_keys())
    assert status == 2 and err.count("\n") == 1 and err.rstrip().endswith(known), err  # the known keys after it
    assert len(err) - len(str(path)) - len(known) < 160, err  # the key itself: its start, not 1,000 characters
    assert err.startswith(f'{path}: khóa không hợp lệ "một đoạn chữ 1.000 ký tự, bắt đầu bằng \'kkkk')


def test_period_start_after_the_year(build):
    status, err, path = build(f"year: 2023\ndata: {SAMPLE}\nperiod_start: 2030\n")
    assert (status, err) == (2, f'{path}: "period_start" (2030) phải không sau năm báo cáo (2023)\n')


@pytest.mark.parametrize("where", ["year", "defaults"])
def test_period_start_of_the_year_itself_with_earlier_rows_is_refused(tmp_path, run_main, monkeypatch, where):
    """``period_start`` the year itself says there is nothing earlier to compare with: refused when the
    register holds earlier years (written in the year's file, or inherited from the shared defaults)."""
    from sangkien import paths

    path = tmp_path / "2023.yaml"
    path.write_text(f"year: 2023\ndata: {SAMPLE}\n" + ("period_start: 2023\n" if where == "year" else ""),
                    encoding="utf-8")
    if where == "defaults":
        defaults = tmp_path / "defaults.yaml"
        defaults.write_text("period_start: 2023\n", encoding="utf-8")
        monkeypatch.setattr(paths, "DEFAULTS_FILE", defaults)
    for command in (["figures", 2023, "--params", path], ["build", 2023, "--params", path, "--out", tmp_path / "out"]):
        status, out, err = run_main(*command)
        assert status == 2 and out == ""
        assert err == (f'{path}: "period_start" (2023) không trước năm báo cáo (2023) nên không có giai đoạn so sánh, '
                       "nhưng sổ đăng ký có số liệu năm 2016–2022; ghi period_start: 2016 (hoặc một năm trước 2023) "
                       "trong tệp tham số của năm\n")
    assert not (tmp_path / "out").exists()


def test_the_first_year_with_nothing_before_it_builds_its_figures(run_main):
    status, out, err = run_main("figures", 2016)  # the sample's first year: period_start 2016 from the defaults
    assert status == 0, err
    assert '"from": 2016' in out and '"to": 2015' in out


@pytest.mark.parametrize("kind", ["folder", "loop"])
def test_a_parameters_path_that_is_a_folder_or_a_loop_of_links(tmp_path, run_main, kind):
    path = tmp_path / "2023.yaml"
    if kind == "folder":
        path.mkdir()
    else:
        (tmp_path / "other.yaml").symlink_to(path)
        path.symlink_to(tmp_path / "other.yaml")
    status, _, err = run_main("build", 2023, "--params", path, "--out", tmp_path / "out")
    expected = ("là một thư mục, không phải tệp tham số" if kind == "folder" else
                "các liên kết tượng trưng trỏ vòng quanh nhau, không dẫn tới tệp nào")
    assert status == 2 and err.startswith(f"{path}: ") and expected in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()


def test_a_register_path_that_is_a_folder_says_so(tmp_path, run_main):
    folder = tmp_path / "so-dang-ky.xlsx"
    folder.mkdir()
    path = tmp_path / "2023.yaml"
    path.write_text(f"year: 2023\ndata: {folder}\n", encoding="utf-8")
    for args in (["--params", path], ["--params", path, "--data", folder]):
        status, _, err = run_main("build", 2023, *args, "--out", tmp_path / "out")
        assert status == 2
        assert err == f"{path}: tệp sổ đăng ký là một thư mục, không phải tệp: {folder}; cần tệp .xlsx hoặc .csv\n"
