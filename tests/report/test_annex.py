"""The annex file of recognised initiatives, and the appendix that refers to it when the list is long."""
from __future__ import annotations

import csv
import io

import pandas as pd

from sangkien.report import annex

BLOCKS = ["Giáo dục", "Quận, huyện, sở, ngành"]


def frame(n: int, title: str = "Giải pháp") -> pd.DataFrame:
    return pd.DataFrame({
        "ma_so": [f"SK-{i:03d}" for i in range(n)], "nam": [2023] * n, "ten_sang_kien": [f"{title} {i}" for i in range(n)],
        "tac_gia": ["A; B"] * n, "don_vi": ["Sở Y tế" if i % 2 else "Trường X" for i in range(n)],
        "khoi": [BLOCKS[1] if i % 2 else BLOCKS[0] for i in range(n)], "linh_vuc": ["Y tế"] * n,
        "ket_qua": ["Công nhận" if i % 3 else "Không công nhận" for i in range(n)],
        "so_tien_lam_loi": [1_500_000.0 if i % 2 else float("nan") for i in range(n)], "diem": [87.5] * n,
    })


def test_annex_lists_the_recognised_in_block_order():
    rows = list(csv.reader(io.StringIO(annex.recognized_csv(frame(9), BLOCKS))))
    assert rows[0] == ["STT", "Mã số", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
                       "Số tiền làm lợi (đồng)", "Điểm"]
    body = rows[1:]
    assert [r[1] for r in body] == ["SK-002", "SK-004", "SK-008", "SK-001", "SK-005", "SK-007"]
    assert [r[0] for r in body] == [str(i) for i in range(1, 7)]
    assert body[0][7] == "" and body[3][7] == "1500000" and body[0][8] == "87.5"


def test_formula_text_is_not_a_formula_in_excel():
    rows = frame(3, title="=HYPERLINK(\"http://x\",\"bấm\")")
    rows.loc[1, "tac_gia"] = "@SUM(A1)"
    body = list(csv.reader(io.StringIO(annex.recognized_csv(rows, BLOCKS))))[1:]
    assert body[0][2].startswith("'=HYPERLINK") and body[1][1] == "SK-001" and body[1][3] == "'@SUM(A1)"


def test_written_with_a_bom(tmp_path):
    target = tmp_path / annex.file_name(2023)
    annex.write(frame(3), BLOCKS, target)
    assert target.name == "danh-sach-cong-nhan-2023.csv"
    assert target.read_bytes().startswith(b"\xef\xbb\xbfSTT")


def test_long_lists_are_referred_to(monkeypatch, tmp_path):
    from sangkien.inputs.params import load_params
    from sangkien.inputs.register import read_register
    from sangkien.report.yearly import Report

    data = tmp_path / "r.csv"
    rows = frame(12)
    rows.insert(0, "Mã số", rows.pop("ma_so"))
    rows.to_csv(data, index=False)
    params = tmp_path / "p.yaml"
    params.write_text(f"year: 2023\ndata: {data}\n", encoding="utf-8")
    p = load_params(2023, params)
    report = Report(p, read_register(p.data, p.blocks))
    assert "Giải pháp 1" in report.appendix().html
    monkeypatch.setattr(annex, "APPENDIX_LIMIT", 5)
    text = report.appendix().html
    assert "Giải pháp 1" not in text and "Danh sách 8 sáng kiến" in text and "danh-sach-cong-nhan-2023.csv" in text
