"""Word: the report's page as a Word draft to edit (:mod:`sangkien.pipeline.word`: the Decree 30 template
filled, the body written after the letterhead), "DỰ THẢO" on every page while the report is a draft."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source


def make(source: Source) -> bytes:
    from sangkien.pipeline import word

    return word.docx_bytes(source.page, source.edition.draft, source.edition.made_on)


EXPORTER = Exporter("docx", lambda year: f"{paths.report_basename(year)}.docx", make, chosen=True, beside_pdf=True)
