"""A generated national register (not a test; used by benchmarks/bench_scale.py): every province and city
of Vietnam after the 2025 reorganisation (34), units in each, ten years, realistic Vietnamese text, the
blocks of the parameters.

    python benchmarks/national.py ROWS [--csv]      # prints the path of the cached file

Files are cached in the temporary folder, keyed by size and format (generation is never timed): the
first 1,000,000-row workbook takes about a minute to write, later runs find it.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

VERSION = 1
"""Bump when the generated content changes (the cache is keyed by it)."""
FIRST_YEAR, LAST_YEAR = 2015, 2024
"""Ten years; the build's year is the last (params/2024.yaml)."""
HEADER = ["Mã số", "Năm", "Tên sáng kiến", "Tác giả", "Đơn vị", "Khối", "Lĩnh vực",
          "Kết quả", "Số tiền làm lợi", "Điểm"]
PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang"]
"""The 34 provinces and cities from 1 July 2025 (Nghị quyết số 202/2025/QH15)."""
SCHOOLS = ["Trường THPT {p} số {i}", "Trường THCS Lê Quý Đôn {p} cơ sở {i}", "Trường Tiểu học Kim Đồng {p} số {i}",
           "Trường Mầm non Hoa Sen {p} số {i}", "Trung tâm Giáo dục thường xuyên {p} số {i}"]
BODIES = ["Sở Y tế {p}", "Sở Tài chính {p}", "Sở Xây dựng {p}", "Sở Nông nghiệp và Môi trường {p}",
          "Sở Khoa học và Công nghệ {p}", "Sở Văn hóa, Thể thao và Du lịch {p}", "Sở Tư pháp {p}",
          "Sở Nội vụ {p}", "Sở Công Thương {p}", "Bệnh viện Đa khoa {p}", "Công an {p}",
          "UBND phường Trung tâm {p} số {i}", "UBND xã Đông {p} số {i}", "UBND xã Tây {p} số {i}"]
FIELDS = ["Giáo dục", "Y tế", "Nông nghiệp", "Hành chính công", "Công nghệ thông tin", "Xây dựng",
          "Môi trường", "Giao thông", "Tài chính", "Văn hóa - Xã hội", "Tư pháp", "Công thương"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Kim", "Xuân", "Hoài"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Tâm", "Trang",
         "Tuấn", "Hương", "Khoa", "Linh", "Quân", "Thảo", "Yến", "Sơn", "Hải", "Nhung", "Việt"]
TITLES = ["Giải pháp nâng cao hiệu quả {x} tại {u}", "Ứng dụng công nghệ số trong {x} ở {u}",
          "Cải tiến quy trình {x} trên địa bàn {u}", "Một số biện pháp đổi mới công tác {x} của {u}",
          "Xây dựng phần mềm hỗ trợ {x} cho {u}", "Sáng kiến rút ngắn thời gian {x} tại {u}"]
TOPICS = ["quản lý hồ sơ", "dạy học môn Toán", "tiếp nhận thủ tục hành chính", "chăm sóc người bệnh",
          "bảo vệ môi trường", "quản lý tài sản công", "bồi dưỡng học sinh giỏi", "tổ chức giao thông",
          "phòng chống dịch bệnh", "chuyển đổi số", "cải cách hành chính", "giáo dục kỹ năng sống",
          "quản lý đất đai", "thu ngân sách", "khám chữa bệnh từ xa", "phổ biến pháp luật"]
RESULTS = ["Công nhận", "Không công nhận", "Đang xét"]


def units(blocks: tuple[str, ...], rng: random.Random) -> list[tuple[str, str]]:
    """(unit, block) of every province: schools under the first block (education), the other bodies under
    the others in turn; about 30 units a province."""
    found = []
    for p in PROVINCES:
        found += [(s.format(p=p, i=i), blocks[0]) for s in SCHOOLS for i in range(1, rng.randint(2, 5))]
        others = blocks[1:] or blocks
        found += [(b.format(p=p, i=i), others[(i + j) % len(others)])
                  for j, b in enumerate(BODIES) for i in ([1, 2] if "{i}" in b else [1])]
    return found


def make_rows(n: int, blocks: tuple[str, ...]):
    """``n`` valid rows over the ten years, in year order (a tenth each), as lists in HEADER order."""
    rng = random.Random(20250701)
    pool = units(tuple(blocks), rng)
    names = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]
    span = LAST_YEAR - FIRST_YEAR + 1
    choice, random_ = rng.choice, rng.random
    for i in range(n):
        unit, block = choice(pool)
        year = FIRST_YEAR + i * span // n
        r = random_()
        result = RESULTS[0] if r < 0.6 else RESULTS[1] if r < 0.9 else RESULTS[2]
        authors = "; ".join(choice(names) for _ in range(1 + int(random_() * random_() * 4)))
        amount = rng.randrange(1, 3000) * 1_000_000 if random_() < 0.5 else None
        yield [f"SK-{year}-{i:07d}", year, choice(TITLES).format(x=choice(TOPICS), u=unit), authors, unit, block,
               choice(FIELDS), result, amount, round(40 + random_() * 59, 1)]


def write_csv(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _package_parts(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>'))
    z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
               f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
               f'xmlns:r="{_REL}"><sheets><sheet name="Sổ đăng ký" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
               f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def write_xlsx(path: Path, rows) -> None:
    """A workbook laid out as Excel saves one (every text once in xl/sharedStrings.xml), written as a
    stream: a million rows never sit in memory as XML."""
    strings: dict[str, int] = {}
    letters = [chr(65 + c) for c in range(len(HEADER))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        _package_parts(z)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            lines = []
            for r, row in enumerate([HEADER, *rows], start=1):
                cells = []
                for letter, value in zip(letters, row):
                    if value is None:
                        continue
                    if value.__class__ is str:
                        cells.append(f'<c r="{letter}{r}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
                    else:
                        cells.append(f'<c r="{letter}{r}"><v>{value}</v></c>')
                lines.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(lines) >= 20_000:
                    sheet.write("".join(lines).encode())
                    lines = []
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{len(strings)}" '
                         f'uniqueCount="{len(strings)}">'.encode())
            shared.write("".join(f"<si><t>{escape(t)}</t></si>" for t in strings).encode())
            shared.write(b"</sst>")


def cached(n: int, fmt: str = "xlsx", blocks: tuple[str, ...] | None = None) -> Path:
    """The generated register of ``n`` rows (``fmt`` 'xlsx' or 'csv'), written once into the temporary folder."""
    if blocks is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from sangkien.inputs import validity

        blocks = validity(Path(__file__).resolve().parents[1] / "params" / f"{LAST_YEAR}.yaml").blocks
    folder = Path(tempfile.gettempdir()) / f"sangkien-national-v{VERSION}"
    folder.mkdir(exist_ok=True)
    key = hashlib.sha256("\n".join(blocks).encode()).hexdigest()[:8]
    path = folder / f"so-dang-ky-{n}-{key}.{fmt}"
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        (write_xlsx if fmt == "xlsx" else write_csv)(partial, make_rows(n, blocks))
        partial.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--csv", action="store_true")
    args = parser.parse_args()
    print(cached(args.rows, "csv" if args.csv else "xlsx"))


if __name__ == "__main__":
    main()
