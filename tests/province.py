"""A province the project has never seen, for the tests that read built documents: "Hà Sơn" (made up),
other bodies, three blocks, its own place, no recipients and no signer's name (so they must be derived or
left blank), no issue date (blanks for the clerk), one analyst section empty (a draft).

:func:`write_province` writes a register of a few hundred rows over 2019-2024 (deterministic) and two
parameters files: 2024 (the year the tests read: pending initiatives, long codes, one name in two units,
units whose names sort differently by code point than in Vietnamese) and 2019 (the first year: no
comparison period, and more recognised initiatives than the appendix prints).
"""
from __future__ import annotations

import random
from pathlib import Path

from registers import write_register_file

PARENT = "UBND TỈNH HÀ SƠN"
ISSUER = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
PLACE = "Hà Sơn"
DRAFTING_UNIT = "QLCN"
"""Its drafting unit (the archive line "Lưu: VT, QLCN"), not the shared defaults' one."""
BLOCKS = ("Giáo dục và Đào tạo", "Sở, ban, ngành", "Doanh nghiệp")
UNITS = {
    "Giáo dục và Đào tạo": ["Trường THPT chuyên Hà Sơn", "Trường THCS Đông Hòa", "Trường Tiểu học Ân Thi"],
    "Sở, ban, ngành": ["Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Nông nghiệp và Môi trường", "Sở Nội vụ",
                       "Sở Y tế", "Sở Xây dựng"],
    "Doanh nghiệp": ["Công ty TNHH Ứng Hòa", "Công ty Điện lực Hà Sơn"],
}
"""Eleven units (each gets a notice: a kernel run each in the tests), whose names sort differently by code point
than in Vietnamese in two blocks (Nội vụ before Nông nghiệp, Tài chính before Thông tin; Điện before TNHH)."""
FIELDS = ("Giáo dục", "Y tế", "Nông nghiệp", "Cơ khí", "Hành chính công", "Công nghệ thông tin", "Xây dựng")
SHARED_NAME = "Nguyễn Thị Hoa"
"""An author's name found in two units: two people."""
TITLES = ("Ứng dụng phần mềm quản lý", "Cải tiến quy trình", "Giải pháp tiết kiệm", "Xây dựng bộ công cụ",
          "Đổi mới phương pháp", "Số hóa hồ sơ")
OBJECTS = ("vật tư", "hồ sơ một cửa", "năng lượng", "dạy học trực tuyến", "kiểm tra chất lượng", "bảo trì thiết bị",
           "tiếp nhận phản ánh", "lưu trữ")
NAMES = ("Lê Văn An", "Trần Thị Bình", "Phạm Quốc Cường", "Đỗ Thu Dung", "Vũ Minh Đức", "Hoàng Thị Giang",
         "Bùi Văn Hải", "Đặng Thị Lan", "Ngô Quang Minh", "Dương Thị Nga", "Lý Văn Phúc", "Mai Thị Quyên")
YEARS = {2019: 340, 2020: 40, 2021: 45, 2022: 50, 2023: 55, 2024: 70}
"""Rows a year: 2019 has more recognised initiatives than the appendix prints (300)."""


def _authors(rng: random.Random, unit: str, i: int) -> str:
    names = rng.sample(NAMES, rng.randint(1, 3))
    if i % 9 == 0 and unit in ("Sở Y tế", "Trường THCS Đông Hòa"):
        names[0] = SHARED_NAME
    return "; ".join(names)


def rows() -> list[list]:
    rng = random.Random(2024)
    units = [(block, unit) for block in BLOCKS for unit in UNITS[block]]
    out = []
    for year, count in YEARS.items():
        for i in range(count):
            block, unit = units[i % len(units)]
            if year == 2019:
                result = "Công nhận" if i % 11 else "Không công nhận"
            elif year == 2024 and i % 10 == 3:
                result = "Đang xét"
            else:
                result = "Công nhận" if rng.random() < 0.7 else "Không công nhận"
            amount = "" if rng.random() < 0.3 else rng.choice([rng.randint(5, 900) * 1_000_000,
                                                                 rng.randint(1, 40) * 1_000_000_000])
            score = round(rng.uniform(55, 98), 1) if i % 4 else rng.randint(60, 95)
            title = f"{rng.choice(TITLES)} {rng.choice(OBJECTS)} tại {unit}"
            out.append([f"HS-{year}-{4400 + i:05d}", year, title, _authors(rng, unit, i), unit, block,
                        rng.choice(FIELDS), result, amount, score])
    return out


SECTIONS = """sections:
  context: |
    Năm {year}, Sở Khoa học và Công nghệ tỉnh Hà Sơn đã hướng dẫn các đơn vị tổ chức phong trào thi đua
    nghiên cứu, phát huy sáng kiến và tiếp nhận hồ sơ đề nghị công nhận sáng kiến cấp tỉnh.
  assessment: |
    **Ưu điểm:** phong trào được duy trì ở cả ba khối.

    **Hạn chế:** một số hồ sơ chưa chứng minh rõ hiệu quả áp dụng.
  direction: |
    - Tiếp tục phát động phong trào năm {next_year}.
    - Hướng dẫn các đơn vị đánh giá hiệu quả áp dụng.
"""
"""Three sections written, the recommendations left empty: the report is a draft."""


def write_province(folder: Path) -> dict[int, Path]:
    """The register and the parameters files (2024, 2019) in ``folder``; ``{year: parameters file}``."""
    data = write_register_file(folder / "so-dang-ky-ha-son.csv", rows())
    files = {}
    for year, start in ((2024, 2020), (2019, 2019)):
        path = folder / f"ha-son-{year}.yaml"
        path.write_text(
            f"year: {year}\ndata: {data}\nparent_body: {PARENT}\nissuing_body: {ISSUER}\nplace: {PLACE}\n"
            f"doc_symbol: BC-SKHCN\ndrafting_unit: {DRAFTING_UNIT}\nperiod_start: {start}\nsample_data: false\nblocks:\n"
            + "".join(f"  - {b}\n" for b in BLOCKS) + SECTIONS.format(year=year, next_year=year + 1),
            encoding="utf-8")
        files[year] = path
    return files
