"""The shared defaults describe today's organisation (issue 22): every sample year reads the very parameters
it read before the blocks moved (main's params/ at the commit before, read with git), so its report is the
same; a year file that pins blocks of its own and no reorganisation reports under its own names."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from sangkien import paths
from sangkien.inputs.params import load_params

BEFORE = "345bbe73ef9f951705a6fff32936edcedbfde697"
"""The commit before the shared defaults moved to today's organisation (main's params/)."""
YEARS = range(2016, 2026)


@pytest.fixture(scope="module")
def old_params(tmp_path_factory) -> Path:
    """The params/ folder of :data:`BEFORE`, written out (git show)."""
    folder = tmp_path_factory.mktemp("params-before")
    for name in ["defaults.yaml"] + [f"{year}.yaml" for year in YEARS]:
        shown = subprocess.run(["git", "show", f"{BEFORE}:params/{name}"], cwd=ROOT, capture_output=True)
        if shown.returncode:
            pytest.skip(f"no git history here ({shown.stderr.decode(errors='replace').strip()})")
        (folder / name).write_bytes(shown.stdout)
    return folder


def _values(params) -> dict:
    """Every parameter's value (not which files were read)."""
    return {f.name: getattr(params, f.name) for f in dataclasses.fields(params) if f.name not in ("files", "files_sha256")}


def _old(monkeypatch, old_params: Path, year: int):
    monkeypatch.setattr(paths, "DEFAULTS_FILE", old_params / "defaults.yaml")
    try:
        return load_params(year, old_params / f"{year}.yaml")
    finally:
        monkeypatch.undo()


@pytest.mark.slow
def test_every_sample_year_reads_the_parameters_it_read_before(old_params, monkeypatch):
    for year in YEARS:
        before, now = _old(monkeypatch, old_params, year), load_params(year)
        assert _values(now) == _values(before), year
        assert now.sha256() != before.sha256()  # the files did change
    assert load_params(2016).blocks == ("Giáo dục", "Quận, huyện, sở, ngành")
    assert not load_params(2024).reorganisation
    assert load_params(2025).blocks == ("Giáo dục", "Sở, ngành, địa phương") and load_params(2025).reorganisation


@pytest.mark.slow
@pytest.mark.parametrize("year", range(2016, 2025))
def test_the_pdf_is_the_one_main_s_parameters_build(year, old_params, tmp_path, monkeypatch):
    from sangkien.api import build_year

    monkeypatch.setattr(paths, "DEFAULTS_FILE", old_params / "defaults.yaml")
    before = build_year(year, params=old_params / f"{year}.yaml", out=tmp_path / "before", formats=("pdf",))
    monkeypatch.undo()
    now = build_year(year, out=tmp_path / "now", formats=("pdf",))
    assert now.manifest["figures"] == before.manifest["figures"]
    assert now.manifest["inputs"]["params"]["sha256"] != before.manifest["inputs"]["params"]["sha256"]  # other files
    assert now.outputs["pdf"].read_bytes() == before.outputs["pdf"].read_bytes()  # the same document, byte for byte


def test_a_year_pinning_its_own_blocks_reports_without_the_shared_reorganisation(tmp_path):
    pinned = tmp_path / "2024.yaml"
    pinned.write_text("year: 2024\nblocks: [Giáo dục, \"Quận, huyện\"]\n", encoding="utf-8")
    params = load_params(2024, pinned, require_data=False)
    assert params.blocks == ("Giáo dục", "Quận, huyện") and not params.reorganisation
    today = tmp_path / "2026.yaml"
    today.write_text("year: 2026\n", encoding="utf-8")
    params = load_params(2026, today, require_data=False)
    assert params.blocks == ("Giáo dục", "Sở, ngành, địa phương")
    assert params.reorganisation.blocks == {"Quận, huyện, sở, ngành": "Sở, ngành, địa phương"}
    reordered = tmp_path / "2027.yaml"
    reordered.write_text("year: 2027\nblocks: [\"Sở, ngành, địa phương\", Giáo dục]\n", encoding="utf-8")
    assert load_params(2027, reordered, require_data=False).reorganisation  # same blocks: the mapping stays
