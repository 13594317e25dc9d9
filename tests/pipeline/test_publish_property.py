"""A property of publishing (hypothesis): whatever sequence of builds runs — successful ones, and ones
stopped at any step by Ctrl-C, a full disk, a refused permission or a kill — ``OUT/YEAR`` is always the
last build that reached its commit (its manifest moved into place), file for file as its manifest lists
them, plus the analyst's own files, byte for byte; nothing else is left in the output folder.

The builds run ``build_year`` itself in this process with the kernel and the renderers replaced by fakes
that write the same files (a page per format, the annex, the notebook, a sheet per unit): the staging
folder, the manifest, the snapshot, publishing and the clearing up after a kill are the real ones. A kill
is an exception after which nothing of the build's own clean-up runs; the next build (here: what it
does first) finishes it.
"""
from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import EDU, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registers import write_register_file

from sangkien import provenance
from sangkien.pipeline import build, freshness, manifest, render, stage, unitsheets
from sangkien.pipeline.build import build_year
from sangkien.pipeline.names import unique_stems
from sangkien.pipeline.processes import execute

REGISTERS = {  # the units of the year in each version of the register the analyst saves
    "a": ["Đơn vị A", "Đơn vị B"],
    "b": ["Đơn vị A", "Trường C", "Sở D"],
    "c": ["Sở E"],
}
USER = {"so-dang-ky.csv": None, "ban-ky.pdf": b"%PDF the signed copy", "ghi-chu/a.txt": b"a note",
        "don-vi/nhan-xet.txt": b"a note beside the sheets"}
"""The analyst's files in OUT/2023 (the register's bytes change with the version saved)."""


class _Killed(BaseException):
    """SIGKILL: nothing of the build's own clean-up runs after it."""


class _Faults:
    """Where the current build fails: ``point`` (a step's name, or ``publish`` with the n-th rename or
    link), ``error``; and what happened: whether it fired, whether the manifest moved into place."""

    def __init__(self):
        self.point, self.n, self.error = None, 0, None
        self.fired = self.committed = self.killed = False
        self.calls = 0

    def arm(self, point: str | None, n: int, error):
        self.point, self.n, self.error = point, n, error
        self.fired = self.committed = self.killed = False
        self.calls = 0

    def at(self, point: str) -> None:
        if point == self.point and not self.fired:
            self.fire()

    def fire(self):
        self.fired = True
        if self.error == "kill":
            self.killed = True
            raise _Killed
        raise self.error


class _StageOs:
    """``os`` as the stage module sees it, counting its renames and links (a fault at the n-th)."""

    def __init__(self, faults: _Faults, final: Path):
        self.faults, self.final = faults, final

    def __getattr__(self, name):
        return getattr(os, name)

    def _counted(self, real, *args, **kwargs):
        faults = self.faults
        if faults.point == "publish" and not faults.fired:
            faults.calls += 1
            if faults.calls == faults.n:
                faults.fire()
        result = real(*args, **kwargs)
        if real is os.replace and Path(args[1]) == self.final / "manifest.json":
            faults.committed = True
        return result

    def replace(self, *args, **kwargs):
        return self._counted(os.replace, *args, **kwargs)

    def link(self, *args, **kwargs):
        return self._counted(os.link, *args, **kwargs)


_TREE_DIGEST = functools.lru_cache(maxsize=None)(freshness._tree_digest)
"""The digest of the package's, the templates' and the fonts' files (in every build's fingerprint), read once
for the test: they do not change while it runs, and hashing them was a third of a build here."""


def _text(kind: str, params, register) -> str:
    return f"{kind} {params.year} {register.sha256} {_text.build}\n"


_text.build = 0


def _fakes(patch: pytest.MonkeyPatch, faults: _Faults) -> None:
    """The kernel and the renderers replaced by fakes writing the same files; a fault point at each step."""

    def run_report(notebook, staging, params, register_file, failed_dir, kernel_manager=None, keep=False):
        faults.at("execute")
        executed = staging / f"bao-cao-{params.year}.ipynb"
        executed.write_text(_text("notebook", params, execute_register(register_file)))
        return executed

    def execute_register(register_file):
        from sangkien.inputs import snapshot

        return snapshot.load(register_file)[1]

    def render_report(executed, params, register, staging, formats, early, timings, overlap=True, edition=None,
                      annexes=None):
        faults.at("render")
        outputs = {"notebook": executed.name, "annex": f"danh-sach-cong-nhan-{params.year}.csv"}
        (staging / outputs["annex"]).write_text(_text("annex", params, register))
        for kind in formats:
            outputs[kind] = f"bao-cao-{params.year}.{kind}"
            (staging / outputs[kind]).write_text(_text(kind, params, register))
        return outputs

    @contextlib.contextmanager
    def sheets_alongside(params, register, register_file, staging, formats, jobs=None, kernel=None):
        from sangkien.figures import frame, units_of_year

        (staging / "don-vi").mkdir()

        def sheets():
            faults.at("units")
            stems = unique_stems(units_of_year(frame(register), params.year))
            for unit, stem in stems.items():
                for kind in formats:
                    (staging / "don-vi" / f"{stem}.{kind}").write_text(_text(f"{kind} {unit}", params, register))
            (staging / "don-vi" / "index.html").write_text(_text("index", params, register))
            return {stem: {"unit": unit, **{kind: f"don-vi/{stem}.{kind}" for kind in formats}}
                    for unit, stem in stems.items()}

        sheets.report_made = lambda: None
        yield sheets

    def at_then(point, real):
        def step(*args, **kwargs):
            faults.at(point)
            return real(*args, **kwargs)
        return step

    def unless_killed(real):
        def clean_up(*args, **kwargs):
            if faults.killed:
                raise _Killed
            return real(*args, **kwargs)
        return clean_up

    patch.setattr(execute, "prepare", lambda: None)
    patch.setattr(execute, "kernel_ahead", contextlib.nullcontext)
    patch.setattr(render, "ahead", lambda *args: contextlib.nullcontext())
    patch.setattr(execute, "run_report", run_report)
    patch.setattr(render, "render_report", render_report)
    patch.setattr(unitsheets, "sheets_alongside", sheets_alongside)
    patch.setattr(execute, "snapshot", at_then("snapshot", execute.snapshot))
    patch.setattr(manifest, "write", at_then("manifest", manifest.write))
    patch.setattr(stage, "_tidy", at_then("commit", stage._tidy))  # right after the manifest moved
    patch.setattr(stage, "_roll_back", unless_killed(stage._roll_back))
    patch.setattr(stage, "shutil", type("Shutil", (), {"rmtree": staticmethod(unless_killed(shutil.rmtree)),
                                                       "copy2": staticmethod(shutil.copy2)}))
    patch.setattr(freshness, "_tree_digest", _TREE_DIGEST)
    patch.setattr(provenance, "software", lambda: {"git_commit": "", "python": "3", "packages": {}})


def _write_register(path: Path, version: str) -> None:
    units = REGISTERS[version]
    rows = [[f"SK-{version}-{i}", 2023, f"Giải pháp {i}", "Tác giả", unit, EDU, EDU, "Công nhận", 1000, 80]
            for i, unit in enumerate(units)]
    rows.append(["SK-cu", 2022, "Cũ", "Tác giả", units[0], EDU, EDU, "Công nhận", "", 70])
    write_register_file(path, rows)


ERRORS = st.sampled_from(["kill", "interrupt", "disk full", "permission"])
POINTS = st.one_of(st.sampled_from(["snapshot", "execute", "render", "units", "manifest", "commit"]),
                   st.integers(1, 24).map(lambda n: f"publish:{n}"))
BUILDS = st.fixed_dictionaries({
    "register": st.sampled_from(sorted(REGISTERS)),
    "formats": st.sampled_from([("html",), ("pdf",), ("html", "pdf")]),
    "units": st.booleans(),
    "force": st.booleans(),
    "fault": st.one_of(st.none(), st.tuples(POINTS, ERRORS)),
})


def _error(name: str):
    return {"kill": "kill", "interrupt": KeyboardInterrupt(), "disk full": OSError(errno.ENOSPC, "No space left"),
            "permission": PermissionError(errno.EACCES, "Permission denied")}[name]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(builds=st.lists(BUILDS, min_size=1, max_size=5))
def test_the_year_is_always_the_last_committed_build_plus_the_analysts_files(tmp_path_factory, builds):
    base = tmp_path_factory.mktemp("property")
    out = base / "out"
    final = out / "2023"
    (final / "ghi-chu").mkdir(parents=True)
    (final / "don-vi").mkdir()
    register = final / "so-dang-ky.csv"
    user = {rel: data for rel, data in USER.items() if data is not None}
    for rel, data in user.items():
        (final / rel).write_bytes(data)
    params = base / "2023.yaml"
    params.write_text(f"year: 2023\ndata: {register}\n", encoding="utf-8")
    faults = _Faults()
    with pytest.MonkeyPatch.context() as patch:
        _fakes(patch, faults)
        patch.setattr(stage, "os", _StageOs(faults, final))
        published = {}
        for step in builds:
            _write_register(register, step["register"])  # the analyst saves a version of the register
            user["so-dang-ky.csv"] = register.read_bytes()
            point, error = step["fault"] or (None, None)
            if point == "commit":  # after the commit nothing can fail but a kill: signals are deferred there
                error = "kill"
            n = int(point.split(":")[1]) if point and point.startswith("publish") else 0
            faults.arm(point.split(":")[0] if point else None, n, _error(error) if error else None)
            _text.build += 1
            before = tree(final)
            try:
                build_year(2023, params_file=params, data_file=register, out_dir=out, formats=step["formats"],
                           force=step["force"], units=step["units"])
            except BaseException:
                if not faults.fired:
                    raise
            else:
                assert not faults.fired  # a fault that fired always stops the build
            committed, fired = faults.committed, faults.fired
            if faults.killed:  # what the next build of the year does first
                faults.arm(None, 0, None)
                build.finish_interrupted(out, 2023)
            now = tree(final)
            if committed or (not fired and (final / "manifest.json").is_file()):
                listed = json.loads(now["manifest.json"])["files_sha256"]
                published = {rel: now[rel] for rel in listed}
                assert {rel: hashlib.sha256(data).hexdigest() for rel, data in published.items()} == listed
            else:
                assert now == before  # not committed: the year as it was, byte for byte
            assert now == {**published, **user, **({"manifest.json": now["manifest.json"]} if published else {})}
            assert sorted(p.name for p in out.iterdir() if p.name != ".locks") == ["2023"]
