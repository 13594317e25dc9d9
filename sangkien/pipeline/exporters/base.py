"""What an exporter is (:class:`Exporter`) and what every exporter of a year's report works from
(:class:`Source`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by the command line before any input is: nothing loaded for it
    from sangkien.inputs.params import Params
    from sangkien.inputs.register import Register
    from sangkien.report.edition import Edition


@dataclass
class Source:
    """A year's report as the exporters take it: the page (the executed notebook as HTML, which the PDF
    and the Word draft are made from too), the parameters and register it was built from, and its edition
    (draft or final, and the date it was made: computed once for every exporter)."""

    page: str
    params: Params
    register: Register
    edition: Edition

    @cached_property
    def rows(self):
        """The register's rows of the year (the annexes'; one frame for the workbook and the CSV)."""
        from sangkien import figures

        return figures.year_frame(self.register, self.params.year)


@dataclass(frozen=True)
class Exporter:
    """One output of a year's report: its format, its file and how it is made.

    Heavy libraries are imported by ``make`` and ``sheet`` when called: reading the registry costs nothing."""

    key: str
    """The format: a ``--to`` choice (when :attr:`chosen`) and the output's key in manifest.json."""
    file_name: Callable[[int], str]
    """The year's file, in the year's folder."""
    make: Callable[[Source], bytes] | None
    """The file's bytes; None for a file the notebook's execution writes itself."""
    chosen: bool = False
    """Made only when ``--to`` names it (its seconds recorded in the manifest); otherwise by every build."""
    beside_pdf: bool = False
    """May be made in the child process that works while this one lays the PDF out (it needs no more
    than its :class:`Source`, and writes no file)."""
    without_page: bool = False
    """Made from the parameters, the register and the edition alone (not the page): by the thread that works
    while the kernel runs (:func:`sangkien.pipeline.render.ahead`), off the build's critical path (a national
    register's annexes of 60,000 initiatives take seconds)."""
    suffix: str = ""
    """A unit sheet's file suffix ('html' for ``STEM.html``); empty when unit sheets are not made in it."""
    sheet: Callable[[str, tuple[str, ...], str], bytes] | None = None
    """A unit sheet's bytes from its page, its authors (the issuing body) and its subject (a document's
    metadata says them); None when unit sheets are not made in it."""
    warm: Callable[[], object] | None = None
    """Loads what ``make`` needs (libraries, fonts) ahead of use, in a thread while the kernel works
    (:func:`sangkien.pipeline.render.ahead`); None: nothing worth loading ahead."""

    @property
    def for_sheets(self) -> bool:
        """Whether unit sheets are made in this format too."""
        return self.sheet is not None

    def sheet_name(self, stem: str) -> str:
        """A unit sheet's file, under the unit's stem (:func:`sangkien.pipeline.names.unique_stems`)."""
        return f"{stem}.{self.suffix}"

    def write(self, source: Source, folder: Path) -> str:
        """The year's file written into ``folder``; its name."""
        name = self.file_name(source.params.year)
        (folder / name).write_bytes(self.make(source))
        return name

    def write_sheet(self, page: str, folder: Path, stem: str, authors: tuple[str, ...] = (), subject: str = "") -> str:
        """A unit sheet's file written into ``folder``; its name."""
        name = self.sheet_name(stem)
        (folder / name).write_bytes(self.sheet(page, authors, subject))
        return name
