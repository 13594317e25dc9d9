"""JupyterLab opens the whole year (issue 20): ``make lab`` at the project's root, the notebooks' parameter
cells on the latest year of params/, and ``make report`` saying what it installs."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from sangkien import paths

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _target(name: str) -> str:
    return re.search(rf"^{re.escape(name)}:.*?(?=^\S)", MAKEFILE, re.M | re.S).group(0)


def test_make_lab_serves_the_project_root():
    lab = _target("lab")
    assert "--notebook-dir=. " in lab and "--notebook-dir=notebooks" not in lab
    assert "notebooks/bao-cao-nam.ipynb" in lab  # it opens on the report notebook
    for folder in ("notebooks", "params", "data", "reports"):
        assert (ROOT / folder).is_dir() or folder == "reports"


def test_make_report_says_what_it_installs():
    install = _target("$(STAMP)")
    said = [line for line in install.splitlines() if line.strip().startswith("@echo")]
    assert len(said) >= 4 and any("requirements.txt" in line for line in said)


@pytest.mark.parametrize("name", ["bao-cao-nam.ipynb", "bao-cao-don-vi.ipynb"])
def test_parameter_cells_default_to_the_latest_year(name):
    notebook = nbformat.read(str(ROOT / "notebooks" / name), as_version=4)
    [cell] = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    namespace: dict = {}
    exec(cell.source, namespace)  # noqa: S102 — the committed cell, as the kernel runs it
    assert namespace["year"] == paths.latest_year() == max(int(p.stem) for p in paths.PARAMS_DIR.glob("[0-9]*.yaml"))


def test_latest_year(tmp_path):
    for year in (2024, 2026, 2025):
        (tmp_path / f"{year}.yaml").write_text(f"year: {year}\n", encoding="utf-8")
    (tmp_path / "defaults.yaml").write_text("", encoding="utf-8")
    assert paths.latest_year(tmp_path) == 2026
    with pytest.raises(ValueError):
        paths.latest_year(tmp_path / "none")
