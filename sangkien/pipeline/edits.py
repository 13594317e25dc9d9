"""``apply-edits``: the Word draft the office edited, brought back into the year's parameters.

The draft (:mod:`sangkien.pipeline.exporters.word`) holds each analyst-written section in a block content
control tagged ``sangkien:sections.KEY``. Here the edited draft is read: tracked changes still in it stop
the command (or are taken as accepted); every paragraph outside those controls must be the one the year's
build wrote (a figure, a table, a unit's name come from the register, not from Word); each section is read
back as Markdown (paragraphs, lists, bold, italic) and compared with the one the build wrote; what changed is
shown as a unified diff and, with ``write``, written into the parameters file (ruamel.yaml's round trip:
comments, order and other keys kept), atomically.
"""
from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import files, paths
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params, meaning
from sangkien.pipeline.exporters.word import SECTION_TAG

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRACKED = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
           "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel")
"""Tracked changes (revisions) as Word and LibreOffice write them inside a document."""
REMOVED_WITH_CONTENT = ("del", "moveFrom", "cellDel")
"""Accepting these removes what they hold; the rest are unwrapped (``ins``, ``moveTo``) or dropped (``*Change``)."""
LIST_STYLES = {"Gạch đầu dòng": "-", "Danh sách số": ""}
"""A list paragraph's style -> the Markdown that starts its line ('' for a numbered one: its number is text)."""
NUMBERS_BELONG = "số liệu lấy từ sổ đăng ký: sửa trong sổ rồi dựng lại"
PLACEHOLDER_STYLE = "Ghi chú dự thảo"
"""The style of what an empty section shows (:data:`sangkien.pipeline.exporters.word.RULES`)."""
TEXT_BELONGS = "phần này do sangkien tạo từ tham số và sổ đăng ký: sửa trong tệp tham số hoặc sổ rồi dựng lại"


@dataclass
class Edits:
    """What an edited draft brings back: each section's new Markdown, the diff lines, what was written."""

    year: int
    params_file: Path
    changed: dict[str, str] = field(default_factory=dict)
    diff: list[str] = field(default_factory=list)
    accepted: int = 0
    written: bool = False


# --------------------------------------------------------------------------- reading a draft

def _parts(path: Path) -> tuple:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
            core = archive.read("docProps/core.xml").decode("utf-8") if "docProps/core.xml" in archive.namelist() \
                else ""
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ParamsError(f"{path}: không đọc được tệp Word (.docx): {exc}") from exc
    return body.find(f"{W}body"), core


def _identifier(core: str) -> str:
    found = re.search(r"<dc:identifier>(.*?)</dc:identifier>", core, re.S)
    return found.group(1) if found else ""


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def check_identity(path: Path, core: str, params: Params) -> None:
    """ParamsError unless the draft was made for this year and this issuing body (its core properties)."""
    parts = _identifier(core).split(":")
    if len(parts) != 4 or parts[0] != "sangkien":
        raise ParamsError(f"{path}: không phải bản Word do sangkien dựng (thiếu dấu nhận biết năm và cơ quan); "
                          f"dùng tệp bao-cao-{params.year}.docx trong thư mục kết quả của năm")
    year, parent, body = parts[1:]
    if year != str(params.year):
        raise ParamsError(f"{path}: bản Word này là báo cáo năm {year or '?'}, không phải năm {params.year}")
    if _fold(parent) != _fold(params.parent_body) or _fold(body) != _fold(params.issuing_body):
        raise ParamsError(f"{path}: bản Word này của {body} — {parent}, không phải của {params.issuing_body} — "
                          f"{params.parent_body} (tệp tham số)")


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def section_key(element) -> str | None:
    """The ``sections`` key of a content control of ours, else None."""
    if _local(element) != "sdt":
        return None
    tag = element.find(f"{W}sdtPr/{W}tag")
    value = tag.get(f"{W}val") if tag is not None else ""
    return value[len(SECTION_TAG):] if value and value.startswith(SECTION_TAG) else None


def _style(paragraph) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else ""


def text_of(element) -> str:
    """The text of a paragraph or a table as a reader sees it (tabs and breaks as spaces)."""
    pieces = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}delText"):
        pieces.append(node.text or "" if _local(node) == "t" else (" " if _local(node) != "delText" else ""))
    return unbroken("".join(pieces))


def unbroken(text: str) -> str:
    """Text as typed: the draft's non-breaking spaces ordinary ones, its word joiners gone.

    >>> unbroken("13/\\u20602012\\xa0NĐ")
    '13/2012 NĐ'
    """
    return re.sub(r"[ \t]+", " ", text.replace("\u2060", "").replace("\xa0", " ")).strip()


def blocks(body) -> list[tuple[str | None, object]]:
    """The body's blocks in order, each with its section key (None: a generated block)."""
    out = []
    for child in body:
        key = section_key(child)
        if key is not None:
            out.append((key, child))
        elif _local(child) == "sdt":
            out.extend((None, c) for c in child.iterfind(f"{W}sdtContent/*"))
        elif _local(child) in ("p", "tbl"):
            out.append((None, child))
    return out


# --------------------------------------------------------------------------- tracked changes

def tracked_changes(body) -> list[tuple[str, int]]:
    """Where tracked changes remain: (the place, how many), in the document's order."""
    counts: dict[str, int] = {}
    place = "đầu văn bản"
    for key, element in blocks(body):
        if key is None and _local(element) == "p" and _style(element).lower().startswith("heading"):
            place = f"mục {text_of(element)}"
        found = sum(1 for node in element.iter() if _local(node) in TRACKED)
        if found:
            where = meaning(f"sections.{key}") if key else place
            counts[where] = counts.get(where, 0) + found
    return list(counts.items())


def accept_changes(body) -> int:
    """Every tracked change taken as accepted (as Word's 'Accept All Changes'); how many there were."""
    changes = [node for node in body.iter() if _local(node) in TRACKED]
    for node in changes:
        parent = node.getparent()
        name = _local(node)
        if _local(parent) in ("rPr", "trPr", "pPr", "tcPr") or name.endswith("Change"):
            parent.remove(node)  # a mark on a paragraph, run or row, or the look before a change
        elif name in REMOVED_WITH_CONTENT:
            parent.remove(node)
        else:  # ins, moveTo, cellIns: what they hold stays
            position = parent.index(node)
            for child in reversed(list(node)):
                parent.insert(position, child)
            parent.remove(node)
    return len(changes)


# --------------------------------------------------------------------------- sections as Markdown

def _runs_markdown(paragraph) -> str:
    out = []
    for run in paragraph.iter(f"{W}r"):
        text = "".join(n.text or "" if _local(n) == "t" else " " for n in run.iter(f"{W}t", f"{W}tab", f"{W}br"))
        if not text:
            continue
        properties = run.find(f"{W}rPr")
        bold = properties is not None and _on(properties.find(f"{W}b"))
        italic = properties is not None and _on(properties.find(f"{W}i"))
        mark = ("**" if bold else "") + ("*" if italic else "")
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + text, mark)
        else:
            out.append((text, mark))
    return unbroken("".join(_marked(text, mark) for text, mark in out))


def _on(flag) -> bool:
    return flag is not None and flag.get(f"{W}val", "true") not in ("0", "false", "off")


def _marked(text: str, mark: str) -> str:
    """``text`` in Markdown's ``mark``, the spaces around it kept outside (``** x**`` is not bold)."""
    if not mark or not text.strip():
        return text
    stripped = text.strip()
    before, after = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{before}{mark}{stripped}{mark[::-1]}{after}"


def section_markdown(sdt, style_names: dict[str, str], placeholders: frozenset = frozenset()) -> str:
    """A section's content control as Markdown: paragraphs apart by a blank line, list items one a line
    (nested ones indented); the placeholder of an empty section (one of ``placeholders``, as built) is no
    text, but what was typed over it is."""
    lines: list[tuple[str, bool]] = []
    for paragraph in sdt.iter(f"{W}p"):
        style = style_names.get(_style(paragraph), _style(paragraph))
        text = _runs_markdown(paragraph)
        if not text or (style == PLACEHOLDER_STYLE and text in placeholders):
            continue
        if style in LIST_STYLES:
            level = paragraph.find(f"{W}pPr/{W}numPr/{W}ilvl")
            indent = "  " * int(level.get(f"{W}val")) if level is not None else ""
            prefix = LIST_STYLES[style] + " " if LIST_STYLES[style] else ""
            lines.append((indent + prefix + text, True))
        else:
            lines.append((text, False))
    out = []
    for number, (text, is_item) in enumerate(lines):
        if number:
            out.append("\n" if is_item and lines[number - 1][1] else "\n\n")
        out.append(text)
    return "".join(out)


# --------------------------------------------------------------------------- the draft as a whole

@dataclass
class Draft:
    """An edited (or built) draft: its body, its styles' names by ID, its core properties."""

    path: Path
    body: object
    core: str
    style_names: dict[str, str]

    @classmethod
    def read(cls, path: Path) -> Draft:
        from lxml import etree

        body, core = _parts(path)
        with zipfile.ZipFile(path) as archive:
            styles = etree.fromstring(archive.read("word/styles.xml")) if "word/styles.xml" in archive.namelist() \
                else None
        names = {} if styles is None else {
            s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")
            if s.find(f"{W}name") is not None}
        return cls(path, body, core, names)

    def sections(self, placeholders: frozenset = frozenset()) -> dict[str, str]:
        return {key: section_markdown(element, self.style_names, placeholders)
                for key, element in blocks(self.body) if key}

    def placeholders(self) -> frozenset:
        """The texts of the placeholders of empty sections, as written in this draft."""
        return frozenset(_runs_markdown(p) for key, element in blocks(self.body) if key
                         for p in element.iter(f"{W}p")
                         if self.style_names.get(_style(p), _style(p)) == PLACEHOLDER_STYLE)

    def generated(self) -> list[tuple[str, str, str]]:
        """The blocks outside the sections: (kind, the page's heading above it, its text)."""
        out, place, caption = [], "đầu văn bản", ""
        for key, element in blocks(self.body):
            if key is not None:
                continue
            style = self.style_names.get(_style(element), _style(element)) if _local(element) == "p" else ""
            text = text_of(element) if _local(element) == "p" else " | ".join(
                text_of(cell) for cell in element.iter(f"{W}tc"))
            if style.lower().startswith("heading"):
                place = text
            if style.startswith("Chú thích"):
                caption = text
            kind = f"bảng «{caption}»" if _local(element) == "tbl" else ("hình" if element.find(
                f".//{W}drawing") is not None else "đoạn")
            out.append((kind, place, text))
        return out


def generated_edits(edited: Draft, built: Draft) -> list[str]:
    """Each edit outside the sections, by the page's heading and what it is, with where it belongs."""
    before, after = built.generated(), edited.generated()
    problems = []
    matcher = difflib.SequenceMatcher(a=[t for *_, t in before], b=[t for *_, t in after], autojunk=False)
    for op, a1, a2, b1, _ in matcher.get_opcodes():
        if op == "equal":
            continue
        kind, place, _ = before[a1] if a1 < len(before) else after[min(b1, len(after) - 1)]
        belongs = NUMBERS_BELONG if kind.startswith(("bảng", "hình")) or re.search(r"\d", "".join(
            t for *_, t in before[a1:a2])) else TEXT_BELONGS
        problems.append(f"{edited.path}: đã sửa {kind} ở mục «{place}» — không sửa được trong bản Word "
                        f"({belongs})")
    return problems


def _diff(key: str, old: str, new: str) -> list[str]:
    label = meaning(f"sections.{key}")
    return list(difflib.unified_diff((old or "").splitlines(), new.splitlines(), f"{label} (tệp tham số)",
                                     f"{label} (bản Word)", lineterm=""))


def apply_edits(docx: str | Path, params: Params, params_file: Path, out_dir: str | Path | None = None,
                write: bool = False, accept: bool = False) -> Edits:
    """The sections of the edited draft ``docx`` compared with the year's build and, with ``write``, written
    into ``params_file``. ParamsError (exit 2) while tracked changes remain (unless ``accept``), for a draft
    of another year or body, for an edit outside the sections, or when the year's draft was never built."""
    docx = Path(docx)
    edited = Draft.read(docx)
    check_identity(docx, edited.core, params)
    result = Edits(params.year, params_file)
    remaining = tracked_changes(edited.body)
    if remaining and not accept:
        total = sum(n for _, n in remaining)
        where = "; ".join(f"{place}: {n}" for place, n in remaining)
        raise ParamsError(f"{docx}: còn {total} thay đổi chưa chấp nhận (theo dõi thay đổi) — {where}; chấp nhận "
                          "hoặc từ chối chúng trong Word (Review > Accept/Reject), hoặc chạy lại với "
                          "--accept-changes để coi mọi thay đổi là đã chấp nhận")
    result.accepted = accept_changes(edited.body) if remaining else 0
    built_path = Path(out_dir or paths.REPORTS_DIR) / str(params.year) / f"{paths.report_basename(params.year)}.docx"
    if not built_path.exists():
        raise ParamsError(f"{built_path}: chưa có bản Word do lần dựng năm {params.year} tạo ra để so sánh; dựng "
                          f"năm trước: python -m sangkien build {params.year}")
    built = Draft.read(built_path)
    problems = generated_edits(edited, built)
    if problems:
        raise ParamsError("\n".join(problems))
    placeholders = built.placeholders()
    before, after = built.sections(placeholders), edited.sections(placeholders)
    for key, text in after.items():
        if text != before.get(key, ""):
            result.changed[key] = text
            result.diff += _diff(key, getattr(params.sections, key, ""), text)
    if write and result.changed:
        write_sections(params_file, result.changed)
        result.written = True
    return result


def write_sections(params_file: Path, sections: dict[str, str]) -> None:
    """``sections`` written into the parameters file, its comments, order and other keys kept, in one step."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    document = yaml.load(params_file.read_text(encoding="utf-8"))
    if document.get("sections") is None:
        document["sections"] = CommentedMap()
    for key, text in sections.items():
        document["sections"][key] = LiteralScalarString(text + "\n")  # a block, as analysts write them
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    files.write_atomic(params_file, buffer.getvalue().encode("utf-8"))


def year_of(docx: Path) -> int:
    """The year the draft was made for (its core properties); ParamsError when it does not say."""
    _, core = _parts(docx)
    parts = _identifier(core).split(":")
    if len(parts) == 4 and parts[0] == "sangkien" and parts[1].isdigit():
        return int(parts[1])
    raise ParamsError(f"{docx}: không phải bản Word do sangkien dựng (thiếu dấu nhận biết năm và cơ quan); dùng "
                      "tệp bao-cao-NĂM.docx trong thư mục kết quả của năm")
