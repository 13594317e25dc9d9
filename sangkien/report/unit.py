"""One unit's result sheet, piece by piece, for the notebook ``notebooks/bao-cao-don-vi.ipynb``.

Built like the yearly :class:`~sangkien.report.yearly.Report` (it is one: the city's figures and the
document parts are the report's), plus the unit's own figures: what it put forward and what was
recognised this year, its rate beside the city's and its block's, its trend over the period, and the
list of its initiatives. One to two A4 pages. Its sentences and titles are
:mod:`~sangkien.report.wording`'s; its tables and figures are numbered by the document, as the report's.
"""
from __future__ import annotations

import difflib
import os
from functools import cached_property

from sangkien import figures as fig
from sangkien import inputs
from sangkien.errors import ParamsError
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.inputs.renames import today_name
from sangkien.inputs.schema import fold, strip_accents
from sangkien.report import charts, document, tables, wording
from sangkien.report.markup import Html, paragraph
from sangkien.report.yearly import Report

CHART_MAX_ROWS = 4
"""A unit with more initiatives in the year than this gets no chart (its trend table says the same): the list
then needs the room for the sheet to stay within two A4 pages."""


def find_unit(name: str, units: list[str], year: int) -> str:
    """The unit of ``units`` that ``name`` means (compared with :func:`sangkien.inputs.schema.fold`).

    Raises :class:`ParamsError` (one line, in Vietnamese) naming ``name`` and the nearest unit.
    """
    key = fold(name)
    for unit in units:
        if fold(unit) == key:
            return unit
    shown = " ".join(str(name).split()) or "(trống)"
    if not units:
        raise ParamsError(f'Năm {year} sổ đăng ký không có sáng kiến nào, nên không có đơn vị "{shown}"')
    plain = {strip_accents(u): u for u in units}
    nearest = difflib.get_close_matches(strip_accents(name), list(plain), n=1, cutoff=0.0)
    hint = f'; có phải ý bạn là "{plain[nearest[0]]}"?' if nearest else ""
    raise ParamsError(f'Đơn vị "{shown}" không có sáng kiến nào trong sổ đăng ký năm {year}{hint}')


_KEPT: dict = {}
"""The snapshot :func:`kept_inputs` read last: ``{(path, mtime_ns, size, year): (params, register)}``."""


def kept_inputs(year: int, register_file: str) -> tuple[Params, Register]:
    """The parameters and register a build kept in ``register_file``, read once while the file is unchanged
    (same path, modification time and size): a warm kernel builds many units' sheets from one snapshot
    (:mod:`sangkien.pipeline.processes.warm`), and a build never changes its snapshot. The register (and the frame it
    caches) is then shared by those sheets, which only read it."""
    stat = os.stat(register_file)
    key = (os.path.realpath(register_file), stat.st_mtime_ns, stat.st_size, year)
    if key not in _KEPT:
        _KEPT.clear()
        _KEPT[key] = inputs.load(year, register_file=register_file)
    return _KEPT[key]


class UnitReport(Report):
    """The result sheet of ``unit`` (a name as the register writes it) for ``params.year``.

    Inherited attributes (``counts``, ``by_block``, ``rows``...) are the city's; ``unit_*`` are the unit's.
    """

    def __init__(self, params: Params, register: Register, unit: str):
        super().__init__(params, register)
        unit = today_name(unit, params.reorganisation)  # an earlier name finds the unit it is now
        self.unit = find_unit(unit, self._units_of_year(), self.year)

    def _units_of_year(self) -> list[str]:
        """:func:`sangkien.figures.units_of_year`, once per register and year (kept in the register's cache:
        the sheets of a warm kernel share their register, and sorting a province's units takes a while)."""
        key = ("units_of_year", self.year)
        if key not in self.register.cache:
            self.register.cache[key] = fig.units_of_year(self.frame, self.year)
        return self.register.cache[key]

    @classmethod
    def load(cls, year: int, unit: str, params_file: str = "", data_file: str = "",  # type: ignore[override]
             register_file: str = "") -> UnitReport:
        """The notebook's parameters, as :meth:`Report.load`; a build's snapshot (``register_file``) is read
        once for all the units a kernel builds (:func:`kept_inputs`)."""
        if register_file:
            return cls(*kept_inputs(year, register_file), unit)
        return cls(*inputs.load(year, params_file, data_file), unit)

    # ------------------------------------------------------------------ figures
    @cached_property
    def unit_rows(self):
        """The unit's rows of the year."""
        return fig.rows_of_year(fig.unit_rows(self.frame, self.unit), self.year)

    @cached_property
    def unit_figures(self) -> dict:
        p = self.params
        return fig.unit_figures(self.frame, self.year, self.unit, self.blocks, p.period_start)

    @cached_property
    def unit_trend(self):
        return fig.unit_trend(self.frame, self.unit, self.params.period_start, self.year)

    def title(self) -> str:
        """The page's title (for the HTML <title>): plain text, the exporter escapes it."""
        return wording.unit_page_title(self.year, self.unit)

    # ------------------------------------------------------------------ parts
    def header(self) -> Html:
        """The sample notice (when the data is illustrative), the letterhead, and the notice's type and subject.

        The sheet is a notice to the unit (THÔNG BÁO), a document of its own: its number is left blank for
        the office to fill in unless ``notice_numbers`` gives it (:meth:`notice_number`), its symbol is the report's with the notice's type ('TB-SKHCN' for
        'BC-SKHCN'); the place and the date are the report's.
        """
        p = self.params
        notice = document.sample_notice() if p.sample_data else ""
        head = document.header_columns(p, doc_number=self.notice_number(),
                                       doc_symbol=document.notice_symbol(p.doc_symbol))
        title = document.title_block(wording.NOTICE_DOC_TYPE, wording.notice_subject(self.year, self.unit))
        return Html(notice + head + "\n" + title)

    def notice_number(self) -> str:
        """The notice's number (``notice_numbers``): the unit's own, or the first number plus the unit's place
        among the year's units (a whole number: checked with the parameters); empty (a blank for the office)
        when none is given."""
        numbers = self.params.notice_numbers
        if isinstance(numbers, dict):
            folded = {fold(today_name(name, self.params.reorganisation)): n for name, n in numbers.items()}
            return folded.get(fold(self.unit), "")
        if not numbers:
            return ""
        return str(int(numbers) + self._units_of_year().index(self.unit))

    def summary(self) -> Html:
        """The unit's year in sentences: put forward, recognised, its rate beside the city's and its block's,
        its share of the city, and its benefit."""
        f = self.unit_figures
        unit = f["year"]
        benefit = ""
        if unit["recognized"]:
            benefit = wording.benefit_sentence(unit["recognized"], f["benefit_reported"], f["benefit_vnd"], of_unit=True)
        level = self.params.recognition_level
        return Html(paragraph(wording.unit_overview(self.year, self.unit, unit, level),
                              wording.unit_rate_sentence(unit, f["city"], f["block"], f["block_counts"], level),
                              wording.unit_share_sentence(self.year, unit, f["city"], level), benefit))

    def trend_part(self) -> Html:
        """Against last year and the period, in words; the trend as a short table (the city's rate beside);
        and, when the list is short enough for the sheet to stay within two pages, a small chart."""
        f = self.unit_figures
        p = self.params
        earlier, kept = self.predecessors.get(self.unit, ([], False))
        text = paragraph(wording.unit_predecessors_sentence(earlier, kept) if earlier else "",
                         wording.unit_comparison(self.year, f["year"], f["previous"], p.recognition_level),
                         wording.unit_period_sentence(p.period_start, p.period_end, f["period"], p.recognition_level))
        span = wording.year_span(p.period_start, self.year)
        city = fig.yearly_counts(self.frame, p.period_start, self.year)
        out = text + tables.captioned(wording.UNIT_TREND_TABLE.format(span=span),
                                      tables.unit_trend(self.unit_trend, city, p.recognition_level))
        if len(self.unit_trend) >= 2 and len(self.unit_rows) <= CHART_MAX_ROWS:
            chart = charts.captioned(wording.UNIT_TREND_CHART.format(span=span), charts.unit_trend_bars(self.unit_trend))
            out += f'<div class="unit-chart">{chart}</div>'
        return Html(out)

    def list_part(self) -> Html:
        """The unit's initiatives of the year."""
        rows = fig.unit_list(self.unit_rows)
        return Html(tables.captioned(wording.UNIT_LIST.format(year=self.year), tables.unit_list(rows)))

    def closing(self) -> Html:
        """The recipients (the unit, and the office's archive line) and the signature."""
        p = self.params
        closing = document.closing(p, [self.unit, wording.filing_line(document.recipients(p), p.drafting_unit)])
        return Html(f'<div class="unit-closing">{closing}</div>')
