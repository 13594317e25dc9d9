"""The year's life (contract section 3): ``draft`` -> ``final`` -> ``signed``, recorded in ``manifest.json``
as ``state``, and the rule that a signed year is closed.

The build records ``draft`` or ``final`` (:func:`state_of_edition`), ``sign`` records ``signed`` with the
signed file. :func:`closed` is asked by :func:`sangkien.pipeline.build.plan`, so every path that builds a
year (the command, the API, ``--jobs``, ``--scheduler``, one unit's sheet) keeps the rule: a signed year
is kept as it is; ``--reopen --reason`` moves its signed file and the manifest that recorded it into
``YEAR/luu-tru/<when>/`` (never deleted) before the year is built again.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from sangkien import files
from sangkien.errors import ParamsError, writing_into
from sangkien.inputs.params import Params
from sangkien.pipeline import manifest, stage
from sangkien.report.edition import Edition

DRAFT, FINAL, SIGNED = "draft", "final", "signed"
WORDS = {DRAFT: "dự thảo", FINAL: "bản để ký", SIGNED: "đã ký"}
"""The states in the analyst's words."""
ARCHIVE = "luu-tru"
"""The folder of the year's folder where a reopened year's signed files are kept."""
REASON_FILE = "ly-do.txt"


def lacking(params: Params, edition: Edition) -> tuple[str, ...]:
    """What the version to sign lacks, by key: what is empty (``edition.missing``), then what is filled in
    but cannot be signed (``sample_data``, an impossible ``issue_date``: :mod:`~sangkien.pipeline.final`)."""
    from sangkien.pipeline.final import wrong_for_final

    return edition.missing + tuple(key for key, _ in wrong_for_final(params) if key not in edition.missing)


def state_of_edition(params: Params, edition: Edition) -> str:
    """The state a build records: ``final`` when the version to sign lacks nothing, else ``draft``."""
    return DRAFT if lacking(params, edition) else FINAL


def state_of(record: dict | None) -> str | None:
    """The state a manifest records (a manifest written before states: worked out from ``signed``)."""
    if not record:
        return None
    if record.get("signed"):
        return SIGNED
    return record.get("state") or DRAFT


def signed_record(folder: Path) -> dict | None:
    """The published manifest of the year in ``folder`` when it records a signed file; else None."""
    record = manifest.published(folder)
    return record if record and isinstance(record.get("signed"), dict) else None


def signed_line(record: dict) -> str:
    """The signed file and who signed it, in a few words."""
    signed = record["signed"]
    who = ", ".join(str(signed[k]) for k in ("signer", "time") if signed.get(k))
    return f"{signed.get('file', '?')}" + (f" ({who})" if who else "")


def closed(folder: Path, up_to_date: bool, reason: str, force: bool, pass_by: bool) -> str | None:
    """For a signed year in ``folder``: the reason to keep it as it is (``build YEAR`` with unchanged inputs,
    or ``pass_by``: ``build --all``), or ParamsError naming the signed file and ``--reopen`` (changed inputs,
    or ``force``). None when the year is not signed."""
    record = signed_record(folder)
    if record is None:
        return None
    year = record.get("year", folder.name)
    where = files.shown(folder / record["signed"].get("file", ""))
    if up_to_date and not force:
        return f"đã ký, không đổi — {signed_line(record)}; {reason}"
    why = "--force" if force and up_to_date else reason
    if pass_by:
        return f"đã ký, để nguyên ({why}) — {signed_line(record)}; mở lại: build {year} --reopen --reason \"...\""
    raise ParamsError([f"{where}: năm {year} đã ký số ({signed_line(record)}); năm đã ký không được dựng lại ({why})",
                       f"để dựng lại, mở lại năm (tệp đã ký và manifest được cất vào {year}/{ARCHIVE}/, không xóa): "
                       f"python -m sangkien build {year} --reopen --reason \"lý do mở lại\""])


def reopen(out_dir: Path, year: int, reason: str, timezone: str = "") -> Path | None:
    """``--reopen --reason``: under the year's lock, the signed file and the manifest that recorded it moved
    into ``YEAR/luu-tru/<when>/`` with ``ly-do.txt`` (the reason); the year's manifest then records the
    year as it was before signing. ``when`` is the office's time (``timezone``, the parameters' IANA zone, as
    signing times are; the machine's when empty or unknown). Returns the archive folder; None when the year is
    not signed."""
    if not reason.strip():
        raise ParamsError("--reopen cần --reason \"lý do mở lại\" (ghi vào tệp lưu trữ)")
    folder = out_dir / str(year)
    if signed_record(folder) is None:
        return None
    with stage.year_lock(out_dir, year):
        record = signed_record(folder)
        if record is None:
            return None
        when = office_now(timezone)
        archive = _archive_folder(folder, when)
        with writing_into(out_dir):
            signed = folder / record["signed"].get("file", "")
            if signed.is_file() and signed.parent == folder:
                os.replace(signed, archive / signed.name)
            manifest.store(archive, record)
            files.write_atomic(archive / REASON_FILE, _reason_text(record, reason, when).encode("utf-8"))
            manifest.store(folder, unsigned(record, archive.relative_to(folder).as_posix(), reason))
    return archive


def office_now(timezone: str) -> datetime.datetime:
    """Now, in the office's IANA ``timezone`` (the machine's zone when it is empty or not known here)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return datetime.datetime.now(ZoneInfo(timezone.strip())) if timezone.strip() else datetime.datetime.now().astimezone()
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.datetime.now().astimezone()


def _archive_folder(folder: Path, when: datetime.datetime) -> Path:
    base = folder / ARCHIVE / when.strftime("%Y-%m-%d_%H%M%S")
    archive, n = base, 1
    while archive.exists():
        n += 1
        archive = base.with_name(f"{base.name}-{n}")
    archive.mkdir(parents=True)
    return archive


def _reason_text(record: dict, reason: str, when: datetime.datetime) -> str:
    return (f"Mở lại năm {record.get('year')} lúc {when:%d/%m/%Y %H:%M:%S %z}\n"
            f"Lý do: {reason.strip()}\n"
            f"Tệp đã ký: {signed_line(record)}\n")


def unsigned(record: dict, archive: str, reason: str) -> dict:
    """The manifest of a reopened year: as before signing, with where the signed file went and why."""
    kept = {k: v for k, v in record.items() if k != "signed"}
    kept["outputs"] = {k: v for k, v in (record.get("outputs") or {}).items() if k != "signed"}
    kept["state"] = record.get("state") if record.get("state") != SIGNED else FINAL
    kept["reopened"] = [*(record.get("reopened") or []), {"archive": archive, "reason": reason.strip()}]
    return kept
