"""Every path the project uses, in one place."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
"""The repository root: relative paths in parameters files are taken from here."""

PARAMS_DIR = ROOT / "params"
DEFAULTS_FILE = PARAMS_DIR / "defaults.yaml"
DATA_DIR = ROOT / "data"
SAMPLE_REGISTER = DATA_DIR / "sample" / "so-dang-ky-sang-kien.xlsx"
REGISTER_TEMPLATE = DATA_DIR / "template" / "so-dang-ky-mau.xlsx"
"""The empty register analysts start from (``python -m sangkien.template``)."""
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "bao-cao-nam.ipynb"
UNIT_NOTEBOOK = NOTEBOOKS_DIR / "bao-cao-don-vi.ipynb"
KERNEL_NAME = "sangkien"
"""The kernelspec the notebooks name (installed into the venv by the Makefile): Lab and the papermill
command run the same kernel. The build itself starts this interpreter's kernel whatever the name."""

FONTS_DIR = PACKAGE / "fonts"
TEMPLATES_DIR = PACKAGE / "templates"
HOUSE_TEMPLATE = "sangkien"
STYLESHEET = TEMPLATES_DIR / HOUSE_TEMPLATE / "report.css"
PRINT_FONTS_CSS = TEMPLATES_DIR / "fonts.css"
WORD_TEMPLATE = TEMPLATES_DIR / "word" / "bao-cao.docx"
"""The Word template the report's Word draft is filled from (``python -m sangkien.tools.wordtemplate``)."""

FONT_FILES = {
    "regular": FONTS_DIR / "Tinos-Regular.ttf",
    "bold": FONTS_DIR / "Tinos-Bold.ttf",
    "italic": FONTS_DIR / "Tinos-Italic.ttf",
    "bolditalic": FONTS_DIR / "Tinos-BoldItalic.ttf",
}


def params_file_for(year: int) -> Path:
    """The parameters file of a report year: ``params/YEAR.yaml``."""
    return PARAMS_DIR / f"{year}.yaml"


def report_basename(year: int) -> str:
    """The file name (without extension) of a year's report."""
    return f"bao-cao-{year}"


def annex_name(year: int) -> str:
    """The file of a year's annex, the workbook of its recognised initiatives the report sends and names."""
    return f"danh-sach-cong-nhan-{year}.xlsx"


def annex_csv_name(year: int) -> str:
    """The same list as CSV, for machines."""
    return f"danh-sach-cong-nhan-{year}.csv"


def latest_year(params_dir: Path | None = None) -> int:
    """The latest report year with a parameters file (``params/YEAR.yaml``): what the notebooks open on
    in JupyterLab. ``ValueError`` when there is none."""
    years = [int(p.stem) for p in Path(params_dir or PARAMS_DIR).glob("*.yaml") if p.stem.isdigit()]
    if not years:
        raise ValueError(f"không có tệp tham số năm nào (NĂM.yaml) trong {params_dir or PARAMS_DIR}")
    return max(years)


CACHE_VARIABLE = "SANGKIEN_CACHE"
"""The environment variable naming the folder where parsed registers are kept between commands (empty: kept
nowhere)."""


def cache_dir() -> Path | None:
    """Where a large register's parsed form is kept between commands (:mod:`sangkien.inputs.kept`):
    ``$SANGKIEN_CACHE``, else ``$XDG_CACHE_HOME/sangkien``, else ``~/.cache/sangkien``; None when
    ``SANGKIEN_CACHE`` is set empty."""
    given = os.environ.get(CACHE_VARIABLE)
    if given is not None:
        return Path(given) if given.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sangkien"
