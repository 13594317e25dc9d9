"""The report layer: what the notebooks call, and the pieces they are made of.

From the bottom up (a module imports only those on lower lines):

- :mod:`~sangkien.report.vnformat` (numbers, money, dates the Vietnamese way), :mod:`~sangkien.report.markup`
  (escaping, safe Markdown, the HTML pieces);
- :mod:`~sangkien.report.wording`: every sentence, title and caption;
- :mod:`~sangkien.report.tables`, :mod:`~sangkien.report.charts`, :mod:`~sangkien.report.document`
  (letterhead, signature, appendix, colophon), :mod:`~sangkien.report.annex` (the list sent as a file);
- :mod:`~sangkien.report.yearly` (:class:`Report`, for ``notebooks/bao-cao-nam.ipynb``), then
  :mod:`~sangkien.report.unit` (:class:`UnitReport`, for ``notebooks/bao-cao-don-vi.ipynb``).

Importing this package imports none of them: ``from sangkien.report import Report`` loads the report
(and matplotlib) on first use, and ``sangkien.report.markup`` stays light for the index pages.
"""
from __future__ import annotations

__all__ = ["Report", "UnitReport"]


def __getattr__(name: str):
    if name == "Report":
        from sangkien.report.yearly import Report

        return Report
    if name == "UnitReport":
        from sangkien.report.unit import UnitReport

        return UnitReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
