"""A value as a message about a parameters file shows it: whole when short, else its kind, its size and
its start, never built whole (a YAML alias may share one part a billion times over)."""
from __future__ import annotations

SHOWN_CHARS = 60
"""How much of a wrong value an error message shows."""

_KIND_WORDS = {list: ("một danh sách", "mục"), dict: ("các khóa con", "khóa"), str: ("một đoạn chữ", "ký tự")}


def thousands(number: int) -> str:
    """``number`` with a dot between thousands, as Vietnamese writes it.

    >>> thousands(100_000)
    '100.000'
    """
    return f"{number:,}".replace(",", ".")


def shown(value, quoted: bool = True) -> str:
    """A value as an error message shows it: whole when short (``repr``, or the text itself when not
    ``quoted``), else its kind, its size and its start.

    >>> shown(["UBND", 5])
    "['UBND', 5]"
    >>> shown("x" * 500)
    "một đoạn chữ 500 ký tự, bắt đầu bằng 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"
    """
    if not quoted and isinstance(value, str) and len(value) <= SHOWN_CHARS:
        return value
    text, whole = _start_of(value, SHOWN_CHARS)
    if whole:
        return text
    kind, unit = _KIND_WORDS.get(type(value), (type(value).__name__, ""))
    size = f" {thousands(len(value))} {unit}" if unit else ""
    return f"{kind}{size}, bắt đầu bằng {text}"


def _start_of(value, budget: int) -> tuple[str, bool]:
    """``repr(value)`` up to about ``budget`` characters, and whether that is all of it; never builds more
    than it shows."""
    if isinstance(value, (list, dict)):
        opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
        start = opening
        for n, item in enumerate(value.items() if isinstance(value, dict) else value):
            if len(start) >= budget:
                return start + "…", False
            part, whole = (_start_of(item, budget - len(start)) if isinstance(value, list) else
                           _start_of_pair(item, budget - len(start)))
            start += (", " if n else "") + part
            if not whole:
                return start, False
        return start + closing, True
    if isinstance(value, str) and len(value) > budget:
        return repr(value[:budget])[:-1] + "…", False
    text = repr(value)
    return (text, True) if len(text) <= budget else (text[:budget] + "…", False)


def _start_of_pair(pair, budget: int) -> tuple[str, bool]:
    key, whole = _start_of(pair[0], budget)
    if not whole:
        return key, False
    value, whole = _start_of(pair[1], budget - len(key) - 2)
    return f"{key}: {value}", whole
