"""Base file helpers: one deterministic ZIP for every generated workbook or document (the same bytes whenever it is saved)."""
from __future__ import annotations

import datetime
import io
import zipfile

from openpyxl import Workbook

from sangkien.files import CORE, deterministic_zip

WHEN = datetime.datetime(2024, 1, 5, 8, 0, 0)


def saved(title: str = "T", created: datetime.datetime | None = None) -> bytes:
    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.created = created or workbook.properties.created
    workbook.active.append(["Mã số", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_two_workbooks_made_at_other_times_give_the_same_bytes():
    first, second = saved(created=datetime.datetime(2020, 1, 1)), saved(created=datetime.datetime(2021, 6, 1))
    assert first != second
    assert deterministic_zip(first, WHEN) == deterministic_zip(second, WHEN)


def test_entries_dates_and_modes():
    data = deterministic_zip(saved(), WHEN, entry_time=(1980, 1, 1, 0, 0, 0), mode=0o600, compresslevel=9)
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(io.BytesIO(saved())) as original:
        assert archive.namelist() == original.namelist()
        assert {(i.date_time, i.external_attr >> 16, i.compress_type) for i in archive.infolist()} == {
            ((1980, 1, 1, 0, 0, 0), 0o600, zipfile.ZIP_DEFLATED)}
        core = archive.read(CORE)
    assert core.count(b">2024-01-05T08:00:00Z<") == 2  # created and modified
    with zipfile.ZipFile(io.BytesIO(deterministic_zip(saved(), WHEN))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 1, 5, 8, 0, 0)}  # by default, WHEN


def test_only_the_dates_change():
    data = saved("Sổ đăng ký")
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(deterministic_zip(data, WHEN))) as after:
        for name in before.namelist():
            if name != CORE:
                assert after.read(name) == before.read(name), name
        assert "Sổ đăng ký".encode() in after.read(CORE)
