"""Vietnamese alphabetical order (domain.md section 6), for every list of names the documents sort.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z of foreign
names in their Latin places); letters are compared first, ignoring case and tones; only between
names with the same letters do the tones decide (no tone, huyền, hỏi, ngã, sắc, nặng), then case.
Runs of digits compare as numbers ("Trường số 2" before "Trường số 10"); spaces and punctuation
come before any letter. Text is read as NFC or NFD alike.

>>> sorted(["Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Nông nghiệp", "Sở Nội vụ"], key=sort_key)
['Sở Nội vụ', 'Sở Nông nghiệp', 'Sở Tài chính', 'Sở Thông tin và Truyền thông']
>>> sorted(["Đồ Sơn", "Dương Kinh", "Ân Thi", "An Lão", "Bạch Long Vĩ"], key=sort_key)
['An Lão', 'Ân Thi', 'Bạch Long Vĩ', 'Dương Kinh', 'Đồ Sơn']
>>> sorted(["má", "ma", "mà", "mạ", "mả", "mã"], key=sort_key)
['ma', 'mà', 'mả', 'mã', 'má', 'mạ']
>>> sorted(["Trường số 10", "Trường số 2"], key=sort_key)
['Trường số 2', 'Trường số 10']
"""
from __future__ import annotations

import re
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
"""The letters in order (f, j, w, z stand where the Latin alphabet has them)."""

_SHAPED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
           ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
"""Marks that make a letter of their own: breve (ă), circumflex (â ê ô), horn (ơ ư)."""
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""huyền, hỏi, ngã, sắc, nặng (no tone is 0)."""
_RANK = {letter: i for i, letter in enumerate(ALPHABET)}


def _letter(base: str, marks: str) -> str:
    """The letter a base character and its marks make: ('a', breve) is ă, ('o', horn) is ơ."""
    return next((_SHAPED[(base, m)] for m in marks if (base, m) in _SHAPED), base)


def _cluster(base: str, marks: str) -> tuple[tuple[int, int | str], int, int]:
    """(letter, tone, case) of a base character with its combining marks: the letter is (2, its place in
    the alphabet), (1, a digit) or (0, any other character in lower case)."""
    lower = base.lower()
    letter = _letter(lower, marks)
    if letter in _RANK:
        entry: tuple[int, int | str] = (2, _RANK[letter])
    elif lower.isdigit():
        entry = (1, lower)
    else:
        entry = (0, lower)
    return entry, max((_TONES.get(m, 0) for m in marks), default=0), 0 if base == lower else 1


_CLUSTERS: dict[tuple[str, str], tuple[tuple[int, int | str], int, int]] = {}
""":func:`_cluster` of each (base, marks) met so far: a few hundred for any Vietnamese text."""
_ASCII = {chr(c): _cluster(chr(c), "")[0] for c in range(128) if not chr(c).isdigit()}
_ASCII_CASES = bytes(1 if 65 <= c <= 90 else 0 for c in range(256))
"""An ASCII character's case (1 for A-Z), by its byte."""
_ASCII_RUNS = re.compile(r"[0-9]+|[^0-9]")


def _clusters(text: str):
    """(base character, its combining marks) of ``text`` decomposed (đ has no decomposition: it stays)."""
    base, marks = None, ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and base is not None:
            marks += ch
            continue
        if base is not None:
            yield base, marks
        base, marks = ch, ""
    if base is not None:
        yield base, marks


def sort_key(text: str) -> tuple:
    """The key that puts names in Vietnamese order: ``sorted(names, key=sort_key)``.

    Each (character, marks) is worked out once (:data:`_CLUSTERS`), and a text of ASCII characters only
    (a code such as SK-2024-0012) without going through its characters one by one in Python."""
    text = " ".join(str(text).split())
    if text.isascii():
        return (_ascii_letters(text), [0] * len(text), list(text.encode("ascii").translate(_ASCII_CASES)))
    letters: list[tuple[int, int | str]] = []
    tones: list[int] = []
    cases: list[int] = []
    known = _CLUSTERS
    for cluster in _clusters(text):
        found = known.get(cluster)
        if found is None:
            found = known[cluster] = _cluster(*cluster)
        letters.append(found[0])
        tones.append(found[1])
        cases.append(found[2])
    return (_numbers(letters), tones, cases)


def _ascii_letters(text: str) -> list[tuple[int, int | str]]:
    """:func:`_numbers` of an ASCII text's letters: a run of digits is one number."""
    table = _ASCII
    return [table.get(run) or (1, int(run)) for run in _ASCII_RUNS.findall(text)]


def _numbers(letters: list[tuple[int, int | str]]) -> list[tuple[int, int | str]]:
    """Runs of digits as one number each, so that 2 comes before 10."""
    out: list[tuple[int, int | str]] = []
    digits = ""
    for kind, value in letters + [(0, "")]:
        if kind == 1:
            digits += str(value)
            continue
        if digits:
            out.append((1, int(digits)))
            digits = ""
        if value != "" or kind != 0:
            out.append((kind, value))
    return out


def sort_names(names) -> list[str]:
    """``names`` in Vietnamese order.

    >>> sort_names(["Ơ", "Ô", "O", "Ư", "U"])
    ['O', 'Ô', 'Ơ', 'U', 'Ư']
    """
    return sorted(names, key=sort_key)
