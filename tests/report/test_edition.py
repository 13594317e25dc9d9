"""Draft or final, and the date a report says it was made: one pure function of the parameters
(:func:`sangkien.report.edition.edition_of`), which the page, the Word draft, the annex and ``--final`` read."""
from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from sangkien.inputs.params import Params, Sections, Signer
from sangkien.report.edition import SECTION_KEYS, edition_of

WRITTEN = Sections(context="Bối cảnh.", assessment="Đánh giá.", direction="- Nhiệm vụ.", recommendations="Kiến nghị.")
ISSUED = datetime.date(2024, 1, 5)


def _params(**changes) -> Params:
    complete = Params(2023, Path("x.csv"), doc_number="45", issue_date=ISSUED, sections=WRITTEN, files=(Path("2023.yaml"),),
                      signer=Signer(name="Trần Văn Ký"))
    return dataclasses.replace(complete, **changes)


@pytest.fixture(autouse=True)
def no_source_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_a_complete_report_is_final_and_dated_its_issue_date():
    edition = edition_of(_params())
    assert not edition.draft and edition.missing == () and edition.empty_sections == ()
    assert edition.dated == edition.made_on == ISSUED


def test_an_empty_section_makes_a_draft_and_is_named_first():
    edition = edition_of(_params(sections=dataclasses.replace(WRITTEN, assessment="  ", direction=""),
                                 doc_number=" ", signer=Signer(name="")))
    assert edition.draft and edition.empty_sections == ("assessment", "direction")
    assert edition.missing == ("sections.assessment", "sections.direction", "doc_number", "signer.name")


def test_what_only_the_version_to_sign_needs_does_not_make_a_draft():
    edition = edition_of(_params(doc_number="", issue_date=None, signer=Signer(name="")))
    assert not edition.draft and edition.missing == ("doc_number", "issue_date", "signer.name")


def test_without_an_issue_date_the_files_are_dated_the_first_of_the_next_year():
    edition = edition_of(_params(issue_date=None))
    assert edition.dated is None and edition.made_on == datetime.date(2024, 1, 1)


def test_source_date_epoch_dates_every_file(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for params in (_params(), _params(issue_date=None)):
        assert edition_of(params).made_on == edition_of(params).dated == datetime.date(2023, 11, 14)


def test_the_same_parameters_give_the_same_edition():
    assert edition_of(_params()) == edition_of(_params())
    assert SECTION_KEYS == ("context", "assessment", "direction", "recommendations")


def test_the_page_and_the_version_to_sign_take_the_same_edition():
    from sangkien.pipeline import final
    from sangkien.report.yearly import Report

    params = _params(sections=dataclasses.replace(WRITTEN, context=""), issue_date=None)
    report = Report(params, register=None)
    assert report.is_draft and report.edition == edition_of(params)
    keys = [line.split(": ", 1)[1].split(" ", 1)[0] for line in final.missing_for_final(params)]
    assert keys == list(edition_of(params).missing) == ["sections.context", "issue_date"]
