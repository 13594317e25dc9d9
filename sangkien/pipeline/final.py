"""The version to sign: ``build YEAR --final`` (contract section 1) refuses while a section, the document
number, the issue date or the signer's name is empty, naming each in the analyst's words.

What is empty is decided once, with whether the report is a draft, by
:func:`sangkien.report.edition.edition_of`.
"""
from __future__ import annotations

from sangkien import files
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params, meaning
from sangkien.report.edition import Edition, edition_of

_HINTS = {"doc_number": ": văn thư cấp số trước khi ký"}
"""What an analyst does about a missing parameter, beyond filling it in, by key."""


def missing_for_final(params: Params, edition: Edition | None = None) -> list[str]:
    """What the version to sign still lacks, one line each in the analyst's words (empty: nothing);
    ``edition``: the parameters' edition, when the build has it already."""
    where = files.shown(params.params_file)
    edition = edition or edition_of(params)
    return [f"{where}: {key} ({meaning(key)}) còn trống{_HINTS.get(key, '')}" for key in edition.missing]


def require_final(params: Params, edition: Edition | None = None) -> None:
    """ParamsError (exit 2) naming everything the version to sign lacks; nothing when it lacks nothing."""
    lines = missing_for_final(params, edition)
    if lines:
        raise ParamsError(lines + ["--final: chưa dựng bản để ký; điền các mục trên rồi dựng lại "
                                   "(bỏ --final để dựng bản dự thảo)"])
