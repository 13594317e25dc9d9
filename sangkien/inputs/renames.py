"""A reorganisation: the earlier blocks and units of a register mapped onto today's names
(``reorganisation`` of the parameters), resolved once when the parameters are read (:func:`resolve`), and
a register read across it.

The names are changed on the sheet before any rule runs, so that a row filed under an old block that is
mapped is valid, and a unit is under one block once every name is today's. The names as the register
writes them are kept beside (:data:`ORIGINAL`): the report shows what was mapped and how many initiatives
each old name brought, and ``check`` says it (:func:`summary`). Without a reorganisation nothing changes.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sangkien.errors import ParamsError
from sangkien.inputs import schema
from sangkien.inputs.fields import convert, documented
from sangkien.inputs.sheet import Sheet
from sangkien.inputs.shown import shown


@dataclass(frozen=True)
class Reorganisation:
    """Earlier names mapped onto today's, for comparisons across a reorganisation (contract section 3):
    every row of every year is counted under today's block and unit.

    As loaded, both mappings are resolved: names NFC and trimmed, a name mapped to itself left out, chains
    followed (``a → b`` and ``b → c`` count ``a`` under ``c``), and every block mapped onto the spelling
    ``blocks`` gives it. The register matches an old name with :func:`sangkien.inputs.schema.fold` (case,
    spaces, NFC/NFD and invisible characters do not matter)."""

    blocks: dict[str, str] = documented(
        "khối cũ → khối hiện nay", factory=dict,
        note="mỗi dòng 'khối cũ: khối hiện nay'; khối hiện nay phải có trong blocks, khối cũ thì không")
    units: dict[str, str] = documented(
        "đơn vị cũ → đơn vị hiện nay", factory=dict,
        note="mỗi dòng 'đơn vị cũ: đơn vị hiện nay'; nhiều đơn vị cũ có thể cùng về một đơn vị (sáp nhập)")

    def __bool__(self) -> bool:
        """True when some name is mapped."""
        return bool(self.blocks or self.units)


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


# --------------------------------------------------------------------------- resolved as the parameters are read

def resolve(where: str, value, blocks: tuple[str, ...]) -> Reorganisation:
    """The ``reorganisation`` a parameters file writes (``value``, named ``where``), resolved (see
    :class:`Reorganisation`) with its old blocks mapped onto ``blocks``; ParamsError naming the entry at fault."""
    given = convert(where, "reorganisation", value, Reorganisation)
    return Reorganisation(blocks=_renames(where, "reorganisation.blocks", given.blocks, blocks),
                          units=_renames(where, "reorganisation.units", given.units))


def _name(where: str, key: str, value, old=None) -> str:
    """An old or today's name, NFC and trimmed; ParamsError when it is not text or is empty."""
    if not isinstance(value, str):
        raise ParamsError(f'{where}: khóa "{key}": tên cần là chữ, nhận được {shown(value)}')
    text = schema.nfc(value)
    if not text:
        at = f' (tên hiện nay của "{schema.nfc(str(old))}")' if old is not None else ""
        raise ParamsError(f'{where}: khóa "{key}": tên trống{at}')
    return text


def _renames(where: str, key: str, given: dict, blocks: tuple[str, ...] | None = None) -> dict[str, str]:
    """Old name -> today's name, resolved (see :class:`Reorganisation`); ``blocks``: the blocks today's must be."""
    names: dict[str, str] = {}
    """Folded old name -> today's name as written."""
    written: dict[str, str] = {}
    for old, new in given.items():
        old_text, new_text = _name(where, key, old), _name(where, key, new, old)
        folded = schema.fold(old_text)
        if folded == schema.fold(new_text):
            continue  # a name mapped to itself changes nothing
        if folded in names and schema.fold(names[folded]) != schema.fold(new_text):
            raise ParamsError(f'{where}: khóa "{key}": tên cũ "{old_text}" được ghi hai lần, sang "{names[folded]}" '
                              f'và sang "{new_text}"')
        names[folded] = new_text
        written.setdefault(folded, old_text)
    today: dict[str, str] = {}
    renames = {written[f]: _follow(where, key, f, names, written, today) for f in names}
    return renames if blocks is None else _onto_blocks(where, key, renames, blocks)


def _follow(where: str, key: str, start: str, names: dict[str, str], written: dict[str, str],
            today: dict[str, str]) -> str:
    """Today's name of the old name folded ``start``: its target, that target's, ... ParamsError on a loop.

    ``today`` (folded old name -> today's name) keeps every name resolved, so each is followed once: a
    chain of n names takes n steps, not n² (n³ with the loop check)."""
    if start in today:
        return today[start]
    path = [start]
    on_path = {start}
    target = names[start]
    while (folded := schema.fold(target)) in names:
        if folded in today:
            target = today[folded]
            break
        if folded in on_path:
            loop = " → ".join(f'"{written[f]}"' for f in [*path, folded])
            raise ParamsError(f'{where}: khóa "{key}": tên chuyển vòng tròn {loop}; mỗi tên cũ cần về một tên hiện nay')
        path.append(folded)
        on_path.add(folded)
        target = names[folded]
    today.update(dict.fromkeys(path, target))
    return target


def _onto_blocks(where: str, key: str, renames: dict[str, str], blocks: tuple[str, ...]) -> dict[str, str]:
    """Each old block's today's block in the spelling of ``blocks``; ParamsError naming an old block whose
    today's block is not in ``blocks``, or an old block that still is one."""
    spelling = {schema.fold(b): b for b in blocks}
    for old, new in renames.items():
        if schema.fold(old) in spelling:
            raise ParamsError(f'{where}: khóa "{key}": khối "{old}" vẫn có trong blocks nên không là khối cũ; '
                              f'bỏ nó khỏi blocks hoặc khỏi {key}')
        if schema.fold(new) not in spelling:
            raise ParamsError(f'{where}: khóa "{key}": khối cũ "{old}" chuyển sang "{new}", nhưng "{new}" không có '
                              f"trong blocks; {schema.need_choice(blocks)}")
    return {old: spelling[schema.fold(new)] for old, new in renames.items()}


# --------------------------------------------------------------------------- what check says
# (``register``: a :class:`~sangkien.inputs.register.Register`, which imports this module)

def _moved(register, column: str) -> dict[tuple[str, str], int]:
    """(old name as first written, today's name) -> initiatives, for the names of ``column`` that changed
    (each distinct pair folded once: a national register repeats a few thousand names a million times)."""
    first: dict[str, str] = {}
    found: dict[tuple[str, str], int] = {}
    for (old, new), n in Counter(zip(register.columns[ORIGINAL[column]], register.columns[column])).items():
        key = schema.fold(old)
        if key != schema.fold(new):
            pair = (first.setdefault(key, old), new)
            found[pair] = found.get(pair, 0) + n
    return dict(sorted(found.items(), key=lambda item: (schema.fold(item[0][1]), schema.fold(item[0][0]))))


def _by_year(register) -> list[str]:
    """One line per year: recognised/submitted under each of today's blocks."""
    counts: dict[int, dict[str, list[int]]] = {}
    columns = register.columns
    for (year, block, result), n in Counter(zip(columns["nam"], columns["khoi"], columns["ket_qua"])).items():
        pair = counts.setdefault(year, {}).setdefault(block, [0, 0])
        pair[0] += n if result == schema.RECOGNIZED else 0
        pair[1] += n
    order = list(register.blocks) + [b for b in dict.fromkeys(columns["khoi"]) if b not in register.blocks]
    lines = []
    for year in sorted(counts):
        parts = [f"{block} {counts[year][block][0]}/{counts[year][block][1]}" for block in order if block in counts[year]]
        lines.append(f"  {year}: " + "; ".join(parts))
    return lines


def _earlier_years(register) -> list[int]:
    """The years of the register that some row writes under an earlier name (a mapped block or unit)."""
    years = set()
    for column in ORIGINAL:
        triples = set(zip(register.columns["nam"], register.columns[ORIGINAL[column]], register.columns[column]))
        years.update(year for year, old, new in triples if schema.fold(old) != schema.fold(new))
    return sorted(years)


def _unmatched(register) -> list[str]:
    """The old names of the mapping that no row holds (a misspelling?), for the blocks and for the units, each
    only when the register writes some other old name of that kind (it holds years of the earlier
    organisation's names): a file of years after the reorganisation holds none of them, and nothing is said."""
    missing = []
    for column, names, what in (("khoi", register.reorganisation.blocks, "khối"),
                                ("don_vi", register.reorganisation.units, "đơn vị")):
        held = {schema.fold(text) for text in set(register.columns[ORIGINAL[column]])}
        unmatched = [old for old in names if schema.fold(old) not in held]
        if len(unmatched) < len(names):
            missing.extend(f'{what} "{old}"' for old in unmatched)
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
        years = ", ".join(map(str, _earlier_years(register)))
        lines.append(f"Tên trước đây trong reorganisation không có trong sổ (sổ ghi tên trước đây ở năm {years}; "
                     "kiểm tra chính tả): " + "; ".join(missing))
    return lines
