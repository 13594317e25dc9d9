"""The parts of an official administrative document (Decree 30/2020/NĐ-CP, Appendix I): the two-column
header, the document type and subject, the signature, the recipients, the notices on illustrative data
and on a draft, and the report's appendix and colophon. The layout and the fixed formulas of Decree 30
are here; the sentences and titles are :mod:`~sangkien.report.wording`'s. All text is escaped.

Nothing here is one province's: what the parameters leave out (the recipients, the signer's name, the
issue date) is derived from what they give (the level, the bodies, the year) or left blank for the
clerk, never filled with the sample's values.
"""
from __future__ import annotations

from typing import Sequence

from sangkien.inputs.params import Params
from sangkien.report import vnformat as vn
from sangkien.report import wording
from sangkien.report.markup import esc, text


def sample_notice() -> str:
    """Shown on top of the page; in the PDF it is carried into the bottom margin of every page."""
    return f'<div class="sample-notice">{esc(wording.SAMPLE_NOTICE)}</div>'


def draft_mark() -> str:
    """'DỰ THẢO' on top of the HTML page; in the PDF it is carried into the top margin of every page."""
    return f'<div class="draft-mark">{esc(wording.DRAFT_MARK)}</div>'


def issue_year(p: Params) -> int:
    """The year of issue: the issue date's, or else the year after the report's (a year's report is
    issued once the year is over), printed after the blanks the clerk fills in."""
    return p.issue_date.year if p.issue_date else p.year + 1


def issue_date(p: Params) -> str:
    """'ngày 05 tháng 01 năm 2024', or blanks for the day and the month before the year of issue."""
    return vn.header_date(p.issue_date, issue_year(p))


def notice_symbol(doc_symbol: str) -> str:
    """A unit notice's symbol, from the report's: the type before the first '-' becomes the notice's.

    >>> notice_symbol("BC-SKHCN"), notice_symbol("BC-SKHCN-QLKH"), notice_symbol("SKHCN")
    ('TB-SKHCN', 'TB-SKHCN-QLKH', 'TB-SKHCN')
    """
    issuer = doc_symbol.partition("-")[2] if "-" in doc_symbol else doc_symbol
    return f"{wording.NOTICE_SYMBOL_TYPE}-{issuer.strip()}"


def recipients(p: Params) -> tuple[str, ...]:
    """The parameters' recipients, or those derived from the level and the bodies when they give none; the
    last is the archive line, "Lưu: VT, <drafting unit>" (``drafting_unit``) unless the parameters' list
    writes one of its own."""
    if p.recipients:
        return tuple(wording.with_filing(p.recipients, p.drafting_unit))
    return tuple(wording.default_recipients(p.recognition_level, p.parent_body, p.issuing_body, p.drafting_unit))


def signer_name(p: Params) -> str:
    """The signer's name; on illustrative data without one, the sample's placeholder; else blank."""
    return p.signer.name.strip() or (wording.SAMPLE_SIGNER if p.sample_data else "")


def letterhead(p: Params) -> str:
    return header_columns(p) + "\n" + title_block(wording.REPORT_DOC_TYPE, p.subject_line)


def header_columns(p: Params, doc_number: str | None = None, doc_symbol: str | None = None) -> str:
    """The two-column header: bodies and number on the left, the national motto and place/date on the right
    (``doc_number`` and ``doc_symbol``: the parameters' unless given; an empty number is a blank)."""
    number = (p.doc_number if doc_number is None else doc_number).strip() or vn.BLANK
    symbol = p.doc_symbol if doc_symbol is None else doc_symbol
    place_date = f"{p.place}, {issue_date(p)}"
    return f"""<table class="letterhead">
<tr>
  <td class="lh-left"><div class="parent-body">{text(p.parent_body)}</div>
    <div class="issuing-body">{text(p.issuing_body)}</div><div class="rule rule-issuer"></div></td>
  <td class="lh-right"><div class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>
    <div class="motto"><span>Độc lập - Tự do - Hạnh phúc</span></div></td>
</tr>
<tr>
  <td class="lh-left"><div class="doc-number">Số: {esc(number)}/{esc(symbol)}</div></td>
  <td class="lh-right"><div class="place-date">{text(place_date)}</div></td>
</tr>
</table>"""


def title_block(doc_type: str, subject: str) -> str:
    """The document type in capitals, the subject line under it, and the short rule."""
    return f"""<div class="doc-type">{esc(doc_type)}</div>
<div class="doc-subject">{text(subject)}</div>
<div class="rule rule-subject"></div>"""


def closing(p: Params, to: Sequence[str] | None = None) -> str:
    """'Nơi nhận' on the left (``to``, or :func:`recipients`), the signature on the right."""
    to = list(recipients(p) if to is None else to)
    items = "".join(f"<li>- {text(r)}{'.' if i == len(to) - 1 else ';'}</li>" for i, r in enumerate(to))
    s = p.signer
    authority = f'<div class="sig-authority">{esc(s.authority)}</div>' if s.authority.strip() else ""
    return f"""<table class="closing">
<tr>
  <td class="recipients"><div class="recipients-title">Nơi nhận:</div><ul>{items}</ul></td>
  <td class="signature">{authority}<div class="sig-title">{esc(s.title)}</div>
    <div class="sig-space"></div><div class="sig-name">{esc(signer_name(p))}</div></td>
</tr>
</table>"""


def appendix_subtitle(p: Params) -> str:
    """'(Kèm theo Báo cáo số 45/BC-SKHCN ngày 05 tháng 01 năm 2024 của Sở Khoa học và Công nghệ)'."""
    return wording.appendix_subtitle(p.doc_number, p.doc_symbol, issue_date(p),
                                     wording.body_name(p.issuing_body, p.place))


def appendix(title: str, subtitle: str, body: str) -> str:
    """The appendix on a page of its own: its heading, ``title`` and ``subtitle`` (text), then ``body`` (markup)."""
    return (f'<section class="appendix"><h2 id="phu-luc">{esc(wording.APPENDIX_HEADING)}</h2>'
            f'<div class="appendix-title">{text(title)}</div>'
            f'<div class="appendix-sub">{text(subtitle)}</div>{body}</section>')


def colophon(lines: Sequence[str]) -> str:
    """How the report was made (``lines`` of text), at the foot of the HTML page only: the class
    ``screen-only`` keeps it out of print, so the official PDF carries only the document."""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return (f'<footer class="colophon screen-only"><div class="colophon-title">{esc(wording.COLOPHON_TITLE)}</div>'
            f"<ul>{items}</ul></footer>")
