"""Notebook hygiene and the analyst's day in JupyterLab: every notebook under notebooks/ is committed
clean (no outputs, one parameters cell, no functions), names the project's kernel, and runs top to
bottom in that kernel; autoreload picks up an edited module; the package passes ruff."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from sangkien import paths
from sangkien.pipeline.processes.execute import INTERACTIVE_TAG

ROOT = Path(__file__).resolve().parents[2]
NBSTRIP = ["--keep-id", "--extra-keys", " ".join(f"metadata.language_info.{k}" for k in (
    "codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer", "version"))]
"""nbstripout's options, as the Makefile's `make strip` passes them."""
NBSTRIPOUT = [sys.executable, "-c", "from sangkien.pipeline.workarounds import jsonschema_iri; jsonschema_iri.keep_out(); "
              "import runpy; runpy.run_module('nbstripout', run_name='__main__', alter_sys=True)"]
"""``python -m nbstripout`` as `make strip` runs it, less the 2 s grammar nbformat's import builds and never uses
(:mod:`sangkien.pipeline.workarounds.jsonschema_iri`): the same stripping, in a new interpreter."""
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _read(path: Path):
    return nbformat.read(str(path), as_version=4)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_there_are_notebooks():
    assert paths.REPORT_NOTEBOOK in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_or_execution_counts(path):
    code = [c for c in _read(path).cells if c.cell_type == "code"]
    dirty = [i for i, c in enumerate(code, 1) if c.outputs or c.execution_count is not None]
    assert not dirty, f"{path.name}: code cells {dirty} committed with outputs or execution counts (run: make strip)"


@pytest.mark.slow
def test_nbstripout_would_change_nothing():
    """The same check as nbstripout's git filter (outputs, counts, volatile metadata), with no per-clone setup:
    one run over every notebook, which names each one it would strip."""
    done = subprocess.run([*NBSTRIPOUT, "--verify", *NBSTRIP, *map(str, NOTEBOOKS)],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"not stripped (run: make strip)\n{done.stdout}{done.stderr}"


def test_make_strip_uses_the_same_options():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f'NBSTRIP := {NBSTRIP[0]} {NBSTRIP[1]} "{NBSTRIP[2]}"' in makefile
    assert "-m nbstripout $(NBSTRIP) notebooks/*.ipynb" in makefile


@pytest.mark.slow
def test_strip_turns_a_run_notebook_back_into_the_committed_one(tmp_path):
    """What Lab adds on a run (outputs, counts, language_info details) is all removed by `make strip`."""
    notebook = _read(paths.REPORT_NOTEBOOK)
    for i, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", text="x")]
    notebook.metadata.language_info.update(version="3.11.7", mimetype="text/x-python", file_extension=".py",
                                           pygments_lexer="ipython3", nbconvert_exporter="python",
                                           codemirror_mode={"name": "ipython", "version": 3})
    dirty = tmp_path / paths.REPORT_NOTEBOOK.name
    nbformat.write(notebook, str(dirty))
    subprocess.run([*NBSTRIPOUT, *NBSTRIP, str(dirty)], check=True)
    assert dirty.read_bytes() == paths.REPORT_NOTEBOOK.read_bytes()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exactly_one_parameters_cell(path):
    cells = _read(path).cells
    tagged = [i for i, c in enumerate(cells, 1) if "parameters" in _tags(c)]
    assert len(tagged) == 1, f"{path.name}: cells tagged 'parameters': {tagged or 'none'}; Papermill needs exactly one"
    assert cells[tagged[0] - 1].cell_type == "code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_functions_or_classes_in_notebooks(path):
    for i, cell in enumerate(_read(path).cells, 1):
        if cell.cell_type != "code":
            continue
        assert not re.search(r"^\s*(async\s+def|def|class)\s", cell.source, re.M), \
            f"{path.name}, cell {i}: functions and classes belong in the package sangkien"
        assert "sys.path" not in cell.source, f"{path.name}, cell {i}: the package is installed; no sys.path edits"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_and_autoreload(path):
    notebook = _read(path)
    assert notebook.metadata.get("kernelspec", {}).get("name") == paths.KERNEL_NAME, \
        (f"{path.name}: metadata.kernelspec.name must be {paths.KERNEL_NAME!r} (display name 'Sáng kiến "
         "(Python 3.11)'): Lab and the papermill command then run the same kernel")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    first = code[0]
    wanted = (f"{path.name}: the first code cell must be '%load_ext autoreload' + '%autoreload 2', tagged "
              f"'remove-cell' and {INTERACTIVE_TAG!r} (run in Lab, never in a build), before the parameters cell "
              "(see bao-cao-nam.ipynb)")
    assert "parameters" not in _tags(first), wanted
    assert "%load_ext autoreload" in first.source and "%autoreload 2" in first.source, wanted
    assert {"remove-cell", INTERACTIVE_TAG} <= set(_tags(first)), wanted


def test_kernelspec_is_installed_for_this_interpreter():
    """Installed into the venv by the Makefile's install step: `papermill` and Lab resolve it by name."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME)
    except NoSuchKernel:
        pytest.fail(f"kernel {paths.KERNEL_NAME!r} not installed: run `make` (or "
                    f"{sys.executable} -m ipykernel install --sys-prefix --name {paths.KERNEL_NAME})")
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
    assert spec.language == "python"


def _execute(notebook, cwd: Path, timeout: int = 300):
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(cwd)}})
    return client.execute()  # kernel from the notebook's metadata, as in Lab and under `papermill`


@pytest.mark.slow
def test_report_notebook_runs_top_to_bottom_with_its_defaults():
    """As an analyst does in Lab (Run All, working folder notebooks/): every cell runs, the report shows."""
    notebook = _read(paths.REPORT_NOTEBOOK)
    executed = _execute(notebook, paths.NOTEBOOKS_DIR)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    html = "".join(o.get("data", {}).get("text/html", "") for c in executed.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "BÁO CÁO" in html and "2023" in html


@pytest.mark.slow
def test_autoreload_picks_up_an_edited_module(tmp_path):
    """Editing a sentence in a module and re-running a cell shows the new sentence (no kernel restart)."""
    first_cell = next(c for c in _read(paths.REPORT_NOTEBOOK).cells if c.cell_type == "code")
    module = tmp_path / "cau_van_mau.py"
    module.write_text('SENTENCE = "Câu cũ."\n', encoding="utf-8")
    edit = textwrap.dedent(f"""\
        import os, pathlib
        p = pathlib.Path({str(module)!r})
        p.write_text('SENTENCE = "Câu mới."\\n', encoding="utf-8")
        os.utime(p, (p.stat().st_atime + 10, p.stat().st_mtime + 10))
        """)
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": paths.KERNEL_NAME, "language": "python",
                                                                 "display_name": "sangkien"}})
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in (
        first_cell.source, "import cau_van_mau\ncau_van_mau.SENTENCE", edit, "cau_van_mau.SENTENCE")]
    executed = _execute(notebook, tmp_path, timeout=120)
    before, after = (executed.cells[i].outputs[0]["data"]["text/plain"] for i in (1, 3))
    assert (before, after) == ("'Câu cũ.'", "'Câu mới.'")


@pytest.mark.slow
def test_ruff_finds_nothing_in_the_package():
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "sangkien"], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
