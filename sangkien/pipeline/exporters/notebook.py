"""The executed notebook (``notebook``): written by the execution itself
(:func:`sangkien.pipeline.processes.execute.run_report`), listed with the outputs of every build."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter


def file_name(year: int) -> str:
    """The executed notebook's file: ``bao-cao-YEAR.ipynb``."""
    return f"{paths.report_basename(year)}.ipynb"


EXPORTER = Exporter("notebook", file_name, make=None)
