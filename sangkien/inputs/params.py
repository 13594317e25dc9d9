"""Parameters of a yearly report (contract section 3), loaded once and validated into one typed object.

``params/defaults.yaml`` holds what does not change from year to year; ``params/YEAR.yaml`` (or any
file given with ``--params``) overrides it key by key. The dataclasses here are the schema: their fields'
documentation (:func:`~sangkien.inputs.fields.documented`) is what ``sangkien params`` lists. A file is read
by :mod:`~sangkien.inputs.yamlfile`, its values converted by :mod:`~sangkien.inputs.fields`, and the
reorganisation resolved by :mod:`~sangkien.inputs.renames`.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sangkien import paths
from sangkien.errors import ParamsError
from sangkien.inputs import renames, schema
from sangkien.inputs.fields import convert, documented, field_types, kind, project_path
from sangkien.inputs.renames import Reorganisation
from sangkien.inputs.shown import shown
from sangkien.inputs.yamlfile import load_yaml, read_mapping

DEFAULT_BLOCKS = ("Giáo dục", "Quận, huyện, sở, ngành")
DEFAULT_PERIOD_START = 2016


@dataclass(frozen=True)
class Signer:
    authority: str = documented("thẩm quyền ký", "KT. GIÁM ĐỐC",
                                note="dòng trên chức vụ, ví dụ KT. GIÁM ĐỐC (ký thay); để trống khi người đứng đầu ký")
    """The line above the title, e.g. 'KT. GIÁM ĐỐC' (signing on behalf); empty when the head signs."""
    title: str = documented("chức vụ người ký", "PHÓ GIÁM ĐỐC")
    name: str = documented("họ và tên người ký", "")


@dataclass(frozen=True)
class Sections:
    """The analyst-written parts of the report (Markdown: paragraphs, lists, emphasis)."""

    context: str = documented(
        "phần I. Đặc điểm tình hình, công tác chỉ đạo", "",
        hint="tình hình chung của năm; văn bản chỉ đạo, hướng dẫn của thành phố và của Sở; công tác tuyên "
             "truyền; cách tiếp nhận hồ sơ và tổ chức Hội đồng Sáng kiến.")
    """I. Đặc điểm tình hình, công tác chỉ đạo."""
    assessment: str = documented(
        "phần III. Đánh giá chung (ưu điểm, hạn chế, nguyên nhân)", "",
        hint="ưu điểm, hạn chế và nguyên nhân. Các nhận xét rút từ số liệu được in sẵn phía trên phần "
             "này; ở đây viết điều số liệu không tự nói lên.")
    """III. Đánh giá chung: strengths, shortcomings, causes."""
    direction: str = documented(
        "phần IV. Phương hướng, nhiệm vụ năm tới", "",
        hint="các nhiệm vụ chính của năm tới, mỗi nhiệm vụ một gạch đầu dòng (- ...).")
    """IV. Phương hướng, nhiệm vụ năm tới."""
    recommendations: str = documented(
        "phần V. Kiến nghị", "",
        hint="kiến nghị với UBND thành phố và các cơ quan liên quan (kinh phí, cơ chế, khen thưởng...).")
    """V. Kiến nghị."""


@dataclass(frozen=True)
class Params:
    year: int = documented("năm báo cáo", note="tệp params/NĂM.yaml phải ghi đúng năm trong tên tệp")
    data: Path = documented(
        "tệp sổ đăng ký",
        note=".xlsx, .xls (đọc mọi trang tính không ẩn có dòng tiêu đề của sổ) hoặc .csv; đường dẫn tương đối tính "
             "từ thư mục gốc của dự án; có thể thay bằng --data khi dựng")
    blocks: tuple[str, ...] = documented("các khối, theo thứ tự trình bày trong báo cáo", DEFAULT_BLOCKS)
    period_start: int = documented("năm đầu của giai đoạn so sánh", DEFAULT_PERIOD_START,
                                   note="giai đoạn kết thúc ở năm liền trước năm báo cáo")
    reorganisation: Reorganisation = documented(
        "tên khối, đơn vị trước đây → tên hiện nay, để so sánh qua một đợt sắp xếp tổ chức", factory=Reorganisation,
        note="hai khóa con blocks và units; mọi dòng của mọi năm được tính theo tên hiện nay và báo cáo nói rõ "
             "những tên đã chuyển; tên được so khớp không phân biệt chữ hoa, dấu cách, NFC/NFD; a → b và b → c "
             "thì a được tính vào c")
    sample_data: bool = documented("sổ đăng ký là số liệu minh họa", False,
                                   note="true: mọi trang của báo cáo ghi rõ đây là số liệu minh họa")
    parent_body: str = documented("cơ quan chủ quản", "UBND THÀNH PHỐ HẢI PHÒNG",
                                  note="dòng đầu bên trái của văn bản, chữ in hoa")
    level: str = documented("cấp công nhận sáng kiến", "",
                            note='"thành phố", "tỉnh" hoặc "bộ"...: in trong "sáng kiến cấp thành phố", "tỷ lệ chung của '
                                 'thành phố"; để trống thì suy từ parent_body (UBND TỈNH ... là "tỉnh")')
    issuing_body: str = documented("cơ quan ban hành", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                                   note="dưới cơ quan chủ quản, chữ in hoa đậm")
    doc_number: str = documented("số văn bản", "", note="ví dụ \"45\" (nên đặt trong ngoặc kép); để trống thì "
                                                       "để chỗ trống cho văn thư điền")
    """The number of the document ('45'); empty leaves a blank for the office to fill in."""
    doc_symbol: str = documented("ký hiệu văn bản", "BC-SKHCN", note="in sau số: Số: 45/BC-SKHCN")
    place: str = documented("địa danh", "Hải Phòng", note="in trước ngày ban hành: Hải Phòng, ngày 05 tháng 01 năm 2024")
    issue_date: datetime.date | None = documented("ngày ban hành", None,
                                                  note="để trống thì để chỗ trống cho văn thư điền")
    subject: str = documented("trích yếu dưới chữ BÁO CÁO", "",
                              note="để trống thì dùng trích yếu chuẩn: Kết quả phong trào thi đua ... năm NĂM "
                                   "và phương hướng, nhiệm vụ năm NĂM+1")
    """The subject line under 'BÁO CÁO'; empty gives the standard one for the year."""
    signer: Signer = documented("người ký", factory=Signer)
    timezone: str = documented("múi giờ của cơ quan", "Asia/Ho_Chi_Minh",
                               note="giờ ký số (trên dấu chữ ký và trong manifest.json) tính theo múi giờ này, dù máy "
                                    "đặt múi giờ nào; tên múi giờ IANA")
    drafting_unit: str = documented("đơn vị soạn thảo (tên viết tắt)", "",
                                    note="in ở dòng cuối của nơi nhận: \"Lưu: VT, QLKH\"; để trống thì chỉ \"Lưu: VT\"; "
                                         "bỏ qua khi recipients đã có dòng \"Lưu: ...\"")
    """The drafting unit inside the issuing body, abbreviated ('QLKH'): the archive line of Decree 30,
    'Lưu: VT, QLKH'; empty: 'Lưu: VT'."""
    recipients: tuple[str, ...] = documented("nơi nhận", (),
                                             note="mỗi dòng một nơi nhận; dòng cuối \"Lưu: VT, ...\" được thêm "
                                                  "(theo drafting_unit) khi danh sách không có")
    notice_numbers: str | dict[str, str] = documented(
        "số của các thông báo gửi đơn vị", "",
        note='để trống thì để chỗ trống cho văn thư điền; một số, ví dụ "21": số của thông báo đầu tiên, các '
             'thông báo sau tăng dần theo thứ tự đơn vị trong mục lục; hoặc số của từng đơn vị, '
             'ví dụ "Sở Y tế": "22" (đơn vị không có tên ở đây thì để chỗ trống)')
    sections: Sections = documented("các phần do chuyên viên viết", factory=Sections,
                                    note="Markdown: đoạn văn cách nhau một dòng trống, gạch đầu dòng, **đậm**, *nghiêng*")
    files: tuple[Path, ...] = ()
    """The parameters files read, defaults first."""
    files_sha256: str = hashlib.sha256().hexdigest()
    """The digest of the bytes of ``files`` as they were parsed, one after the other (:func:`load_params`)."""

    @property
    def recognition_level(self) -> str:
        """The level at which initiatives are recognised, for the wording: ``level``, or else what
        ``parent_body`` says ('UBND TỈNH QUẢNG NINH' gives 'tỉnh').

        >>> Params(2023, Path("x")).recognition_level, Params(2023, Path("x"), parent_body="UBND TỈNH QUẢNG NINH").recognition_level
        ('thành phố', 'tỉnh')
        """
        if self.level.strip():
            return " ".join(self.level.split())
        body = schema.fold(self.parent_body)
        for council in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
            body = body.removeprefix(council)
        return next((word for word in ("thành phố", "tỉnh", "bộ") if body.startswith(word + " ")), "thành phố")

    @property
    def period_end(self) -> int:
        return self.year - 1

    @property
    def subject_line(self) -> str:
        return self.subject or (
            "Kết quả phong trào thi đua nghiên cứu, phát huy sáng kiến, cải tiến kỹ thuật "
            f"năm {self.year} và phương hướng, nhiệm vụ năm {self.year + 1}"
        )

    @property
    def params_file(self) -> Path:
        return self.files[-1]

    def sha256(self) -> str:
        """One digest over every parameters file read, in order: of the bytes that were parsed, so that the
        fingerprint, the manifest and the colophon name what the build used (no file is read again)."""
        return self.files_sha256


NESTED = {"signer": Signer, "sections": Sections, "reorganisation": Reorganisation}
"""Keys holding keys of their own, and the dataclass that lists them."""
INTERNAL = {"files", "files_sha256"}
"""Fields that are not parameters (no key in a file)."""
KINDS = {kind_of: kind(kind_of) for kind_of in (int, Path, bool, Signer, Sections, str, datetime.date | None,
                                                tuple[str, ...], Reorganisation, dict[str, str],
                                                str | dict[str, str])}
"""The kind of each field's type. Keys without a check of their own are checked kind by kind in this
order (the first mistake found is the one reported)."""


def meaning(key: str, cls=Params) -> str:
    """The short Vietnamese meaning of a parameter ('year', 'signer.name')."""
    head, _, rest = key.partition(".")
    spec = {f.name: f for f in dataclasses.fields(cls)}[head]
    return meaning(rest, NESTED[head]) if rest else spec.metadata["meaning"]


def known_keys(cls=Params) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in INTERNAL]


def check_keys(path: Path, mapping: dict, cls=Params, prefix: str = "") -> None:
    """ParamsError for the first key ``cls`` does not know, naming the nearest known one."""
    allowed = known_keys(cls)
    for key in mapping:
        if not isinstance(key, str) or key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.5)
            hint = f'; có phải ý bạn là "{prefix}{close[0]}"?' if close else f"; các khóa hợp lệ: {', '.join(allowed)}"
            raise ParamsError(f'{path}: khóa không hợp lệ "{prefix}{shown(key, quoted=False)}"{hint}')
        if key in NESTED and isinstance(mapping[key], dict):
            check_keys(path, mapping[key], NESTED[key], prefix=f"{key}.")


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key in NESTED and value is None and key in base:
            continue  # 'signer:' with nothing under it changes nothing
        if key in NESTED and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


# --------------------------------------------------------------------------- the parameters of a year

def _params_file(year: int | None, params_file: str | Path | None) -> Path:
    if params_file is not None:
        return Path(params_file)
    if year is None:
        raise ParamsError("cần năm báo cáo hoặc tệp tham số")
    params_file = paths.params_file_for(year)
    if not Path(params_file).exists():
        raise ParamsError(
            f"{params_file}: không có tệp tham số cho năm {year}; tạo tệp này "
            f"(chỉ cần 'year: {year}' và 'data: ...') hoặc dùng --params"
        )
    return Path(params_file)


def params_path(year: int | None, params_file: str | Path | None) -> Path:
    """The parameters file a command reads: ``params_file``, else ``params/YEAR.yaml`` (ParamsError when missing)."""
    return _params_file(year, params_file)


def _read_files(params_file: Path) -> tuple[dict[str, Any], list[Path], str]:
    """The shared defaults overridden key by key by ``params_file``, the files read, and the digest of the
    bytes parsed (each file is read once)."""
    files: list[Path] = []
    merged: dict[str, Any] = {}
    digest = hashlib.sha256()
    for path in (paths.DEFAULTS_FILE, params_file):
        if path == paths.DEFAULTS_FILE and not path.exists():
            continue
        if files and os.path.realpath(path) == os.path.realpath(files[0]):  # (a loop of links: read_mapping says so)
            continue
        content, data = read_mapping(path)
        check_keys(path, content, Params)
        if files and _own_organisation(merged, content):
            merged.pop("reorganisation", None)
        merged = _merge(merged, content)
        files.append(path)
        digest.update(data)
    return merged, files, digest.hexdigest()


def _own_organisation(shared: dict, content: dict) -> bool:
    """Whether a year's file pins an organisation of its own: it names blocks other than the shared ones and
    no ``reorganisation``. The shared ``reorganisation`` maps earlier names onto the shared (today's) blocks,
    so such a year (one before a reorganisation) reports under its own names, without it."""
    if "blocks" not in content or "reorganisation" in content or not isinstance(content["blocks"], list):
        return False
    own = {schema.fold(str(b)) for b in content["blocks"]}
    return own != {schema.fold(str(b)) for b in shared.get("blocks", DEFAULT_BLOCKS)}


def _year(where: str, merged: dict, year: int | None) -> int:
    if "year" not in merged:
        raise ParamsError(f'{where}: thiếu khóa bắt buộc "year" ({meaning("year")})')
    file_year = convert(where, "year", merged["year"], int)
    if year is not None and file_year != year:
        raise ParamsError(f"{where}: tệp tham số ghi year: {file_year}, nhưng lệnh yêu cầu năm {year}")
    return file_year


def _data(where: str, merged: dict, data_file: str | Path | None, require_data: bool) -> Path:
    if data_file is not None:
        data = Path(data_file).expanduser().resolve()
    elif merged.get("data"):
        data = project_path(convert(where, "data", merged["data"], str))  # a mistake is named as text, as always
    elif require_data:
        raise ParamsError(f'{where}: thiếu khóa bắt buộc "data" ({meaning("data")}), hoặc dùng --data')
    else:
        data = Path()
    if require_data and not data.is_file():
        raise ParamsError(f"{where}: {_not_a_register(data)}")
    return data


def _not_a_register(data: Path) -> str:
    """Why ``data`` (not a file) cannot be the register, for the analyst."""
    if data.is_dir():
        return f"tệp sổ đăng ký là một thư mục, không phải tệp: {data}; cần tệp .xlsx hoặc .csv"
    if data.is_symlink():
        return f"tệp sổ đăng ký là một liên kết tượng trưng không dẫn tới tệp nào: {data}"
    return f"tệp sổ đăng ký không tồn tại: {data}"


def _blocks(where: str, value) -> tuple[str, ...]:
    blocks = tuple(schema.nfc(b) for b in convert(where, "blocks", value, tuple[str, ...]))
    if not blocks:
        raise ParamsError(f'{where}: khóa "blocks" cần ít nhất một khối')
    folded = [schema.fold(b) for b in blocks]
    if len(set(folded)) != len(folded):
        raise ParamsError(f'{where}: khóa "blocks" có khối trùng tên')
    return blocks


def _period_start(where: str, value, year: int) -> int:
    """The first year of the comparison period: after ``year`` is an error; the year itself says the year
    has no earlier period, which :func:`sangkien.inputs.load` accepts only when the register has no
    earlier row (the report would otherwise say there is nothing to compare with)."""
    period_start = convert(where, "period_start", value, int)
    if period_start > year:
        raise ParamsError(f'{where}: "period_start" ({period_start}) phải không sau năm báo cáo ({year})')
    return period_start


def _the_rest(where: str, merged: dict, done: dict) -> dict[str, Any]:
    """The keys without a check of their own, converted by type in the order of KINDS."""
    order = list(KINDS)
    types = field_types(Params)
    rest = sorted((name for name in known_keys(Params) if name not in done and name in merged),
                  key=lambda name: order.index(types[name]))
    return {name: convert(where, name, merged[name], types[name]) for name in rest}


def load_params(
    year: int | None = None,
    params_file: str | Path | None = None,
    data_file: str | Path | None = None,
    *,
    require_data: bool = True,
) -> Params:
    """Read the defaults and the year's parameters file, validate them, and return one Params.

    ``params_file`` defaults to ``params/YEAR.yaml``; ``data_file`` overrides its ``data`` key
    (a relative path then counts from the current folder, as on a command line).
    """
    params_file = _params_file(year, params_file)
    merged, files, files_sha256 = _read_files(params_file)
    where = str(params_file)
    values: dict[str, Any] = {"year": _year(where, merged, year)}
    values["data"] = _data(where, merged, data_file, require_data)
    values["blocks"] = _blocks(where, merged.get("blocks", list(DEFAULT_BLOCKS)))
    values["period_start"] = _period_start(where, merged.get("period_start", DEFAULT_PERIOD_START), values["year"])
    values["reorganisation"] = renames.resolve(where, merged.get("reorganisation"), values["blocks"])
    values.update(_the_rest(where, merged, values))
    return Params(**values, files=tuple(files), files_sha256=files_sha256)


# --------------------------------------------------------------------------- the shared defaults alone (``check``)

def default_blocks_and_reorganisation() -> tuple[tuple[str, ...], Reorganisation]:
    """The blocks and the ``reorganisation`` of the shared defaults file, which is read once (for ``check``
    without ``--params``)."""
    content = _shared_defaults()
    blocks = _default_blocks(content)
    return blocks, _default_reorganisation(content, blocks)


def default_blocks() -> tuple[str, ...]:
    """The blocks of the shared defaults file (for ``check`` without ``--params``)."""
    return _default_blocks(_shared_defaults())


def _shared_defaults() -> dict[str, Any]:
    """The shared defaults file's mapping, its keys checked (empty without the file)."""
    if not paths.DEFAULTS_FILE.exists():
        return {}
    content = load_yaml(paths.DEFAULTS_FILE)
    check_keys(paths.DEFAULTS_FILE, content, Params)
    return content


def _default_blocks(content: dict[str, Any]) -> tuple[str, ...]:
    if "blocks" in content:
        where = str(paths.DEFAULTS_FILE)
        return tuple(schema.nfc(b) for b in convert(where, "blocks", content["blocks"], tuple[str, ...]))
    return DEFAULT_BLOCKS


def _default_reorganisation(content: dict[str, Any], blocks: tuple[str, ...]) -> Reorganisation:
    if content.get("reorganisation"):
        return renames.resolve(str(paths.DEFAULTS_FILE), content["reorganisation"], blocks)
    return Reorganisation()
