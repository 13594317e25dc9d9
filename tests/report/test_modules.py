"""Inside the report layer, modules stand in an order (a module imports only those below it), and the light
ones stay light: the index pages' markup and the annex file never load matplotlib."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sangkien import paths, report

FOLDER = Path(report.__file__).parent
ORDER = {
    "vnformat": 0, "markup": 0, "annex_rows": 0, "edition": 0,
    "wording": 1,
    "tables": 2, "charts": 2, "document": 2, "annex": 2,
    "yearly": 3,
    "unit": 4,
}
"""From the bottom up: formats, markup, the annex's streamed rows and the edition (draft or final); the words; tables, charts, the document's parts, the annex file;
the yearly report; a unit's sheet (a yearly report of one unit)."""


def _report_imports(path: Path) -> set[str]:
    """The report modules ``path`` imports (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found.update(n.split(".")[2] for n in names if n.startswith("sangkien.report.") and n.count(".") == 2)
    return found


def test_every_module_has_a_place():
    assert {p.stem for p in FOLDER.glob("*.py")} - {"__init__"} == set(ORDER)


def test_modules_import_only_those_below():
    upward = [f"{m} imports {d}" for m in ORDER for d in sorted(_report_imports(FOLDER / f"{m}.py"))
              if ORDER[d] >= ORDER[m] and d != m]
    assert not upward
    assert _report_imports(FOLDER / "unit.py") >= {"yearly", "wording"}  # the check sees imports


def test_the_package_door_is_lazy():
    """``from sangkien.report import Report`` works; the door itself imports no module of the layer."""
    door = FOLDER / "__init__.py"
    top = [n for n in ast.parse(door.read_text(encoding="utf-8")).body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [n.module for n in top if isinstance(n, ast.ImportFrom)] == ["__future__"]
    from sangkien.report import Report, UnitReport
    from sangkien.report.unit import UnitReport as Unit
    from sangkien.report.yearly import Report as Yearly

    assert (Report, UnitReport) == (Yearly, Unit)
    with pytest.raises(AttributeError):
        report.Nothing  # noqa: B018


@pytest.mark.slow
def test_markup_and_annex_do_not_load_matplotlib():
    code = ("import sys, sangkien.report, sangkien.report.markup, sangkien.report.annex, sangkien.report.vnformat; "
            "print(sorted(m for m in ('matplotlib', 'sangkien.report.charts', 'sangkien.report.yearly') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_notebook_says_where_to_change_what():
    """The report notebook's first cell (not printed) has a table of files; every file it names exists."""
    first = nbformat.read(str(paths.REPORT_NOTEBOOK), as_version=4).cells[0]
    assert first.cell_type == "markdown" and "remove-cell" in first.metadata.tags
    named = re.findall(r"^\|[^|\n]+\| `([^`]+)`", first.source, re.M)
    assert {"sangkien/report/wording.py", "sangkien/report/vnformat.py", "sangkien/report/tables.py",
            "sangkien/report/charts.py", "sangkien/report/document.py", "sangkien/templates/sangkien/report.css",
            "params/NĂM.yaml"} <= set(named)
    root = paths.PACKAGE.parent
    missing = [n for n in named if not (root / n.replace("NĂM.yaml", "defaults.yaml")).exists()]
    assert not missing
