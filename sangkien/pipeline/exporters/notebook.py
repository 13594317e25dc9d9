"""The executed notebook (``notebook``): written by the execution itself
(:func:`sangkien.pipeline.execute.run_report`), listed with the outputs of every build."""
from __future__ import annotations

from sangkien import paths
from sangkien.pipeline.exporters.base import Exporter

EXPORTER = Exporter("notebook", lambda year: f"{paths.report_basename(year)}.ipynb", make=None)
