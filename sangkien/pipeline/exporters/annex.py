"""The annex workbook (``annex``): the year's recognised initiatives as a formatted Excel workbook, sent
with every report (:func:`sangkien.report.annex.recognized_workbook`)."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter, Source


def make(source: Source) -> bytes:
    """The workbook of the year's recognised initiatives, under the subtitle naming the report, dated by
    the report's edition."""
    from sangkien.report import annex, document

    params = source.params
    return annex.recognized_workbook(source.rows, params, document.appendix_subtitle(params), source.edition.made_on)


def warm() -> None:
    """Import what the workbook is made with (openpyxl, the annex's module), in the build process: a forked
    copy that makes the annexes (:func:`sangkien.pipeline.render.made_aside`) then finds it imported, and a
    batch's next year does not import it again in its own copy."""
    import openpyxl.styles  # noqa: F401
    import openpyxl.utils  # noqa: F401

    from sangkien.report import annex, document  # noqa: F401


# named from paths, as the report names it: known without importing what makes it (a build names its
# files before it imports pandas)
EXPORTER = Exporter("annex", paths.annex_name, make, without_page=True, warm=warm)
