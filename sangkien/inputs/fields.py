"""A parameter's field: what it means to an analyst (:func:`documented`) and the kind of value it takes
(:class:`Kind`), with the conversion of a value as a parameters file writes it into the value the field
holds (:func:`convert`), a mistake named by file, key and value.

Each kind is a small function of its own: a parameters file is YAML, so a value arrives already typed (an
int, a date, a list) and the conversions are mostly refusals (``true`` is not a year) with a few
spellings allowed (a number for text, ``05/01/2024`` for a date).
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs.shown import shown


def documented(meaning: str, default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING,
               note: str = "", hint: str = ""):
    """A field with what it means to an analyst (Vietnamese): the one place from which ``sangkien params``
    lists the parameters, the validator names a missing key, and ``new-year`` prompts for a section.

    ``meaning`` is a short noun phrase; ``note`` adds detail for the listing; ``hint`` (sections only)
    says what to write."""
    return field(default=default, default_factory=factory, metadata={"meaning": meaning, "note": note, "hint": hint})


@dataclass(frozen=True)
class Kind:
    label: str
    """What a value must be, in the analyst's words (the validator's messages and ``sangkien params``)."""
    convert: Callable[[Any], Any]
    """The value as Params holds it; ValueError for a value of another kind."""


def _to_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(value)
    return value


def _to_bool(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def project_path(text: str) -> Path:
    """A path written in a parameters file: relative to the project's root."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else paths.ROOT / path


def _to_path(value) -> Path:
    return project_path(_to_text(value))


def _to_texts(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(value)
    return tuple(v.strip() for v in value)


def _to_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y") if isinstance(value, str) else ():
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            pass
    raise ValueError(value)


def _to_mapping(value) -> dict:
    if not isinstance(value or {}, dict):
        raise ValueError(value)
    return dict(value or {})


def _to_numbers(value) -> str | dict[str, str]:
    """A number (the first of a series), or a number for each name: ``notice_numbers``."""
    if isinstance(value, dict):
        return {str(k).strip(): _to_text(v).strip() for k, v in value.items()}
    first = _to_text(value).strip()
    if first and not first.isdigit():  # a series needs a whole number to count on from
        raise ValueError(value)
    return first


_KINDS: dict[Any, Kind] = {
    int: Kind("một số nguyên", _to_int),
    Path: Kind("một đường dẫn tệp", _to_path),
    bool: Kind("true hoặc false", _to_bool),
    str: Kind("một đoạn chữ", _to_text),
    datetime.date | None: Kind("một ngày (2024-01-05 hoặc 05/01/2024)", _to_date),
    tuple[str, ...]: Kind("một danh sách các dòng chữ không trống", _to_texts),
    dict[str, str]: Kind("các cặp 'tên cũ: tên hiện nay' (YAML mapping)", _to_mapping),
    str | dict[str, str]: Kind("một số nguyên (số đầu tiên), hoặc các cặp 'tên đơn vị: số' (YAML mapping)", _to_numbers),
}
"""The kind of each type a field may have, but a dataclass (:data:`KEYS`)."""
KEYS = Kind("các khóa con (YAML mapping)", _to_mapping)
"""The kind of a field that is a dataclass: keys of its own, converted key by key."""


def kind(kind_of) -> Kind:
    """The kind of a field's type (``int``, ``tuple[str, ...]``, a dataclass...)."""
    return KEYS if dataclasses.is_dataclass(kind_of) else _KINDS[kind_of]


@functools.cache
def field_types(cls) -> dict[str, Any]:
    """Field name -> its type (the class, not the annotation's text)."""
    return typing.get_type_hints(cls)


def convert(where: str, key: str, value, kind_of) -> Any:
    """``value`` as a field of type ``kind_of`` holds it (a nested dataclass key by key); ParamsError otherwise."""
    expected = kind(kind_of)
    try:
        converted = expected.convert(value)
    except ValueError:
        raise ParamsError(f'{where}: khóa "{key}" cần {expected.label}, nhận được {shown(value)}') from None
    if dataclasses.is_dataclass(kind_of):
        types = field_types(kind_of)
        return kind_of(**{k: convert(where, f"{key}.{k}", v, types[k]) for k, v in converted.items()})
    return converted
