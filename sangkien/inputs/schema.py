"""The register's columns and values (contract section 2): the one definition the reader,
the validator and the documentation share."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    required: bool
    meaning: str
    example: str | int | float = ""
    """A value as an analyst would type it (the template's instructions sheet)."""


COLUMNS: tuple[Column, ...] = (
    Column("ma_so", "Mã số", True, "mã của sáng kiến, không trùng trong tệp", "SK-2024-001"),
    Column("nam", "Năm", True, "năm của đợt xét công nhận, số nguyên", 2024),
    Column("ten_sang_kien", "Tên sáng kiến", True, "tên sáng kiến",
           "Ứng dụng phần mềm quản lý hồ sơ học sinh"),
    Column("tac_gia", "Tác giả", True, "một hoặc nhiều tên, ngăn cách bằng dấu ; (tác giả chính đứng đầu)",
           "Nguyễn Văn A; Trần Thị B"),
    Column("don_vi", "Đơn vị", True, "đơn vị đề nghị công nhận", "Trường THPT Trần Phú"),
    Column("khoi", "Khối", True, "một trong các khối khai báo trong tham số", "Giáo dục"),
    Column("linh_vuc", "Lĩnh vực", True, "lĩnh vực áp dụng", "Giáo dục"),
    Column("ket_qua", "Kết quả", True, "Công nhận, Không công nhận hoặc Đang xét", "Công nhận"),
    Column("so_tien_lam_loi", "Số tiền làm lợi", False,
           "số tiền làm lợi (đồng), số không âm; để trống nếu không báo cáo", 150000000),
    Column("diem", "Điểm", False, "điểm của Hội đồng, từ 0 đến 100", 85.5),
)
BY_ID = {c.id: c for c in COLUMNS}
REQUIRED = tuple(c.id for c in COLUMNS if c.required)

RECOGNIZED = "Công nhận"
NOT_RECOGNIZED = "Không công nhận"
PENDING = "Đang xét"
RESULTS = (RECOGNIZED, NOT_RECOGNIZED, PENDING)

AUTHOR_SEPARATOR = ";"


def nfc(text: str) -> str:
    """Trim, collapse inner white space and normalise to NFC."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """The key two spellings of one name share: NFC, trimmed, white space collapsed, case folded."""
    return nfc(text).casefold()


def strip_accents(text: str) -> str:
    """``fold`` without diacritics (đ becomes d): 'Mã số' and 'ma so' match."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def header_key(text: str) -> str:
    """How a header is compared: without accents, case, spaces or underscores."""
    return re.sub(r"[\s_]+", "", strip_accents(text))


HEADER_KEYS: dict[str, str] = {}
for _c in COLUMNS:
    HEADER_KEYS[header_key(_c.id)] = _c.id
    HEADER_KEYS[header_key(_c.label)] = _c.id
