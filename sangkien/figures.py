"""Every figure the report prints, as small pure functions over the register's frame.

The frame has the canonical columns of :mod:`sangkien.inputs.schema` (``nam``, ``khoi``, ``ket_qua``, ...).
``submitted`` counts every row whatever its result; ``recognized`` those 'Công nhận'; ``pending``
those 'Đang xét'; ``benefit_vnd`` sums the reported amounts of recognised initiatives.
"""
from __future__ import annotations

from itertools import repeat
from typing import Iterable

import numpy as np
import pandas as pd

from sangkien.collation import sort_names
from sangkien.inputs.register import Register
from sangkien.inputs.renames import ORIGINAL
from sangkien.inputs.schema import AUTHOR_SEPARATOR, PENDING, RECOGNIZED, fold

FRAME_DTYPES = {"row": "int64", "nam": "int64", "so_tien_lam_loi": "float64", "diem": "float64"}


def frame(register: Register) -> pd.DataFrame:
    """The register as a pandas DataFrame (made once per register, kept in its cache)."""
    made = register.cache.get("frame")
    if made is None:
        made = pd.DataFrame({cid: pd.Series(values, dtype=FRAME_DTYPES[cid]) if cid in FRAME_DTYPES else values
                             for cid, values in register.columns.items()})
        register.cache["frame"] = made
    return made


def year_frame(register: Register, year: int) -> pd.DataFrame:
    """:func:`rows_of_year` of the register's :func:`frame` (the same frame: columns, types and index), made
    from the year's rows only while the whole frame is not made (the annexes of a national register's year,
    a tenth of its rows, in a process that needs no other figure)."""
    made = register.cache.get("frame")
    years = register.columns["nam"]
    if made is not None or not years:
        return rows_of_year(frame(register), year)
    at = np.flatnonzero(np.fromiter(years, dtype=np.int64, count=len(years)) == year)
    if not len(at):
        return rows_of_year(frame(register), year)
    taken, index = at.tolist(), pd.Index(at)
    return pd.DataFrame({cid: pd.Series([values[i] for i in taken], index=index, dtype=FRAME_DTYPES.get(cid))
                         for cid, values in register.columns.items()})


def rows_of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["nam"] == year]


def rows_of_period(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Rows with ``start <= nam <= end`` (an empty frame when end < start)."""
    return frame[(frame["nam"] >= start) & (frame["nam"] <= end)]


def recognized_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["ket_qua"] == RECOGNIZED]


def vietnamese_rank(names: pd.Series) -> pd.Series:
    """Each name's place in Vietnamese alphabetical order (:mod:`sangkien.collation`), as a number to sort by."""
    order = {name: i for i, name in enumerate(sort_names(set(names)))}
    return names.map(order)


def ordered_recognized(rows: pd.DataFrame, blocks: Iterable[str]) -> pd.DataFrame:
    """The recognised initiatives of ``rows`` in the order of the report's appendix and of its annex file:
    block (parameters' order), then unit (Vietnamese order), then code."""
    recognized = recognized_rows(rows)
    order = {b: i for i, b in enumerate(blocks)}
    return (recognized.assign(_b=recognized["khoi"].map(order), _u=vietnamese_rank(recognized["don_vi"]),
                              _c=vietnamese_rank(recognized["ma_so"].astype(str)))
            .sort_values(["_b", "_u", "_c"], kind="stable").drop(columns=["_b", "_u", "_c"]))


def recognition_rate(recognized: int, submitted: int) -> float | None:
    """Per cent of submitted initiatives recognised; ``None`` when nothing was submitted.

    >>> round(recognition_rate(332, 599), 4)
    55.4257
    >>> recognition_rate(0, 0) is None
    True
    """
    return share_percent(recognized, submitted)


def decided(c: dict[str, int]) -> int:
    """Of some ``counts``, the initiatives the council has decided on (recognised or not): all but the pending."""
    return c["submitted"] - c["pending"]


def decided_rate(c: dict[str, int]) -> float | None:
    """Per cent recognised of those decided (the pending left out); ``None`` when none was decided.

    >>> decided_rate({"submitted": 1350, "recognized": 854, "pending": 32})
    64.79514415781487
    """
    return share_percent(c["recognized"], decided(c))


def mean_per(total: int | float, count: int) -> float | None:
    """``total`` shared over ``count`` (initiatives a year, đồng an initiative); ``None`` over nothing.

    >>> mean_per(511, 7), mean_per(5, 0)
    (73.0, None)
    """
    return None if not count else total / count


def change_percent(current: float, previous: float) -> float | None:
    """Relative change in per cent; ``None`` when there is nothing to compare with.

    >>> change_percent(90, 80)
    12.5
    """
    return None if not previous else 100.0 * (current - previous) / previous


def counts(rows: pd.DataFrame) -> dict[str, int]:
    """``submitted``, ``recognized`` and ``pending`` of some rows."""
    results = rows["ket_qua"].value_counts(sort=False)
    return {
        "submitted": int(len(rows)),
        "recognized": int(results.get(RECOGNIZED, 0)),
        "pending": int(results.get(PENDING, 0)),
    }


def benefit_vnd(rows: pd.DataFrame) -> int | float:
    """Sum of the benefit amounts reported for recognised initiatives (empty amounts count as 0);
    a whole number of đồng as an ``int``."""
    total = float(recognized_rows(rows)["so_tien_lam_loi"].sum(skipna=True))
    return int(total) if total.is_integer() else round(total, 2)


def benefit_reported(rows: pd.DataFrame) -> int:
    """How many recognised initiatives report an amount."""
    return int(recognized_rows(rows)["so_tien_lam_loi"].notna().sum())


def by_block(rows: pd.DataFrame, blocks: Iterable[str]) -> dict[str, dict[str, int]]:
    """``{block: {"submitted": n, "recognized": m}}`` in the parameters' order, zeros included (every row
    counted once, whatever the number of blocks)."""
    submitted = rows["khoi"].value_counts(sort=False)
    recognized = rows.loc[(rows["ket_qua"] == RECOGNIZED).to_numpy(), "khoi"].value_counts(sort=False)
    return {block: {"submitted": int(submitted.get(block, 0)), "recognized": int(recognized.get(block, 0))}
            for block in blocks}


TALLIED = ["nam", "khoi", "ket_qua"]
"""The columns counting by year and block needs: a period's rows taken with these alone (a national register's
period is most of a million rows; every column of them would be copied for three)."""


def _table(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """``submitted``, ``recognized`` and ``rate`` of each value of ``key`` (the index; the callers order the rows),
    counted column-wise (no Python function a group: a province's thousand units)."""
    keys = rows[key]
    grouped = pd.DataFrame({"submitted": keys.groupby(keys, sort=False).size(),
                            "recognized": (rows["ket_qua"] == RECOGNIZED).groupby(keys, sort=False).sum()})
    grouped["rate"] = 100.0 * grouped["recognized"] / grouped["submitted"]
    return grouped


def by_unit(rows: pd.DataFrame, blocks: Iterable[str]) -> pd.DataFrame:
    """One row per unit: ``don_vi, khoi, submitted, recognized, rate, benefit_vnd``.

    Ordered by block (parameters' order), then most recognised first, then name.
    """
    columns = ["don_vi", "khoi", "submitted", "recognized", "rate", "benefit_vnd"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = _table(rows, "don_vi")
    table["khoi"] = rows.groupby("don_vi", sort=False)["khoi"].first()
    table["benefit_vnd"] = recognized_rows(rows).groupby("don_vi")["so_tien_lam_loi"].sum()
    table["benefit_vnd"] = table["benefit_vnd"].fillna(0.0)
    table = table.reset_index()
    block_order = {b: i for i, b in enumerate(blocks)}
    table["_block"] = table["khoi"].map(block_order)
    table["_name"] = vietnamese_rank(table["don_vi"])
    table = table.sort_values(["_block", "recognized", "submitted", "_name"], ascending=[True, False, False, True])
    return table[columns].reset_index(drop=True)


def by_field(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per field of application: ``linh_vuc, submitted, recognized, rate``, most submitted first."""
    columns = ["linh_vuc", "submitted", "recognized", "rate"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = _table(rows, "linh_vuc").reset_index()
    table["_name"] = vietnamese_rank(table["linh_vuc"])
    table = table.sort_values(["submitted", "recognized", "_name"], ascending=[False, False, True])
    return table[columns].reset_index(drop=True)


def author_names(tac_gia: str) -> list[str]:
    """The names in a 'Tác giả' cell, first author first.

    >>> author_names("Nguyễn Văn A; Trần Thị B ;")
    ['Nguyễn Văn A', 'Trần Thị B']
    """
    return list(filter(None, map(str.strip, tac_gia.split(AUTHOR_SEPARATOR))))


def authors(rows: pd.DataFrame) -> dict[str, int]:
    """Authors of some initiatives.

    ``people``: distinct persons, a person being a name within a unit (name and unit compared case- and
    space-insensitively: two people of one name in two units are two persons); ``entries``: names listed
    over all initiatives; ``first_authors`` / ``co_authors``: entries as first author / as co-author;
    ``with_coauthors``: initiatives with more than one author.

    Each cell's names as :func:`author_names` gives them, but split all at once (a national year's
    recognised initiatives are tens of thousands of cells): the cells joined by the separator and split
    once give every cell's pieces in turn, each cell owning one piece more than it has separators.
    """
    cells, units = rows["tac_gia"].tolist(), rows["don_vi"].tolist()
    if not cells:
        return {"people": 0, "entries": 0, "first_authors": 0, "co_authors": 0, "with_coauthors": 0}
    pieces = list(map(str.strip, AUTHOR_SEPARATOR.join(cells).split(AUTHOR_SEPARATOR)))
    owned = np.fromiter(map(str.count, cells, repeat(AUTHOR_SEPARATOR)), dtype=np.int64, count=len(cells)) + 1
    owner = np.repeat(np.arange(len(cells)), owned)  # the cell of each piece
    named = np.flatnonzero(np.fromiter(map(bool, pieces), dtype=bool, count=len(pieces)))
    per_cell = np.bincount(owner[named], minlength=len(cells))
    unit_keys = {unit: fold(unit) for unit in set(units)}
    name_keys = {name: fold(name) for name in set(pieces)}
    people = {(name_keys[pieces[i]], unit_keys[units[cell]]) for i, cell in zip(named.tolist(), owner[named].tolist())}
    entries, first = len(named), int(np.count_nonzero(per_cell))
    return {
        "people": len(people),
        "entries": entries,
        "first_authors": first,
        "co_authors": entries - first,
        "with_coauthors": int(np.count_nonzero(per_cell > 1)),
    }


def top_units(table: pd.DataFrame, limit: int = 3) -> pd.DataFrame:
    """The units of :func:`by_unit` with most recognised initiatives, most first (then most put forward,
    then in Vietnamese order): at most ``limit``, and never a unit left out that has as many as one taken
    (units tied at the cut are all taken while they fit in ``limit``, else none of them); empty when
    nothing was recognised.

    >>> t = pd.DataFrame({"don_vi": ["A", "B", "C", "D"], "submitted": [5, 4, 3, 3], "recognized": [4, 3, 2, 2]})
    >>> top_units(t)["don_vi"].tolist(), top_units(t, 4)["don_vi"].tolist()
    (['A', 'B'], ['A', 'B', 'C', 'D'])
    """
    rows = table[table["recognized"] > 0]
    rows = (rows.assign(_name=vietnamese_rank(rows["don_vi"]))
            .sort_values(["recognized", "submitted", "_name"], ascending=[False, False, True], kind="stable")
            .drop(columns="_name"))
    if len(rows) > limit:
        cut = rows["recognized"].iloc[limit - 1] if limit else None
        rows = rows[rows["recognized"] > cut] if rows["recognized"].iloc[limit] == cut else rows.head(limit)
    return rows


def units_shown(table: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The rows of :func:`by_unit`'s ``table`` a report prints: all of them up to ``limit`` units, else the
    units of :func:`top_units` (most recognised first, ties at the cut as it takes them), in the table's order.

    >>> t = pd.DataFrame({"don_vi": ["A", "B", "C"], "submitted": [5, 4, 3], "recognized": [1, 3, 2]})
    >>> units_shown(t, 3)["don_vi"].tolist(), units_shown(t, 2)["don_vi"].tolist()
    (['A', 'B', 'C'], ['B', 'C'])
    """
    if len(table) <= limit:
        return table
    return table[table["don_vi"].isin(top_units(table, limit)["don_vi"])]


def top_field(table: pd.DataFrame) -> dict | None:
    """The leading field of :func:`by_field`: the one with most recognised initiatives (or, when none was
    recognised, most put forward); ``None`` when no field leads alone.

    >>> t = pd.DataFrame({"linh_vuc": ["Y tế", "Giáo dục"], "submitted": [4, 9], "recognized": [3, 3]})
    >>> top_field(t) is None, top_field(t.iloc[1:])
    (True, {'linh_vuc': 'Giáo dục', 'submitted': 9, 'recognized': 3})
    """
    if table.empty:
        return None
    key = "recognized" if table["recognized"].max() > 0 else "submitted"
    leaders = table[table[key] == table[key].max()]
    if len(leaders) > 1:
        return None
    top = leaders.iloc[0]
    return {"linh_vuc": str(top["linh_vuc"]), "submitted": int(top["submitted"]), "recognized": int(top["recognized"])}


def trend_by_block(frame: pd.DataFrame, start: int, end: int, blocks: Iterable[str]) -> pd.DataFrame:
    """Rows ``nam, khoi, submitted, recognized`` for every year of ``start..end`` and every block (zeros kept)."""
    period = rows_of_period(frame[TALLIED], start, end)
    submitted = period.groupby(["nam", "khoi"], sort=False).size()
    recognized = period[period["ket_qua"] == RECOGNIZED].groupby(["nam", "khoi"], sort=False).size()
    records = [{"nam": year, "khoi": block, "submitted": int(submitted.get((year, block), 0)),
                "recognized": int(recognized.get((year, block), 0))}
               for year in range(start, end + 1) for block in blocks]
    return pd.DataFrame(records, columns=["nam", "khoi", "submitted", "recognized"])


def year_figures(frame: pd.DataFrame, year: int, blocks: Iterable[str]) -> dict:
    """The ``year`` object of manifest.json."""
    rows = rows_of_year(frame, year)
    return year_figures_of(rows, counts(rows), by_block(rows, blocks))


def year_figures_of(rows: pd.DataFrame, year_counts: dict[str, int], blocks_counts: dict) -> dict:
    """:func:`year_figures` of the year's ``rows``, whose :func:`counts` and :func:`by_block` are known."""
    return {**year_counts, "benefit_vnd": benefit_vnd(rows), "by_block": blocks_counts}


def period_figures(frame: pd.DataFrame, start: int, end: int, blocks: Iterable[str]) -> dict:
    """The ``period`` object of manifest.json (``start..end`` inclusive)."""
    rows = rows_of_period(frame[TALLIED], start, end)
    c = counts(rows)
    return {"from": start, "to": end, "submitted": c["submitted"], "recognized": c["recognized"],
            "by_block": by_block(rows, blocks)}


def manifest_figures(frame: pd.DataFrame, year: int, period_start: int, blocks: Iterable[str]) -> dict:
    """The ``figures`` object of manifest.json (contract section 4); with ``reorganisation`` when the
    parameters mapped earlier names that the comparisons hold (:func:`reorganisation_figures`)."""
    blocks = list(blocks)
    return figures_of(year_figures(frame, year, blocks), period_figures(frame, period_start, year - 1, blocks),
                      reorganisation_figures(frame, period_start, year))


def figures_of(year: dict, period: dict, mapped: dict | None) -> dict:
    """The ``figures`` object of manifest.json from its parts: :func:`year_figures`, :func:`period_figures` of
    ``period_start..year-1``, and :func:`reorganisation_figures` (None: nothing mapped)."""
    figures = {"year": year, "period": period}
    return {**figures, "reorganisation": mapped} if mapped else figures


# --------------------------------------------------------------------------- across a reorganisation

def mapped_columns(frame: pd.DataFrame) -> list[str]:
    """The columns :func:`renamed` and :func:`predecessors` read, of those ``frame`` has."""
    return [c for c in ("nam", "ket_qua", "khoi", "don_vi", ORIGINAL["khoi"], ORIGINAL["don_vi"]) if c in frame]


def renamed(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """The earlier names of ``column`` (``khoi`` or ``don_vi``) that ``reorganisation`` mapped onto today's in
    ``rows``: one row per earlier name (``old``, its first spelling; spellings differing by case or spacing
    are one name), with today's name (``new``) and the initiatives it brings (``submitted``, ``recognized``);
    by today's name, then the earlier one. Empty when the register was read without a reorganisation."""
    columns = ["old", "new", "submitted", "recognized"]
    original = ORIGINAL[column]
    if original not in rows or rows.empty:
        return pd.DataFrame(columns=columns)
    folded = {name: fold(name) for name in pd.unique(pd.concat([rows[original], rows[column]]))}
    key = rows[original].map(folded)
    moved = rows[key != rows[column].map(folded)].assign(_key=key)
    if moved.empty:
        return pd.DataFrame(columns=columns)
    table = moved.groupby(["_key", column], sort=False).agg(
        old=(original, "first"), submitted=("ket_qua", "size"),
        recognized=("ket_qua", lambda s: int((s == RECOGNIZED).sum()))).reset_index()
    table = table.rename(columns={column: "new"})
    table = table.assign(_new=table["new"].map(folded)).sort_values(["_new", "_key"])
    return table[columns].reset_index(drop=True)


def predecessors(rows: pd.DataFrame, year: int) -> dict[str, tuple[list[str], bool]]:
    """Today's unit -> the earlier units counted under it in ``rows`` (:func:`renamed`), and whether rows
    before ``year`` also hold its own name (it took the others in) or not (it was made of them)."""
    table = renamed(rows, "don_vi")
    if table.empty:
        return {}
    earlier = rows[rows["nam"] < year]
    own = {fold(name) for name in earlier[ORIGINAL["don_vi"]].unique()}
    found: dict[str, list[str]] = {}
    for r in table.itertuples(index=False):
        found.setdefault(r.new, []).append(r.old)
    return {unit: (olds, fold(unit) in own) for unit, olds in found.items()}


def reorganisation_figures(frame: pd.DataFrame, start: int, year: int) -> dict | None:
    """The ``reorganisation`` object of manifest.json: over the years the report compares (``start..year``),
    every earlier block and unit counted under today's, with the initiatives it brings; ``None`` when
    nothing was mapped."""
    rows = rows_of_period(frame[mapped_columns(frame)], start, year)
    return reorganisation_of({column: renamed(rows, column) for column in ("khoi", "don_vi")}, start, year)


def reorganisation_of(tables: dict[str, pd.DataFrame], start: int, year: int) -> dict | None:
    """:func:`reorganisation_figures` from the :func:`renamed` tables of ``khoi`` and ``don_vi`` over
    ``start..year``."""
    found = {}
    for key, column in (("blocks", "khoi"), ("units", "don_vi")):
        table = tables[column]
        if not table.empty:
            found[key] = [{"old": r.old, "new": r.new, "submitted": int(r.submitted), "recognized": int(r.recognized)}
                          for r in table.itertuples(index=False)]
    return {"from": start, "to": year, **found} if found else None


# --------------------------------------------------------------------------- one unit (result sheets)

def units_of_year(frame: pd.DataFrame, year: int) -> list[str]:
    """The units that put initiatives forward in ``year``, as written in the register, in Vietnamese order
    (one entry per unit even when its spellings differ in case or spacing)."""
    names: dict[str, str] = {}
    for name in rows_of_year(frame, year)["don_vi"]:
        names.setdefault(fold(name), name)
    return [names[key] for key in sort_names(names)]


def unit_rows(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The rows of ``unit`` (compared with :func:`sangkien.inputs.schema.fold`: case and spacing do not matter;
    only the distinct names are folded, not every row)."""
    key = fold(unit)
    return frame[frame["don_vi"].isin([name for name in frame["don_vi"].unique() if fold(name) == key])]


def unit_block(rows: pd.DataFrame) -> str | None:
    """The block a unit's rows are filed under (validation allows one block per unit); ``None`` when no rows."""
    return None if rows.empty else str(rows["khoi"].iloc[0])


def share_percent(part: int | float, whole: int | float) -> float | None:
    """``part`` as a per cent of ``whole``; ``None`` when ``whole`` is zero.

    >>> share_percent(6, 63)
    9.523809523809524
    """
    return None if not whole else 100.0 * part / whole


def unit_trend(frame: pd.DataFrame, unit: str, start: int, end: int) -> pd.DataFrame:
    """:func:`yearly_counts` of ``unit``: rows ``nam, submitted, recognized, rate`` for ``start..end``."""
    return yearly_counts(unit_rows(frame, unit), start, end)


def unit_figures(frame: pd.DataFrame, year: int, unit: str, blocks: Iterable[str], period_start: int) -> dict:
    """The numbers of a unit's result sheet, beside the city's and its block's.

    ``year`` / ``previous`` / ``period``: the unit's counts (``period``: ``period_start..year-1``);
    ``block``: the unit's block this year; ``city`` / ``block_counts``: the counts of the city and of
    that block this year; ``benefit_vnd`` / ``benefit_reported``: the unit's recognised initiatives'.
    """
    rows = unit_rows(frame, unit)
    this_year = rows_of_year(rows, year)
    city_rows = rows_of_year(frame, year)
    block = unit_block(this_year)
    block_rows = city_rows[city_rows["khoi"] == block]
    period = counts(rows_of_period(rows, period_start, year - 1))
    return {
        "year": counts(this_year),
        "previous": counts(rows_of_year(rows, year - 1)),
        "period": {"from": period_start, "to": year - 1, "submitted": period["submitted"],
                   "recognized": period["recognized"]},
        "block": block,
        "city": counts(city_rows),
        "block_counts": counts(block_rows),
        "benefit_vnd": benefit_vnd(this_year),
        "benefit_reported": benefit_reported(this_year),
    }


RESULT_ORDER = {RECOGNIZED: 0, PENDING: 1}


def unit_list(rows: pd.DataFrame) -> pd.DataFrame:
    """A unit's initiatives for its list: recognised first, then pending, then not recognised; by code within."""
    order = rows["ket_qua"].map(lambda r: RESULT_ORDER.get(r, 2))
    # codes compared with their numbers as numbers: SK-9 before SK-10
    code = rows["ma_so"].astype(str).map(fold).str.replace(r"\d+", lambda m: m.group(0).zfill(12), regex=True)
    return (rows.assign(_order=order, _code=code).sort_values(["_order", "_code"], kind="stable")
            .drop(columns=["_order", "_code"]).reset_index(drop=True))


def yearly_counts(rows: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Rows ``nam, submitted, recognized, rate`` of some rows for every year of ``start..end``
    (zeros kept; ``rate`` is ``None`` in a year with nothing submitted).

    Counted in one pass over the years and results (a unit's sheet asks it of the whole register too: the
    city's counts beside the unit's), not once per year."""
    years = rows["nam"].to_numpy()
    inside = (years >= start) & (years <= end)
    span = max(end - start + 1, 0)
    offsets = years[inside] - start
    recognized_rows = (rows["ket_qua"] == RECOGNIZED).to_numpy(dtype=bool, na_value=False)
    submitted = np.bincount(offsets, minlength=span)
    recognized = np.bincount(offsets[recognized_rows[inside]], minlength=span)
    records = [{"nam": year, "submitted": int(s), "recognized": int(r), "rate": recognition_rate(int(r), int(s))}
               for year, s, r in zip(range(start, end + 1), submitted, recognized)]
    return pd.DataFrame(records, columns=["nam", "submitted", "recognized", "rate"])
