"""Is a published year up to date? A fingerprint of everything a report is made from.

A report is made from the register's bytes, the parameters files (the shared defaults included), the
notebook, the package's code, its templates and fonts, the pinned requirements and the options of the
build (formats, the files' paths printed in the colophon, SOURCE_DATE_EPOCH, the unit sheets). The
published ``manifest.json`` keeps the fingerprint it was built from and the digests of its outputs; the
next build compares, and rebuilds only when something differs or an output is missing or was edited.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sangkien import paths
from sangkien.files import sha256_file
from sangkien.inputs.params import Params

# component -> what the analyst is told changed
WHAT = {
    "register": "sổ đăng ký",
    "params": "tệp tham số",
    "notebook": "sổ tay báo cáo",
    "unit_notebook": "sổ tay thông báo đơn vị",
    "package": "mã nguồn gói sangkien",
    "templates": "mẫu trình bày",
    "fonts": "phông chữ",
    "requirements": "danh sách thư viện (requirements.txt)",
    "options": "tùy chọn dựng",
}
OPTIONS = {
    "formats": "định dạng (--to)",
    "units": "phiếu đơn vị (--units, --no-units)",
    "data_path": "đường dẫn sổ đăng ký",
    "params_path": "đường dẫn tệp tham số",
    "source_date_epoch": "SOURCE_DATE_EPOCH",
}
"""option -> what the analyst is told changed, when the options did (the reason names only those that did)."""


def _tree_digest(folder: Path, skip: tuple[Path, ...] = ()) -> str:
    """One digest over every file under ``folder`` (relative path and bytes), caches left out."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if any(path.is_relative_to(s) for s in skip):
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(sha256_file(path).encode() + b"\0")
    return digest.hexdigest()


def fingerprint(params: Params, notebooks: list[Path], options: dict, register_sha256: str | None = None) -> dict:
    """The digest of each kind of input of one year's build (``register_sha256``: the register's, when
    already known); ``option_values`` keeps the options themselves, so that a reason names the one that
    changed."""
    requirements = paths.ROOT / "requirements.txt"
    options = {
        **options,
        "data_path": str(Path(params.data).resolve()),
        "params_path": str(params.params_file.resolve()),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
    }
    notebook_digest = hashlib.sha256()
    for notebook in notebooks:
        notebook_digest.update(sha256_file(notebook).encode())
    return {
        "register": register_sha256 or sha256_file(params.data),
        "params": params.sha256(),
        "notebook": notebook_digest.hexdigest(),
        "package": _tree_digest(paths.PACKAGE, skip=(paths.TEMPLATES_DIR, paths.FONTS_DIR)),
        "templates": _tree_digest(paths.TEMPLATES_DIR),
        "fonts": _tree_digest(paths.FONTS_DIR),
        "requirements": sha256_file(requirements) if requirements.exists() else "",
        "options": hashlib.sha256(json.dumps(options, sort_keys=True, ensure_ascii=False).encode()).hexdigest(),
        "option_values": options,
    }


def of_build(params: Params, register_sha256: str, notebook: Path, formats: tuple[str, ...], units: bool) -> dict:
    """The fingerprint of one build of a year: its notebook (and the unit sheets' with ``units``, a
    component of its own), its formats and whether it makes the unit sheets."""
    made = fingerprint(params, [notebook], {"formats": sorted(formats), "units": units}, register_sha256)
    made["unit_notebook"] = sha256_file(paths.UNIT_NOTEBOOK) if units else ""
    return made


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` but manifest.json, by path relative to it."""
    return {path.relative_to(folder).as_posix(): sha256_file(path)
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != "manifest.json"}


def _what(component: str, previous: dict, current: dict) -> str:
    """What changed, in the analyst's words: the options that differ, by name, for ``options``."""
    before, now = previous.get("option_values"), current.get("option_values")
    if component != "options" or not isinstance(before, dict) or not isinstance(now, dict):
        return WHAT[component]
    names = [o for o in OPTIONS if o in before or o in now] + sorted((set(before) | set(now)) - set(OPTIONS))
    which = [OPTIONS.get(o, o) for o in names if before.get(o) != now.get(o)]
    return f"{WHAT[component]} ({', '.join(which)})" if which else WHAT[component]


@dataclass(frozen=True)
class Freshness:
    up_to_date: bool
    reason: str
    """Why it is up to date, or what changed (in Vietnamese, for the analyst)."""
    manifest: dict | None = None


def check(folder: Path, current: dict[str, str]) -> Freshness:
    """Compare the published year in ``folder`` with the ``current`` fingerprint."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Freshness(False, "chưa có báo cáo nào được dựng cho năm này")
    except (OSError, ValueError):
        return Freshness(False, "manifest.json của lần dựng trước không đọc được")
    if isinstance(manifest, dict) and manifest.get("outputs") == {}:  # unit sheets built alone, no report yet
        return Freshness(False, "chưa có báo cáo nào được dựng cho năm này")
    previous = manifest.get("fingerprint")
    if not isinstance(previous, dict):
        return Freshness(False, "lần dựng trước không ghi dấu vân tay đầu vào (phiên bản cũ)")
    changed = [_what(k, previous, current) for k in WHAT if previous.get(k) != current.get(k)]
    if changed:
        return Freshness(False, "đã thay đổi: " + ", ".join(changed))
    recorded = manifest.get("files_sha256")
    if not isinstance(recorded, dict):
        return Freshness(False, "manifest.json của lần dựng trước thiếu mã băm của các tệp kết quả")
    for rel, digest in sorted(recorded.items()):
        target = folder / rel
        if not target.is_file():
            return Freshness(False, f"tệp kết quả {rel} bị thiếu")
        if sha256_file(target) != digest:
            return Freshness(False, f"tệp kết quả {rel} đã bị sửa sau lần dựng trước")
    return Freshness(True, "không có gì thay đổi (sổ đăng ký, tham số, sổ tay, mã nguồn, mẫu, phông chữ, "
                           "thư viện và tùy chọn đều như lần dựng trước)", manifest)
