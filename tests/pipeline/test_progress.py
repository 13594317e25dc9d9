"""A build said as it happens on a terminal, and nothing extra elsewhere (issue 20)."""
from __future__ import annotations

import io

import pytest

from sangkien.pipeline import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal():
    stream = Terminal()
    assert progress.turn_on(stream)
    yield stream
    progress.turn_off()


def test_nothing_is_said_off_a_terminal(tmp_path):
    stream = io.StringIO()
    assert not progress.turn_on(stream)
    progress.say("bước")
    with progress.watching(tmp_path, units=3):
        (tmp_path / "bao-cao.pdf").write_bytes(b"%PDF")
    assert stream.getvalue() == "" and progress.cells_bar() is False


def test_steps_outputs_and_notices_on_a_terminal(tmp_path, terminal):
    progress.say("đã đọc sổ đăng ký")
    (tmp_path / "don-vi").mkdir()
    with progress.watching(tmp_path, units=2, every=0.01):
        (tmp_path / "bao-cao-2026.pdf").write_bytes(b"%PDF")
        (tmp_path / "bao-cao-2026.docx").write_bytes(b"PK")
        for name in ("a.html", "a.pdf", "b.html", "index.html"):
            (tmp_path / "don-vi" / name).write_text("x", encoding="utf-8")
    said = terminal.getvalue()
    assert "… đã đọc sổ đăng ký" in said
    assert "PDF: bao-cao-2026.pdf" in said and "Word: bao-cao-2026.docx" in said
    assert "thông báo đơn vị" in said and "2/2" in said
    assert progress.cells_bar()["file"] is terminal


@pytest.mark.slow
def test_a_build_on_a_terminal_says_its_steps(tmp_path, write_year, terminal):
    from sangkien.pipeline.build import build_year

    build_year(2023, params_file=write_year(tmp_path), out_dir=tmp_path / "out", formats=("html", "pdf"))
    said = terminal.getvalue()
    assert "đã đọc sổ đăng ký so-dang-ky.csv" in said and "khởi động nhân Python" in said
    assert "chạy sổ tay" in said and "PDF: bao-cao-2023.pdf" in said
