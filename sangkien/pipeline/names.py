"""File names for things named in Vietnamese: readable ASCII stems, unique within a folder.

A unit's result sheet is written as ``<stem>.html`` / ``<stem>.pdf``; the stem must be the same on
every system (Linux, macOS, Windows, a zip file, a URL), so it keeps only ``a-z``, ``0-9`` and ``-``.

>>> file_stem("Trường THCS Lê Lợi / Hải An")
'truong-thcs-le-loi-hai-an'
>>> file_stem("Sở Giáo dục và Đào tạo")
'so-giao-duc-va-dao-tao'
>>> file_stem("«»…")
'don-vi'
>>> file_stem("CON")
'don-vi-con'
>>> unique_stems(["Trường THCS Lê Lợi", "TRƯỜNG THCS LÊ LỢI", "Sở Y tế"])
{'Trường THCS Lê Lợi': 'truong-thcs-le-loi-2', 'TRƯỜNG THCS LÊ LỢI': 'truong-thcs-le-loi', 'Sở Y tế': 'so-y-te'}
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sangkien.inputs.schema import fold

MAX_LENGTH = 80
"""The longest stem (before '.pdf'): short enough for any file system and for a readable listing."""

FALLBACK = "don-vi"
"""The stem of a name with no letter or digit that has an ASCII form."""

WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "clock$"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)
"""Device names Windows will not open as files, whatever the extension ('con.pdf' included)."""

# Letters that Unicode does not decompose into a base letter plus marks.
_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "þ": "th"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _cap(stem: str, limit: int) -> str:
    """``stem`` cut to ``limit`` characters, at a '-' when one falls in the second half."""
    if len(stem) <= limit:
        return stem
    cut = stem[:limit]
    if stem[limit] != "-":
        boundary = cut.rfind("-")
        if boundary >= limit // 2:
            cut = cut[:boundary]
    return cut.strip("-")


def file_stem(name: str, max_length: int = MAX_LENGTH) -> str:
    """A readable ASCII file stem for a (Vietnamese) name: lowercase, no diacritics ('đ' → 'd'),
    words joined by '-', at most ``max_length`` characters, never empty, never a Windows device name.

    >>> file_stem("  UBND huyện Bạch Long Vĩ  ")
    'ubnd-huyen-bach-long-vi'
    >>> file_stem("Trường Mầm non 19/5 (cơ sở 2)")
    'truong-mam-non-19-5-co-so-2'
    >>> file_stem("..")
    'don-vi'
    """
    text = unicodedata.normalize("NFKD", fold(str(name))).translate(_LETTERS)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    stem = _NOT_ALNUM.sub("-", text.encode("ascii", "ignore").decode("ascii")).strip("-")
    stem = _cap(stem, max_length) or FALLBACK
    if stem in WINDOWS_RESERVED:
        stem = f"{FALLBACK}-{stem}"
    return stem


def unique_stems(names: Iterable[str], max_length: int = MAX_LENGTH) -> dict[str, str]:
    """A distinct file stem for every distinct name, the same whatever order the names come in.

    A stem shared by several names goes, unchanged, to the first of them ordered by the folded name
    (then the name itself); the others get '-2', '-3', ... skipping any stem another name has on its own.
    The dictionary keeps the names' first-seen order.
    """
    given = list(dict.fromkeys(names))
    distinct = sorted(given, key=lambda n: (fold(n), n))
    base = {n: file_stem(n, max_length) for n in distinct}
    claimed: dict[str, list[str]] = {}
    for n in distinct:
        claimed.setdefault(base[n], []).append(n)
    used = set(claimed)
    result = {}
    for stem, owners in claimed.items():
        result[owners[0]] = stem
        number = 1
        for n in owners[1:]:
            while True:
                number += 1
                suffix = f"-{number}"
                candidate = _cap(stem, max_length - len(suffix)) + suffix
                if candidate not in used:
                    break
            used.add(candidate)
            result[n] = candidate
    return {n: result[n] for n in given}
