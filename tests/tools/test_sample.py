"""The sample register is what ``python -m sangkien.tools.sample`` writes, byte for byte, every time."""
from __future__ import annotations

from sangkien import paths
from sangkien.tools.sample import write_register


def test_sample_register_is_deterministic_and_committed(tmp_path):
    first = write_register(tmp_path / "a" / "so.xlsx").read_bytes()
    second = write_register(tmp_path / "b" / "so.xlsx").read_bytes()
    assert first == second
    assert first == paths.SAMPLE_REGISTER.read_bytes(), (
        "data/sample/so-dang-ky-sang-kien.xlsx is not what sangkien/tools/sample.py writes: run `make sample`"
    )
