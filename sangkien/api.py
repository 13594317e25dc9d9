"""The package's Python API: what the command line calls, and what a scheduler can call directly."""
from __future__ import annotations

from pathlib import Path

from .params import Params, default_blocks, load_params
from .register import Register, read_register


def load_inputs(year: int, params_file=None, data_file=None) -> tuple[Params, Register]:
    """Parameters, then the register they name, both validated (ParamsError, then DataError)."""
    params = load_params(year, params_file, data_file)
    return params, read_register(params.data, params.blocks)


def check(file: str | Path, params_file: str | Path | None = None) -> Register:
    """Validate a register against the blocks of a parameters file (or the shared defaults)."""
    if params_file is not None:
        blocks = load_params(None, params_file, require_data=False).blocks
    else:
        blocks = default_blocks()
    return read_register(file, blocks)


def report_figures(year: int, params_file=None, data_file=None) -> dict:
    """The ``figures`` object of manifest.json for YEAR."""
    from . import figures as fig

    params, register = load_inputs(year, params_file, data_file)
    return fig.manifest_figures(register.frame, params.year, params.period_start, params.blocks)


def build(year: int, params_file=None, data_file=None, out_dir=None, formats=("html", "pdf"), force=False,
          units=False, jobs=None):
    """Build one year's report (only when an input changed, unless ``force``); see
    :func:`sangkien.build.build_year`."""
    from .build import build_year

    return build_year(year, params_file=params_file, data_file=data_file, out_dir=out_dir, formats=formats,
                      force=force, units=units, jobs=jobs)


def build_all(out_dir=None, formats=("html", "pdf"), jobs=None, force=False, units=False) -> int:
    """Build every ``params/YEAR.yaml``, ``jobs`` at a time; see :func:`sangkien.batch.build_all`."""
    from .batch import build_all as _build_all

    return _build_all(out_dir=out_dir, formats=formats, jobs=jobs, force=force, units=units)
