"""The command line (contract section 1): gathers the arguments and calls one function of the package.

Exit status: 0 done; 2 bad command line or parameters; 3 invalid data; 4 a notebook cell failed;
1 anything else. Errors go to stderr, one problem a line.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

from sangkien.errors import ParamsError, problems_of
from sangkien.pipeline.exporters import FORMATS


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with one line, as argparse does, in the analyst's words
        self.print_usage(sys.stderr)
        raise ParamsError(f"lệnh không hợp lệ: {message}")


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs cần một số nguyên từ 1 trở lên, không phải {text!r}")
    return jobs


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"định dạng không hợp lệ {text!r}; dùng một hay nhiều trong html, pdf, docx "
                                         "(cách nhau bằng dấu phẩy)")
    return formats


def _add_signing(sub) -> None:
    """``sign`` and ``verify``: a built report signed, a signed report checked."""
    sign = sub.add_parser("sign", help="ký số tệp PDF của báo cáo (PAdES), hiện chữ ký ở khối chữ ký; ghi ra tệp mới")
    sign.add_argument("pdf", type=Path, help="tệp PDF do lệnh build tạo ra")
    sign.add_argument("--p12", type=Path, help="tệp chứng thư số PKCS#12 (.p12, .pfx)")
    sign.add_argument("--pkcs11-lib", type=Path, help="thư viện PKCS#11 của thiết bị ký số (token USB), thay cho --p12")
    sign.add_argument("--key-label", help="với --pkcs11-lib: nhãn của khóa ký trên thiết bị")
    sign.add_argument("--password-env", metavar="NAME",
                      help="biến môi trường chứa mật khẩu (hoặc mã PIN); không có thì hỏi (ẩn) khi chạy ở cửa sổ lệnh")
    sign.add_argument("--out", type=Path, help="tệp đã ký (mặc định: cạnh tệp PDF, đuôi -da-ky.pdf)")
    sign.add_argument("--image", type=Path, help="ảnh chữ ký (PNG, nền trong suốt) đặt trong ô chữ ký")
    sign.add_argument("--seal", type=Path, help="ảnh con dấu (PNG) đặt đè lên phần bên trái của ảnh chữ ký")
    sign.add_argument("--tsa", metavar="URL", help="dịch vụ cấp dấu thời gian (RFC 3161): chữ ký mang dấu thời gian "
                                                   "(PAdES B-T); dịch vụ không trả lời thì không ký")
    sign.add_argument("--signer-as-printed", metavar="TÊN",
                      help="tên người ký như báo cáo in, khi tên trên chứng thư số viết khác (ghi vào manifest.json)")
    sign.add_argument("--trust", type=Path, metavar="CA.pem",
                      help="chứng thư CA (PEM hoặc DER) mà chứng thư số phải nối tới; không chỉ ra, hoặc không nối "
                           "tới, thì vẫn ký, kèm một dòng cảnh báo")
    sign.add_argument("--params", type=Path,
                      help="tệp tham số có timezone (mặc định: tham số của năm trong manifest.json, hoặc tham số chung)")

    verify = sub.add_parser("verify", help="kiểm tra một báo cáo đã ký số, như bên nhận kiểm tra")
    verify.add_argument("pdf", type=Path, help="tệp PDF đã ký")
    verify.add_argument("--trust", type=Path, metavar="CA.pem",
                        help="chứng thư CA tin cậy (PEM hoặc DER): chữ ký phải nối tới CA này (không có thì sự tin "
                             "cậy không được kiểm, và không làm chữ ký mất hiệu lực)")


def _add_build(sub) -> None:
    """The ``build`` command and its options."""
    build = sub.add_parser("build", help="build the yearly report (HTML, PDF, manifest)")
    build.add_argument("year", nargs="?", type=int, help="report year (params/YEAR.yaml)")
    build.add_argument("--all", action="store_true", help="every params/*.yaml")
    build.add_argument("--jobs", type=_jobs, default=None,
                       help="with --all or --units: builds at a time (default: the number of cores)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --all: run the years as tasks on a Dask cluster (tcp://host:8786), "
                            "or 'local' for one started on this machine")
    build.add_argument("--params", type=Path, help="parameters file (default params/YEAR.yaml)")
    build.add_argument("--data", type=Path, help="register file, instead of the parameters' data")
    build.add_argument("--out", type=Path, help="output folder (default reports/)")
    build.add_argument("--to", type=_formats, default=FORMATS, help="formats: html,pdf,docx (default all three)")
    build.add_argument("--final", action="store_true",
                       help="the version to sign: refused while a section, the number, the date or the signer is empty")
    build.add_argument("--force", action="store_true",
                       help="rebuild even when nothing changed since the published build")
    build.add_argument("--units", action="store_true",
                       help="also every unit's result sheet of the year, into YEAR/don-vi/ (kept by later builds)")
    build.add_argument("--no-units", action="store_true",
                       help="không dựng phiếu đơn vị nữa (năm đã dựng cùng phiếu đơn vị thì vẫn giữ chúng)")
    build.add_argument("--reopen", action="store_true",
                       help="mở lại năm đã ký: tệp đã ký và manifest được cất vào YEAR/luu-tru/, rồi dựng lại")
    build.add_argument("--reason", metavar="TEXT", help="với --reopen: lý do mở lại (ghi vào tệp lưu trữ)")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sangkien", description="Báo cáo phong trào sáng kiến hằng năm (sangkien).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    _add_build(sub)

    status = sub.add_parser("status", help="bảng các năm: số dòng, trạng thái (dự thảo, bản để ký, đã ký), kết quả, "
                                           "còn thiếu gì cho bước tiếp")
    status.add_argument("year", nargs="?", type=int, help="một năm (mặc định: mọi năm)")
    status.add_argument("--out", type=Path, help="thư mục kết quả (mặc định reports/)")
    status.add_argument("--params-dir", type=Path, help="thư mục tệp tham số (mặc định params/)")

    check = sub.add_parser("check", help="validate a register file, building nothing")
    check.add_argument("file", type=Path)
    check.add_argument("--params", type=Path, help="parameters file naming the blocks and reorganisation (default: "
                                                   "the latest year's in params/)")

    collect = sub.add_parser("collect", help="gộp các tệp đơn vị gửi (mỗi tệp một kiểu) thành một sổ đăng ký .xlsx")
    collect.add_argument("folder", type=Path, help="thư mục chứa các tệp .xlsx, .xls, .csv của các đơn vị")
    collect.add_argument("--out", type=Path, required=True, help="sổ đăng ký gộp (.xlsx) sẽ ghi ra")
    collect.add_argument("--into", type=Path, help="sổ nhiều năm: tệp --out giữ các dòng của sổ rồi các dòng mới "
                                                   "(sổ không bị thay đổi)")
    collect.add_argument("--params", type=Path,
                         help="tệp tham số nêu khối, reorganisation (mặc định: tham số của năm mới nhất trong params/)")
    collect.add_argument("--force", action="store_true", help="ghi đè tệp --out nếu đã có")

    figures = sub.add_parser("figures", help="print the figures of manifest.json as JSON")
    figures.add_argument("year", type=int)
    figures.add_argument("--params", type=Path)
    figures.add_argument("--data", type=Path)

    new_year = sub.add_parser("new-year", help="tạo params/NĂM.yaml từ tệp của năm trước (không ghi đè)")
    new_year.add_argument("year", type=int, help="năm báo cáo mới")
    new_year.add_argument("--params-dir", type=Path, default=None, help="thư mục tệp tham số (mặc định: params/)")

    _add_signing(sub)

    edits = sub.add_parser("apply-edits", help="đưa các phần chuyên viên viết mà lãnh đạo đã sửa trong bản Word về "
                                               "tệp tham số: in thay đổi từng phần; --write để ghi")
    edits.add_argument("docx", type=Path, help="bản Word đã sửa (bao-cao-NĂM.docx do lệnh build tạo ra)")
    edits.add_argument("--params", type=Path, help="tệp tham số (mặc định params/NĂM.yaml, năm của bản Word)")
    edits.add_argument("--out", type=Path, help="thư mục kết quả có bản Word của lần dựng (mặc định reports/)")
    edits.add_argument("--write", action="store_true", help="ghi các phần đã sửa vào tệp tham số (giữ chú thích, "
                                                           "thứ tự và các khóa khác)")
    edits.add_argument("--accept-changes", action="store_true",
                       help="coi mọi thay đổi còn được theo dõi (track changes) là đã chấp nhận")

    params = sub.add_parser("params", help="liệt kê mọi tham số: kiểu, mặc định, ý nghĩa")
    params.add_argument("--markdown", action="store_true", help="in thành bảng Markdown")
    return parser


def run(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "check":
        from sangkien.api import check
        from sangkien.inputs.renames import summary

        register = check(args.file, params=args.params)
        years = ", ".join(str(y) for y in register.years)
        print(f"{args.file}: hợp lệ — {len(register)} sáng kiến, năm {years}")
        for line in register.reading:
            print(f"  {line}")
        for line in summary(register):  # under today's names, when the parameters map earlier ones
            print(line)
        if register.checked_with:  # without --params: which year's parameters
            print(f"(đã kiểm tra {register.checked_with})")
        return 0
    if args.command == "collect":
        from sangkien.api import collect
        from sangkien.tools.collect import summary as collected

        print("\n".join(collected(collect(args.folder, args.out, params=args.params, force=args.force,
                                          into=args.into))))
        return 0
    if args.command == "figures":
        from sangkien.api import report_figures

        print(json.dumps(report_figures(args.year, params=args.params, data=args.data), ensure_ascii=False, indent=2))
        return 0
    if args.command == "build":
        return _build(args)
    if args.command == "status":
        from sangkien.api import status
        from sangkien.pipeline.status import table

        print("\n".join(table(status(args.year, out=args.out, params_dir=args.params_dir))))
        return 0
    if args.command == "new-year":
        from sangkien.api import new_year

        path = new_year(args.year, params_dir=args.params_dir)
        print(f"{path}: đã tạo từ tệp năm {args.year - 1}; kiểm tra data, viết các phần trong sections, điền tên "
              f"người ký (signer), số văn bản và ngày ban hành khi có, rồi dựng: python -m sangkien build "
              f"{args.year}; xem năm đang ở đâu: python -m sangkien status {args.year}")
        return 0
    if args.command == "sign":
        return _sign(args)
    if args.command == "verify":
        return _verify(args)
    if args.command == "apply-edits":
        return _apply_edits(args)
    if args.command == "params":
        from sangkien.inputs.paramdoc import render_markdown, render_text

        print(render_markdown() if args.markdown else render_text(), end="")
        return 0
    raise AssertionError(args.command)


def _build(args: argparse.Namespace) -> int:
    """``build YEAR`` or ``build --all``: what was built (or kept) on stderr, the outputs on stdout."""
    from sangkien.api import build_all, build_year

    units = _units(args)
    if args.all:
        if args.year is not None or args.params or args.data or args.final or args.reopen:
            raise ParamsError("lệnh không hợp lệ: --all không đi cùng YEAR, --params, --data, --final hay --reopen")
        return build_all(out=args.out, formats=args.to, jobs=args.jobs, force=args.force, units=units,
                         scheduler=args.scheduler)
    if args.scheduler is not None:
        raise ParamsError("lệnh không hợp lệ: --scheduler chỉ dùng cùng --all")
    if args.year is None:
        raise ParamsError("lệnh không hợp lệ: cần năm báo cáo (build YEAR) hoặc --all")
    if args.jobs is not None and not args.units:
        raise ParamsError("lệnh không hợp lệ: --jobs chỉ dùng cùng --all hoặc --units")
    from sangkien.pipeline import progress

    progress.turn_on()  # the steps said as they happen, on a terminal only
    try:
        result = build_year(args.year, params=args.params, data=args.data, out=args.out, formats=args.to,
                            force=args.force, units=units, jobs=args.jobs, final=args.final,
                            reopen=args.reason if args.reopen else None)
    finally:
        progress.turn_off()
    if result.up_to_date and result.reason.startswith("đã ký"):
        print(f"{result.year}: {result.reason}", file=sys.stderr)
    elif result.up_to_date:
        print(f"{result.year}: không đổi, giữ bản đã dựng — {result.reason} (dựng lại: --force)", file=sys.stderr)
    else:
        print(f"{result.year}: đã dựng — {result.reason}", file=sys.stderr)
        for line in edition_lines(result.year, result.manifest.get("missing") or []):
            print(line, file=sys.stderr)
    for name, path in result.outputs.items():
        print(f"{name}: {path}")
    sheets = result.manifest.get("units")
    if sheets:
        print(f"don-vi: {result.folder / 'don-vi'} ({len(sheets)} đơn vị)")
    return 0


def edition_lines(year: int, missing: list[str]) -> list[str]:
    """What a build says of its edition: "DỰ THẢO" and the empty sections, then what else the version to sign
    lacks (nothing for a report ready to sign).

    >>> edition_lines(2026, ["sections.context", "doc_number"])[0]
    '2026: DỰ THẢO (mọi trang in chữ DỰ THẢO) — còn trống: phần I. Đặc điểm tình hình, công tác chỉ đạo'
    """
    from sangkien.inputs.params import meaning

    sections = [meaning(key) for key in missing if key.startswith("sections.")]
    others = [f"{meaning(key)} ({key})" for key in missing if not key.startswith("sections.")]
    lines = [f"{year}: DỰ THẢO (mọi trang in chữ DỰ THẢO) — còn trống: " + "; ".join(sections)] if sections else []
    if others:
        lines.append(f"{year}: chưa phải bản để ký (--final) — còn thiếu hoặc chưa đúng: " + "; ".join(others))
    return lines


def _units(args: argparse.Namespace) -> bool | None:
    """``--units`` True, ``--no-units`` None (dropped), neither False (as the year was built); ``--reason``
    only with ``--reopen``, which needs it."""
    if args.units and args.no_units:
        raise ParamsError("lệnh không hợp lệ: --units và --no-units không đi cùng nhau")
    if args.reopen and not (args.reason or "").strip():
        raise ParamsError("lệnh không hợp lệ: --reopen cần --reason \"lý do mở lại\" (ghi vào tệp lưu trữ)")
    if args.reason is not None and not args.reopen:
        raise ParamsError("lệnh không hợp lệ: --reason chỉ dùng cùng --reopen")
    if args.no_units:
        print("không dựng phiếu đơn vị (--no-units): phiếu đã có của năm sẽ bị gỡ khi dựng lại", file=sys.stderr)
    return True if args.units else (None if args.no_units else False)


def _sign(args: argparse.Namespace) -> int:
    """``sign PDF``: the signed file on stdout; who signed, where it is recorded and any warning on stderr."""
    from sangkien.api import sign_pdf

    signed = sign_pdf(args.pdf, args.out, p12=args.p12, pkcs11_lib=args.pkcs11_lib, key_label=args.key_label,
                      password_env=args.password_env, image=args.image, seal=args.seal, tsa=args.tsa,
                      signer_as_printed=args.signer_as_printed, trust=args.trust, params=args.params)
    for line in signed.warnings:
        print(line, file=sys.stderr)
    where = f"; đã ghi vào {signed.manifest}" if signed.manifest else ""
    stamped = ", có dấu thời gian" if signed.time_stamped else ""
    print(f"{args.pdf}: đã ký — {signed.signer}, {signed.signed_at:%d/%m/%Y %H:%M:%S %z}{stamped}, "
          f"trang {signed.placement.page + 1}{where}", file=sys.stderr)
    print(signed.path)
    return 0


def _apply_edits(args: argparse.Namespace) -> int:
    """``apply-edits DOCX``: the diff of each edited section on stdout; what was done on stderr."""
    from sangkien.api import apply_edits

    edits = apply_edits(args.docx, params=args.params, out=args.out, write=args.write,
                        accept_changes=args.accept_changes)
    if edits.accepted:
        print(f"{args.docx}: đã coi {edits.accepted} thay đổi được theo dõi là đã chấp nhận", file=sys.stderr)
    if edits.diff:
        print("\n".join(edits.diff))
    if not edits.changed:
        print(f"{args.docx}: các phần chuyên viên viết không đổi so với bản đã dựng", file=sys.stderr)
    elif edits.written:
        print(f"{edits.params_file}: đã ghi {len(edits.changed)} phần; dựng lại: python -m sangkien build "
              f"{edits.year} (bản để ký: --final)", file=sys.stderr)
    else:
        print(f"{args.docx}: {len(edits.changed)} phần đã sửa; ghi vào {edits.params_file}: thêm --write",
              file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    """``verify SIGNED.pdf``: what was found on stdout, one fact a line; each reason it is not valid on stderr;
    exit 0 valid, 3 not valid."""
    from sangkien.api import verify

    verified = verify(args.pdf, trust=args.trust)
    print("\n".join(verified.lines()))
    for reason in verified.problems:
        print(f"{args.pdf}: không hợp lệ — {reason}", file=sys.stderr)
    return 0 if verified.valid else 3


def main(argv: list[str] | None = None) -> int:
    """The command line: exit status 0, 2, 3, 4 or 1 (contract section 1), 128 + the signal's number when
    stopped (Ctrl-C 130, SIGTERM 143, SIGHUP 129); one line for each problem, never a traceback. Every
    temporary file of the command is in a folder of its own, removed however the command ends."""
    from sangkien.files import private_tempdir
    from sangkien.pipeline.processes import interrupts

    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, never a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")
    with interrupts.unwinding():
        try:
            with private_tempdir():
                status = run(argv)
            interrupts.check()  # a stop swallowed where nothing checked for it still ends the command as one
            return status
        except KeyboardInterrupt as exc:
            print("đã dừng theo yêu cầu", file=sys.stderr)
            return getattr(exc, "exit_status", 130)
        except Exception as exc:  # the analyst's lines, or one line (never a traceback) for the unforeseen
            problems, exit_status = problems_of(exc)
            for line in shown_problems(problems):
                print(line, file=sys.stderr)
            return exit_status


MAX_PROBLEMS_SHOWN = 1000
"""At most this many problems printed, then how many more there are (a broken file can have millions)."""


def shown_problems(problems: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The lines printed for ``problems``: all of them, or the first ``limit`` and a line counting the rest.

    >>> shown_problems(["a", "b", "c"], limit=2)
    ['a', 'b', '… và 1 vấn đề khác (tổng cộng 3); sửa những vấn đề trên rồi chạy lại để xem tiếp']
    """
    if len(problems) <= limit:
        return list(problems)
    from sangkien.inputs.shown import thousands

    more, total = thousands(len(problems) - limit), thousands(len(problems))
    return problems[:limit] + [f"… và {more} vấn đề khác (tổng cộng {total}); sửa những vấn đề trên rồi chạy lại "
                               "để xem tiếp"]
