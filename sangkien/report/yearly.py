"""The yearly report, piece by piece, for the report notebook.

The notebook holds the headings; each code cell calls one method of :class:`Report`, which returns
HTML built from the figures of :mod:`sangkien.figures`, the sentences and titles of
:mod:`~sangkien.report.wording`, the tables of :mod:`~sangkien.report.tables`, the charts of
:mod:`~sangkien.report.charts` and the document parts of :mod:`~sangkien.report.document`.

A method returns the same HTML however often it runs: tables and figures are numbered by the document
(CSS counters of ``templates/sangkien/report.css``), in the order the page shows them, not here.
"""
from __future__ import annotations

from functools import cached_property

from sangkien import figures as fig
from sangkien import files, inputs, provenance
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.report import annex, charts, document, tables, wording
from sangkien.report.edition import Edition, edition_of, is_blank
from sangkien.report.markup import PRINTED_FIGURES, TOC_MARK, Html, bullets, esc, markdown, paragraph


class Report:
    def __init__(self, params: Params, register: Register):
        self.params = params
        self.register = register
        self.year = params.year
        self.blocks = list(params.blocks)

    @classmethod
    def load(cls, year: int, params_file: str = "", data_file: str = "", register_file: str = "") -> "Report":
        """The notebook's parameters: the year, the parameters file, the register file, and the snapshot
        of the register the build validated (``register_file``, when a build runs the notebook)."""
        return cls(*inputs.load(year, params_file, data_file, register_file))

    # ------------------------------------------------------------------ figures
    @property
    def frame(self):
        return fig.frame(self.register)

    @cached_property
    def rows(self):
        return fig.rows_of_year(self.frame, self.year)

    @cached_property
    def previous_rows(self):
        return fig.rows_of_year(self.frame, self.year - 1)

    @cached_property
    def counts(self) -> dict:
        return fig.counts(self.rows)

    @cached_property
    def previous_counts(self) -> dict:
        return fig.counts(self.previous_rows)

    @cached_property
    def by_block(self) -> dict:
        return fig.by_block(self.rows, self.blocks)

    @cached_property
    def previous_by_block(self) -> dict:
        return fig.by_block(self.previous_rows, self.blocks)

    @cached_property
    def period(self) -> dict:
        return fig.period_figures(self.frame, self.params.period_start, self.params.period_end, self.blocks)

    @cached_property
    def compared_rows(self):
        """The rows the report compares, from ``period_start`` to the year: the columns that say what a
        reorganisation mapped (:func:`sangkien.figures.mapped_columns`)."""
        return fig.rows_of_period(self.frame[fig.mapped_columns(self.frame)], self.params.period_start, self.year)

    @cached_property
    def renamed(self) -> dict:
        """``khoi`` and ``don_vi``: the earlier names a reorganisation mapped in the compared rows."""
        return {column: fig.renamed(self.compared_rows, column) for column in ("khoi", "don_vi")}

    @cached_property
    def predecessors(self) -> dict:
        """Today's unit -> (the earlier units counted under it, whether it had its own name before too)."""
        return fig.predecessors(self.compared_rows, self.year)

    def figures(self) -> dict:
        """The ``figures`` object of manifest.json (:func:`sangkien.figures.manifest_figures`): the same numbers
        the report prints, taken from what it printed them from (its period ends the year before)."""
        return fig.figures_of(fig.year_figures_of(self.rows, self.counts, self.by_block), self.period,
                              fig.reorganisation_of(self.renamed, self.params.period_start, self.year))

    @cached_property
    def edition(self) -> Edition:
        """Draft or final, and the date the report states it was made (:func:`~sangkien.report.edition.edition_of`)."""
        return edition_of(self.params)

    @property
    def is_draft(self) -> bool:
        """True while an analyst's section is empty: every page then says 'DỰ THẢO'."""
        return self.edition.draft

    @property
    def annex_only(self) -> bool:
        """True when the recognised initiatives are too many to print: the appendix names the annex file."""
        return self.counts["recognized"] > annex.APPENDIX_LIMIT

    # ------------------------------------------------------------------ parts
    def header(self) -> Html:
        """The sample notice (when the data is illustrative), the draft mark (while a section is empty), the
        letterhead, the title, the contents."""
        notice = document.sample_notice() if self.params.sample_data else ""
        draft = document.draft_mark() if self.is_draft else ""
        return Html(notice + draft + document.letterhead(self.params) + TOC_MARK)

    def section(self, key: str) -> Html:
        """An analyst-written section from the parameters (Markdown); while it is empty, what belongs there."""
        text = getattr(self.params.sections, key)
        if is_blank(text):
            return Html(f'<p class="placeholder" data-section="{key}">'
                        f'{esc(wording.section_placeholder(key, self.year))}</p>')
        return Html(f'<div class="analyst" data-section="{key}">{markdown(text).html}</div>')

    def overview(self) -> Html:
        """II.1: put forward and recognised, what the rates are of, the blocks, where the list is."""
        annex_file = annex.file_name(self.year) if self.annex_only else None
        return Html(paragraph(wording.overview(self.year, self.counts, self.params.recognition_level),
                              wording.rate_base(self.counts), wording.blocks_sentence(self.by_block),
                              wording.appendix_reference(self.counts["recognized"], annex_file))
                    + self.reorganisation_note())

    def reorganisation_note(self) -> str:
        """That every comparison is in today's organisation, and the table of what was mapped; empty when
        the compared years hold no earlier name."""
        blocks, units = self.renamed["khoi"], self.renamed["don_vi"]
        if blocks.empty and units.empty:
            return ""
        start = self.params.period_start
        text = paragraph(wording.reorganisation_sentence(start, self.year, len(blocks), len(units)))
        return text + tables.captioned(wording.REORGANISATION_TABLE.format(span=wording.year_span(start, self.year)),
                                       tables.renamed(blocks, units))

    @property
    def has_trend(self) -> bool:
        """True when there is a comparison period: the trend chart (II.7) then shows the blocks year by year,
        this year included."""
        return self.params.period_end >= self.params.period_start

    def blocks_part(self) -> Html:
        """II.2: the blocks' table; and their chart only in a report without a trend chart (which shows this
        year's blocks already): the same numbers twice would only cost page 1 the room the chart leaves
        empty when it does not fit under the table."""
        table = tables.captioned(wording.BLOCKS_TABLE.format(year=self.year),
                                 tables.by_block(self.by_block, self.previous_by_block, self.year))
        if not self.counts["submitted"] or self.has_trend:
            return Html(table)
        chart = charts.captioned(wording.BLOCKS_CHART.format(year=self.year), charts.block_bars(self.by_block))
        return Html(table + chart)

    def units_part(self) -> Html:
        """II.3: the units, and their table; a year of more than :data:`~sangkien.report.annex.UNITS_SHOWN` units
        prints those with most recognised initiatives, the annex workbook carries them all."""
        table = fig.by_unit(self.rows, self.blocks)
        if table.empty:
            return Html(paragraph(wording.no_units_sentence(self.year)))
        shown = fig.units_shown(table, annex.UNITS_SHOWN)
        elsewhere = (wording.units_elsewhere(len(shown), len(table), annex.file_name(self.year), annex.UNITS_SHEET)
                     if len(shown) < len(table) else "")
        text = paragraph(wording.units_sentence(self.year, len(table)), wording.top_units_sentence(fig.top_units(table)),
                         elsewhere)
        labels = {unit: wording.unit_with_predecessors(unit, earlier, kept)
                  for unit, (earlier, kept) in self.predecessors.items()}
        return Html(text + tables.captioned(wording.UNITS_TABLE.format(year=self.year),
                                            tables.by_unit(shown, labels, table)))

    def fields_part(self) -> Html:
        table = fig.by_field(self.rows)
        if table.empty:
            return Html("")
        title = wording.fields_chart_title(self.year, len(table), charts.FIELDS_SHOWN)
        return Html(paragraph(wording.top_field_sentence(len(table), fig.top_field(table)))
                    + charts.captioned(title, charts.field_bars(table)))

    def authors_part(self) -> Html:
        recognized = fig.recognized_rows(self.rows)
        return Html(paragraph(wording.authors_sentence(self.year, fig.authors(recognized))))

    def benefit_part(self) -> Html:
        return Html(paragraph(wording.benefit_sentence(self.counts["recognized"], fig.benefit_reported(self.rows),
                                                       fig.benefit_vnd(self.rows))))

    def comparison_part(self) -> Html:
        p = self.params
        out = paragraph(wording.comparison(self.year, self.counts, self.previous_counts))
        out += paragraph(wording.period_sentence(p.period_start, p.period_end, self.period, self.period["by_block"]),
                         wording.year_against_period(self.year, self.counts["recognized"], p.period_start,
                                                     p.period_end, self.period["recognized"]))
        if self.has_trend:
            trend = fig.trend_by_block(self.frame, p.period_start, self.year, self.blocks)
            out += charts.captioned(wording.TREND_CHART.format(start=p.period_start, year=self.year),
                                    charts.trend_lines(trend, self.blocks))
            period_trend = trend[trend["nam"] <= p.period_end]
            out += tables.captioned(wording.PERIOD_TABLE.format(start=p.period_start, end=p.period_end),
                                    tables.period(period_trend, self.blocks, p.period_start, p.period_end))
        return Html(out)

    def assessment(self) -> Html:
        """Computed facts beside the analyst's assessment."""
        facts = bullets(wording.block_rate_facts(self.year, self.by_block, self.previous_by_block), "facts")
        computed = paragraph(wording.FACTS_INTRO) + facts if facts else ""
        return Html(computed + self.section("assessment").html)

    def closing(self) -> Html:
        return Html(document.closing(self.params))

    def appendix(self) -> Html:
        p = self.params
        recognized = fig.recognized_rows(self.rows)
        if recognized.empty:
            body = paragraph(wording.NOTHING_RECOGNIZED)
        elif self.annex_only:
            body = paragraph(wording.appendix_elsewhere(len(recognized), annex.file_name(self.year),
                                                        annex.APPENDIX_LIMIT))
        else:
            body = tables.recognized_list(recognized, self.blocks)
        return Html(document.appendix(wording.appendix_title(p.recognition_level, self.year),
                                      document.appendix_subtitle(p), body))

    def colophon(self) -> Html:
        """How the report was made: at the foot of the HTML page, never in the PDF (the manifest has it)."""
        p = self.params
        lines = wording.colophon_lines(files.shown(p.data, outside="name"), len(self.frame), self.register.sha256,
                                       [files.shown(f, outside="name") for f in p.files], p.sha256(), provenance.git_commit(),
                                       self.edition.dated)
        return Html(document.colophon(lines), metadata={PRINTED_FIGURES: self.figures()})
