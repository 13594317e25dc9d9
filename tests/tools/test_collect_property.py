"""``collect`` over random folders (issue 24): workbooks in the units' shapes, CSVs, junk under a register's
name, subfolders and links. Whatever the folder holds: never a traceback (only the analyst's lines), never
a source file changed, and a register written only when every file reads, holding exactly the rows that
``check`` reads from each file."""
from __future__ import annotations

import hashlib

from conftest import BLOCKS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from officebooks import clean_rows, office_workbook
from registers import write_register_file

from sangkien.errors import SangkienError
from sangkien.inputs.register import read_register
from sangkien.tools.collect import collect

KINDS = ("clean", "office", "csv", "junk-xlsx", "junk-csv", "empty-csv", "ods", "folder", "dangling-link")


def _make(folder, n: int, kind: str, junk: bytes) -> None:
    """The n-th entry of the folder, of ``kind``; its rows' codes are its own (no duplicate across files)."""
    rows = [list(r) for r in clean_rows()[:3]]
    for i, row in enumerate(rows):
        row[0] = f"SK-{n:02d}-{i}"
    name = f"don-vi-{n:02d}"
    if kind == "clean":
        write_register_file(folder / f"{name}.xlsx", rows)
    elif kind == "office":
        office_workbook(folder / f"{name}.xlsx", {"Sổ": rows})
    elif kind == "csv":
        write_register_file(folder / f"{name}.csv", rows, bom=True)
    elif kind == "junk-xlsx":
        (folder / f"{name}.xlsx").write_bytes(junk)
    elif kind == "junk-csv":
        (folder / f"{name}.csv").write_bytes(junk)
    elif kind == "empty-csv":
        (folder / f"{name}.csv").write_bytes(b"")
    elif kind == "ods":
        (folder / f"{name}.ods").write_bytes(junk)
    elif kind == "folder":
        (folder / name).mkdir()
        write_register_file(folder / name / "ben-trong.xlsx", rows)
    else:
        (folder / f"{name}.xlsx").symlink_to(folder / "khong-co.xlsx")


def _state(folder) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-"
            for p in sorted(folder.rglob("*"))}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=5),
       junk=st.binary(max_size=200))
def test_collect_never_crashes_never_changes_a_source_and_keeps_what_check_reads(tmp_path_factory, kinds, junk):
    root = tmp_path_factory.mktemp("collect")
    folder = root / "don-vi"
    folder.mkdir()
    for n, kind in enumerate(kinds):
        _make(folder, n, kind, junk)
    before = _state(folder)
    out = root / "gop.xlsx"
    try:
        collected = collect(folder, out, BLOCKS)
    except SangkienError as exc:
        assert exc.problems and all(line.strip() for line in exc.problems)
        assert not out.exists()
        assert _state(folder) == before
        event("refused")
        return
    event("written")
    assert _state(folder) == before
    read = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".xlsx", ".csv"))
    checked = [read_register(p, BLOCKS) for p in read]  # each file as `check` reads it
    merged = read_register(out, BLOCKS)
    assert collected.rows == len(merged) == sum(len(r) for r in checked)
    for column in ("ma_so", "ten_sang_kien", "don_vi", "khoi", "ket_qua", "so_tien_lam_loi"):
        assert sorted(map(str, merged.columns[column])) == sorted(str(v) for r in checked for v in r.columns[column])
