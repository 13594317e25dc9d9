"""Illustrative sample register of Hai Phong's city-level initiative round (sáng kiến cấp thành phố).

THE DATA IS ILLUSTRATIVE. Authors, titles, scores, amounts and the year-by-year split are invented;
only the published totals are reproduced exactly (``../shared/domain.md``, section 2):

- 2016–2022, education block: 332 of 599 recognised; districts, departments and agencies: 179 of 209
  (article of April 2023);
- 2023: 63 recognised (Department of Science and Technology report, March 2024).

2024 and 2025 are illustrative too, and show a year across the 2025 reorganisation: 2024 uses the earlier
names; 2025 files the departments, agencies and local authorities under a new block (``TODAY``), some units
under new names (``REORGANISED_UNITS``, which ``params/2025.yaml`` maps) and one unit with no history in
this register (from the former Hai Duong province).

Run ``python -m sangkien.tools.sample [OUTPUT_PATH]``; the default output is
``data/sample/so-dang-ky-sang-kien.xlsx``. The same code always writes the same bytes.
"""
from __future__ import annotations

import datetime
import io
import math
import random
import re
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sangkien.files import deterministic_zip
from sangkien.paths import SAMPLE_REGISTER

SEED = 20230401
FIXED_TIME = datetime.datetime(2024, 1, 5, 8, 0, 0)
EDU, OTHER = "Giáo dục", "Quận, huyện, sở, ngành"
TODAY = "Sở, ngành, địa phương"
"""From 2025 (no district level): departments, agencies and local authorities (an illustrative name)."""
RECOGNISED, NOT_RECOGNISED = "Công nhận", "Không công nhận"
HEADERS = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
           "Kết quả", "Số tiền làm lợi", "Điểm"]
WIDTHS = [14, 8, 90, 60, 40, 24, 22, 17, 18, 8]

# Illustrative split: (put forward, recognised) per year and block.
PER_YEAR = {
    2016: {EDU: (62, 34), OTHER: (22, 18)},
    2017: {EDU: (70, 38), OTHER: (25, 21)},
    2018: {EDU: (78, 43), OTHER: (27, 23)},
    2019: {EDU: (85, 46), OTHER: (30, 26)},
    2020: {EDU: (88, 49), OTHER: (29, 25)},
    2021: {EDU: (101, 57), OTHER: (35, 31)},
    2022: {EDU: (115, 65), OTHER: (41, 35)},
    2023: {EDU: (52, 38), OTHER: (29, 25)},
    2024: {EDU: (56, 39), OTHER: (30, 25)},
    2025: {EDU: (60, 42), TODAY: (36, 29)},
}
# The published figures the split must reproduce: (put forward, recognised) for 2016–2022,
# and the number recognised in 2023.
PUBLISHED_2016_2022 = {EDU: (599, 332), OTHER: (209, 179)}
PUBLISHED_2023_RECOGNISED = 63

for _block, (_total, _recognised) in PUBLISHED_2016_2022.items():
    assert sum(PER_YEAR[y][_block][0] for y in range(2016, 2023)) == _total
    assert sum(PER_YEAR[y][_block][1] for y in range(2016, 2023)) == _recognised
assert sum(rec for _, rec in PER_YEAR[2023].values()) == PUBLISHED_2023_RECOGNISED
assert all(0 < rec <= n for year in PER_YEAR.values() for n, rec in year.values())

# Units: name -> (weight, school level or fields of application). Each unit has one block.
EDU_UNITS = {
    "Sở Giáo dục và Đào tạo": (4, "so"), "Trường THPT chuyên Trần Phú": (3, "thpt"),
    "Trường THPT Ngô Quyền": (2.5, "thpt"), "Trường THPT Thái Phiên": (2.5, "thpt"),
    "Trường THPT Lê Quý Đôn": (2, "thpt"), "Trường THPT Trần Nguyên Hãn": (2, "thpt"),
    "Trường THPT Hồng Bàng": (1.5, "thpt"), "Trường THPT Kiến An": (1.5, "thpt"),
    "Trường THCS Chu Văn An": (2, "thcs"), "Trường THCS Hồng Bàng": (1.5, "thcs"),
    "Trường THCS Trần Phú": (1.5, "thcs"), "Trường Tiểu học Đinh Tiên Hoàng": (1.5, "th"),
    "Trường Tiểu học Lê Văn Tám": (1, "th"), "Trường Mầm non Hoa Phượng": (1, "mn"),
    "Trường Mầm non Hoa Sen": (1, "mn"), "Trường Cao đẳng Công nghiệp Hải Phòng": (1.5, "cd"),
}
_URBAN = ("Hành chính công", "Xây dựng", "Môi trường", "Công nghệ thông tin", "Văn hóa - Xã hội")
_RURAL = ("Nông nghiệp", "Hành chính công", "Môi trường", "Xây dựng", "Văn hóa - Xã hội")
OTHER_UNITS = {
    **{f"UBND quận {d}": (1.2, _URBAN) for d in
       ("Hồng Bàng", "Ngô Quyền", "Lê Chân", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh")},
    **{f"UBND huyện {d}": (1, _RURAL) for d in
       ("An Dương", "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Thủy Nguyên", "Cát Hải")},
    "UBND huyện Bạch Long Vĩ": (0.6, ("Nông nghiệp", "Hành chính công")),
    "Sở Y tế": (2, ("Y tế", "Y tế", "Hành chính công")),
    "Bệnh viện Hữu nghị Việt Tiệp": (2, ("Y tế", "Y tế", "Công nghệ thông tin")),
    "Sở Tài chính": (1, ("Tài chính", "Tài chính", "Công nghệ thông tin")),
    "Sở Kế hoạch và Đầu tư": (1, ("Hành chính công", "Tài chính")),
    "Sở Xây dựng": (1, ("Xây dựng",)), "Sở Giao thông vận tải": (1, ("Giao thông",)),
    "Sở Nông nghiệp và Phát triển nông thôn": (1.2, ("Nông nghiệp", "Nông nghiệp", "Môi trường")),
    "Sở Tài nguyên và Môi trường": (1, ("Môi trường", "Hành chính công")),
    "Sở Công Thương": (1, ("Công nghiệp",)), "Thanh tra thành phố": (1, ("Hành chính công",)),
    "Sở Lao động - Thương binh và Xã hội": (1, ("Văn hóa - Xã hội", "Hành chính công")),
    "Sở Văn hóa và Thể thao": (1, ("Văn hóa - Xã hội",)), "Sở Du lịch": (1, ("Văn hóa - Xã hội",)),
    "Sở Tư pháp": (1, ("Hành chính công",)), "Sở Nội vụ": (1, ("Hành chính công",)),
    "Sở Thông tin và Truyền thông": (1, ("Công nghệ thông tin",)),
    "Sở Khoa học và Công nghệ": (1, ("Công nghệ thông tin", "Công nghiệp", "Nông nghiệp")),
    "Văn phòng UBND thành phố": (1, ("Hành chính công", "Công nghệ thông tin")),
    "Ban Quản lý Khu kinh tế Hải Phòng": (1, ("Công nghiệp", "Hành chính công")),
    "Công an thành phố Hải Phòng": (1.2, ("Hành chính công", "Công nghệ thông tin", "Giao thông")),
}

# 2025: the block of departments, agencies and local authorities under today's names. Earlier names the
# sample maps onto today's (params/2025.yaml, reorganisation.units), a handful of the real changes, told
# illustratively: wards and special zones in place of districts, merged departments.
REORGANISED_UNITS = {
    "UBND quận Hồng Bàng": "UBND phường Hồng Bàng",
    "UBND quận Lê Chân": "UBND phường Lê Chân",
    "UBND quận Kiến An": "UBND phường Kiến An",
    "UBND quận Dương Kinh": "UBND phường Kiến An",
    "UBND huyện Thủy Nguyên": "UBND phường Thủy Nguyên",
    "UBND huyện Cát Hải": "UBND đặc khu Cát Hải",
    "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
    "Sở Nông nghiệp và Phát triển nông thôn": "Sở Nông nghiệp và Môi trường",
    "Sở Tài nguyên và Môi trường": "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa và Thể thao": "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Du lịch": "Sở Văn hóa, Thể thao và Du lịch",
}
TODAY_UNITS = {
    "UBND phường Hồng Bàng": (1.2, _URBAN), "UBND phường Lê Chân": (1.2, _URBAN),
    "UBND phường Kiến An": (1.5, _URBAN), "UBND phường Thủy Nguyên": (1.2, _URBAN),
    "UBND đặc khu Cát Hải": (1, ("Nông nghiệp", "Môi trường", "Hành chính công")),
    "UBND phường Hải Dương": (1.2, _URBAN),
    **{name: OTHER_UNITS[name] for name in (
        "Sở Y tế", "Bệnh viện Hữu nghị Việt Tiệp", "Sở Xây dựng", "Sở Công Thương", "Thanh tra thành phố",
        "Sở Tư pháp", "Sở Nội vụ", "Văn phòng UBND thành phố", "Ban Quản lý Khu kinh tế Hải Phòng",
        "Công an thành phố Hải Phòng")},
    "Sở Tài chính": (1.5, ("Tài chính", "Tài chính", "Hành chính công", "Công nghệ thông tin")),
    "Sở Nông nghiệp và Môi trường": (1.5, ("Nông nghiệp", "Môi trường", "Hành chính công")),
    "Sở Văn hóa, Thể thao và Du lịch": (1.2, ("Văn hóa - Xã hội",)),
    "Sở Khoa học và Công nghệ": (1.5, ("Công nghệ thông tin", "Công nghiệp", "Nông nghiệp")),
}
assert set(REORGANISED_UNITS) <= set(OTHER_UNITS) and set(REORGANISED_UNITS.values()) <= set(TODAY_UNITS)

# Title templates. {place} is filled from the unit ("tại ..." or "trên địa bàn ...").
LEARNERS = {
    "thpt": ("môn", ["Toán", "Ngữ văn", "Tiếng Anh", "Vật lý", "Hóa học", "Sinh học", "Lịch sử",
                     "Địa lý", "Tin học"], [f"học sinh lớp {g}" for g in (10, 11, 12)]),
    "thcs": ("môn", ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lý",
                     "Giáo dục công dân"], [f"học sinh lớp {g}" for g in (6, 7, 8, 9)]),
    "th": ("môn", ["Toán", "Tiếng Việt", "Tiếng Anh", "Tự nhiên và Xã hội", "Khoa học"],
           [f"học sinh lớp {g}" for g in (1, 2, 3, 4, 5)]),
    "mn": ("hoạt động", ["làm quen với chữ cái", "khám phá khoa học", "phát triển vận động",
                         "làm quen với toán", "âm nhạc"], [f"trẻ {a}-{a + 1} tuổi" for a in (3, 4, 5)]),
    "cd": ("học phần", ["Điện công nghiệp", "Cơ khí chế tạo", "Kế toán doanh nghiệp",
                        "Tin học văn phòng"],
           [f"sinh viên năm thứ {n}" for n in ("nhất", "hai", "ba")]),
}
TEACHING = [
    "Giải pháp nâng cao hiệu quả dạy học {kind} {subject} cho {learner} {method}",
    "Một số biện pháp giúp {learner} học tốt {kind} {subject} {method}",
    "Vận dụng {technique} trong dạy học {kind} {subject} cho {learner}",
    "Thiết kế và sử dụng {resource} trong dạy học {kind} {subject} cho {learner}",
]
FILLERS = {
    "method": ["theo định hướng phát triển năng lực", "thông qua hoạt động trải nghiệm",
               "gắn với thực tiễn địa phương Hải Phòng", "qua trò chơi học tập",
               "theo mô hình lớp học đảo ngược"],
    "technique": ["phương pháp dạy học dự án", "kỹ thuật khăn trải bàn", "sơ đồ tư duy",
                  "phương pháp bàn tay nặn bột", "giáo dục STEM"],
    "resource": ["bài giảng điện tử", "học liệu số", "phiếu học tập", "đồ dùng dạy học tự làm"],
    "scope": ["ở cấp trung học phổ thông", "ở cấp trung học cơ sở", "ở cấp tiểu học",
              "ở cấp học mầm non", "tại các trường vùng ven biển và hải đảo",
              "trong ngành Giáo dục Hải Phòng"],
    "software": ["quản lý văn bản điều hành", "một cửa điện tử", "quản lý hồ sơ trực tuyến",
                 "bản đồ số GIS", "chữ ký số", "phân tích dữ liệu"],
}
FIELD_TITLES = {
    "Giáo dục": ["Giải pháp nâng cao chất lượng {x} {scope}", "Đổi mới công tác {x} {scope}",
                 "Ứng dụng chuyển đổi số trong {x} {scope}", "Xây dựng bộ tiêu chí {x} {scope}"],
    "Công nghệ thông tin": ["Ứng dụng phần mềm {software} trong quản lý {x} {place}",
                            "Xây dựng cơ sở dữ liệu điện tử phục vụ quản lý {x} {place}"],
    "Hành chính công": ["Cải tiến quy trình tiếp nhận và giải quyết hồ sơ {x} {place}",
                        "Giải pháp rút ngắn thời gian giải quyết thủ tục {x} {place}"],
    "Y tế": ["Cải tiến quy trình {x} {place}", "Ứng dụng kỹ thuật mới trong {x} {place}"],
    "Nông nghiệp": ["Giải pháp nâng cao hiệu quả {x} {place}",
                    "Ứng dụng tiến bộ kỹ thuật trong {x} {place}"],
    "Xây dựng": ["Giải pháp nâng cao chất lượng {x} {place}", "Cải tiến công tác {x} {place}"],
    "Giao thông": ["Giải pháp tổ chức {x} {place}", "Nâng cao hiệu quả {x} {place}"],
    "Tài chính": ["Đổi mới công tác {x} {place}", "Ứng dụng công nghệ thông tin trong {x} {place}"],
    "Môi trường": ["Giải pháp {x} {place}", "Mô hình {x} {place}"],
    "Công nghiệp": ["Giải pháp hỗ trợ {x} {place}", "Cải tiến công tác {x} {place}"],
    "Văn hóa - Xã hội": ["Giải pháp nâng cao hiệu quả {x} {place}", "Đổi mới hình thức {x} {place}"],
}
TOPICS = {
    "Giáo dục": ["kiểm tra, đánh giá học sinh", "bồi dưỡng học sinh giỏi", "bồi dưỡng giáo viên",
                 "tuyển sinh đầu cấp", "giáo dục kỹ năng sống", "quản lý cơ sở vật chất trường học",
                 "kiểm định chất lượng giáo dục", "giáo dục hướng nghiệp", "công tác y tế trường học"],
    "Công nghệ thông tin": ["hồ sơ cán bộ", "văn bản đi, đến", "tài sản công", "lịch công tác",
                            "dữ liệu thống kê", "thi đua, khen thưởng", "kế hoạch công tác"],
    "Hành chính công": ["đăng ký kinh doanh", "cấp giấy chứng nhận quyền sử dụng đất", "hộ tịch",
                        "cấp phép xây dựng", "chứng thực", "đăng ký đầu tư"],
    "Y tế": ["khám bệnh ngoại trú", "cấp cứu đột quỵ", "phẫu thuật nội soi", "kiểm soát nhiễm khuẩn",
             "tiêm chủng mở rộng", "quản lý bệnh nhân tăng huyết áp"],
    "Nông nghiệp": ["nuôi trồng thủy sản", "sản xuất lúa chất lượng cao",
                    "phòng chống dịch bệnh gia súc", "xây dựng nông thôn mới", "trồng rau an toàn"],
    "Xây dựng": ["thẩm định dự án", "quản lý trật tự xây dựng", "giám sát thi công công trình",
                 "quản lý chất lượng công trình"],
    "Giao thông": ["giao thông tại các nút giao trọng điểm", "vận tải hành khách công cộng",
                   "kiểm soát tải trọng xe", "bảo trì đường bộ"],
    "Tài chính": ["quyết toán ngân sách", "quản lý tài sản công", "thẩm tra quyết toán dự án",
                  "quản lý giá"],
    "Môi trường": ["phân loại rác thải sinh hoạt tại nguồn", "xử lý nước thải", "quan trắc môi trường",
                   "giảm thiểu rác thải nhựa"],
    "Công nghiệp": ["doanh nghiệp trong khu công nghiệp", "xúc tiến thương mại", "thu hút đầu tư",
                    "quản lý an toàn hóa chất"],
    "Văn hóa - Xã hội": ["chi trả trợ cấp xã hội", "tuyên truyền pháp luật", "phát triển du lịch",
                         "bảo tồn di tích", "xây dựng đời sống văn hóa cơ sở"],
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Thanh", "Hữu", "Ngọc", "Đức", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
         "Vân", "Yến", "Cường", "Đạt", "Hiếu", "Huyền", "Kiên", "Loan", "Nhung", "Thắng", "Toàn",
         "Xuân"]
NOTES = [
    "Sổ đăng ký sáng kiến cấp thành phố - DỮ LIỆU MINH HỌA",
    "",
    "Dữ liệu trong tệp này là dữ liệu minh họa, không phải số liệu thật.",
    "Toàn bộ tên tác giả là hư cấu; tên sáng kiến, điểm, số tiền làm lợi và cách chia theo năm "
    "đều là giả định.",
    "Tên đơn vị đến năm 2024 là tên các đơn vị của thành phố Hải Phòng trước khi sắp xếp năm 2025.",
    "Năm 2025: khối \"Sở, ngành, địa phương\" thay khối \"Quận, huyện, sở, ngành\"; một số đơn vị mang tên mới "
    "(phường, đặc khu, sở hợp nhất), cách sáp nhập là minh họa; params/2025.yaml ghi tên cũ → tên mới "
    "(khóa reorganisation) để so sánh qua các năm.",
    "Chỉ các số tổng khớp với số liệu đã công bố:",
    "- Giai đoạn 2016-2022: khối Giáo dục 332/599 sáng kiến được công nhận; "
    "khối quận, huyện, sở, ngành 179/209 sáng kiến được công nhận (nguồn: bài viết tháng 4/2023).",
    "- Năm 2023: UBND thành phố công nhận 63 sáng kiến (nguồn: báo cáo của Sở Khoa học và Công nghệ, "
    "tháng 3/2024). Số sáng kiến đề nghị năm 2023 chưa được công bố; số trong tệp là giả định.",
    "- Năm 2024, 2025: số liệu giả định.",
    "Tệp được sinh tự động bằng lệnh: python -m sangkien.tools.sample",
]


_DOUBLED = re.compile(r"\b(\w+ \w+) \1\b")


def _tidy(title: str) -> str:
    """A title without a phrase written twice in a row ('công tác công tác y tế' gives 'công tác y tế').

    >>> _tidy("Đổi mới công tác công tác y tế trường học")
    'Đổi mới công tác y tế trường học'
    """
    return _DOUBLED.sub(r"\1", title)


def _place(unit: str) -> str:
    if unit.startswith("UBND "):
        return "trên địa bàn " + unit.removeprefix("UBND ")
    return "tại " + unit


def _title(rng: random.Random, unit: str, level: str | None, field: str) -> str:
    if level in LEARNERS and field == EDU:
        kind, subjects, learners = LEARNERS[level]
        fill = {k: rng.choice(v) for k, v in FILLERS.items()}
        return rng.choice(TEACHING).format(kind=kind, subject=rng.choice(subjects),
                                           learner=rng.choice(learners), **fill)
    return rng.choice(FIELD_TITLES[field]).format(
        x=rng.choice(TOPICS[field]), place=_place(unit),
        **{k: rng.choice(FILLERS[k]) for k in ("software", "scope")})


def _authors(rng: random.Random, known: list[str], taken: set[str]) -> str:
    """One to four fictitious names; a unit's earlier authors come back now and then."""
    names: list[str] = []
    for _ in range(rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]):
        name = rng.choice(known) if known and rng.random() < 0.15 else None
        while name is None or (name in taken and name not in known):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in names:
            names.append(name)
    taken.update(names)
    known.extend(n for n in names if n not in known)
    return "; ".join(names)


def _benefit(rng: random.Random, block: str, recognised: bool) -> int | None:
    """VND, rounded to a million, for about 60% of recognised initiatives; else mostly empty."""
    if rng.random() >= (0.6 if recognised else 0.1):
        return None
    low, high = (20, 500) if block == EDU else (50, 2500)
    return round(math.exp(rng.uniform(math.log(low), math.log(high)))) * 1_000_000


def _pick_units(rng: random.Random, units: dict, k: int) -> list[str]:
    """k units in register order: as many distinct units as possible, then more of the heavy ones."""
    names = list(units)
    weights = [units[n][0] for n in names]
    by_key = sorted(names, key=lambda n: rng.random() ** (1 / units[n][0]), reverse=True)
    extra = rng.choices(names, weights=weights, k=max(0, k - len(names)))
    return sorted(by_key[:k] + extra, key=names.index)


def build_rows() -> list[dict]:
    """The sample register: one dict per initiative, keyed by the Vietnamese column labels."""
    rng = random.Random(SEED)
    units = {EDU: EDU_UNITS, OTHER: OTHER_UNITS, TODAY: TODAY_UNITS}
    authors: dict[str, list[str]] = {}
    taken: set[str] = set()
    titles: set[str] = set()
    rows = []
    for year, blocks in PER_YEAR.items():
        year_rows = []
        for block, (put_forward, recognised) in blocks.items():
            results = [True] * recognised + [False] * (put_forward - recognised)
            rng.shuffle(results)
            for unit, ok in zip(_pick_units(rng, units[block], put_forward), results):
                kind = units[block][unit][1]
                if block == EDU:
                    field = "Công nghệ thông tin" if rng.random() < 0.12 else EDU
                    level = kind
                else:
                    field, level = rng.choice(kind), None
                for _ in range(20):  # titles need not be unique, but mostly are
                    title = _title(rng, unit, level, field)
                    if title not in titles:
                        break
                titles.add(title)
                score = rng.uniform(75, 98) if ok else rng.uniform(40, 74.9)
                year_rows.append({
                    "Năm": year,
                    "Tên sáng kiến": _tidy(title),
                    "Tác giả": _authors(rng, authors.setdefault(unit, []), taken),
                    "Đơn vị": unit,
                    "Khối": block,
                    "Lĩnh vực": field,
                    "Kết quả": RECOGNISED if ok else NOT_RECOGNISED,
                    "Số tiền làm lợi": _benefit(rng, block, ok),
                    "Điểm": round(score, 1),
                })
        for number, row in enumerate(year_rows, start=1):
            rows.append({"Mã số": f"SK-{year}-{number:03d}", **row})
    return rows


def write_register(path=SAMPLE_REGISTER) -> Path:
    """Write the sample register to ``path`` (.xlsx) and return the path."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ đăng ký"
    ws.append(HEADERS)
    for row in build_rows():
        ws.append([row[h] for h in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    for cell in ws["I"][1:]:
        cell.number_format = "#,##0"
    for cell in ws["J"][1:]:
        cell.number_format = "0.0"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    notes = wb.create_sheet("Ghi chú")
    for line in NOTES:
        notes.append([line])
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 120

    wb.properties.creator = "sangkien"
    wb.properties.lastModifiedBy = "sangkien"
    wb.properties.title = "Sổ đăng ký sáng kiến cấp thành phố (dữ liệu minh họa)"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = deterministic_zip(buffer.getvalue(), FIXED_TIME, mode=0o600)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    print(write_register(sys.argv[1] if len(sys.argv) > 1 else SAMPLE_REGISTER))
