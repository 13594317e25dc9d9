"""Office Open XML packages (.xlsx) with the same bytes on every run.

openpyxl stamps the time of saving on the workbook ('created', 'modified') and on every ZIP entry;
:func:`deterministic_zip` writes the package again with fixed ones.
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile

CORE = "docProps/core.xml"
"""The package part that holds the workbook's dates."""
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_core_dates(content: bytes, when: datetime.datetime) -> bytes:
    """``docProps/core.xml`` with the workbook's created and modified dates set to ``when``.

    >>> fixed_core_dates(b'<dcterms:modified xsi:type="x">2026-05-01T10:00:00Z</dcterms:modified>',
    ...                  datetime.datetime(2024, 1, 1))
    b'<dcterms:modified xsi:type="x">2024-01-01T00:00:00Z</dcterms:modified>'
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)


def deterministic_zip(data: bytes, when: datetime.datetime, *, entry_time: tuple[int, ...] | None = None,
                      mode: int = 0o644, compresslevel: int | None = None) -> bytes:
    """The package ``data`` again, entry by entry in its order: the workbook dated ``when``, every entry
    dated ``entry_time`` (default: ``when``) with file mode ``mode``, deflated at ``compresslevel``
    (default: zlib's)."""
    entry_time = entry_time or when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == CORE:
                content = fixed_core_dates(content, when)
            entry = zipfile.ZipInfo(info.filename, date_time=entry_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = mode << 16
            target.writestr(entry, content, compresslevel=compresslevel)
    return out.getvalue()
