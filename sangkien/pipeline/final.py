"""Draft or final: what a report still lacks before it can be signed.

A report whose analyst-written section is empty is a draft (every page of its PDF and of its Word
draft then says "DỰ THẢO": :attr:`sangkien.report.yearly.Report.is_draft` decides the same for the page). ``build YEAR --final`` (contract section 1) builds the version to sign, and refuses while
a section, the document number, the issue date or the signer's name is empty, naming each.
"""
from __future__ import annotations

import dataclasses

from sangkien import files
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params, Sections, meaning


def empty_sections(params: Params) -> list[str]:
    """The keys of the analyst-written sections that are still empty ('context', 'assessment', ...)."""
    return [f.name for f in dataclasses.fields(Sections) if not getattr(params.sections, f.name).strip()]


def is_draft(params: Params) -> bool:
    """Whether the report is a draft: one of its analyst-written sections is empty."""
    return bool(empty_sections(params))


def missing_for_final(params: Params) -> list[str]:
    """What the version to sign still lacks, one line each in the analyst's words (empty: nothing)."""
    where = files.shown(params.params_file)
    lines = [f"{where}: sections.{key} ({meaning('sections.' + key)}) còn trống" for key in empty_sections(params)]
    if not params.doc_number.strip():
        lines.append(f"{where}: doc_number ({meaning('doc_number')}) còn trống: văn thư cấp số trước khi ký")
    if params.issue_date is None:
        lines.append(f"{where}: issue_date ({meaning('issue_date')}) còn trống")
    if not params.signer.name.strip():
        lines.append(f"{where}: signer.name ({meaning('signer.name')}) còn trống")
    return lines


def require_final(params: Params) -> None:
    """ParamsError (exit 2) naming everything the version to sign lacks; nothing when it lacks nothing."""
    lines = missing_for_final(params)
    if lines:
        raise ParamsError(lines + ["--final: chưa dựng bản để ký; điền các mục trên rồi dựng lại "
                                   "(bỏ --final để dựng bản dự thảo)"])
