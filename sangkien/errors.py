"""The errors a user can cause, each with its exit status (contract section 1)."""
from __future__ import annotations


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


def unexpected(exc: BaseException) -> str:
    """The one line shown for an error the program did not foresee (never a traceback)."""
    return f"lỗi không mong đợi: {type(exc).__name__}: {exc}"


def problems_of(exc: Exception) -> tuple[list[str], int]:
    """What the user is shown for ``exc`` and the exit status: a :class:`SangkienError`'s own lines and
    status, or one line (:func:`unexpected`) and 1. Every place that reports an error uses this."""
    if isinstance(exc, SangkienError):
        return list(exc.problems), exc.exit_status
    return [unexpected(exc)], 1
