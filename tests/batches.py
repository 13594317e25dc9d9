"""Helpers of the batch tests (``build --all`` with ``--jobs`` or ``--scheduler``): a folder of parameters
files, and the command line in a new interpreter."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sangkien import paths


def build_all_command(params_dir: Path, *args: str) -> list[str]:
    """``python -m sangkien build --all ARGS`` in a new interpreter, with ``params_dir`` as the parameters
    folder (the command line always takes the repository's)."""
    code = (f"import sys; from pathlib import Path; from sangkien import paths; paths.PARAMS_DIR = Path({str(params_dir)!r}); "
            f"from sangkien.cli import main; sys.exit(main({['build', '--all', *args]!r}))")
    return [sys.executable, "-c", code]


def write_years(folder: Path, write_year, small_rows, years, built=None) -> Path:
    """``folder/params/YEAR.yaml`` for each of ``years`` (and the shared defaults, which are not a year),
    all naming one register with rows of the ``built`` years (default: all)."""
    params_dir = folder / "params"
    params_dir.mkdir()
    shutil.copy(paths.DEFAULTS_FILE, params_dir / "defaults.yaml")
    write_year(folder, small_rows(years=tuple(built or years)))
    for year in years:
        write_year(params_dir, year=year, data=folder / "so-dang-ky.csv")
    return params_dir
