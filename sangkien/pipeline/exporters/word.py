"""The Word draft (``.docx``): the report's page (the same HTML the PDF is laid out from) written into
the Word template ``sangkien/templates/word/bao-cao.docx`` (:mod:`sangkien.tools.wordtemplate`).

docxtpl fills the template's fields (the letterhead, the draft mark, the footer's notice); the body is
then written after the letterhead, element by element of the page, with the template's styles. What
each element of the page becomes is said by the tables below, and only there:

* :data:`FIELDS`: the template's fields, each taken from the text of one element of the page;
* :data:`RULES`: block elements, the first rule whose selector matches wins; a ``div`` or ``section``
  no rule names is walked into, any other element becomes a paragraph of the body's style;
* :data:`CELL_STYLES`, :data:`ROW_LOOKS`, :data:`TABLE_SIZES`, :data:`CLOSING`: inside tables and the
  signature block.

A selector is a tag, a ``.class``, or both (``p.placeholder``), and may name an ancestor first
(``section.appendix h2``). When the page's markup changes (a class renamed), change these tables.
"""
from __future__ import annotations

import base64
import datetime
import io
import re
from pathlib import Path
from typing import NamedTuple

from sangkien import files, paths
from sangkien.report.markup import unbreakable
from sangkien.report.wording import DRAFT_MARK

BODY_MARKER = "[[NỘI DUNG]]"
"""The template's paragraph that the body replaces (:data:`sangkien.tools.wordtemplate.BODY_MARKER`)."""
TEXT_WIDTH_MM = 165.0
"""The text's width on the template's page (A4 less the 30 mm and 15 mm margins)."""
CHART_WIDTH_MM = 150.0
"""A chart's width when its image does not say (``style="width:…mm"``, as the PDF prints it)."""
SECTION_TAG = "sangkien:sections."
"""The tag of an analyst-written section's content control, then the key in ``sections`` (``context``)."""
BULLET_NUMBERING = 90
"""The template's '-' list (:data:`sangkien.tools.wordtemplate.BULLET_NUMBERING`): nested items take its
next levels."""

FIELDS = {
    "parent_body": ".parent-body",
    "issuing_body": ".issuing-body",
    "doc_number": ".doc-number",
    "place_date": ".place-date",
    "doc_type": ".doc-type",
    "subject": ".doc-subject",
    "sample_notice": ".sample-notice",
}
"""Template field -> the element of the page whose text fills it (the first one; empty when none)."""


class Rule(NamedTuple):
    selector: str
    action: str
    """skip | paragraph | list | numbered | caption | table | figure | closing | appendix"""
    style: str = ""
    """The Word style (paragraph or table) it is written with."""
    label: str = ""
    """caption: the numbered label ('Bảng', 'Hình'), a SEQ field in Word."""


RULES = (
    Rule("nav.toc", "skip"),                      # the HTML page's contents list
    Rule(".screen-only", "skip"),                 # what the HTML page shows and print leaves out
    Rule(".draft-mark", "skip"),                  # in the header of every page (the field draft_mark)
    Rule("section.colophon", "skip"),             # how the report was made: manifest.json, not the document
    Rule(".sample-notice", "skip"),               # in the footer of every page (FIELDS)
    Rule("table.letterhead", "skip"),             # in the template's letterhead (FIELDS)
    Rule(".doc-type", "skip"),
    Rule(".doc-subject", "skip"),
    Rule(".rule", "skip"),                        # the short rules are the template's
    Rule("table.closing", "closing", "Bảng không viền"),
    Rule("section.appendix", "appendix"),         # its first paragraph starts a page (style "Phụ lục")
    Rule("section.appendix h2", "paragraph", "Phụ lục"),
    Rule(".appendix-title", "paragraph", "Tên phụ lục"),
    Rule(".appendix-sub", "paragraph", "Ghi chú phụ lục"),
    Rule("h1", "skip"),                           # the notebook's title cell (hidden in the PDF too)
    Rule("h2", "paragraph", "Heading 1"),
    Rule("h3", "paragraph", "Heading 2"),
    Rule("h4", "paragraph", "Heading 3"),
    Rule("p.placeholder", "paragraph", "Ghi chú dự thảo"),
    Rule("p.md-heading", "paragraph", "Văn bản không thụt lề"),
    Rule("p", "paragraph", "Normal"),
    Rule("ul", "list", "Gạch đầu dòng"),
    Rule("ol", "numbered", "Danh sách số"),
    Rule(".table-caption", "caption", "Chú thích bảng", "Bảng"),
    Rule(".caption", "paragraph", "Chú thích bảng"),
    Rule("table.data", "table", "Bảng số liệu"),
    Rule("figure.chart", "figure", "Hình"),
    Rule("figcaption", "caption", "Chú thích hình", "Hình"),
    Rule("img", "figure", "Hình"),
)
CELL_STYLES = {"th": "Tiêu đề cột", "num": "Số trong bảng", "text": "Chữ trong bảng"}
"""A table cell's paragraph style: header cells, then by the cell's class (default: text)."""
TABLE_CELL_STYLES = {"appendix-list": {"th": "Tiêu đề cột phụ lục", "num": "Số trong phụ lục",
                                       "text": "Chữ trong phụ lục"}}
"""A table's class -> its cells' styles, instead of :data:`CELL_STYLES` (the text's size is the styles': restyling
the styles in Word restyles every table)."""
ROW_LOOKS = {"group": ("bold italic", "FAFAFA"), "total": ("bold", None)}
"""A table row's class -> its text (bold, italic) and shading (hex fill, or None)."""
CELL_PADDING_TWIPS = 80
"""The space left and right of a table cell's text (80 twips: 1.4 mm, the PDF's 4 pt; half of it above
and below)."""
HEADER_FILL = "F0F2F5"
"""The shading of header cells (as in the PDF)."""
TABLE_SIZES = {"appendix-list": 10.5, "data": 11.5}
"""A table's class -> the size of its text in pt (its cells' styles say it; here for widths given in em)."""
CLOSING = (
    (".recipients", 45, ((".recipients-title", "Nơi nhận"), (".recipients li", "Nơi nhận - dòng"))),
    (".signature", 55, ((".sig-authority", "Thẩm quyền ký"), (".sig-title", "Thẩm quyền ký"),
                        (".sig-name", "Họ tên người ký"))),
)
"""The closing block: its two cells (selector, width in per cent of the text's width), each with its
lines (selector, style), in order."""
INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
"""Inline elements that change the look of their text; ``br`` breaks the line, the rest is text."""
INLINE_SKIP = {"a.anchor-link", "script", "style"}
BLOCK_TAGS = {"p", "div", "section", "ul", "ol", "li", "table", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
              "nav", "main", "header", "footer", "article", "img", "figcaption"}


# --------------------------------------------------------------------------- selectors and text

def _compound_matches(element, compound: str) -> bool:
    tag, *classes = compound.split(".")
    if tag and element.tag != tag:
        return False
    have = set((element.get("class") or "").split())
    return all(c in have for c in classes)


def matches(element, selector: str) -> bool:
    """Whether ``element`` matches ``selector`` (compounds like ``p.x``, the last one the element's own,
    the earlier ones any of its ancestors', in order)."""
    *ancestors, own = selector.split()
    if not _compound_matches(element, own):
        return False
    node = element.getparent()
    for compound in reversed(ancestors):
        while node is not None and not _compound_matches(node, compound):
            node = node.getparent()
        if node is None:
            return False
        node = node.getparent()
    return True


def select(root, selector: str) -> list:
    """The elements under ``root`` (itself included) that match ``selector``, in document order."""
    return [e for e in root.iter() if isinstance(e.tag, str) and matches(e, selector)]


def rule_for(element) -> Rule | None:
    return next((rule for rule in RULES if matches(element, rule.selector)), None)


def text_of(element) -> str:
    """The element's text as a reader sees it: white space collapsed (non-breaking spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", element.text_content()).strip(" \t\r\n")


def runs_of(element, look: frozenset = frozenset()) -> list[tuple[str, frozenset]]:
    """The element's inline content as runs ``(text, look)``; a line break is the text ``"\\n"``."""
    if any(matches(element, s) for s in INLINE_SKIP):
        return []
    look = look | {INLINE[element.tag]} if element.tag in INLINE else look
    out = [(element.text, look)] if element.text else []
    for child in element:
        if isinstance(child.tag, str):
            out.extend([("\n", look)] if child.tag == "br" else runs_of(child, look))
        if child.tail:
            out.append((child.tail, look))
    return out


def collapse(runs: list[tuple[str, frozenset]]) -> list[tuple[str, frozenset]]:
    """HTML's white space rule over runs: every run of spaces and newlines one space, none at the ends
    of a line.

    >>> collapse([(" a \\n b ", frozenset()), (" c", frozenset({"bold"}))])
    [('a b ', frozenset()), ('c', frozenset({'bold'}))]
    """
    out, after_space = [], True
    for text, look in runs:
        if text == "\n":
            if out and out[-1][0].endswith(" "):
                out[-1] = (out[-1][0][:-1], out[-1][1])
            out.append(("\n", look))
            after_space = True
            continue
        text = re.sub(r"[ \t\r\n]+", " ", text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            out.append((text, look))
            after_space = text.endswith(" ")
    if out and out[-1][0].endswith(" "):
        out[-1] = (out[-1][0].rstrip(" "), out[-1][1])
    return [(t, look) for t, look in out if t]


# --------------------------------------------------------------------------- small XML helpers

def _w(tag: str, **attributes):
    """A ``w:`` element with ``w:`` attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def add_runs(paragraph, runs: list[tuple[str, frozenset]], size: float | None = None) -> None:
    from docx.shared import Pt

    for text, look in collapse(runs):
        run = paragraph.add_run()
        if text == "\n":
            run.add_break()
        else:
            run.text = text
        run.bold = True if "bold" in look else None
        run.italic = True if "italic" in look else None
        if size:
            run.font.size = Pt(size)


def add_field(paragraph, instruction: str, result: str) -> None:
    """A Word field (``SEQ Bảng``...) showing ``result`` until Word updates it."""
    begin, separate, end = (_w("fldChar", fldCharType=kind) for kind in ("begin", "separate", "end"))
    code = _w("instrText")
    code.text = f" {instruction} "
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for part in (begin, code, separate):
        paragraph.add_run()._r.append(part)
    paragraph.add_run(result)
    paragraph.add_run()._r.append(end)


def shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_w("shd", val="clear", color="auto", fill=fill))


def repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(_w("tblHeader"))


def keep_row_whole(row) -> None:
    row._tr.get_or_add_trPr().append(_w("cantSplit"))


def style_ids(document) -> dict[str, str]:
    """Style name -> its ID in ``document`` (python-docx looks a name up among every style each time)."""
    return {style.name: style.style_id for style in document.styles}


def set_style(paragraph, name: str, ids: dict[str, str]) -> None:
    paragraph._p.get_or_add_pPr().style = ids[name]


# --------------------------------------------------------------------------- the body

class Writer:
    """Writes the page's body at the end of ``document``, element by element, by :data:`RULES`."""

    def __init__(self, document):
        self.document = document
        self.ids = style_ids(document)
        self.numbers: dict[str, int] = {}
        self.page_break_next = False

    def walk(self, element) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.get("data-section"):
                self.analyst_section(child)
                continue
            rule = rule_for(child)
            if rule is not None:
                getattr(self, "do_" + rule.action)(child, rule)
            elif child.tag in ("div", "section", "main", "article") and any(
                    isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in child):
                self.walk(child)
            else:
                self.do_paragraph(child, Rule("", "paragraph", "Normal"))

    def analyst_section(self, element) -> None:
        """An analyst-written section (``data-section``) in a block content control tagged
        ``sangkien:sections.KEY`` (:data:`SECTION_TAG`), so that ``apply-edits`` finds it again."""
        body = self.document.element.body
        before = set(body)  # the proxies kept alive: lxml gives the same object for the same element
        key = element.get("data-section")
        del element.attrib["data-section"]
        self.walk(element) if element.tag == "div" else self.walk_one(element)
        written = [e for e in body if e not in before]
        wrap_in_content_control(body, written, SECTION_TAG + key, self.ids)

    def paragraph(self, style: str, container=None):
        paragraph = (container or self.document).add_paragraph()
        set_style(paragraph, style, self.ids)
        if self.page_break_next:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_next = False
        return paragraph

    def do_skip(self, element, rule: Rule) -> None:
        pass

    def do_paragraph(self, element, rule: Rule, container=None) -> None:
        runs = runs_of(element)
        if collapse(runs):
            add_runs(self.paragraph(rule.style, container), runs)

    def do_appendix(self, element, rule: Rule) -> None:
        self.page_break_next = True
        self.walk(element)

    def do_list(self, element, rule: Rule, level: int = 0) -> None:
        for item in element:
            if item.tag != "li":
                continue
            inline = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            runs = [(item.text or "", frozenset())] + [r for c in item if c not in inline for r in
                                                      runs_of(c) + [(c.tail or "", frozenset())]]
            paragraph = self.paragraph(rule.style)
            if level:
                numbering = _w("numPr")
                numbering.extend([_w("ilvl", val=min(level, 2)), _w("numId", val=BULLET_NUMBERING)])
                paragraph._p.get_or_add_pPr().append(numbering)
            add_runs(paragraph, runs)
            for nested in inline:
                self.do_list(nested, rule, level + 1)

    def do_numbered(self, element, rule: Rule) -> None:
        items = [c for c in element if c.tag == "li"]
        for number, item in enumerate(items, start=int(element.get("start") or 1)):
            add_runs(self.paragraph(rule.style), [(f"{number}. ", frozenset())] + runs_of(item))

    def do_caption(self, element, rule: Rule) -> None:
        self.numbers[rule.label] = self.numbers.get(rule.label, 0) + 1
        paragraph = self.paragraph(rule.style)
        paragraph.add_run(f"{rule.label} ")
        add_field(paragraph, f"SEQ {rule.label} \\* ARABIC", str(self.numbers[rule.label]))
        paragraph.add_run(". ")
        add_runs(paragraph, runs_of(element))

    def do_figure(self, element, rule: Rule) -> None:
        from docx.shared import Mm

        images = [element] if element.tag == "img" else select(element, "img")
        for image in images:
            match = re.match(r"data:image/(png|jpeg);base64,(.*)", image.get("src") or "", re.S)
            if match:
                width = min(_width_mm(image.get("style"), 13) or CHART_WIDTH_MM, TEXT_WIDTH_MM)
                paragraph = self.paragraph(rule.style)
                paragraph.add_run().add_picture(io.BytesIO(base64.b64decode(match.group(2))), width=Mm(width))
        for child in element:
            if isinstance(child.tag, str) and child.tag != "img":
                self.walk_one(child)

    def walk_one(self, element) -> None:
        rule = rule_for(element)
        getattr(self, "do_" + rule.action)(element, rule) if rule else self.do_paragraph(element, Rule("", "", "Normal"))

    def do_table(self, element, rule: Rule) -> None:
        write_table(self.document, element, rule.style, self.ids)

    def do_closing(self, element, rule: Rule) -> None:
        write_closing(self.document, element, rule.style, self.ids)


def wrap_in_content_control(body, elements: list, tag: str, ids: dict[str, str]) -> None:
    """``elements`` (consecutive children of ``body``) moved into a block content control tagged ``tag``
    (no border when printed); an empty section gets one empty paragraph, so that it can still be found."""
    sdt = _w("sdt")
    properties = _w("sdtPr")
    properties.extend([_w("alias", val=tag.removeprefix(SECTION_TAG)), _w("tag", val=tag),
                       _w("id", val=_sdt_id(tag))])
    content = _w("sdtContent")
    sdt.extend([properties, content])
    if elements:
        elements[0].addprevious(sdt)
    else:
        body.append(sdt)
    for element in elements:
        content.append(element)
    if not elements:
        content.append(_w("p"))


def _sdt_id(tag: str) -> int:
    """A content control's number, the same for the same tag (the draft stays the same bytes)."""
    import zlib

    return zlib.crc32(tag.encode()) & 0x7FFFFFFF


# --------------------------------------------------------------------------- tables

def _width_mm(style: str, size_pt: float) -> float | None:
    """A column's width from a cell's ``style`` ('width:30%', 'width:2.2em'), in mm; None when unset.

    >>> _width_mm("width:30%", 11.5), round(_width_mm("width: 2.2em", 10), 2), _width_mm("", 11.5)
    (49.5, 7.76, None)
    """
    found = re.search(r"width\s*:\s*([\d.]+)\s*(%|em|mm|pt)", style or "")
    if not found:
        return None
    value, unit = float(found.group(1)), found.group(2)
    return {"%": TEXT_WIDTH_MM / 100, "em": size_pt * 25.4 / 72, "mm": 1.0, "pt": 25.4 / 72}[unit] * value


def column_widths(rows: list, size_pt: float) -> list[float]:
    """The columns' widths in mm: those the first row's cells set, the rest of the text's width shared
    equally by the others."""
    widths: list[float | None] = []
    for cell in (c for c in rows[0] if c.tag in ("th", "td")):
        span = int(cell.get("colspan") or 1)
        width = _width_mm(cell.get("style"), size_pt)
        widths += [width / span if width else None] * span
    free = [i for i, w in enumerate(widths) if w is None]
    rest = max(TEXT_WIDTH_MM - sum(w for w in widths if w), 10.0 * len(free))
    return [w if w is not None else rest / len(free) for w in widths]


def _table_rows(element) -> list:
    return element.xpath("./thead/tr | ./tbody/tr | ./tr | ./tfoot/tr")


def new_table(document, rows: int, widths: list[float], style: str, padding_twips: int = 0):
    """An empty table of fixed column widths (mm), as wide as their sum, its cells padded left and right
    by ``padding_twips`` (half of it above and below; LibreOffice does not read a table style's padding)."""
    from docx.shared import Mm

    table = document.add_table(rows=rows, cols=len(widths))
    margins = _w("tblCellMar")
    margins.extend([_w(side, w=padding_twips // (2 if side in ("top", "bottom") else 1), type="dxa")
                    for side in ("top", "left", "bottom", "right")])
    table._tbl.tblPr.append(margins)
    table.style = document.styles[style]
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
    preferred = table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblW")
    preferred.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type", "dxa")
    preferred.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(round(sum(widths) * 1440 / 25.4)))
    return table


def _write_row(source, row, styles: dict[str, str], header: bool, ids: dict[str, str]) -> None:
    classes = set((source.get("class") or "").split())
    look, fill = next((ROW_LOOKS[c] for c in classes if c in ROW_LOOKS), ("", None))
    look = frozenset(look.split())
    if header:
        repeat_as_header(row)
        fill = HEADER_FILL
    keep_row_whole(row)
    position = 0
    for cell_source in (c for c in source if c.tag in ("th", "td")):
        span = int(cell_source.get("colspan") or 1)
        cell = row.cells[position] if span == 1 else row.cells[position].merge(row.cells[position + span - 1])
        position += span
        kinds = ["th"] if cell_source.tag == "th" else (cell_source.get("class") or "").split()
        paragraph = cell.paragraphs[0]
        set_style(paragraph, next((styles[k] for k in kinds if k in styles), styles["text"]), ids)
        add_runs(paragraph, [(t, look | flags) for t, flags in runs_of(cell_source)])
        if fill:
            shade(cell, fill)


def write_table(document, element, style: str, ids: dict[str, str]) -> None:
    """A ``table.data`` as a Word table: header rows repeated on every page, no row split across pages,
    the column widths and the rows' looks of the page."""
    rows = _table_rows(element)
    if not rows:
        return
    classes = (element.get("class") or "").split()
    size = next((size for name, size in TABLE_SIZES.items() if name in classes), None)
    table = new_table(document, len(rows), column_widths(rows, size or 11.5), style, CELL_PADDING_TWIPS)
    styles = next((TABLE_CELL_STYLES[name] for name in classes if name in TABLE_CELL_STYLES), CELL_STYLES)
    for source, row in zip(rows, table.rows):
        _write_row(source, row, styles, source.getparent().tag == "thead", ids)


def write_closing(document, element, style: str, ids: dict[str, str]) -> None:
    """'Nơi nhận' and the signature side by side in a borderless table (:data:`CLOSING`)."""
    table = new_table(document, 1, [TEXT_WIDTH_MM * share / 100 for _, share, _ in CLOSING], style)
    keep_row_whole(table.rows[0])
    for cell, (selector, _, lines) in zip(table.rows[0].cells, CLOSING):
        found = select(element, selector)
        written = 0
        for line_selector, line_style in lines:
            for source in select(found[0], line_selector) if found else []:
                paragraph = cell.paragraphs[0] if written == 0 else cell.add_paragraph()
                set_style(paragraph, line_style, ids)
                add_runs(paragraph, runs_of(source))
                written += 1


# --------------------------------------------------------------------------- the document

def parse(page: str):
    """The page's ``main`` element (or its body), what it keeps on one line (``span.nowrap``, which Word
    has no stylesheet for) written with characters that no line breaks inside (:func:`unbreakable`)."""
    import lxml.html

    tree = lxml.html.document_fromstring(page)
    found = tree.xpath("//main")
    root = found[0] if found else tree.body
    for piece in select(root, "span.nowrap"):
        piece.text = unbreakable(piece.text or "")
    return root


def fields_of(root, draft: bool) -> dict[str, str]:
    """The template's fields: the texts :data:`FIELDS` names, the draft mark."""
    context = {}
    for name, selector in FIELDS.items():
        found = select(root, selector)
        context[name] = text_of(found[0]) if found else ""
    context["draft_mark"] = DRAFT_MARK if draft else ""
    return context


def prepare_for_editing(document) -> None:
    """Tracked changes on when the office opens the draft; Word's current compatibility mode (15)."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        settings.find(qn("w:zoom")).addnext(_w("trackRevisions"))
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def describe_charts(document, captions: list[str]) -> None:
    """Alt text on every picture: its figure's caption (else 'Biểu đồ N')."""
    for number, properties in enumerate(document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"), start=1):
        properties.set("descr", captions[number - 1] if number <= len(captions) else f"Biểu đồ {number}")


APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>sangkien</Application><DocSecurity>0</DocSecurity><Company>{company}</Company>"
    "</Properties>")
"""``docProps/app.xml``: the application and the issuing body, none of the template's leftovers."""


def drop_template_leftovers(document, company: str) -> None:
    """No thumbnail or bibliography (customXml) part of the template's; its extended properties
    ('Microsoft Macintosh Word', 'Normal.dotm', counts of an empty page) replaced by :data:`APP_PROPERTIES`."""
    from xml.sax.saxutils import escape

    package = document.part.package
    for owner, kinds in ((package, ("/thumbnail",)), (document.part, ("/customXml",))):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(kinds):
                owner.rels.pop(rel_id)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_PROPERTIES.format(company=escape(company)).encode("utf-8")


IDENTIFIER = "sangkien:{year}:{parent}:{body}"
"""The draft's core property ``identifier``: the year, the parent body (the province) and the issuing body it
was made for (``apply-edits`` refuses a draft made for another)."""


def docx_bytes(page: str, draft: bool, made: datetime.date, template: Path | None = None,
               year: int | None = None) -> bytes:
    """The Word draft of ``page`` (bytes, the same for the same page): the template filled, the body
    written after the letterhead; ``draft`` marks every page "DỰ THẢO"; the files dated ``made``
    (both from :func:`sangkien.report.edition.edition_of`)."""
    from docxtpl import DocxTemplate

    root = parse(page)
    context = fields_of(root, draft)
    template = DocxTemplate(str(template or paths.WORD_TEMPLATE))
    template.render(context, autoescape=True)
    document = template.docx
    marker = next((p for p in document.paragraphs if p.text.strip() == BODY_MARKER), None)
    Writer(document).walk(root)
    if marker is not None:
        marker._p.getparent().remove(marker._p)
    core = document.core_properties
    title = root.getroottree().findtext(".//title") or context["subject"]
    core.title, core.subject = title.strip(), context["subject"]
    core.author = core.last_modified_by = context["issuing_body"] or "sangkien"
    core.comments, core.revision = "sangkien", 1
    core.identifier = IDENTIFIER.format(year=year or "", parent=context["parent_body"],
                                        body=context["issuing_body"])
    core.keywords = f"sangkien {year}" if year else "sangkien"
    prepare_for_editing(document)
    drop_template_leftovers(document, context["issuing_body"])
    describe_charts(document, [text_of(c) for c in select(root, "figure.chart figcaption")])
    buffer = io.BytesIO()
    template.save(buffer)
    return files.deterministic_zip(buffer.getvalue(), datetime.datetime.combine(made, datetime.time()))
