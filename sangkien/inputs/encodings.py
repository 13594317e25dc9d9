"""Recognise Vietnamese text typed in a legacy 8-bit encoding (TCVN3/ABC or VNI) and read as Unicode.

Such text shows Latin-1 symbols and letters that Vietnamese never uses: "Së Gi¸o dôc vµ §µo t¹o"
(TCVN3) or "Tröôøng Ñaïi hoïc" (VNI).

>>> detect("Së Gi¸o dôc vµ §µo t¹o")
'TCVN3'
>>> detect("Tröôøng Ñaïi hoïc")
'VNI'
>>> detect("Trường Đại học") is None
True
>>> detect("Nhiệt độ 30°C, ông Müller") is None
True
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Latin-1 symbols U+00A1..U+00BF: TCVN3 puts vowels with tone marks there (¸ = á, µ = à, ¹ = ạ, ...).
_TCVN3_SYMBOLS = frozenset(chr(c) for c in range(0xA1, 0xC0))
# Latin-1 letters that are not Vietnamese letters; VNI's tone and vowel marks land on these.
_NON_VIETNAMESE_LETTERS = frozenset("ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ")
_SUSPECT = _TCVN3_SYMBOLS | _NON_VIETNAMESE_LETTERS
SUSPECT_RE = re.compile("[\u00a1-\u00bf" + "".join(sorted(_NON_VIETNAMESE_LETTERS)) + "]")
"""One character of legacy text: a text without any is never legacy (one search at C speed)."""

HINT = (
    "hãy chuyển tệp sang Unicode (ví dụ bằng Unikey: Công cụ chuyển mã, "
    "nguồn {encoding}, đích Unicode) rồi lưu lại"
)


def _is_vietnamese_beyond_latin1(ch: str) -> bool:
    code = ord(ch)
    return code in (0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0) or (
        0x1EA0 <= code <= 0x1EF9
    )


def detect(text: str) -> str | None:
    """``'TCVN3'`` or ``'VNI'`` when ``text`` looks like legacy-encoded Vietnamese, else ``None``.

    A cell is suspect when it holds at least two such characters inside words and no letter
    of Unicode Vietnamese beyond Latin-1 (ă, đ, ơ, ư, ạ, ...).
    """
    if text.isascii():
        return None
    suspects = 0
    symbols = 0
    for i, ch in enumerate(text):
        if ch in _SUSPECT:
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isalpha() or after.isalpha() or before in _SUSPECT or after in _SUSPECT:
                suspects += 1
                symbols += ch in _TCVN3_SYMBOLS
        elif _is_vietnamese_beyond_latin1(ch):
            return None
    if suspects < 2:
        return None
    return "TCVN3" if symbols else "VNI"


WINDOWS_1258 = "Windows-1258"


def detect_bytes(data: bytes) -> str | None:
    r"""The 8-bit encoding a file that is not UTF-8 seems to be in: ``'Windows-1258'`` (what Excel's
    plain "CSV" writes on a Vietnamese Windows), ``'TCVN3'``, ``'VNI'``, or ``None`` when unsure.

    >>> detect_bytes("Sơ\u0309 Gia\u0301o du\u0323c, Đơn vi\u0323".encode("cp1258"))
    'Windows-1258'
    >>> detect_bytes("Së Gi¸o dôc vµ §µo t¹o".encode("latin-1"))
    'TCVN3'
    >>> detect_bytes("Tröôøng Ñaïi hoïc".encode("cp1252"))
    'VNI'
    >>> detect_bytes("Hans Müller,Zoë Weiss".encode("latin-1")) is None
    True
    """
    as_1258 = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    vietnamese = sum(1 for ch in as_1258 if _is_vietnamese_beyond_latin1(ch))
    suspects = sum(1 for ch in as_1258 if ch in _SUSPECT)
    # Windows-1258 gives clean Vietnamese; TCVN3 and VNI leave many Latin-1 symbols and foreign letters
    if vietnamese >= 2 and suspects * 10 <= vietnamese:
        return WINDOWS_1258
    # TCVN3 and VNI put one glyph in one byte: judge cell by cell, as ``detect`` expects
    cells = re.split(r"[,;\t\r\n]+", data.decode("cp1252", errors="replace"))
    guesses = Counter(guess for guess in map(detect, cells) if guess)
    return guesses.most_common(1)[0][0] if guesses else None
