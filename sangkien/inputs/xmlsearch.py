"""Looking for a few bytes in a sheet's XML (hundreds of megabytes for a national register) at C speed: what
the error-value scan (:mod:`~sangkien.inputs.workbook`) and the cut of a sheet in two
(:mod:`~sangkien.inputs.halves`) ask of it."""
from __future__ import annotations


def contains(xml: bytes, needle: bytes, start: int) -> bool:
    """Whether ``needle`` occurs in ``xml`` from ``start``: its last byte (rare in a sheet's cells: 'e', 'f')
    is looked for at memchr speed and the needle checked there; after a few misses, a plain search."""
    last, before = needle[-1:], needle[:-1]
    for _ in range(64):
        at = xml.find(last, start)
        if at < 0:
            return False
        if xml.startswith(before, at - len(before)):
            return True
        start = at + 1
    return xml.find(needle, start) >= 0
