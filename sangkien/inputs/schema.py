"""The register's columns and values (contract section 2): the one definition the reader, the
validator's rules (:mod:`sangkien.inputs.rules`), the register template (:mod:`sangkien.tools.template`)
and the documentation share. Each column carries its kind, its limits and its choices; each limit is
written once, here, and the validator's messages and the template's validations are made from it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TEXT = "text"
"""Free text, trimmed and NFC."""
NAMES = "names"
"""One or more names separated by ``AUTHOR_SEPARATOR``."""
CHOICE = "choice"
"""One of the column's ``choices`` (any case); ``choices=None``: one of the blocks the parameters name."""
YEAR = "year"
"""A whole number from ``low`` to ``high``."""
NUMBER = "number"
"""A number from ``low`` to ``high`` (``high=None``: no upper limit)."""
TEXT_KINDS = (TEXT, NAMES, CHOICE)

RECOGNIZED = "Công nhận"
NOT_RECOGNIZED = "Không công nhận"
PENDING = "Đang xét"
RESULTS = (RECOGNIZED, NOT_RECOGNIZED, PENDING)

AUTHOR_SEPARATOR = ";"

YEAR_MIN, YEAR_MAX = 1975, 2100
"""The years a register may hold (the validator and the template's year cells)."""
AMOUNT_MIN = 0
SCORE_MIN, SCORE_MAX = 0, 100


MONEY_UNITS = (("đồng", 1), ("đ", 1), ("VNĐ", 1), ("nghìn đồng", 1e3), ("ngàn đồng", 1e3), ("nghìn đ", 1e3),
               ("ngàn đ", 1e3), ("1.000 đồng", 1e3), ("1.000 đ", 1e3), ("nghìn", 1e3), ("ngàn", 1e3),
               ("triệu đồng", 1e6), ("triệu đ", 1e6), ("triệu", 1e6), ("tr.đ", 1e6), ("trđ", 1e6),
               ("tr.đồng", 1e6), ("tỷ đồng", 1e9), ("tỷ đ", 1e9), ("tỷ", 1e9), ("tỉ đồng", 1e9), ("tỉ", 1e9))
"""What an amount's header may say in brackets, or an amount typed as text after its number, and the factor
to đồng. Compared without accents, case or spaces: 'VND', 'vnđ' and 'VNĐ' are one."""
SCORE_UNITS = (("thang 100", 1), ("thang điểm 100", 1), ("điểm", 1), ("/100", 1), ("100 điểm", 1))
"""What a score's header may say in brackets: the score is out of 100 (another scale is refused, not guessed)."""


@dataclass(frozen=True)
class Column:
    """One column of the register: what it holds (the instructions, the messages) and every rule on it."""

    id: str
    label: str
    required: bool
    meaning: str
    example: str | int | float = ""
    """A value as an analyst would type it (the template's instructions sheet)."""
    kind: str = TEXT
    low: int | None = None
    high: int | None = None
    """The limits of a year or number (inclusive)."""
    choices: tuple[str, ...] | None = None
    """A choice's values; None for the blocks, which the parameters give at run time."""
    invalid: str = ""
    """What a value that is not a year, a number or a choice is called ('năm không hợp lệ')."""
    need: str = ""
    """What a value must be, after 'cần' ('cần điểm từ 0 đến 100, hoặc để trống')."""
    empty: str = ""
    """What an empty required cell needs, when not ``meaning``."""
    unique: bool = False
    """No two rows hold the same value."""
    one_spelling: bool = False
    """Spellings that differ only by case or spaces are one value, written as the first row writes it."""
    belongs_to: str = ""
    """The id of a column each value belongs to one value of (a unit is under one block)."""
    repeats: bool = True
    """Values recur from row to row (units, blocks): the reader works once per distinct value."""
    aliases: tuple[str, ...] = ()
    """Other headers offices give the column, read as the label is (any case, spaces, accents)."""
    units: tuple[tuple[str, float], ...] = ()
    """The units a header may carry in brackets ('Số tiền làm lợi (triệu đồng)'), each with the factor that
    turns the column's values into the column's own unit; an amount typed with its unit ('1,5 tỷ')."""

    @property
    def when_empty(self) -> str:
        return self.empty or self.meaning


COLUMNS: tuple[Column, ...] = (
    Column("ma_so", "Mã số", True, "mã của sáng kiến, không trùng trong tệp", "SK-2024-001",
           unique=True, repeats=False, aliases=("Mã sáng kiến", "Mã SK")),
    Column("nam", "Năm", True, "năm của đợt xét công nhận, số nguyên", 2024,
           kind=YEAR, low=YEAR_MIN, high=YEAR_MAX, invalid="năm không hợp lệ",
           need=f"cần một số nguyên từ {YEAR_MIN} đến {YEAR_MAX}, ví dụ 2023", empty="năm (số nguyên, ví dụ 2023)"),
    Column("ten_sang_kien", "Tên sáng kiến", True, "tên sáng kiến",
           "Ứng dụng phần mềm quản lý hồ sơ học sinh", repeats=False),
    Column("tac_gia", "Tác giả", True, "một hoặc nhiều tên, ngăn cách bằng dấu ; (tác giả chính đứng đầu)",
           "Nguyễn Văn A; Trần Thị B", kind=NAMES, repeats=False),
    Column("don_vi", "Đơn vị", True, "đơn vị đề nghị công nhận", "Trường THPT Trần Phú",
           one_spelling=True, belongs_to="khoi"),
    Column("khoi", "Khối", True, "một trong các khối khai báo trong tham số", "Giáo dục",
           kind=CHOICE, invalid="khối không có trong tham số"),
    Column("linh_vuc", "Lĩnh vực", True, "lĩnh vực áp dụng", "Giáo dục", one_spelling=True),
    Column("ket_qua", "Kết quả", True, f"{RECOGNIZED}, {NOT_RECOGNIZED} hoặc {PENDING}", RECOGNIZED,
           kind=CHOICE, choices=RESULTS, invalid="kết quả không hợp lệ"),
    Column("so_tien_lam_loi", "Số tiền làm lợi", False,
           "số tiền làm lợi (đồng), số không âm; để trống nếu không báo cáo", 150000000,
           kind=NUMBER, low=AMOUNT_MIN, need="cần số tiền (đồng) là số không âm, hoặc để trống",
           units=MONEY_UNITS),
    Column("diem", "Điểm", False, f"điểm của Hội đồng, từ {SCORE_MIN} đến {SCORE_MAX}", 85.5,
           kind=NUMBER, low=SCORE_MIN, high=SCORE_MAX, need=f"cần điểm từ {SCORE_MIN} đến {SCORE_MAX}, hoặc để trống",
           units=SCORE_UNITS),
)
BY_ID = {c.id: c for c in COLUMNS}
REQUIRED = tuple(c.id for c in COLUMNS if c.required)


def choices(column: Column, blocks: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The values a choice column accepts: its own, or the parameters' blocks."""
    return tuple(blocks) if column.choices is None else column.choices


def need_choice(values) -> str:
    """What a choice must be: 'cần một trong: "A"; "B"'."""
    return "cần một trong: " + "; ".join(f'"{v}"' for v in values)




EXCEL_ERRORS = frozenset(("#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"))
"""Excel's error values, as a cell shows them (and as Excel writes them into a CSV file)."""


INVISIBLE = ("\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff")
"""Characters a reader does not see and Vietnamese text never needs: soft hyphen, zero-width spaces and
joiners, directional marks and isolates, word joiner, byte-order mark. Pasted from the web or Word, they make
two equal-looking codes or names differ; they are removed from every cell and header before anything else
(other odd spaces, such as the non-breaking space, become ordinary spaces)."""
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def drop_invisible(text: str) -> str:
    """``text`` without :data:`INVISIBLE` characters.

    >>> drop_invisible("SK\u200b-01\ufeff")
    'SK-01'
    """
    return text.translate(_DROP_INVISIBLE) if INVISIBLE_RE.search(text) else text


def nfc(text: str) -> str:
    """Invisible characters removed, trimmed, inner white space collapsed, normalised to NFC."""
    return " ".join(unicodedata.normalize("NFC", drop_invisible(text)).split())


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
    for _name in (_c.id, _c.label) + _c.aliases:
        HEADER_KEYS[header_key(_name)] = _c.id
IGNORED_HEADERS = frozenset(map(header_key, ("STT", "TT", "Số TT", "Số thứ tự", "No.", "#")))
"""The row number column offices put first: never a column of the register, never like one."""


def unit_factors(column: Column) -> dict[str, float]:
    """The column's units by :func:`header_key` (no accents, case or spaces), with their factors.

    >>> unit_factors(BY_ID["so_tien_lam_loi"])["trieudong"]
    1000000.0
    """
    return {header_key(name): float(factor) for name, factor in column.units}
