"""Swap two folders in one atomic step: Linux's ``renameat2(RENAME_EXCHANGE)`` through ctypes.

Written for Linux ≥ 3.15 with glibc ≥ 2.28 (the first to export ``renameat2``); Python 3.11's ``os``
has no binding for it. Where the C library lacks the function, or the kernel or the file system does
not support the exchange, :func:`exchange` says so (False) and the caller falls back to two renames.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step; False where not supported (nothing changed then)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))
