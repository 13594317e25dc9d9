"""``sangkien status [YEAR]``: where each year stands (contract section 1), building nothing.

One row a year: the register's rows of the year, its state (:mod:`~sangkien.pipeline.yearstate`), its
outputs, and what is missing for the next step (a section, the number, the date, the signer, the
signature), in the analyst's words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sangkien import paths
from sangkien.errors import ParamsError, SangkienError
from sangkien.pipeline import manifest, yearstate

NOT_BUILT = "chưa dựng"
_SHORT = {"doc_number": "số văn bản", "issue_date": "ngày ban hành", "signer.name": "người ký",
          "sample_data": "sổ đăng ký thật (sample_data: false)"}


@dataclass
class YearStatus:
    year: int
    rows: int | None = None
    """The register's rows of the year (None: the inputs could not be read, see ``problems``)."""
    state: str | None = None
    """``draft``, ``final``, ``signed``, or None: never built."""
    outputs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """What the next step needs, one item each, in Vietnamese."""
    problems: list[str] = field(default_factory=list)
    changed: bool = False
    """The parameters or the register changed since the published build."""

    @property
    def state_words(self) -> str:
        words = yearstate.WORDS.get(self.state or "", NOT_BUILT)
        return words + (" (đầu vào đã đổi)" if self.changed else "")


def years_of(out_dir: Path, params_dir: Path) -> list[int]:
    """The years with a parameters file or a published report."""
    found = {int(p.stem) for p in params_dir.glob("*.yaml") if p.stem.isdigit()}
    found |= {int(p.name) for p in out_dir.glob("*") if p.name.isdigit() and (p / manifest.FILE).is_file()}
    return sorted(found)


def status(year: int | None = None, out_dir: str | Path | None = None,
           params_dir: str | Path | None = None) -> list[YearStatus]:
    """The status of every year (or of ``year``); ParamsError when ``year`` has neither parameters nor report."""
    out_dir, params_dir = Path(out_dir or paths.REPORTS_DIR), Path(params_dir or paths.PARAMS_DIR)
    years = years_of(out_dir, params_dir)
    if year is not None:
        if year not in years:
            raise ParamsError(f"năm {year}: không có {params_dir / f'{year}.yaml'} và chưa có báo cáo trong {out_dir}; "
                              f"tạo năm mới: python -m sangkien new-year {year}")
        years = [year]
    return [year_status(y, out_dir, params_dir) for y in years]


def year_status(year: int, out_dir: Path, params_dir: Path) -> YearStatus:
    """One year's row."""
    from sangkien import inputs
    from sangkien.report.edition import edition_of

    folder = out_dir / str(year)
    record = manifest.published(folder)
    if record is not None and not record.get("outputs"):
        record = None  # unit sheets built alone: no report yet
    row = YearStatus(year, state=yearstate.state_of(record), outputs=_outputs(folder, record))
    params_file = params_dir / f"{year}.yaml"
    lacking: tuple[str, ...] = ()
    try:
        params, register = inputs.load(year, params_file if params_file.is_file() else None)
        row.rows = sum(1 for y in register.columns["nam"] if y == year)
        lacking = yearstate.lacking(params, edition_of(params))
        if record is not None:
            recorded = record.get("inputs") or {}
            row.changed = ((recorded.get("params") or {}).get("sha256") != params.sha256()
                           or (recorded.get("data") or {}).get("sha256") != register.sha256)
    except SangkienError as exc:
        row.problems = list(exc.problems)
    row.missing = _missing(row, lacking)
    return row


def _outputs(folder: Path, record: dict | None) -> list[str]:
    if record is None:
        return []
    shown = [kind for kind, name in (record.get("outputs") or {}).items() if (folder / name).is_file()]
    if record.get("units"):
        shown.append(f"phiếu đơn vị ({len(record['units'])})")
    return shown


def _missing(row: YearStatus, lacking: tuple[str, ...]) -> list[str]:
    """What the next step needs: the build, what the version to sign lacks, the signature."""
    if row.problems:
        return ["sửa tham số hoặc sổ đăng ký (xem dưới)"]
    if row.state == yearstate.SIGNED:
        return ["dựng lại: --reopen --reason"] if row.changed else []
    words = [_SHORT.get(key) or _section(key) for key in lacking]
    if row.state is None:
        return ["dựng: build " + str(row.year)] + words
    if row.changed:
        words.insert(0, "dựng lại (đầu vào đã đổi)")
    return words or ["chữ ký số: sign"]


def _section(key: str) -> str:
    """A section's short name ('phần I' for ``sections.context``); the key itself for anything else."""
    from sangkien.inputs.params import meaning

    try:
        return meaning(key).split(".")[0] if key.startswith("sections.") else key
    except KeyError:
        return key


def table(rows: list[YearStatus]) -> list[str]:
    """The rows as a table in plain text, with each year's problems under it."""
    head = ("Năm", "Số dòng", "Trạng thái", "Kết quả", "Còn thiếu cho bước tiếp")
    cells = [head] + [(str(r.year), "?" if r.rows is None else str(r.rows), r.state_words,
                       ", ".join(r.outputs) or "—", ", ".join(r.missing) or "—") for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cells[0][:-1], widths)) + "  " + cells[0][-1]]
    for r, c in zip(rows, cells[1:]):
        lines.append("  ".join(x.ljust(w) for x, w in zip(c[:-1], widths)) + "  " + c[-1])
        lines += [f"    {p}" for p in r.problems]
    return lines
