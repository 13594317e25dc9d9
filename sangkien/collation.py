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

import functools
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
    (a code such as SK-2024-0012) without going through its characters one by one in Python; each text's key
    is worked out once (a report sorts the same units in several tables). Keys are compared, never changed."""
    return _key(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _key(text: str) -> tuple:
    text = " ".join(text.split())
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
    if any(kind == 1 for kind, _ in letters):  # digits: each run one number
        letters = _numbers(letters)
    return (letters, tones, cases)


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
    """``names`` in Vietnamese order; names all of ASCII characters (a year's codes, SK-2024-0012) by
    :func:`ascii_sort_key`, which orders them as :func:`sort_key` does, at C speed.

    >>> sort_names(["Ơ", "Ô", "O", "Ư", "U"])
    ['O', 'Ô', 'Ơ', 'U', 'Ư']
    """
    names = list(names)
    ascii_only = all(name.__class__ is str and name.isascii() for name in names)
    return sorted(names, key=ascii_sort_key if ascii_only else sort_key)


_ENCODED = str.maketrans({chr(c): chr(1 + ord(value)) if kind == 0 else chr(0x400 + value)
                          for c in range(128) if not chr(c).isdigit() for kind, value in [_ASCII[chr(c)]]})
"""An ASCII character (not a digit) as one character that sorts as its entry of :func:`_ascii_letters`: any
other character (kind 0, by its lower case) below a number, a number below a letter (by its place)."""
_NUMBER = "\u0200"
_DIGIT_RUNS = re.compile(r"[0-9]+")


def _number(run: re.Match) -> str:
    digits = run[0].lstrip("0")
    return _NUMBER + chr(0x240 + len(digits)) + digits  # longer is greater, then digit by digit


def ascii_sort_key(text: str) -> tuple:
    """For ASCII texts only, a key that orders them exactly as :func:`sort_key` does (not comparable with
    it): its letters as one string, each letter one character and each run of digits its number (its length,
    then its digits), then the text's length (no tones), then its cases.

    >>> codes = ["SK-10", "sk-9", "SK-9", "SK-009", "SK 9"]
    >>> sorted(codes, key=ascii_sort_key) == sorted(codes, key=sort_key)
    True
    """
    text = " ".join(text.split())
    letters = _DIGIT_RUNS.sub(_number, text).translate(_ENCODED)
    return letters, len(text), text.encode("ascii").translate(_ASCII_CASES)
