"""The annex as CSV (``annex_csv``): the same list as the workbook, for machines; UTF-8 with a byte-order
mark, so that Excel reads the Vietnamese right (:func:`sangkien.report.annex.recognized_csv`)."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source


def make(source: Source) -> bytes:
    """The year's recognised initiatives as CSV text, with a byte-order mark."""
    from sangkien.report import annex

    return annex.recognized_csv(source.rows, source.params.blocks).encode("utf-8-sig")


EXPORTER = Exporter("annex_csv", paths.annex_csv_name, make, without_page=True)  # named without importing pandas
