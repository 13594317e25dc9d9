"""sangkien: the yearly report of the initiative movement, from a register to an official PDF.

The public calls (see the README) are those of :mod:`sangkien.api`; they are imported on first use, so
that ``import sangkien`` stays light (``check`` never imports pandas).
"""
from __future__ import annotations

__version__ = "0.1.0"

API = ("build_year", "build_all", "build_unit", "check", "load_inputs", "report_figures", "units_of_year",
       "new_year", "sign_pdf", "verify", "collect", "status", "apply_edits")
__all__ = list(API)


def __getattr__(name: str):
    if name in API:
        from sangkien import api

        return getattr(api, name)
    raise AttributeError(f"module 'sangkien' has no attribute {name!r}")
