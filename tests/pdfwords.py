"""The words of a built PDF with their boxes, read from the PDF itself (pypdf's content-stream parser and
the fonts' own glyph widths), for the tests that measure what a reader sees: two words printed over each
other, a gap left for the clerk, the size of the text.

Made for the PDFs WeasyPrint writes (Type0 fonts, Identity-H, a ToUnicode map, text shown with TJ after
Tm and Tf); a PDF of another make may need more of the text operators than this reads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

MM = 72 / 25.4
"""Points in a millimetre."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    """The font size as printed (points)."""

    def overlaps(self, other: "Word", tolerance: float = 0.3) -> bool:
        """True when the two boxes share more than ``tolerance`` points both across and down."""
        across = min(self.x1, other.x1) - max(self.x0, other.x0)
        down = min(self.bottom, other.bottom) - max(self.top, other.top)
        return across > tolerance and down > tolerance


def overlapping(page: list[Word], tolerance: float = 0.3) -> list[tuple[Word, Word]]:
    """Every pair of the page's words that overlap (:meth:`Word.overlaps`), found by sweeping down the
    page: a word is only compared with those that start above its foot (a page holds hundreds of words)."""
    ordered = sorted(page, key=lambda w: w.top)
    pairs = []
    for i, word in enumerate(ordered):
        for other in ordered[i + 1:]:
            if other.top >= word.bottom - tolerance:  # this one and all below: not enough height in common
                break
            if word.overlaps(other, tolerance):
                pairs.append((word, other))
    return pairs


def _multiply(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _to_unicode(font) -> dict[int, str]:
    """A Type0 font's ToUnicode map: glyph code -> text."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    chars: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            chars[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(text, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                chars[code] = chr(first + offset)
    return chars


def _widths(font) -> tuple[dict[int, float], float]:
    """A Type0 font's glyph widths (thousandths of the size) from its descendant's /W, and the default."""
    cid = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    spec = list(cid.get("/W", []))
    i = 0
    while i < len(spec):
        first = int(spec[i])
        if isinstance(spec[i + 1], list) or hasattr(spec[i + 1], "__iter__"):
            for offset, w in enumerate(spec[i + 1]):
                widths[first + offset] = float(w)
            i += 2
        else:
            for code in range(first, int(spec[i + 1]) + 1):
                widths[code] = float(spec[i + 2])
            i += 3
    return widths, float(cid.get("/DW", 1000))


class _Fonts:
    def __init__(self, page):
        self.fonts = {name: f.get_object() for name, f in page["/Resources"].get("/Font", {}).items()}
        self.cache: dict[str, tuple] = {}

    def get(self, name: str):
        if name not in self.cache:
            font = self.fonts[name]
            self.cache[name] = (_to_unicode(font), *_widths(font))
        return self.cache[name]


def _glyphs(operands, font, size: float, matrix):
    """(text, x0, x1) of each glyph a TJ shows, in page units along its line, and the line's baseline y."""
    chars, widths, default = font
    x = 0.0
    scale_x, base_x, base_y = matrix[0], matrix[4], matrix[5]
    for item in operands[0] if operands and isinstance(operands[0], list) else operands:
        if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
            raw = item.original_bytes if hasattr(item, "original_bytes") else (
                item.encode("latin-1") if isinstance(item, str) else item)
            for k in range(0, len(raw) - 1, 2):
                code = int.from_bytes(raw[k:k + 2], "big")
                advance = widths.get(code, default) / 1000 * size
                yield chars.get(code, ""), base_x + x * scale_x, base_x + (x + advance) * scale_x, base_y
                x += advance
        else:
            x -= float(item) / 1000 * size


def words(pdf_path, page_number: int | None = None) -> list[list[Word]]:
    """The words of every page (or of page ``page_number``, from 0) in reading order, top-down y."""
    reader = PdfReader(str(pdf_path))
    pages = reader.pages if page_number is None else [reader.pages[page_number]]
    return [_page_words(page, reader) for page in pages]


def _page_words(page, reader) -> list[Word]:
    fonts = _Fonts(page)
    height = float(page.mediabox.height)
    stack, ctm = [], [1, 0, 0, 1, 0, 0]
    tm, font, size = [1, 0, 0, 1, 0, 0], None, 0.0
    out: list[Word] = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif operator == b"Tm":
            tm = [float(v) for v in operands]
        elif operator == b"Tf":
            font, size = fonts.get(operands[0]), float(operands[1])
        elif operator in (b"TJ", b"Tj") and font is not None:
            out.extend(_line_words(operands, font, size, _multiply(tm, ctm), height))
    return out


def _line_words(operands, font, size: float, matrix, height: float) -> list[Word]:
    """The glyphs of one TJ grouped into words (split at spaces)."""
    printed = size * abs(matrix[3])
    found, text, x0, x1, baseline = [], "", None, None, None
    for char, a, b, y in _glyphs(operands, font, size, matrix):
        baseline = height - y
        if char.isspace() or char == "":
            if text:
                found.append((text, x0, x1))
            text, x0 = "", None
            continue
        text += char
        x0 = min(a, b) if x0 is None else x0
        x1 = max(a, b)
    if text:
        found.append((text, x0, x1))
    return [Word(t, a, b, baseline - 0.75 * printed, baseline + 0.2 * printed, printed) for t, a, b in found]
