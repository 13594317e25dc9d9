"""The annex as CSV (``annex_csv``): the same list as the workbook, for machines; UTF-8 with a byte-order
mark, so that Excel reads the Vietnamese right (:func:`sangkien.report.annex.recognized_csv`)."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source


def file_name(year: int) -> str:
    """The CSV's file (:func:`sangkien.report.annex.csv_name`), known without importing what makes it."""
    return f"{paths.annex_basename(year)}.csv"


def make(source: Source) -> bytes:
    """The year's recognised initiatives as CSV text, with a byte-order mark."""
    from sangkien.report import annex

    return annex.recognized_csv(source.rows, source.params.blocks).encode("utf-8-sig")


EXPORTER = Exporter("annex_csv", file_name, make, without_page=True)
