"""The one notebook executor (:func:`sangkien.pipeline.processes.execute.run_in`) in each of its kernels: one of its
own, one started ahead, a warm one: the parameters injected as Papermill tags them, the executed notebook
written as returned, the kernel used as given and gone once discarded."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import psutil
import pytest

from sangkien.errors import CellError, SangkienError
from sangkien.inputs.params import Params
from sangkien.pipeline.processes import execute
from sangkien.pipeline.processes.warm import WarmKernel

pytestmark = pytest.mark.slow

PARAMS = Params(2023, Path("x.csv"), files=(Path("p.yaml"),))


def _notebook(path: Path, *cells: str) -> Path:
    """A notebook with a parameters cell (``year``, ``unit``), then ``cells``."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "sangkien", "display_name": "Sáng kiến",
                                                                 "language": "python"}})
    parameters = nbformat.v4.new_code_cell('year = 0\nunit = ""\nparams_file = ""\ndata_file = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# thử"), parameters] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, str(path))
    return path


def _printed(executed) -> str:
    return "".join(o.get("text", "") for o in executed.cells[-1].outputs)


def _kernels() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "ipykernel_launcher" in p.cmdline()]


def test_a_notebook_is_written_as_run_with_its_parameters_injected_after_the_parameters_cell(tmp_path):
    notebook = _notebook(tmp_path / "n.ipynb", "print(year, unit)")
    executed = execute.run_notebook(notebook, tmp_path / "out.ipynb", PARAMS, extra={"unit": "Sở Y tế"})
    assert nbformat.writes(nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)) == nbformat.writes(executed)
    tags = [cell.metadata.get("tags") for cell in executed.cells]
    assert tags == [[], ["parameters"], ["injected-parameters"], []]
    assert executed.cells[2].source.startswith("# Parameters\nyear = 2023\n")
    assert _printed(executed) == "2023 Sở Y tế\n"
    assert executed.metadata.papermill["parameters"]["unit"] == "Sở Y tế"
    assert {cell.metadata.papermill["status"] for cell in executed.cells} == {"completed"}
    assert not _kernels()


def test_a_kernel_started_ahead_runs_the_notebook_and_is_gone_after_it(tmp_path):
    """The startup line ran in the kernel the notebook then ran in (it set a variable of the environment),
    and the block leaves no kernel, no socket folder."""
    notebook = _notebook(tmp_path / "n.ipynb", "import os\nprint(os.environ.get('STARTED_AHEAD'))")
    with execute.kernel_ahead("import os; os.environ['STARTED_AHEAD'] = 'có'") as kernel:
        executed = execute.run_notebook(notebook, tmp_path / "out.ipynb", PARAMS, kernel_manager=kernel)
    assert _printed(executed) == "có\n"
    assert not psutil.pid_exists(kernel.pid) and not os.path.exists(kernel.folder)


def _local_sockets() -> int:
    """How many unix sockets and event descriptors this process has open: what a connection to a kernel over
    local (IPC) sockets opens (each ZeroMQ socket: its mailbox, its connection), and nothing of another test's
    TCP server working meanwhile in this process (the session's time-stamping service, whose handler of a
    silent request holds its connection for seconds after the test that sent it)."""
    with open("/proc/net/unix") as table:
        unix = {row.split()[6] for row in table.read().splitlines()[1:] if len(row.split()) > 6}
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed by now
            continue
        count += target == "anon_inode:[eventfd]" or (target.startswith("socket:[") and target[8:-1] in unix)
    return count


def test_a_warm_kernel_keeps_one_connection_for_all_its_runs(tmp_path):
    """Each run goes through the client the first run connected: no sockets left open run after run."""
    notebook = _notebook(tmp_path / "n.ipynb", "print(unit)")
    runner = WarmKernel()
    try:
        runner.run(notebook, tmp_path / "a.ipynb", PARAMS, {"unit": "a"})
        runner.run(notebook, tmp_path / "b.ipynb", PARAMS, {"unit": "b"})
        open_after_two = _local_sockets()
        assert open_after_two >= 5  # the client's channels
        for unit in "cdef":
            assert _printed(runner.run(notebook, tmp_path / f"{unit}.ipynb", PARAMS, {"unit": unit})) == f"{unit}\n"
        assert _local_sockets() == open_after_two
        assert runner.started == 1
    finally:
        runner.discard()
    assert not _kernels()


def test_a_kernel_that_ends_before_it_answers_is_a_dead_kernel_said_as_such(tmp_path):
    """Its client is connected by the build (:meth:`Kernel.connect`): a kernel gone while it boots is reported
    as a stopped kernel (SangkienError), not a traceback, and nothing of it is left."""
    notebook = _notebook(tmp_path / "n.ipynb", "print(year)")
    with pytest.raises(SangkienError, match="đã dừng đột ngột"):
        with execute.kernel_ahead("import os; os._exit(3)") as kernel:
            execute.run_notebook(notebook, tmp_path / "out.ipynb", PARAMS, kernel_manager=kernel)
    assert not _kernels() and not os.path.exists(kernel.folder)


def test_a_cell_that_asks_for_input_fails_instead_of_waiting(tmp_path):
    """Standard input is refused, as nbclient refuses it for a client it connects: ``input()`` in a cell is
    that cell's error (a build never waits for an answer nobody can type)."""
    notebook = _notebook(tmp_path / "n.ipynb", "input('số?')")
    with pytest.raises(CellError, match="StdinNotImplementedError"):
        execute.run_notebook(notebook, tmp_path / "out.ipynb", PARAMS)
    assert not _kernels()


@pytest.mark.parametrize("warm", [False, True], ids=["own kernel", "warm kernel"])
def test_a_cell_for_lab_only_never_runs_in_a_build(tmp_path, warm):
    """The notebooks' ``%autoreload 2`` cell is tagged ``interactive-only``: every run of the one executor
    passes over it (here a cell that would fail), whatever the kernel."""
    notebook = _notebook(tmp_path / "n.ipynb", "raise SystemError('chỉ chạy trong Lab')", "print(year)")
    lab_only = nbformat.read(str(notebook), as_version=4)
    lab_only.cells[2].metadata["tags"] = [execute.INTERACTIVE_TAG]
    nbformat.write(lab_only, str(notebook))
    if warm:
        runner = WarmKernel()
        try:
            executed = runner.run(notebook, tmp_path / "out.ipynb", PARAMS)
        finally:
            runner.discard()
    else:
        executed = execute.run_notebook(notebook, tmp_path / "out.ipynb", PARAMS)
    assert _printed(executed) == "2023\n"
    skipped = next(c for c in executed.cells if execute.INTERACTIVE_TAG in c.metadata.get("tags", []))
    assert skipped.outputs == [] and skipped.execution_count is None
