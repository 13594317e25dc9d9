"""Word: the report's page as a Word draft to edit (:mod:`sangkien.pipeline.exporters.word`: the Decree 30 template
filled, the body written after the letterhead), "DỰ THẢO" on every page while the report is a draft."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source


def file_name(year: int) -> str:
    """The Word draft's file: ``bao-cao-YEAR.docx``."""
    return f"{paths.report_basename(year)}.docx"


def make(source: Source) -> bytes:
    """The Word draft of the page, marked and dated by the report's edition."""
    from sangkien.pipeline.exporters import word

    return word.docx_bytes(source.page, source.edition.draft, source.edition.made_on,
                           year=source.params.year)


def warm() -> None:
    """The Word draft's libraries imported."""
    import docxtpl  # noqa: F401
    import lxml.html  # noqa: F401


EXPORTER = Exporter("docx", file_name, make, chosen=True, beside_pdf=True, warm=warm)
