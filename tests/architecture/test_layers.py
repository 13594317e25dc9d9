"""The package's architecture, checked: imports point down the layers, no module imports another in a
circle, ``check`` never needs pandas, and no function is longer than a screen.

An import is any of ``import a.b``, ``from a import b``, a relative one (``from ..pipeline import stage``,
``from . import x``, resolved against the module's package), and a name given as text to
``importlib.import_module`` or ``__import__``; a name computed at run time is refused. Planted packages
(``PLANTED``) show the checker catching each form.

Layers, lowest first (a module may import its own layer and those below, never above):

| rank | layer | what |
|---|---|---|
| 0 | ``errors``, ``paths``, ``files``, ``provenance``, ``collation`` | the base: errors, paths, file digests, build provenance, Vietnamese order |
| 1 | ``inputs/`` | the register and the parameters, read and checked (no pandas) |
| 2 | ``figures`` | every figure, over the register's frame |
| 3 | ``report/`` | the report's wording, tables, charts and document parts, for the notebooks |
| 4 | ``pipeline/``, ``tools/`` | building (plan, make, publish; exporters; processes); generators |
| 5 | ``signing/`` | signing a built report, verifying a signed one (reads a year's manifest, takes its lock) |
| 6 | ``api`` | the public Python calls |
| 7 | ``cli`` | the command line |
| 8 | ``__init__``, ``__main__`` | the package's door |
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
    "inputs": 1, "figures": 2, "report": 3, "pipeline": 4, "tools": 4, "signing": 5, "api": 6,
    "cli": 7, "__init__": 8, "__main__": 8,
}
MAX_FUNCTION_LINES = 60


def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of ``package`` (a folder), by its dotted name (``sangkien.inputs`` for its door)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        name = ".".join((package.name,) + parts)
        found[name.removesuffix(".__init__") if parts[-1] == "__init__" and len(parts) > 1 else name] = path
    return found


MODULES = _modules()


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolved(module: str, path: Path, name: str, level: int) -> str:
    """The absolute name of ``name`` imported at ``level`` (``from ..x import y``: ``x`` at level 2) in
    ``module`` (whose file is ``path``); a relative import is resolved against the module's package (a
    package's door is its own package). Beyond the top package: a name no module has."""
    if not level:
        return name
    package = module.removesuffix(".__init__").split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    if level - 1 >= len(package):
        return f"<beyond the top package>.{name}"
    base = ".".join(package[:len(package) - (level - 1)])
    return f"{base}.{name}" if name else base


_IMPORTERS = {"import_module", "__import__"}
"""The calls that import by name: ``importlib.import_module(name, package)`` (``import_module`` imported
from importlib too) and ``__import__(name, globals, locals, fromlist, level)``."""


def _importer_call(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return name if name in _IMPORTERS else None


def _called_import(node: ast.Call, module: str, path: Path) -> list[str] | None:
    """The names an ``import_module``/``__import__`` call imports, or None when its name is computed (the
    layers cannot be checked through it)."""
    arguments = {**dict(enumerate(node.args)), **{k.arg: k.value for k in node.keywords if k.arg}}
    name = arguments.get(0, arguments.get("name"))
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        return None
    if _importer_call(node) == "import_module":
        level = len(name.value) - len(name.value.lstrip("."))
        return [_resolved(module, path, name.value[level:], level)]
    level = arguments.get(4, arguments.get("level"))
    level = level.value if isinstance(level, ast.Constant) and isinstance(level.value, int) else 0
    base = _resolved(module, path, name.value, level)
    fromlist = arguments.get(3, arguments.get("fromlist"))
    names = [e.value for e in getattr(fromlist, "elts", []) if isinstance(e, ast.Constant)]
    return [base] + [f"{base}.{n}" for n in names if isinstance(n, str)]


def imports_of(source: str, module: str, path: Path) -> tuple[set[str], list[int]]:
    """Every absolute name ``module`` (its text ``source``, its file ``path``) imports, at the top or inside
    a function: ``import a.b``, ``from a import b`` (``a`` and ``a.b``), relative imports resolved
    (``from ..pipeline import stage``, ``from . import x``), and the names given as text to
    ``importlib.import_module`` or ``__import__``; and the lines importing a computed name."""
    found, computed = set(), []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolved(module, path, node.module or "", node.level)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
        elif isinstance(node, ast.Call) and _importer_call(node):
            names = _called_import(node, module, path)
            if names is None:
                computed.append(node.lineno)
            else:
                found.update(names)
    return found, computed


def graph_of(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of the package's modules (``modules``), itself left out."""
    graph = {}
    for module, path in modules.items():
        names, _ = imports_of(path.read_text(encoding="utf-8"), module, path)
        graph[module] = {n for n in names if n in modules} - {module}
    return graph


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a higher layer: ``"m (layer) imports d (layer)"``."""
    return [f"{m} ({_layer(m)}) imports {d} ({_layer(d)})"
            for m, deps in graph.items() for d in sorted(deps) if RANKS[_layer(d)] > RANKS[_layer(m)]]


GRAPH = graph_of(MODULES)


def test_every_module_has_a_layer():
    assert {_layer(m) for m in MODULES} <= set(RANKS)


def test_imports_point_down():
    assert not upward_imports(GRAPH)


def test_no_module_imports_a_computed_name():
    """``importlib.import_module(name)`` with a name computed at run time: the layers could not be checked."""
    computed = [f"{module}, line {line}" for module, path in MODULES.items()
                for line in imports_of(path.read_text(encoding="utf-8"), module, path)[1]]
    assert not computed


PLANTED = {  # the file, the line planted in it, and the upward import the checker must name
    "absolute": ("inputs/register.py", "from sangkien.pipeline import stage", "sangkien.pipeline.stage"),
    "import": ("inputs/register.py", "import sangkien.pipeline.stage", "sangkien.pipeline.stage"),
    "relative": ("inputs/register.py", "from ..pipeline import stage", "sangkien.pipeline.stage"),
    "relative-module": ("inputs/register.py", "from ..pipeline.stage import publish", "sangkien.pipeline.stage"),
    "relative-package": ("inputs/register.py", "from .. import pipeline", "sangkien.pipeline"),
    "relative-top": ("errors.py", "from . import api", "sangkien.api"),
    "relative-in-a-door": ("pipeline/__init__.py", "from .. import api", "sangkien.api"),
    "relative-in-a-function": ("inputs/register.py", "def later():\n    from ..pipeline import stage\n",
                               "sangkien.pipeline.stage"),
    "import_module": ("inputs/register.py", "import importlib\nimportlib.import_module('sangkien.pipeline.stage')",
                      "sangkien.pipeline.stage"),
    "import_module-relative": ("inputs/register.py",
                               "from importlib import import_module\nimport_module('..pipeline', __package__)",
                               "sangkien.pipeline"),
    "__import__": ("inputs/register.py", "__import__('sangkien.pipeline.stage')", "sangkien.pipeline.stage"),
    "__import__-relative": ("inputs/register.py", "__import__('pipeline', globals(), locals(), ['stage'], 2)",
                            "sangkien.pipeline.stage"),
}


def _planted_package(root: Path, file: str = "", line: str = "") -> dict[str, Path]:
    """A small package ``sangkien`` under ``root`` (a door, errors, api, inputs/register, pipeline/stage),
    each module importing only down, ``line`` added to ``file``; its modules."""
    package = root / "sangkien"
    sources = {"__init__.py": "", "errors.py": "", "api.py": "from sangkien.pipeline import stage\n",
               "inputs/__init__.py": "from . import register\n", "inputs/register.py": "from .. import errors\n",
               "pipeline/__init__.py": "", "pipeline/stage.py": "from ..inputs import register\n"}
    for rel, text in sources.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text + (line + "\n" if rel == file else ""), encoding="utf-8")
    return _modules(package)


def test_the_planted_package_imports_only_down(tmp_path):
    modules = _planted_package(tmp_path)
    graph = graph_of(modules)
    assert graph["sangkien.inputs"] == {"sangkien.inputs.register"}  # a door's "." is its own package
    assert graph["sangkien.inputs.register"] == {"sangkien.errors"}
    assert graph["sangkien.pipeline.stage"] == {"sangkien.inputs", "sangkien.inputs.register"}
    assert not upward_imports(graph)


@pytest.mark.parametrize("form", PLANTED)
def test_an_upward_import_is_caught_in_every_form(tmp_path, form):
    file, line, imported = PLANTED[form]
    modules = _planted_package(tmp_path, file, line)
    module = next(m for m, path in modules.items() if path == tmp_path / "sangkien" / file)
    assert f"{module} ({_layer(module)}) imports {imported} ({_layer(imported)})" in upward_imports(graph_of(modules))


@pytest.mark.parametrize("call", ["importlib.import_module(name)", "__import__(f'sangkien.{name}')"])
def test_an_import_of_a_computed_name_is_caught(tmp_path, call):
    modules = _planted_package(tmp_path, "inputs/register.py", f"import importlib\nname = 'pipeline'\n{call}")
    path = modules["sangkien.inputs.register"]
    assert imports_of(path.read_text(encoding="utf-8"), "sangkien.inputs.register", path)[1] == [4]


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
        names, _ = imports_of(path.read_text(encoding="utf-8"), module, path)
        offenders += sorted({f"{module}: {n.split('.')[0]}" for n in names if n.split(".")[0] in heavy})
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
