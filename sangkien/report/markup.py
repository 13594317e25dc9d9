"""Safe HTML: every text from the register or the parameters is escaped here, and analyst sections
are rendered from a restricted Markdown (no raw HTML, links only http(s) and mailto, no images)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

TOC_MARK = "<!--sangkien:toc-->"
"""Where the HTML page's contents list goes (the exporter replaces it; screen only)."""


def esc(text) -> str:
    """Text as literal HTML: ``<script>`` stays visible, nothing runs.

    >>> esc('<b>"x" & {{ y }}</b>')
    '&lt;b&gt;&quot;x&quot; &amp; &#123;&#123; y &#125;&#125;&lt;/b&gt;'
    """
    # Braces and dollars are escaped too, so that no later template or math pass can read them.
    return (
        html.escape(str(text), quote=True)
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("$", "&#36;")
    )


_KEEP_TOGETHER = re.compile(
    r"\b\d+/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*"  # a document's number and symbol: 13/2012/NĐ-CP
    r"|\b\d{4}–\d{4}\b"                                   # a span of years: 2016–2022
    r"|\b[\w.-]+\.(?:csv|xlsx)\b"                          # a file's name
    r"|(?:\w+ )?\w+(?: - \w+)+(?: \w+)?")                  # a name joined by a spaced hyphen: Bà Rịa - Vũng Tàu
"""What is never broken across lines: found by :func:`kept_together`, the one place of these rules."""
NBSP, WORD_JOINER = "\u00a0", "\u2060"


def kept_together(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has pieces that must stay on one line (start, end): a legal document's number and
    symbol ('Nghị định số 13/2012/NĐ-CP' never broken after '13/2012/' nor at its hyphen), a span of years
    ('2016–2022' never at the dash), a file's name, and a name joined by a spaced hyphen with a word of
    each side ('Bệnh viện Sản - Nhi', 'TỈNH BÀ RỊA - VŨNG TÀU': a second word too when it starts with a
    capital; 'tăng - giảm', not a name, may break).
    The HTML wraps them (:func:`text`), the Word draft writes them with :func:`unbreakable`.

    >>> s = "số 13/2012/NĐ-CP, 2016–2022, viện Sản - Nhi - Hà Sơn, TỈNH BÀ RỊA - VŨNG TÀU, tăng - giảm, tệp a-b.csv"
    >>> [s[a:b] for a, b in kept_together(s)]
    ['13/2012/NĐ-CP', '2016–2022', 'Sản - Nhi - Hà Sơn', 'BÀ RỊA - VŨNG TÀU', 'a-b.csv']
    """
    found = []
    for match in _KEEP_TOGETHER.finditer(text):
        start, end = match.span()
        if " - " in match.group(0):
            start, end = _name(match.group(0), start)
        if start < end:
            found.append((start, end))
    return found


def _name(piece: str, start: int) -> tuple[int, int]:
    """(start, end) of the name in ``piece`` (at ``start``; a word, a spaced hyphen, a word...): each word
    after a hyphen starts with a capital (the name stops before one that does not), a word before the
    first one or after the last one only when it does; empty when no hyphen joins a name."""
    parts = piece.split(" - ")
    named = next((i for i, part in enumerate(parts[1:], 1) if not part[:1].isupper()), len(parts))
    if named == 1:
        return start, start
    parts = parts[:named]
    first, last = parts[0].split(" "), parts[-1].split(" ")
    if len(first) == 2 and not first[0][:1].isupper():
        start, parts[0] = start + len(first[0]) + 1, first[1]
    if len(last) == 2 and not last[1][:1].isupper():
        parts[-1] = last[0]
    return start, start + len(" - ".join(parts))


def unbreakable(piece: str) -> str:
    """A piece that must stay on one line (:func:`kept_together`) as characters that no line breaks
    inside, for where there is no stylesheet (the Word draft): spaces non-breaking, a word joiner after a
    slash or a dash (the glyphs unchanged).

    >>> unbreakable("13/2012/NĐ-CP"), unbreakable("2016–2022"), unbreakable("Sản - Nhi")
    ('13/\u20602012/\u2060NĐ-\u2060CP', '2016–\u20602022', 'Sản\xa0-\xa0Nhi')
    """
    piece = piece.replace(" ", NBSP)
    return re.sub(r"([/–-])(?=[^\s/–-])", r"\1" + WORD_JOINER, piece)


def text(value) -> str:
    """Text shown in the page (a sentence, a caption, a cell, a line of the letterhead), escaped as
    :func:`esc` does; each piece :func:`kept_together` finds is wrapped to stay on one line.

    >>> text("Giai đoạn 2016–2022 <b>")
    'Giai đoạn <span class="nowrap">2016–2022</span> &lt;b&gt;'
    >>> text("tệp danh-sach-cong-nhan-2023.csv,")
    'tệp <span class="nowrap">danh-sach-cong-nhan-2023.csv</span>,'
    """
    return _kept_on_one_line(esc(value))


def _kept_on_one_line(escaped: str) -> str:
    """Escaped text (no markup) with each piece :func:`kept_together` finds in a ``span.nowrap``."""
    out, last = [], 0
    for start, end in kept_together(escaped):
        out += [escaped[last:start], f'<span class="nowrap">{escaped[start:end]}</span>']
        last = end
    return "".join(out) + escaped[last:]


PRINTED_FIGURES = "sangkien/figures"
"""The key of the yearly report's colophon output metadata holding the figures it printed
(:meth:`sangkien.report.yearly.Report.figures`): the build reads the manifest's figures there, from the
kernel that printed them, instead of working them out a second time."""


@dataclass(frozen=True)
class Html:
    """A piece of the report: shown as HTML in JupyterLab and copied as is into the exported page."""

    html: str
    metadata: dict | None = None
    """What the build reads back from the executed notebook beside the page (the figures the report printed,
    for manifest.json); never shown."""

    def _repr_html_(self):
        return self.html if self.metadata is None else (self.html, self.metadata)

    def __repr__(self) -> str:  # the text/plain form: never shown in the report
        return "<sangkien.Html>"

    def __add__(self, other: "Html") -> "Html":
        return Html(self.html + other.html)


def join(*parts: Html) -> Html:
    return Html("".join(p.html for p in parts))


def paragraph(*sentences: str) -> str:
    """Sentences (plain text, escaped here) as one paragraph; nothing when every sentence is empty.

    >>> paragraph("Một <b>.", "", "Hai.")
    '<p>Một &lt;b&gt;. Hai.</p>'
    >>> paragraph("", "")
    ''
    """
    joined = " ".join(s for s in sentences if s)
    return f"<p>{text(joined)}</p>" if joined else ""


def bullets(items: list[str], css_class: str) -> str:
    """Texts (escaped here) as a list, each item after a dash as an office writes it (report.css); nothing
    when there are none."""
    lines = "".join(f"<li>{text(item)}</li>" for item in items)
    return f'<ul class="{css_class}">{lines}</ul>' if lines else ""


_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(_ALLOWED_SCHEMES)


def _make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _validate_link
    return md


_MD = _make_markdown()
_TEXT_NODE = re.compile(r">([^<]+)<")


def markdown(text: str) -> Html:
    """Render an analyst's section: paragraphs, lists, emphasis, safe links; raw HTML is shown as text.

    >>> markdown("**Ưu điểm:** tốt <script>x</script>").html
    '<p><strong>Ưu điểm:</strong> tốt &lt;script&gt;x&lt;/script&gt;</p>\\n'
    """
    rendered = _MD.render(text or "")
    # markdown-it escapes <, >, & and quotes; braces and dollars are made inert as in esc().
    rendered = rendered.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;")
    rendered = _TEXT_NODE.sub(lambda m: ">" + _kept_on_one_line(m.group(1)) + "<", rendered)
    # Headings in an analyst's text would break the report's numbering: show them as bold paragraphs.
    for level in range(1, 7):
        rendered = rendered.replace(f"<h{level}>", '<p class="md-heading"><strong>').replace(
            f"</h{level}>", "</strong></p>"
        )
    return Html(rendered)


def index_page(title: str, body: str) -> str:
    """A plain page listing outputs (``reports/index.html``, ``don-vi/index.html``): ``title`` as the
    heading, ``body`` markup already escaped; no script, nothing fetched."""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        "<style>body{font-family:'Times New Roman',Tinos,serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5}h1{font-size:1.35rem;text-align:center}li{margin:.6rem 0}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3rem .5rem}</style>\n"
        f"</head>\n<body>\n<h1>{esc(title)}</h1>\n{body}</body>\n</html>\n"
    )
