"""A validated register on disk: what a kept entry (:mod:`~sangkien.inputs.kept`) and a build's snapshot for its
kernels (:mod:`~sangkien.inputs.snapshot`) hold of it (:func:`sangkien.inputs.register.payload`).

The columns of plain values (text, whole and decimal numbers, empty cells: every column of a valid register)
are written by :mod:`marshal`, one after another, each behind its length; everything else by pickle, first.
marshal writes a million rows' columns in a third of pickle's time (it keeps no memo of what it wrote; a text
met twice is still written once), and a build writes them while its kernel boots, which then waits for them.
A column holding anything else (a date, a numpy number, which marshal would write as its bytes) is pickled.
Read back only by the Python that wrote it, as pickle's entries are (a kept entry's key names the Python).
"""
from __future__ import annotations

import marshal
import pickle
from typing import BinaryIO

PLAIN = frozenset({str, int, float, bool, type(None)})
"""The types of the values marshal writes as they are."""
_LENGTH = 8


def plain(values) -> bool:
    """Whether ``values`` is a list of :data:`PLAIN` values only (then marshal writes it)."""
    return type(values) is list and set(map(type, values)) <= PLAIN


def dump(data: dict, f: BinaryIO) -> None:
    """``data`` (a register's payload: its ``columns`` a dict of lists, and other keys) written to ``f``."""
    columns = data["columns"]
    marshalled = [name for name, values in columns.items() if plain(values)]
    rest = {name: values for name, values in columns.items() if name not in marshalled}
    pickle.dump({**data, "columns": rest, "order": list(columns), "marshalled": marshalled}, f,
                protocol=pickle.HIGHEST_PROTOCOL)
    for name in marshalled:
        written = marshal.dumps(columns[name], marshal.version)
        f.write(len(written).to_bytes(_LENGTH, "little"))
        f.write(written)


def load(f: BinaryIO) -> dict:
    """The ``data`` :func:`dump` wrote, from where ``f`` is; ``f`` left after it."""
    data = pickle.load(f)
    columns = data["columns"]
    for name in data.pop("marshalled"):
        columns[name] = marshal.loads(f.read(int.from_bytes(f.read(_LENGTH), "little")))
    data["columns"] = {name: columns[name] for name in data.pop("order")}
    return data


def dumps(data: dict) -> bytes:
    """:func:`dump` as bytes."""
    import io

    buffer = io.BytesIO()
    dump(data, buffer)
    return buffer.getvalue()
