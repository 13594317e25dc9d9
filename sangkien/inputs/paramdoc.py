"""``sangkien params``: every parameter with its type, default and meaning, read from the dataclasses of
:mod:`sangkien.inputs.params` (the schema that validates them), so the listing cannot drift from the validator.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass

from sangkien import files, paths
from sangkien.inputs.fields import field_types
from sangkien.inputs.params import INTERNAL, KINDS, NESTED, Params
from sangkien.inputs.yamlfile import load_yaml


@dataclass(frozen=True)
class ParamDoc:
    key: str
    """Dotted key as written in YAML ('signer.name')."""
    type: str
    required: bool
    default: str
    """The built-in default, as text ('' when there is none)."""
    shared: str | None
    """The value in params/defaults.yaml, as text, when that file sets it."""
    meaning: str
    note: str


def _show(value) -> str:
    if value is None or value == "" or value == () or value == {}:
        return "(trống)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (datetime.date, int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _type_label(kind_of) -> str:
    label = KINDS[kind_of].label
    return label[4:] if label.startswith("một ") else label


def _shared_defaults() -> dict:
    return load_yaml(paths.DEFAULTS_FILE) if paths.DEFAULTS_FILE.exists() else {}


def describe(cls=Params, prefix: str = "", shared: dict | None = None) -> list[ParamDoc]:
    """One ParamDoc per key (nested keys after their parent), in the schema's order."""
    shared = _shared_defaults() if shared is None else shared
    docs = []
    for f in dataclasses.fields(cls):
        if f.name in INTERNAL:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        nested = f.name in NESTED and cls is Params
        if required or nested:
            default = ""
        else:
            default = _show(f.default_factory() if f.default is dataclasses.MISSING else f.default)
        in_shared = shared.get(f.name) if isinstance(shared, dict) else None
        docs.append(ParamDoc(
            key=prefix + f.name, type=_type_label(field_types(cls)[f.name]), required=required, default=default,
            shared=None if in_shared is None or nested else _show(in_shared),
            meaning=f.metadata["meaning"],
            note=f.metadata["note"] or (f"nên viết: {f.metadata['hint']}" if f.metadata["hint"] else ""),
        ))
        if nested:
            docs.extend(describe(NESTED[f.name], f"{f.name}.", in_shared if isinstance(in_shared, dict) else {}))
    return docs


def _shared_name() -> str:
    return files.shown(paths.DEFAULTS_FILE)


def render_text(docs: list[ParamDoc] | None = None) -> str:
    """The listing for a terminal: one block per key."""
    docs = describe() if docs is None else docs
    shared_name = _shared_name()
    lines = [
        f"Các tham số của báo cáo. {shared_name} ghi các giá trị dùng chung; params/NĂM.yaml ghi đè từng khóa.",
        "Khóa con viết thụt vào dưới khóa cha, ví dụ 'signer:' rồi '  name: Nguyễn Văn A'.",
        "",
    ]
    for d in docs:
        facts = [d.type]
        if d.required:
            facts.append("bắt buộc")
        elif d.default:
            facts.append(f"mặc định {d.default}")
        if d.shared is not None:
            facts.append(f"trong {shared_name}: {d.shared}")
        lines.append(f"{d.key} — {d.meaning}")
        lines.append(f"    {'; '.join(facts)}")
        if d.note:
            lines.append(f"    {d.note}")
    return "\n".join(lines) + "\n"


def render_markdown(docs: list[ParamDoc] | None = None) -> str:
    """The listing as a Markdown table (for the guide)."""
    docs = describe() if docs is None else docs
    shared_name = _shared_name()

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| khóa | kiểu | mặc định | ý nghĩa |", "|---|---|---|---|"]
    for d in docs:
        default = "**bắt buộc**" if d.required else d.default
        if d.shared is not None:
            shared = f"trong `{shared_name}`: {d.shared}"
            default = f"{default}; {shared}" if default else shared
        meaning = d.meaning + (f" ({d.note})" if d.note else "")
        lines.append(f"| `{d.key}` | {cell(d.type)} | {cell(default)} | {cell(meaning)} |")
    return "\n".join(lines) + "\n"

