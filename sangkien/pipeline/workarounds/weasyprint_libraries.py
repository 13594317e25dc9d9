"""WeasyPrint's system libraries found with one look at the linker's cache, not dozens of processes.

Written for WeasyPrint 70.0 (``weasyprint.text.ffi``: ``_dlopen`` tries up to seven names for each of
seven libraries) over cffi 2.0, whose ``dlopen`` asks ``ctypes.util.find_library`` for a name without a
path; on Linux that runs ``ldconfig -p``, then gcc and ld, for every name tried. On a machine without
Debian's libharfbuzz-subset0 and libharfbuzz-vector0 (the base image) importing WeasyPrint started 68
processes and took about 1.3 s. While WeasyPrint loads, :func:`loaded` answers ``find_library`` as its
first step (``ldconfig -p``) would, from one run of ``ldconfig -p`` kept for the process; gcc and ld are
not asked (they only find libraries for linking, which a ``dlopen`` cannot use anyway).

When the pin moves, check ``weasyprint/text/ffi.py``'s ``_dlopen`` and CPython's ``ctypes.util``.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
import struct
import subprocess
import threading

_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}
"""The ABI word ``ldconfig -p`` prints for this machine's libraries (as CPython's ``ctypes.util``)."""
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _linker_cache() -> str | None:
    """``ldconfig -p``'s listing, once; None where there is no ldconfig."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run([ldconfig, "-p"], capture_output=True, timeout=10,
                                  env={"LC_ALL": "C", "LANG": "C"})
            if done.returncode == 0:
                return done.stdout.decode("utf-8", "replace")
    return None


def find_library(name: str) -> str | None:
    """The shared library ``lib<name>.*`` of this machine's ABI in the linker's cache (its file name), or
    None: what ``ctypes.util.find_library`` answers from ``ldconfig -p`` on Linux."""
    listing = _linker_cache()
    if listing is None:
        return None
    machine = f"{os.uname().machine}-{struct.calcsize('l') * 8}"
    found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(_ABI.get(machine, 'libc6'))}", listing)
    return found[1] if found else None


@contextlib.contextmanager
def quick_lookup():
    """Within the block, ``ctypes.util.find_library`` is :func:`find_library` (on Linux with ldconfig)."""
    import ctypes.util

    if os.name != "posix" or _linker_cache() is None:
        yield
        return
    with _LOCK:
        saved = ctypes.util.find_library
        ctypes.util.find_library = find_library
        try:
            yield
        finally:
            ctypes.util.find_library = saved


def loaded() -> None:
    """Import WeasyPrint (and the system libraries it binds) with :func:`quick_lookup`; idempotent."""
    with quick_lookup():
        import weasyprint  # noqa: F401
