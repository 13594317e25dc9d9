"""The parts of an official administrative document (Decree 30/2020/NĐ-CP, Appendix I): the two-column
header, the document type and subject, the signature, the recipients, the notice on illustrative data,
and the report's appendix and colophon. The layout and the fixed formulas of Decree 30 are here; the
sentences and titles are :mod:`~sangkien.report.wording`'s. All text is escaped."""
from __future__ import annotations

from typing import Sequence

from sangkien.inputs.params import Params
from sangkien.report import vnformat as vn
from sangkien.report import wording
from sangkien.report.markup import esc


def sample_notice() -> str:
    """Shown on top of the page; in the PDF it is carried into the bottom margin of every page."""
    return f'<div class="sample-notice">{esc(wording.SAMPLE_NOTICE)}</div>'


def letterhead(p: Params) -> str:
    return header_columns(p) + "\n" + title_block(wording.REPORT_DOC_TYPE, p.subject_line)


def header_columns(p: Params) -> str:
    """The two-column header: bodies and number on the left, the national motto and place/date on the right."""
    number = p.doc_number.strip() or "\u00a0" * 6
    place_date = f"{p.place}, {vn.header_date(p.issue_date)}"
    return f"""<table class="letterhead">
<tr>
  <td class="lh-left"><div class="parent-body">{esc(p.parent_body)}</div>
    <div class="issuing-body">{esc(p.issuing_body)}</div><div class="rule rule-issuer"></div></td>
  <td class="lh-right"><div class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>
    <div class="motto"><span>Độc lập - Tự do - Hạnh phúc</span></div></td>
</tr>
<tr>
  <td class="lh-left"><div class="doc-number">Số: {esc(number)}/{esc(p.doc_symbol)}</div></td>
  <td class="lh-right"><div class="place-date">{esc(place_date)}</div></td>
</tr>
</table>"""


def title_block(doc_type: str, subject: str) -> str:
    """The document type in capitals, the subject line under it, and the short rule."""
    return f"""<div class="doc-type">{esc(doc_type)}</div>
<div class="doc-subject">{esc(subject)}</div>
<div class="rule rule-subject"></div>"""


def closing(p: Params) -> str:
    """'Nơi nhận' on the left, the signature on the right."""
    recipients = "".join(
        f"<li>- {esc(r)}{'.' if i == len(p.recipients) - 1 else ';'}</li>" for i, r in enumerate(p.recipients)
    )
    s = p.signer
    authority = f'<div class="sig-authority">{esc(s.authority)}</div>' if s.authority.strip() else ""
    return f"""<table class="closing">
<tr>
  <td class="recipients"><div class="recipients-title">Nơi nhận:</div><ul>{recipients}</ul></td>
  <td class="signature">{authority}<div class="sig-title">{esc(s.title)}</div>
    <div class="sig-space"></div><div class="sig-name">{esc(s.name)}</div></td>
</tr>
</table>"""


def appendix(title: str, subtitle: str, body: str) -> str:
    """The appendix on a page of its own: its heading, ``title`` and ``subtitle`` (text), then ``body`` (markup)."""
    return (f'<section class="appendix"><h2 id="phu-luc">{esc(wording.APPENDIX_HEADING)}</h2>'
            f'<div class="appendix-title">{esc(title)}</div>'
            f'<div class="appendix-sub">{esc(subtitle)}</div>{body}</section>')


def colophon(lines: Sequence[str]) -> str:
    """The small print at the end: how the report was made (``lines`` of text)."""
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return (f'<section class="colophon"><div class="colophon-title">{esc(wording.COLOPHON_TITLE)}</div>'
            f"<ul>{items}</ul></section>")
