"""Backtest: the sample register reproduces the figures Hai Phong published (domain.md section 2), through
the Python API and through the ``figures`` command. The one place these numbers are asserted; the report's
own tests check that the report prints what ``figures`` gives."""
from __future__ import annotations

import json

import pytest
from conftest import EDU, OTHER

import sangkien

PUBLISHED_PERIOD = {EDU: {"submitted": 599, "recognized": 332}, OTHER: {"submitted": 209, "recognized": 179}}
"""2016–2022, city level (article of April 2023)."""
PUBLISHED_2023_RECOGNIZED = 63
"""2023: recognised by the City People's Committee (reported March 2024)."""


@pytest.fixture(scope="module")
def figures_2023():
    return sangkien.report_figures(2023)


def test_the_period_2016_2022(figures_2023):
    period = figures_2023["period"]
    assert (period["from"], period["to"]) == (2016, 2022)
    assert period["by_block"] == PUBLISHED_PERIOD
    assert (period["submitted"], period["recognized"]) == (599 + 209, 332 + 179)


def test_the_year_2023(figures_2023):
    year = figures_2023["year"]
    assert year["recognized"] == PUBLISHED_2023_RECOGNIZED
    assert sum(b["submitted"] for b in year["by_block"].values()) == year["submitted"]
    assert sum(b["recognized"] for b in year["by_block"].values()) == year["recognized"]
    assert year["recognized"] + year["pending"] <= year["submitted"]
    assert isinstance(year["benefit_vnd"], int) and year["benefit_vnd"] > 0


@pytest.mark.slow
def test_the_figures_command_prints_the_same(run_cli, figures_2023):
    status, out, err = run_cli("figures", 2023)
    assert (status, err) == (0, "")
    assert json.loads(out) == figures_2023
    assert set(figures_2023["year"]) == {"submitted", "recognized", "pending", "benefit_vnd", "by_block"}
    assert EDU in out  # UTF-8 text, not \u escapes
