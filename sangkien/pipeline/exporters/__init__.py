"""The outputs of a year's report, one exporter per format (:class:`Exporter`), found in :data:`REGISTRY`:
a format is added in one place, and everything that lists formats or files reads it from there.

Every exporter declares its key (a ``--to`` choice, and the output's key in manifest.json), its file for
a year, whether unit sheets are made in it, whether it may be made beside the PDF (in the child process
of :func:`sangkien.pipeline.render.render_report`), and how its bytes are made from a :class:`Source`
(the report's page, parameters, register and :class:`~sangkien.report.edition.Edition`).

>>> FORMATS, OUTPUTS, SHEET_FORMATS
(('html', 'pdf', 'docx'), ('notebook', 'annex', 'annex_csv', 'html', 'pdf', 'docx'), ('html', 'pdf'))
>>> file_names(2023, ("pdf",))
['bao-cao-2023.ipynb', 'danh-sach-cong-nhan-2023.xlsx', 'danh-sach-cong-nhan-2023.csv', 'bao-cao-2023.pdf']
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sangkien.pipeline.exporters import annex, annex_csv, docx, html, notebook, pdf
from sangkien.pipeline.exporters.base import Exporter, Source

__all__ = ["Exporter", "Source", "REGISTRY", "FORMATS", "OUTPUTS", "SHEET_FORMATS", "by_key", "of_build",
           "file_names", "sheet_exporters", "write_sheet"]

REGISTRY: tuple[Exporter, ...] = (notebook.EXPORTER, annex.EXPORTER, annex_csv.EXPORTER, html.EXPORTER,
                                  pdf.EXPORTER, docx.EXPORTER)
"""Every exporter, in the order manifest.json lists the outputs."""

FORMATS = tuple(e.key for e in REGISTRY if e.chosen)
"""The formats ``--to`` chooses from (all of them by default)."""
OUTPUTS = tuple(e.key for e in REGISTRY)
"""The kinds of output of a year's report, in the manifest's order."""
SHEET_FORMATS = tuple(e.key for e in REGISTRY if e.for_sheets)
"""The formats a unit's sheet is made in: a notice read and sent as it is (no Word draft, no annex)."""


def by_key(key: str) -> Exporter:
    """The exporter of the format ``key``."""
    return next(e for e in REGISTRY if e.key == key)


def _chosen(formats: Iterable[str]) -> list[str]:
    """The chosen formats among ``formats``, in the order given, each once."""
    known = set(FORMATS)
    return [key for key in dict.fromkeys(formats) if key in known]


def of_build(formats: Iterable[str]) -> tuple[Exporter, ...]:
    """The exporters a build in ``formats`` runs: every one that is not chosen, and the chosen ones
    ``formats`` names; in the registry's order."""
    chosen = set(_chosen(formats))
    return tuple(e for e in REGISTRY if not e.chosen or e.key in chosen)


def file_names(year: int, formats: Iterable[str], unit_stems: Iterable[str] | None = None) -> list[str]:
    """The files a build of ``year`` in ``formats`` writes in the year's folder (known before it starts),
    paths relative to it; with ``unit_stems``, the unit sheets' too (their index, then each unit's
    files). The manifest is not among them.

    >>> file_names(2023, ("html", "docx"), ["so-y-te"])[-3:]
    ['bao-cao-2023.docx', 'don-vi/index.html', 'don-vi/so-y-te.html']
    """
    formats = _chosen(formats)
    names = [e.file_name(year) for e in REGISTRY if not e.chosen] + [by_key(k).file_name(year) for k in formats]
    if unit_stems is not None:
        from sangkien.pipeline.indexes import UNIT_SHEETS

        names.append(f"{UNIT_SHEETS}/index.html")
        names += [f"{UNIT_SHEETS}/{e.sheet_name(stem)}" for stem in unit_stems for e in sheet_exporters(formats)]
    return names


def sheet_exporters(formats: Iterable[str]) -> tuple[Exporter, ...]:
    """The exporters of a unit's sheet in a build of ``formats``, in the order given.

    >>> [e.key for e in sheet_exporters(("docx", "pdf", "html"))]
    ['pdf', 'html']
    """
    return tuple(by_key(k) for k in _chosen(formats) if by_key(k).for_sheets)


def write_sheet(page: str, folder: Path, stem: str, formats: Iterable[str], authors: tuple[str, ...] = (),
                subject: str = "") -> dict[str, str]:
    """A unit's sheet (its page) written into ``folder`` in each of its formats among ``formats``, a
    document's metadata naming ``authors`` (the issuing body) and ``subject``: ``{format: file name}``."""
    return {e.key: e.write_sheet(page, folder, stem, authors, subject) for e in sheet_exporters(formats)}
