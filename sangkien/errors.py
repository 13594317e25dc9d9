"""The errors a user can cause, each with its exit status (contract section 1)."""
from __future__ import annotations

import contextlib
import errno
import os
import signal
from pathlib import Path


class SangkienError(Exception):
    """Base class: an error with a message for the analyst and an exit status."""

    exit_status = 1

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class ParamsError(SangkienError):
    """A bad command line or parameters file (exit 2)."""

    exit_status = 2


class DataError(SangkienError):
    """An invalid register (exit 3). ``problems`` holds one line per problem."""

    exit_status = 3


class CellError(SangkienError):
    """A notebook cell failed (exit 4)."""

    exit_status = 4


class SigningError(SangkienError):
    """A PDF that cannot be signed, or a certificate that cannot sign it: not a report of ours, a
    wrong password, an expired certificate (exit 2)."""

    exit_status = 2


class BuildLockedError(SangkienError):
    """Another build of the same year holds the lock (exit 1)."""

    exit_status = 1


class OutputError(SangkienError):
    """The outputs could not be written: no permission, a full or read-only disk (exit 1)."""

    exit_status = 1


class Interrupted(KeyboardInterrupt):
    """The build was stopped by a signal (Ctrl-C, SIGTERM from a scheduler, SIGHUP when the terminal
    closed): unwinds like Ctrl-C (every ``except KeyboardInterrupt`` cleans up), then the command ends
    with 128 + the signal's number (130, 143, 129)."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum
        self.exit_status = 128 + signum


_WRITE_PROBLEMS = {
    errno.EACCES: "không có quyền ghi vào thư mục này; hãy cấp quyền ghi hoặc chọn thư mục khác",
    errno.EPERM: "không được phép ghi vào thư mục này; hãy cấp quyền ghi hoặc chọn thư mục khác",
    errno.ENOSPC: "ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại",
    errno.EDQUOT: "đã hết hạn mức dung lượng trên ổ đĩa; hãy giải phóng chỗ trống rồi chạy lại",
    errno.EROFS: "ổ đĩa chỉ cho đọc, không ghi được; hãy chọn thư mục khác",
}
"""Errors of the file system an analyst can act on, in their words (never the English errno text)."""


def _folder_of(exc: OSError) -> str | None:
    """The folder an OSError happened in: the destination's folder for a rename, the file's own folder for
    a file, the folder itself when the error names a folder; above a hidden folder (the build's own, as
    ``OUT/.staging-2023-1``), the folder the analyst knows.

    >>> _folder_of(PermissionError(13, "Permission denied", "/srv/out/.staging-2023-7/don-vi/a.pdf"))
    '/srv/out'
    """
    name = exc.filename2 or exc.filename
    if name is None:
        return None
    path = Path(os.fsdecode(name))
    folder = path if path.is_dir() else path.parent
    hidden = [n for n, part in enumerate(folder.parts) if part.startswith(".") and part not in (".", "..")]
    return str(Path(*folder.parts[:hidden[0]]) if hidden else folder)


def write_problem(exc: BaseException, folder: str | Path | None = None) -> str | None:
    """The one line for a permission, disk-full or read-only error, naming the folder (the error's own,
    or else ``folder``); None for any other error.

    >>> write_problem(OSError(errno.ENOSPC, "No space left on device"), "/srv/bao-cao")
    '/srv/bao-cao: ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại'
    """
    if not isinstance(exc, OSError) or exc.errno not in _WRITE_PROBLEMS:
        return None
    where = _folder_of(exc) or (str(folder) if folder is not None else "thư mục đang ghi")
    return f"{where}: {_WRITE_PROBLEMS[exc.errno]}"


@contextlib.contextmanager
def writing_into(folder: str | Path, note: str = ""):
    """Turn a permission, disk-full or read-only error raised in the ``with`` block into an OutputError
    naming the folder (``folder`` when the error names none: a write that fills the disk names no file),
    with ``note`` after it."""
    try:
        yield
    except OSError as exc:
        line = write_problem(exc, folder)
        if line is None:
            raise
        raise OutputError(line + note) from None


def unexpected(exc: BaseException) -> str:
    """The one line shown for an error the program did not foresee (never a traceback)."""
    return f"lỗi không mong đợi: {type(exc).__name__}: {exc}"


def problems_of(exc: Exception) -> tuple[list[str], int]:
    """What the user is shown for ``exc`` and the exit status: a :class:`SangkienError`'s own lines and
    status, or one line (:func:`write_problem` for permission and disk errors, else :func:`unexpected`)
    and 1. Every place that reports an error uses this."""
    if isinstance(exc, SangkienError):
        return list(exc.problems), exc.exit_status
    line = write_problem(exc)
    return [line or unexpected(exc)], 1
