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


def test_instructions_sheet_has_one_line_per_column():
    guide = load_workbook(paths.REGISTER_TEMPLATE)[GUIDE_SHEET]
    rows = [r for r in guide.iter_rows(values_only=True) if r[1] in schema.BY_ID]
    assert [r[0] for r in rows] == [c.label for c in schema.COLUMNS]
    for (_label, column_id, required, meaning, example) in rows:
        column = schema.BY_ID[column_id]
        assert required == ("có" if column.required else "không")
        assert meaning.startswith(column.meaning) and example not in (None, "")


def test_empty_template_says_header_without_rows(run_cli):
    status, out, err = run_cli("check", paths.REGISTER_TEMPLATE)
    assert status == 3
    assert err == f"{paths.REGISTER_TEMPLATE}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào\n"


@pytest.mark.parametrize("block", default_blocks())
def test_template_plus_one_row_passes_check(tmp_path, run_cli, block):
    path = tmp_path / "so-dang-ky.xlsx"
    shutil.copy(paths.REGISTER_TEMPLATE, path)
    workbook = load_workbook(path)
    examples = {c.id: c.example for c in schema.COLUMNS}
    examples["khoi"] = block
    workbook[DATA_SHEET].append([examples[c.id] for c in schema.COLUMNS])
    workbook.save(path)
    status, out, err = run_cli("check", path)
    assert (status, err) == (0, "")
    assert out == f"{path}: hợp lệ — 1 sáng kiến, năm 2024\n"
