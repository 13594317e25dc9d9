"""A province whose earlier years use old blocks and unit names builds with ``reorganisation``, and every
comparison in the manifest, the PDF and the unit sheets is made in today's names, the report saying so."""
from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader
from registers import write_register_file

from sangkien.pipeline.build import build_year

EDU, OLD, TODAY = "Giáo dục", "Huyện, thị xã, sở, ngành", "Xã, phường, sở, ngành"
CN, KCN = "Công nhận", "Không công nhận"
ROWS = [  # nam, khoi, don_vi, ket_qua
    (2023, OLD, "UBND huyện Bắc", CN), (2023, OLD, "UBND huyện Nam", KCN), (2023, OLD, "Sở Du lịch", CN),
    (2023, EDU, "Trường THPT Bắc", CN),
    (2024, OLD, "UBND huyện Bắc", CN), (2024, OLD, "UBND Huyện Nam", CN), (2024, OLD, "Sở Văn hóa", KCN),
    (2024, EDU, "Trường THPT Bắc", KCN),
    (2025, TODAY, "UBND xã Bắc Nam", CN), (2025, TODAY, "UBND xã Bắc Nam", KCN),
    (2025, TODAY, "Sở Văn hóa và Du lịch", CN), (2025, EDU, "Trường THPT Bắc", CN),
]
PARAMS = f"""year: 2025
data: {{data}}
period_start: 2023
issue_date: 2026-01-05
parent_body: UBND TỈNH MẪU
place: Mẫu
blocks: [{EDU}, "{TODAY}"]
reorganisation:
  blocks:
    "{OLD}": "{TODAY}"
  units:
    UBND huyện Bắc: UBND xã Bắc Nam
    UBND huyện Nam: UBND xã Bắc Nam
    Sở Du lịch: Sở Văn hóa và Du lịch
    Sở Văn hóa: Sở Văn hóa và Du lịch
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reorganised")
    data = write_register_file(folder / "so-dang-ky.csv", [
        [f"SK-{i}", nam, f"Giải pháp {i}", "Lê A; Trần B", unit, block, "Văn hóa - Xã hội", result, 2_000_000, 80]
        for i, (nam, block, unit, result) in enumerate(ROWS)])
    params = folder / "2025.yaml"
    params.write_text(PARAMS.format(data=data), encoding="utf-8")
    # no Word draft: nothing here reads it (the manifest, the PDF and the unit sheets carry the comparisons)
    return build_year(2025, params_file=params, out_dir=folder / "out", formats=("html", "pdf"), units=True, jobs=1)


def _text(pdf) -> str:
    """The PDF's text on one line (a line may break after a dash)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split()).replace("– ", "–")


@pytest.mark.slow
def test_the_manifest_compares_in_todays_names(built):
    manifest = json.loads((built.folder / "manifest.json").read_text(encoding="utf-8"))
    figures = manifest["figures"]
    assert list(figures["year"]["by_block"]) == list(figures["period"]["by_block"]) == [EDU, TODAY]
    assert figures["period"]["by_block"][TODAY] == {"submitted": 6, "recognized": 4}
    assert figures["year"]["by_block"][TODAY] == {"submitted": 3, "recognized": 2}
    mapped = figures["reorganisation"]
    assert mapped["blocks"] == [{"old": OLD, "new": TODAY, "submitted": 6, "recognized": 4}]
    assert [(u["old"], u["new"], u["submitted"]) for u in mapped["units"]] == [
        ("Sở Du lịch", "Sở Văn hóa và Du lịch", 1), ("Sở Văn hóa", "Sở Văn hóa và Du lịch", 1),
        ("UBND huyện Bắc", "UBND xã Bắc Nam", 2), ("UBND huyện Nam", "UBND xã Bắc Nam", 2)]
    assert OLD not in json.dumps(figures["year"], ensure_ascii=False) + json.dumps(figures["period"], ensure_ascii=False)


@pytest.mark.slow
def test_the_pdf_says_so(built):
    text = _text(built.outputs["pdf"])
    assert ("Do sắp xếp tổ chức, các so sánh trong báo cáo (với năm 2024 và giai đoạn 2023–2024) được tính theo "
            "khối và đơn vị hiện nay") in text
    assert re.search(r"Bảng \d+\. Khối, đơn vị trước đây được tính theo tên hiện nay, 2023–2025", text)
    assert "UBND xã Bắc Nam (gồm UBND huyện Bắc, UBND huyện Nam trước đây)" in text
    # the old block is named once: in the table of what was mapped
    assert text.count(OLD) == 1
    assert f"khối {TODAY} được công nhận 4 trên 6 sáng kiến đề nghị" in text  # the period by today's block


@pytest.mark.slow
def test_the_merged_units_sheet_shows_its_predecessors(built):
    sheets = {entry["unit"]: entry for entry in built.manifest["units"].values()}
    assert set(sheets) == {"UBND xã Bắc Nam", "Sở Văn hóa và Du lịch", "Trường THPT Bắc"}
    text = _text(built.folder / sheets["UBND xã Bắc Nam"]["pdf"])
    assert ("Đơn vị gồm UBND huyện Bắc và UBND huyện Nam trước đây: số liệu các năm trước của đơn vị được tính theo "
            "tổ chức hiện nay") in text
    assert "Giai đoạn 2023–2024, đơn vị đã đề nghị công nhận 4 sáng kiến, 3 sáng kiến được công nhận" in text
    school = _text(built.folder / sheets["Trường THPT Bắc"]["pdf"])
    assert "trước đây" not in school
