"""A validated register on disk (:mod:`sangkien.inputs.columnar`): read back exactly as it was written, whatever
its columns hold; marshal only for the columns of plain values."""
from __future__ import annotations

import datetime as dt
import io
import math
import pickle

import numpy as np
import pytest

from sangkien.inputs import columnar


def _same(a, b) -> bool:
    """Equal, NaN equal to NaN, and of the same types value by value."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


COLUMNS = {
    "row": [2, 3, 4],
    "ma_so": ["SK-1", "=1+1", "Sáng kiến\\x00 lạ\\n"],
    "so_tien_lam_loi": [1.5e9, float("nan"), 12],
    "nam": [2022, 2023, True],
    "empty": [],
    "dates": [dt.date(2024, 1, 2), None, "x"],
    "numpy": [np.float64(1.5), np.int64(3), "y"],  # marshal would write these as their bytes
    "texts_of_numpy": ["a", np.str_("b"), "c"],
    "tuple": ("a", "b"),
}


def test_what_is_written_is_read_back_value_for_value_in_its_order():
    data = {"sha256": "ab", "columns": COLUMNS, "headers": {"ma_so": "Mã số"}, "blocks": ("A", "B")}
    f = io.BytesIO()
    columnar.dump(data, f)
    f.write(b"and after")
    f.seek(0)
    back = columnar.load(f)
    assert f.read() == b"and after"
    assert _same(back, data)
    assert type(back["columns"]["numpy"][0]) is np.float64 and type(back["columns"]["texts_of_numpy"][1]) is np.str_
    assert columnar.dumps(data) == f.getvalue()[: -len(b"and after")]


@pytest.mark.parametrize("values, marshalled", [(["a", 1, 2.5, None, False], True), ([np.float64(1)], False),
                                                (["a", np.str_("b")], False), (("a",), False),
                                                ([dt.datetime(2024, 1, 1)], False), ([], True)])
def test_only_lists_of_plain_values_go_by_marshal(values, marshalled):
    assert columnar.plain(values) is marshalled
    head = pickle.loads(columnar.dumps({"columns": {"c": values}}))
    assert (head["marshalled"] == ["c"]) is marshalled


def test_a_cut_file_is_an_error_not_a_shorter_column():
    written = columnar.dumps({"columns": {"ma_so": [f"SK-{i}" for i in range(1000)]}})
    with pytest.raises((EOFError, ValueError)):
        columnar.load(io.BytesIO(written[:-10]))
