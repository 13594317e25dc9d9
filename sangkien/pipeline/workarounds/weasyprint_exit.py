"""Drop WeasyPrint's font configuration before the interpreter exits.

Written for WeasyPrint 70.0 (with its fontconfig / Pango bindings through cffi): a ``FontConfiguration``
still alive when the interpreter shuts down is finalised after the libraries it points into are gone,
and its finaliser fails (an error printed at exit). Clearing the cache that keeps it, from ``atexit``,
finalises it while they are still loaded. Check whether a plain exit still prints an error whenever
the pin moves.
"""
from __future__ import annotations

import atexit
from collections.abc import Callable


def release_at_exit(cache_clear: Callable[[], None]) -> None:
    """Call ``cache_clear`` (the ``cache_clear`` of an lru_cache holding a font configuration) at exit."""
    atexit.register(cache_clear)
