"""sangkien: the yearly report of the initiative movement, from a register to an official PDF."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import build, build_all, check, load_inputs, report_figures  # noqa: E402

__all__ = ["build", "build_all", "check", "load_inputs", "report_figures", "build_year", "build_unit"]


def build_year(*args, **kwargs):
    """Build one year's report in this process; see :func:`sangkien.build.build_year`."""
    from .build import build_year as _build_year

    return _build_year(*args, **kwargs)


def build_unit(*args, **kwargs):
    """Build one unit's result sheet in this process; see :func:`sangkien.unitsheets.build_unit`."""
    from .unitsheets import build_unit as _build_unit

    return _build_unit(*args, **kwargs)
