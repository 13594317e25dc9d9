"""The register template data/template/so-dang-ky-mau.xlsx: generated from the schema, accepted by `check`."""
from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from openpyxl import load_workbook

from sangkien import paths
from sangkien.inputs import schema
from sangkien.inputs.params import default_blocks
from sangkien.tools.template import DATA_SHEET, GUIDE_SHEET, LISTS_SHEET, template_bytes, write_template


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_committed_template_is_what_the_generator_makes():
    committed = paths.REGISTER_TEMPLATE.read_bytes()
    generated = template_bytes()
    # Compare what is inside (a different zlib could compress the same content differently).
    assert _members(committed) == _members(generated), "template out of date: run `make template`"


def test_generator_is_deterministic(tmp_path):
    first = write_template(tmp_path / "a.xlsx").read_bytes()
    second = write_template(tmp_path / "b.xlsx").read_bytes()
    assert first == second
    assert b"2024-01-01T00:00:00Z" in _members(first)["docProps/core.xml"]


def test_sheets_headers_and_lists():
    workbook = load_workbook(paths.REGISTER_TEMPLATE)
    assert workbook.sheetnames == [DATA_SHEET, GUIDE_SHEET, LISTS_SHEET]  # data first: the validator reads it
    sheet = workbook[DATA_SHEET]
    assert [c.value for c in sheet[1]] == [c.label for c in schema.COLUMNS]
    assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    letters = {c.value: c.column_letter for c in sheet[1]}
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    khoi, ket_qua = validations[f"{letters['Khối']}2"], validations[f"{letters['Kết quả']}2"]
    assert khoi.type == ket_qua.type == "list"
    lists = workbook[LISTS_SHEET]

    def listed(formula: str) -> list[str]:
        cells = lists[formula.split("!")[1].replace("$", "")]
        return [row[0].value for row in cells]

    assert listed(khoi.formula1) == list(default_blocks())
    assert listed(ket_qua.formula1) == list(schema.RESULTS)
    amount, score = letters["Số tiền làm lợi"], letters["Điểm"]
    assert sheet.column_dimensions[amount].number_format == "#,##0"
    assert sheet.column_dimensions[score].number_format == "0.0"
    assert validations[f"{score}2"].formula2 == "100"
    assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])


def test_validations_are_the_schemas_limits_and_words():
    """Each year or number column is limited as the validator limits it, with the validator's words."""
    sheet = load_workbook(io.BytesIO(template_bytes()))[DATA_SHEET]
    letters = {c.value: c.column_letter for c in sheet[1]}
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    limited = [c for c in schema.COLUMNS if c.kind in (schema.YEAR, schema.NUMBER)]
    assert [c.id for c in limited] == ["nam", "so_tien_lam_loi", "diem"]
    for column in limited:
        v = validations[f"{letters[column.label]}2"]
        assert v.type == ("whole" if column.kind == schema.YEAR else "decimal"), column.id
        assert (v.formula1, v.formula2) == (str(column.low), None if column.high is None else str(column.high))
        assert v.operator == ("between" if column.high is not None else "greaterThanOrEqual")
        assert v.showErrorMessage and v.error.lower() == column.need + "."
    assert (validations["B2"].formula1, validations["B2"].formula2) == (str(schema.YEAR_MIN), str(schema.YEAR_MAX))
    free = [validations[f"{letters[c.label]}2"] for c in schema.COLUMNS if c.kind in (schema.TEXT, schema.NAMES)]
    assert free and all(v.type is None and not v.showErrorMessage and v.prompt for v in free)


def test_template_with_other_blocks_lists_them():
    workbook = load_workbook(io.BytesIO(template_bytes(("Khối A", "Khối B", "Khối C", "Khối D"))))
    khoi = next(v for v in workbook[DATA_SHEET].data_validations.dataValidation if v.type == "list"
                and "$A$" in v.formula1)
    assert khoi.formula1 == f"'{LISTS_SHEET}'!$A$2:$A$5"
    assert [r[0] for r in workbook[LISTS_SHEET].iter_rows(min_row=2, max_row=5, values_only=True)] == [
        "Khối A", "Khối B", "Khối C", "Khối D"]


def test_template_command_reports_errors_as_the_command_line_does(tmp_path, capsys):
    from sangkien.tools.template import main

    assert main(["--out", str(tmp_path / "mau.xlsx")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'mau.xlsx'}: đã tạo mẫu sổ đăng ký\n"
    (tmp_path / "tệp").write_text("x", encoding="utf-8")
    assert main(["--out", str(tmp_path / "tệp" / "mau.xlsx")]) == 1  # a file where the folder should be
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("lỗi không mong đợi: FileExistsError")


def test_instructions_sheet_has_one_line_per_column():
    guide = load_workbook(paths.REGISTER_TEMPLATE)[GUIDE_SHEET]
    rows = [r for r in guide.iter_rows(values_only=True) if r[1] in schema.BY_ID]
    assert [r[0] for r in rows] == [c.label for c in schema.COLUMNS]
    for (_label, column_id, required, meaning, example) in rows:
        column = schema.BY_ID[column_id]
        assert required == ("có" if column.required else "không")
        assert meaning.startswith(column.meaning) and example not in (None, "")


def test_empty_template_says_header_without_rows(run_main):
    status, out, err = run_main("check", paths.REGISTER_TEMPLATE)
    assert status == 3
    assert err == f"{paths.REGISTER_TEMPLATE}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào\n"


@pytest.mark.parametrize("block", default_blocks())
def test_template_plus_one_row_passes_check(tmp_path, run_main, block):
    path = tmp_path / "so-dang-ky.xlsx"
    shutil.copy(paths.REGISTER_TEMPLATE, path)
    workbook = load_workbook(path)
    examples = {c.id: c.example for c in schema.COLUMNS}
    examples["khoi"] = block
    workbook[DATA_SHEET].append([examples[c.id] for c in schema.COLUMNS])
    workbook.save(path)
    status, out, err = run_main("check", path)
    assert (status, err) == (0, "")
    assert out.startswith(f"{path}: hợp lệ — 1 sáng kiến, năm 2024\n")
    assert f'đã đọc trang "{DATA_SHEET}" (tiêu đề ở dòng 1, 1 dòng)' in out  # the other sheets said not read
