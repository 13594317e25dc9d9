"""The version to sign: ``build YEAR --final`` (contract section 1) refuses while a section, the document
number, the issue date or the signer's name is empty, naming each in the analyst's words; and while the
register is sample data or the issue date cannot belong to the report (issue 20).

What is empty is decided once, with whether the report is a draft, by
:func:`sangkien.report.edition.edition_of`.
"""
from __future__ import annotations

import datetime

from sangkien import files
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params, meaning
from sangkien.report.edition import Edition, edition_of

_HINTS = {"doc_number": ": văn thư cấp số trước khi ký"}
"""What an analyst does about a missing parameter, beyond filling it in, by key."""


def missing_for_final(params: Params, edition: Edition | None = None) -> list[str]:
    """What the version to sign still lacks, one line each in the analyst's words (empty: nothing);
    ``edition``: the parameters' edition, when the build has it already. Beyond what is empty: sample data
    (``sample_data: true``) and an issue date that cannot belong to this report (:func:`wrong_for_final`)."""
    where = files.shown(params.params_file)
    edition = edition or edition_of(params)
    empty = [f"{where}: {key} ({meaning(key)}) còn trống{_HINTS.get(key, '')}" for key in edition.missing]
    return empty + [f"{where}: {line}" for _, line in wrong_for_final(params)]


def issue_date_range(year: int) -> tuple[datetime.date, datetime.date]:
    """The issue dates a report of ``year`` can bear: from 1 October of the year to 31 December of the next."""
    return datetime.date(year, 10, 1), datetime.date(year + 1, 12, 31)


def wrong_for_final(params: Params) -> list[tuple[str, str]]:
    """What is filled in but cannot go into the version to sign: ``[(key, line)]``.

    >>> from sangkien.inputs.params import Params
    >>> [key for key, _ in wrong_for_final(Params(year=2026, data="x", sample_data=True,
    ...                                           issue_date=datetime.date(2026, 1, 5)))]
    ['sample_data', 'issue_date']
    """
    wrong = []
    if params.sample_data:
        wrong.append(("sample_data", "sample_data: true (sổ đăng ký là số liệu minh họa, mọi trang in \"DỮ LIỆU MINH "
                                     "HỌA\"); bản để ký cần sổ đăng ký thật: đặt sample_data: false"))
    first, last = issue_date_range(params.year)
    if params.issue_date is not None and not first <= params.issue_date <= last:
        wrong.append(("issue_date", f"issue_date ({meaning('issue_date')}) {params.issue_date:%d/%m/%Y} không thể là "
                                    f"ngày của báo cáo năm {params.year} (phải từ {first:%d/%m/%Y} đến {last:%d/%m/%Y})"))
    return wrong


def require_final(params: Params, edition: Edition | None = None) -> None:
    """ParamsError (exit 2) naming everything the version to sign lacks; nothing when it lacks nothing."""
    lines = missing_for_final(params, edition)
    if lines:
        raise ParamsError(lines + ["--final: chưa dựng bản để ký; điền các mục trên rồi dựng lại "
                                   "(bỏ --final để dựng bản dự thảo)"])
