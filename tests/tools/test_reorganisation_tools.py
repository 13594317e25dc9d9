"""The generators across the 2025 reorganisation: ``new-year`` carries ``reorganisation`` forward, and the
sample register's 2024 and 2025 go with ``params/2025.yaml``'s mapping."""
from __future__ import annotations

import shutil
from collections import Counter

import yaml

from sangkien import paths
from sangkien.inputs.params import load_params
from sangkien.tools import sample
from sangkien.tools.newyear import new_year


def test_new_year_carries_the_mapping_forward(tmp_path):
    shutil.copy(paths.params_file_for(2025), tmp_path / "2025.yaml")
    path = new_year(2026, tmp_path)
    old, new = load_params(2025), load_params(2026, path)
    assert new.reorganisation == old.reorganisation and new.reorganisation
    assert new.blocks == old.blocks == ("Giáo dục", "Sở, ngành, địa phương")
    assert new.recipients == old.recipients
    assert "reorganisation" not in yaml.safe_load(path.read_text(encoding="utf-8"))  # the shared defaults' own


def test_the_sample_of_2025_and_its_parameters_agree():
    params = load_params(2025)
    assert params.sample_data and params.blocks == (sample.EDU, sample.TODAY)
    assert params.reorganisation.blocks == {sample.OTHER: sample.TODAY}
    assert params.reorganisation.units == sample.REORGANISED_UNITS
    assert load_params(2024).blocks == (sample.EDU, sample.OTHER) and not load_params(2024).reorganisation


def test_the_sample_gains_2024_and_2025_and_keeps_the_published_years():
    rows = sample.build_rows()
    per_block = Counter((row["Năm"], row["Khối"]) for row in rows)
    assert per_block[(2024, sample.OTHER)] == 30 and per_block[(2025, sample.TODAY)] == 36
    assert not {row["Đơn vị"] for row in rows if row["Năm"] == 2025} & set(sample.REORGANISED_UNITS)  # today's names
    assert {row["Khối"] for row in rows if row["Năm"] < 2025} == {sample.EDU, sample.OTHER}
    assert not any("công tác công tác" in row["Tên sáng kiến"] for row in rows)
