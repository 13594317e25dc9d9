"""The package's architecture, checked: imports point down the layers, no module imports another in a
circle, ``check`` never needs pandas, and no function is longer than a screen.

Layers, lowest first (a module may import its own layer and those below, never above):

| rank | layer | what |
|---|---|---|
| 0 | ``errors``, ``paths``, ``files``, ``provenance``, ``collation`` | the base: errors, paths, file digests, build provenance, Vietnamese order |
| 1 | ``inputs/`` | the register and the parameters, read and checked (no pandas) |
| 2 | ``figures`` | every figure, over the register's frame |
| 3 | ``report/`` | the report's wording, tables, charts and document parts, for the notebooks |
| 4 | ``pipeline/``, ``tools/`` | building (execute, render, manifest, publish, batches); generators |
| 5 | ``api`` | the public Python calls |
| 6 | ``cli`` | the command line |
| 7 | ``__init__``, ``__main__`` | the package's door |
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from sangkien import paths

PACKAGE = paths.PACKAGE
RANKS = {
    "errors": 0, "paths": 0, "files": 0, "provenance": 0, "collation": 0,
    "inputs": 1, "figures": 2, "report": 3, "pipeline": 4, "tools": 4, "api": 5,
    "cli": 6, "__init__": 7, "__main__": 7,
}
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("sangkien",) + parts)
        found[name.removesuffix(".__init__") if parts[-1] == "__init__" and len(parts) > 1 else name] = path
    return found


MODULES = _modules()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every sangkien module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found


GRAPH = {module: _imports(path) - {module} for module, path in MODULES.items()}


def test_every_module_has_a_layer():
    assert {_layer(m) for m in MODULES} <= set(RANKS)


def test_imports_point_down():
    upward = [f"{m} ({_layer(m)}) imports {d} ({_layer(d)})"
              for m, deps in GRAPH.items() for d in sorted(deps) if RANKS[_layer(d)] > RANKS[_layer(m)]]
    assert not upward


def test_side_by_side_layers_do_not_import_each_other():
    across = [f"{m} imports {d}" for m, deps in GRAPH.items() for d in deps
              if _layer(m) != _layer(d) and RANKS[_layer(d)] == RANKS[_layer(m)] and RANKS[_layer(m)] > 0]
    assert not across


def test_no_circular_imports():
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for dep in sorted(GRAPH[module]):
            if dep.startswith(module + "."):
                continue  # a package's door naming its own modules
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep):] + [dep]) if dep in stack else f"{module} -> {dep}")
            elif dep not in state:
                visit(dep, stack + [dep])
        state[module] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [module])
    assert not cycles


def test_inputs_never_import_pandas_or_the_notebook_libraries():
    heavy = {"pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "numpy"}
    offenders = []
    for module, path in MODULES.items():
        if RANKS[_layer(module)] > RANKS["inputs"]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            offenders += [f"{module}: {n}" for n in names if n.split(".")[0] in heavy]
    assert not offenders


@pytest.mark.slow
def test_check_runs_without_pandas():
    # the sample spans the 2025 reorganisation: checked with the parameters of 2025, its mapping included
    code = ("import sys; from sangkien.cli import main; status = main(['check', sys.argv[1], '--params', sys.argv[2]]); "
            "heavy = sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'weasyprint') if m in sys.modules); "
            "print(heavy); sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code, str(paths.SAMPLE_REGISTER), str(paths.params_file_for(2025))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_no_function_longer_than_a_screen():
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long
