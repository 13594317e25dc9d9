"""``manifest.json``: what a published year was made from (inputs, fingerprint, software), what it
holds (outputs and their digests) and the figures it prints (contract section 4)."""
from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

from sangkien import files, provenance
from sangkien.inputs.params import Params
from sangkien.inputs.register import Register
from sangkien.pipeline import freshness

FILE = "manifest.json"


@contextlib.contextmanager
def timed(timings: dict[str, float], step: str):
    """Record the seconds the ``with`` block takes as ``timings[step]`` (for ``timings_s``)."""
    started = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - started, 3)


def write(staging: Path, params: Params, register: Register, outputs: dict[str, str], timings: dict[str, float],
          sheets: dict | None, fingerprint: dict[str, str], state: str = "draft", missing: tuple[str, ...] = (),
          previous: dict | None = None) -> dict:
    """Write ``staging/manifest.json`` for the finished year and return it; written last, it records the
    digests of every other file in ``staging``. ``state``: the year's (``draft`` or ``final``,
    :mod:`~sangkien.pipeline.yearstate`), with ``missing``: what the version to sign lacks; ``previous``: the
    published manifest, whose record of reopenings is kept."""
    from sangkien.pipeline.workarounds import weasyprint_subset

    manifest = {
        "year": params.year,
        "state": state,
        "missing": list(missing),
        **({"reopened": previous["reopened"]} if (previous or {}).get("reopened") else {}),
        "outputs": outputs,
        "inputs": {
            "data": {"path": files.shown(params.data), "sha256": register.sha256, "rows": len(register)},
            "params": {"path": files.shown(params.params_file),
                       "sha256": params.sha256(),
                       "files": [str(f) for f in params.files]},
        },
        "figures": printed_figures(staging / outputs["notebook"]) if "notebook" in outputs else None,
        "sample_data": params.sample_data,
        "software": {**provenance.software(), "font_subsetter": weasyprint_subset.version()},
        "timings_s": timings,
        **({"units": sheets} if sheets is not None else {}),
        "fingerprint": fingerprint,
        "files_sha256": freshness.file_digests(staging),
    }
    if manifest["figures"] is None:  # a notebook of the analyst's own that does not end with the colophon
        from sangkien import figures

        manifest["figures"] = figures.manifest_figures(figures.frame(register), params.year, params.period_start,
                                                       params.blocks)
    store(staging, manifest)
    return manifest


def printed_figures(notebook: Path) -> dict | None:
    """The figures the executed ``notebook`` printed (its colophon's output metadata,
    :data:`sangkien.report.markup.PRINTED_FIGURES`), or None when no output carries them or it is not a
    notebook."""
    from sangkien.report.markup import PRINTED_FIGURES

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):  # not a notebook the build can read: worked out on the host
        return None
    for cell in reversed(cells):
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get("text/html", {}).get(PRINTED_FIGURES)
            if found is not None:
                return found
    return None


def with_sheets(staging: Path, previous: dict | None, year: int, sheets: dict) -> dict:
    """Write ``staging/manifest.json`` for unit sheets added to a year (one unit's sheet built alone): the
    published manifest ``previous`` (a bare record of the year when it was never built) with ``sheets``
    among its units and the digests of the files in ``staging`` among its files; return it."""
    manifest = dict(previous or {"year": year, "outputs": {}})
    manifest["units"] = {**(manifest.get("units") or {}), **sheets}
    manifest["files_sha256"] = {**(manifest.get("files_sha256") or {}), **freshness.file_digests(staging)}
    store(staging, manifest)
    return manifest


def published(folder: Path) -> dict | None:
    """The manifest of the year published in ``folder``; None when there is none (or none readable)."""
    try:
        manifest = json.loads((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def store(folder: Path, manifest: dict) -> Path:
    """``folder/manifest.json`` written whole (a reader sees the old one or the new one); its path. Every
    manifest is written here: a build's, a unit's sheet added, a signature recorded."""
    target = folder / FILE
    files.write_atomic(target, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return target
