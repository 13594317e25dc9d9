"""Draft or final, and the date a report says it was made: decided once, from the parameters, for every
part of the build that needs it (the page's draft mark and colophon, the Word draft's header and file
dates, the annex workbook's file dates, ``build YEAR --final``).

A report is a draft while one of its analyst-written sections is empty: every page of its PDF and of its
Word draft then says "DỰ THẢO". The version to sign needs more: the document number, the issue date and
the signer's name as well (:mod:`sangkien.pipeline.final` names what is missing).
"""
from __future__ import annotations

import dataclasses
import datetime
import unicodedata

from sangkien import provenance
from sangkien.inputs.params import Params, Sections

SECTION_KEYS = tuple(f.name for f in dataclasses.fields(Sections))
"""The analyst-written sections, in the report's order ('context', 'assessment', ...)."""
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Unicode categories that print nothing: controls, format characters (zero-width space and joiners, the
byte order mark, the word joiner, the soft hyphen) and every kind of space."""
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Characters of other categories that are drawn blank: the Hangul fillers and the blank Braille pattern."""


def is_blank(text: str) -> bool:
    """Whether ``text`` prints nothing: empty, or only spaces and invisible characters. A section holding
    only these is empty (a draft, refused by ``--final``), whatever a keyboard or a copy left in it.

    >>> is_blank(" \\u200b\\u00a0\\ufeff\\u00ad\\n"), is_blank("\\u200ba")
    (True, False)
    """
    return all(unicodedata.category(c) in INVISIBLE_CATEGORIES or c.isspace() or c in BLANK_LETTERS for c in text)


@dataclasses.dataclass(frozen=True)
class Edition:
    """What kind of document a build of the parameters makes, and when it says it was made."""

    empty_sections: tuple[str, ...]
    """The analyst-written sections still empty (keys of ``sections``): while one is, the report is a draft."""
    missing: tuple[str, ...]
    """Every parameter the version to sign still lacks, by key: the empty sections (``sections.context``),
    then ``doc_number``, ``issue_date``, ``signer.name``."""
    dated: datetime.date | None
    """The date the report states it was made (:func:`sangkien.provenance.build_date`: SOURCE_DATE_EPOCH,
    else the issue date); None when neither is given."""
    made_on: datetime.date
    """The date the files say they were made: :attr:`dated`, else the first of January after the report's
    year (never the clock, so the same inputs give the same bytes)."""

    @property
    def draft(self) -> bool:
        """Whether the report is a draft: one of its analyst-written sections is empty."""
        return bool(self.empty_sections)


def edition_of(params: Params) -> Edition:
    """The edition the parameters make (and SOURCE_DATE_EPOCH, read here once for the build's dates).

    >>> from sangkien.inputs.params import Params
    >>> edition = edition_of(Params(year=2023, data="x.csv"))
    >>> edition.draft, edition.missing[-3:]
    (True, ('doc_number', 'issue_date', 'signer.name'))
    """
    empty = tuple(key for key in SECTION_KEYS if is_blank(getattr(params.sections, key)))
    missing = [f"sections.{key}" for key in empty]
    if not params.doc_number.strip():
        missing.append("doc_number")
    if params.issue_date is None:
        missing.append("issue_date")
    if not params.signer.name.strip():
        missing.append("signer.name")
    dated = provenance.build_date(params.issue_date)
    return Edition(empty, tuple(missing), dated, dated or datetime.date(params.year + 1, 1, 1))
