"""Draft or final: ``build YEAR --final`` refuses a report that still lacks a part, naming each, before
any kernel starts and writing nothing; a report with an empty section is a draft."""
from __future__ import annotations

from sangkien.inputs.params import load_params
from sangkien.pipeline import final
from sangkien.report.edition import edition_of

COMPLETE = """sections:
  context: Bối cảnh.
  assessment: Đánh giá.
  direction: "- Nhiệm vụ."
  recommendations: Kiến nghị.
signer:
  name: Trần Văn Ký
"""


def test_a_complete_report_is_final(tmp_path, write_year):
    params = load_params(2023, write_year(tmp_path, extra=COMPLETE))
    assert final.missing_for_final(params) == [] and not edition_of(params).draft
    final.require_final(params)  # nothing raised


def test_every_missing_part_is_named(tmp_path, write_year):
    path = write_year(tmp_path, extra="sections:\n  context: Bối cảnh.\nsigner:\n  name: ''\n")
    path.write_text(path.read_text(encoding="utf-8").replace("doc_number: '7'\n", "").replace(
        "issue_date: 2024-01-05\n", ""), encoding="utf-8")
    params = load_params(2023, path)
    edition = edition_of(params)
    assert edition.draft and edition.empty_sections == ("assessment", "direction", "recommendations")
    lines = final.missing_for_final(params)
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in lines] == [
        "sections.assessment", "sections.direction", "sections.recommendations", "doc_number", "issue_date",
        "signer.name"]
    assert all(line.startswith(str(path)) and "còn trống" in line for line in lines)
    assert "phần III. Đánh giá chung" in lines[0]


def test_build_final_refuses_a_draft_writing_nothing(tmp_path, write_year, run_main):
    params = write_year(tmp_path, extra="sections:\n  context: Bối cảnh.\n")
    out = tmp_path / "out"
    status, stdout, err = run_main("build", 2023, "--params", params, "--out", out, "--final")
    assert status == 2 and stdout == ""
    for key in ("sections.assessment", "sections.direction", "sections.recommendations"):
        assert key in err
    assert "--final" in err.splitlines()[-1] and "Traceback" not in err
    assert not out.exists()


def test_final_goes_with_one_year_only(tmp_path, run_main):
    status, _, err = run_main("build", "--all", "--final", "--out", tmp_path / "out")
    assert status == 2 and "--final" in err
    assert not (tmp_path / "out").exists()


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u00a0 \u00a0", "\u3000\u200b\n", "\u2800"]
"""What a section may hold and still print nothing: zero-width space, non-joiner and joiner, byte order mark,
word joiner, soft hyphen, no-break spaces, an ideographic space, a blank Braille pattern."""


def test_a_section_of_invisible_characters_is_empty(tmp_path, write_year, run_main):
    for i, text in enumerate(INVISIBLE):
        escaped = text.encode("unicode_escape").decode("ascii")
        params = write_year(tmp_path, extra=COMPLETE.replace("context: Bối cảnh.", f'context: "{escaped}"'))
        edition = edition_of(load_params(2023, params))
        assert edition.empty_sections == ("context",) and edition.draft, repr(text)
        status, stdout, err = run_main("build", 2023, "--params", params, "--out", tmp_path / f"out-{i}", "--final")
        assert status == 2 and stdout == "" and "sections.context" in err, (repr(text), err)
        assert not (tmp_path / f"out-{i}").exists()


def test_final_refuses_sample_data_and_an_impossible_issue_date(tmp_path, write_year, run_main):
    """The version to sign is never made of sample data, nor dated outside 1/10 of the year .. 31/12 of the
    next (issue 20): each named, nothing written."""
    params = write_year(tmp_path, extra=COMPLETE + "sample_data: true\n")
    params.write_text(params.read_text(encoding="utf-8").replace("issue_date: 2024-01-05", "issue_date: 2023-03-01"),
                      encoding="utf-8")
    out = tmp_path / "out"
    status, stdout, err = run_main("build", 2023, "--params", params, "--out", out, "--final")
    assert status == 2 and stdout == ""
    assert "sample_data: true" in err and "DỮ LIỆU MINH HỌA" in err
    assert "01/03/2023 không thể là ngày của báo cáo năm 2023 (phải từ 01/10/2023 đến 31/12/2024)" in err
    assert not out.exists()


def test_the_issue_dates_a_report_can_bear(tmp_path, write_year):
    import datetime

    for day, wrong in [("2023-10-01", False), ("2024-12-31", False), ("2023-09-30", True), ("2025-01-01", True)]:
        path = write_year(tmp_path, extra=COMPLETE)
        path.write_text(path.read_text(encoding="utf-8").replace("issue_date: 2024-01-05", f"issue_date: {day}"),
                        encoding="utf-8")
        params = load_params(2023, path)
        assert params.issue_date == datetime.date.fromisoformat(day)
        assert bool(final.wrong_for_final(params)) is wrong, day
