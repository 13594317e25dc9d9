"""``sangkien new-year YEAR``: ``params/YEAR.yaml`` started from the previous year's file.

What stays true from one year to the next (the register file, signer or recipients overridden for the
year, ...) is copied; the document number and the issue date are blanked, ``sample_data`` is false (a new
year is a real one), a ``signer`` slot is written when the old file had none; other dates move on one year; years in a custom subject
line move on one year; the analyst-written sections are emptied, each under a ``# Gợi ý: …`` comment
taken from the schema (:mod:`sangkien.params`). Empty sections load and build: the report shows its
own "not written yet" note in their place, never the prompt.

The file is written as text (PyYAML drops comments) and checked by :func:`load_params` before it is
published; it never replaces an existing file.
"""
from __future__ import annotations

import dataclasses
import datetime
import os
import re
import tempfile
import textwrap
from pathlib import Path

import yaml

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params, Sections, check_keys, load_params, load_yaml

# Keys written first, in this order, each with its own comment; the rest follow in the old file's order.
_FIRST = ("year", "data", "sample_data", "doc_number", "issue_date", "subject")
_NOT_CARRIED = ("notice_numbers",)
"""Keys of one year only: the office numbers the notices of each year anew."""


def next_year_date(day: datetime.date) -> datetime.date:
    """The same day a year later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _shift_dates(value):
    if isinstance(value, datetime.datetime):
        day = next_year_date(value.date())
        return value.replace(year=day.year, month=day.month, day=day.day)
    if isinstance(value, datetime.date):
        return next_year_date(value)
    if isinstance(value, list):
        return [_shift_dates(v) for v in value]
    if isinstance(value, dict):
        return {k: _shift_dates(v) for k, v in value.items()}
    return value


def shift_years(text: str, old_year: int) -> str:
    """Move the old report year and the year after it on by one ('năm 2023 ... năm 2024' becomes
    'năm 2024 ... năm 2025'); other years are left alone.

    >>> shift_years("Kết quả năm 2023 và phương hướng năm 2024 (giai đoạn 2016-2023)", 2023)
    'Kết quả năm 2024 và phương hướng năm 2025 (giai đoạn 2016-2024)'
    """
    return re.sub(r"(?<!\d)(\d{4})(?!\d)",
                  lambda m: str(int(m.group(1)) + 1) if int(m.group(1)) in (old_year, old_year + 1) else m.group(1),
                  text)


def _dump(key: str, value, indent: str = "") -> str:
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "".join(f"{indent}{line}\n" for line in text.splitlines())


def _comment(text: str, indent: str = "") -> str:
    """``text`` as YAML comment lines of at most about 110 characters."""
    lines = textwrap.wrap(text, width=110 - len(indent), break_long_words=False, break_on_hyphens=False)
    return "".join(f"{indent}# {line}\n" for line in lines)


def _sections_block() -> str:
    lines = [
        "\n",
        _comment("Các phần do chuyên viên viết, bằng Markdown. Viết ở các dòng ngay dưới 'tên_phần: |', thụt vào "
                 "4 dấu cách; các đoạn văn cách nhau một dòng trống; gạch đầu dòng bắt đầu bằng '- '. Phần còn "
                 "trống hiện trong báo cáo một dòng nhắc \"chưa được viết\": viết đủ trước khi gửi."),
        "sections:\n",
    ]
    for f in dataclasses.fields(Sections):
        lines.append(_comment(f"Gợi ý: {f.metadata['meaning']} — {f.metadata['hint']}", "  "))
        lines.append(f"  {f.name}: |\n\n")
    return "".join(lines)


def render(year: int, previous: dict, previous_name: str) -> str:
    """The text of ``YEAR.yaml`` from the previous year's mapping (as read, already key-checked)."""
    old_year = year - 1
    out = [
        _comment(f"Báo cáo năm {year}. Tạo bằng `python -m sangkien new-year {year}` từ {previous_name}."),
        _comment("Kiểm tra từng dòng, viết các phần còn trống (sections), rồi dựng: "
                 f"python -m sangkien build {year}"),
        _comment("Danh sách mọi khóa, kiểu và ý nghĩa: python -m sangkien params"),
        _dump("year", year),
    ]
    if "data" in previous:
        out.append(_comment("Sổ đăng ký (.xlsx hoặc .csv), tính từ thư mục gốc của dự án; năm nay dùng tệp khác thì "
                            "sửa dòng dưới."))
        out.append(_dump("data", previous["data"]))
    out.append(_comment("Sổ đăng ký thật của năm: false. Chỉ đặt true khi sổ là số liệu minh họa (mọi trang khi đó in "
                        "\"DỮ LIỆU MINH HỌA\", và --final không dựng)."))
    out.append(_dump("sample_data", False))
    out.append(_comment('Số văn bản: điền khi văn thư cấp số, ví dụ doc_number: "12"; để trống thì báo cáo '
                        "để chỗ trống."))
    out.append('doc_number: ""\n')
    out.append(_comment(f"Ngày ban hành: điền khi ký, từ 01/10/{year} đến 31/12/{year + 1}, ví dụ {year + 1}-01-05; "
                        "để trống thì báo cáo để chỗ trống (--final cần ngày này)."))
    out.append("issue_date:\n")
    if "signer" not in previous:
        out.append(_comment("Người ký: họ và tên như in dưới chữ ký (chức vụ, thẩm quyền ký lấy từ tham số chung); "
                            "--final và sign cần tên này."))
        out.append('signer:\n  name: ""\n')
    subject = previous.get("subject")
    if isinstance(subject, str) and subject.strip():
        out.append(_comment("Trích yếu: các năm đã được chuyển sang năm mới; kiểm tra lại. Xóa dòng này để dùng "
                            "trích yếu chuẩn."))
        out.append(_dump("subject", shift_years(subject, old_year)))
    for key, value in previous.items():
        if key in _FIRST or key in _NOT_CARRIED or key == "sections":
            continue
        if key == "signer":
            out.append(_comment("Người ký: họ và tên như in dưới chữ ký; --final và sign cần tên này."))
        if key == "reorganisation":
            out.append(_comment("Tên khối, đơn vị trước đây → tên hiện nay: giữ nguyên để các năm trước tiếp tục được "
                                "so sánh theo tên hiện nay; thêm dòng khi có đợt sắp xếp mới."))
        out.append(_dump(key, _shift_dates(value)))
    out.append(_sections_block())
    return "".join(out)


def new_year(year: int, params_dir: str | Path | None = None) -> Path:
    """Write ``params_dir/YEAR.yaml`` from ``params_dir/(YEAR-1).yaml``; return its path.

    ParamsError (exit 2) when the file exists already, when there is no previous year's file, or when
    that file is not valid.
    """
    params_dir = Path(params_dir) if params_dir is not None else paths.PARAMS_DIR
    target = params_dir / f"{year}.yaml"
    source = params_dir / f"{year - 1}.yaml"
    if target.exists():
        raise ParamsError(f"{target}: tệp đã có, không ghi đè; sửa thẳng tệp này (hoặc xóa nó trước nếu muốn tạo lại)")
    if not source.is_file():
        raise ParamsError(f"{source}: không có tệp tham số năm {year - 1} để làm gốc cho năm {year}; "
                          f"hãy tạo {target} (chỉ cần 'year: {year}' và 'data: ...')")
    previous = load_yaml(source)
    check_keys(source, previous, Params)
    load_params(year - 1, source, require_data=False)  # the old file must be valid before we copy from it
    text = render(year, previous, source.name)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{year}.yaml.", suffix=".tmp", dir=params_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a parameters file is an ordinary file
        load_params(year, tmp, require_data=False)  # what we hand over must load
        try:
            os.link(tmp, target)  # publish in one step, never over an existing file
        except FileExistsError:
            raise ParamsError(f"{target}: tệp đã có, không ghi đè") from None
        except OSError:  # a file system without hard links
            if target.exists():
                raise ParamsError(f"{target}: tệp đã có, không ghi đè") from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
