"""The manifest's figures are the figures the report printed, read back from the executed notebook (the
colophon's output metadata): worked out once, by the kernel that printed them."""
from __future__ import annotations

import json

import pytest

from sangkien import figures
from sangkien.pipeline import manifest
from sangkien.report.markup import PRINTED_FIGURES, Html


def test_the_colophon_carries_its_figures_beside_its_page():
    assert Html("<p>x</p>")._repr_html_() == "<p>x</p>"
    assert Html("<p>x</p>", metadata={PRINTED_FIGURES: {"year": {}}})._repr_html_() == (
        "<p>x</p>", {PRINTED_FIGURES: {"year": {}}})


def test_the_figures_are_read_from_the_last_output_that_carries_them(tmp_path):
    notebook = tmp_path / "bao-cao.ipynb"
    output = {"output_type": "display_data", "data": {"text/html": "<p/>"},
              "metadata": {"text/html": {PRINTED_FIGURES: {"year": {"submitted": 7}}}}}
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [output]},
                                              {"cell_type": "markdown", "source": "x"}]}), encoding="utf-8")
    assert manifest.printed_figures(notebook) == {"year": {"submitted": 7}}
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": []}]}), encoding="utf-8")
    assert manifest.printed_figures(notebook) is None


@pytest.mark.slow
def test_a_build_takes_the_figures_the_kernel_printed(sample_year, monkeypatch, tmp_path):
    out, result = sample_year
    assert result.manifest["figures"] == manifest.printed_figures(out / "2023" / "bao-cao-2023.ipynb")
    from sangkien import api

    assert result.manifest["figures"] == api.report_figures(2023)

    def not_again(*args, **kwargs):
        raise AssertionError("the figures were worked out again in the build process")

    monkeypatch.setattr(figures, "manifest_figures", not_again)  # this process only: the kernel is another
    rebuilt = api.build_year(2023, out=tmp_path, formats=["html"])
    assert rebuilt.manifest["figures"] == result.manifest["figures"]
