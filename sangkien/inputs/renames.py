"""A register read across a reorganisation: the old blocks and units of earlier years counted under
today's names (``reorganisation`` of the parameters, :class:`~sangkien.inputs.params.Reorganisation`).

The names are changed on the sheet before any rule runs, so that a row filed under an old block that is
mapped is valid, and a unit is under one block once every name is today's. The names as the register
writes them are kept beside (:data:`ORIGINAL`): the report shows what was mapped and how many initiatives
each old name brought, and ``check`` says it (:func:`summary`). Without a reorganisation nothing changes.
"""
from __future__ import annotations

from sangkien.inputs import schema
from sangkien.inputs.params import Reorganisation
from sangkien.inputs.sheet import Sheet

ORIGINAL = {"khoi": "khoi_goc", "don_vi": "don_vi_goc"}
"""Column id -> the column of the register that keeps the name as written, when a reorganisation is set."""


def _mappings(reorganisation: Reorganisation) -> dict[str, dict[str, str]]:
    """Column id -> folded old name -> today's name."""
    return {"khoi": {schema.fold(old): new for old, new in reorganisation.blocks.items()},
            "don_vi": {schema.fold(old): new for old, new in reorganisation.units.items()}}


def today_name(name: str, reorganisation: Reorganisation | None, column: str = "don_vi") -> str:
    """``name`` under today's name (unchanged when it is not an old name).

    >>> today_name("ubnd  QUẬN A", Reorganisation(units={"UBND quận A": "UBND phường A"}))
    'UBND phường A'
    """
    if not reorganisation:
        return name
    return _mappings(reorganisation)[column].get(schema.fold(name), name)


def apply(sheet: Sheet, reorganisation: Reorganisation | None) -> None:
    """Change the old names of the sheet's blocks and units to today's (``sheet.renamed`` keeps the texts
    as written, for a column where some name changed). Works once per distinct text."""
    if not reorganisation:
        return
    for column, mapping in _mappings(reorganisation).items():
        texts = sheet.texts.get(column)
        if not mapping or texts is None:
            continue
        today = {text: mapping.get(schema.fold(text), text) for text in set(texts)}
        if any(new != text for text, new in today.items()):
            sheet.renamed[column] = texts
            sheet.texts[column] = [today[text] for text in texts]


def originals(sheet: Sheet, reorganisation: Reorganisation | None) -> dict[str, list[str]]:
    """The register's columns of names as written (:data:`ORIGINAL`), when a reorganisation is set."""
    if not reorganisation:
        return {}
    return {kept: sheet.renamed.get(column, sheet.texts[column]) for column, kept in ORIGINAL.items()}


# --------------------------------------------------------------------------- what check says
# (``register``: a :class:`~sangkien.inputs.register.Register`, which imports this module)

def _moved(register, column: str) -> dict[tuple[str, str], int]:
    """(old name as first written, today's name) -> initiatives, for the names of ``column`` that changed."""
    first: dict[str, str] = {}
    found: dict[tuple[str, str], int] = {}
    for old, new in zip(register.columns[ORIGINAL[column]], register.columns[column]):
        key = schema.fold(old)
        if key != schema.fold(new):
            pair = (first.setdefault(key, old), new)
            found[pair] = found.get(pair, 0) + 1
    return dict(sorted(found.items(), key=lambda item: (schema.fold(item[0][1]), schema.fold(item[0][0]))))


def _by_year(register) -> list[str]:
    """One line per year: recognised/submitted under each of today's blocks."""
    counts: dict[int, dict[str, list[int]]] = {}
    for year, block, result in zip(register.columns["nam"], register.columns["khoi"], register.columns["ket_qua"]):
        pair = counts.setdefault(year, {}).setdefault(block, [0, 0])
        pair[0] += result == schema.RECOGNIZED
        pair[1] += 1
    order = list(register.blocks) + [b for b in dict.fromkeys(register.columns["khoi"]) if b not in register.blocks]
    lines = []
    for year in sorted(counts):
        parts = [f"{block} {counts[year][block][0]}/{counts[year][block][1]}" for block in order if block in counts[year]]
        lines.append(f"  {year}: " + "; ".join(parts))
    return lines


def _unmatched(register) -> list[str]:
    """The old names of the mapping that no row holds (a misspelling?)."""
    missing = []
    for column, names, what in (("khoi", register.reorganisation.blocks, "khối"),
                                ("don_vi", register.reorganisation.units, "đơn vị")):
        held = {schema.fold(text) for text in register.columns[ORIGINAL[column]]}
        missing.extend(f'{what} "{old}"' for old in names if schema.fold(old) not in held)
    return missing


def summary(register) -> list[str]:
    """What ``check`` prints under "hợp lệ" for a register read with a reorganisation: every old name found,
    today's name and how many initiatives it brings; every year under today's blocks; the old names of the
    mapping the register does not hold. Nothing without a reorganisation."""
    if not register.reorganisation or ORIGINAL["khoi"] not in register.columns:
        return []
    blocks, units = _moved(register, "khoi"), _moved(register, "don_vi")
    if blocks or units:
        lines = [f"Tính theo tên hiện nay (khóa reorganisation): {sum(blocks.values())} sáng kiến ghi khối trước "
                 f"đây, {sum(units.values())} sáng kiến ghi đơn vị trước đây:"]
    else:
        lines = ["Tính theo tên hiện nay (khóa reorganisation): không sáng kiến nào ghi khối hay đơn vị trước đây."]
    for what, moved in (("khối", blocks), ("đơn vị", units)):
        lines += [f'  {what} "{old}" → "{new}": {n} sáng kiến' for (old, new), n in moved.items()]
    lines.append("Số sáng kiến theo năm và khối hiện nay (công nhận/đề nghị):")
    lines += _by_year(register)
    missing = _unmatched(register)
    if missing:
        lines.append("Tên trước đây trong reorganisation không có trong sổ (kiểm tra chính tả): " + "; ".join(missing))
    return lines
