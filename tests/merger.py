"""Two provinces' registers merged into one history across the 2025 reorganisation (the city's, and the
merged province's with its own block names), and the parameters of 2025 that map both onto today's names:
``from merger import HAI_PHONG, HAI_DUONG, MERGED_PARAMS`` (``tests/`` is on the path)."""
from __future__ import annotations

from conftest import EDU, OTHER

HAI_PHONG = [  # the city's register: its old blocks and districts until 2024, today's names in 2025
    ["HP-2023-1", 2023, "A", "Lê A", "UBND quận Hồng Bàng", OTHER, "Hành chính công", "Công nhận", None, 80],
    ["HP-2024-1", 2024, "B", "Lê B", "UBND quận Hồng Bàng", OTHER, "Hành chính công", "Không công nhận", None, 60],
    ["HP-2024-2", 2024, "C", "Lê C", "Trường THPT Ngô Quyền", EDU, "Giáo dục", "Công nhận", None, 85],
    ["HP-2025-1", 2025, "D", "Lê D", "UBND phường Hồng Bàng", "Sở, ngành, địa phương", "Hành chính công", "Công nhận",
     None, 90],
    ["HP-2025-2", 2025, "E", "Lê E", "UBND phường Hải Dương", "Sở, ngành, địa phương", "Xây dựng", "Công nhận", None,
     88],
]
HAI_DUONG = [  # the merged province's register, with its own block names and its city's old name
    ["HD-2023-1", 2023, "F", "Vũ F", "UBND thành phố Hải Dương", "Huyện, thị xã, thành phố, sở, ngành", "Xây dựng",
     "Công nhận", None, 82],
    ["HD-2024-1", 2024, "G", "Vũ G", "UBND thành phố Hải Dương", "Huyện, thị xã, thành phố, sở, ngành", "Xây dựng",
     "Công nhận", None, 84],
    ["HD-2024-2", 2024, "H", "Vũ H", "Trường THPT chuyên Nguyễn Trãi", EDU, "Giáo dục", "Công nhận", None, 91],
]
MERGED_PARAMS = (
    "year: 2025\ndata: so-dang-ky.csv\nblocks: [Giáo dục, 'Sở, ngành, địa phương']\n"
    "reorganisation:\n"
    "  blocks:\n"
    "    'Quận, huyện, sở, ngành': 'Sở, ngành, địa phương'\n"
    "    'Huyện, thị xã, thành phố, sở, ngành': 'Sở, ngành, địa phương'\n"
    "  units:\n"
    "    UBND quận Hồng Bàng: UBND phường Hồng Bàng\n"
    "    UBND thành phố Hải Dương: UBND phường Hải Dương\n")
