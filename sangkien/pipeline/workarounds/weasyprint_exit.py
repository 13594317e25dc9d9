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

_RELEASES: list[Callable[[], None]] = []


def release_at_exit(cache_clear: Callable[[], None]) -> None:
    """Call ``cache_clear`` (the ``cache_clear`` of an lru_cache holding a font configuration) at exit."""
    _RELEASES.append(cache_clear)
    atexit.register(cache_clear)


def release_now() -> None:
    """Drop the font configurations now, for a process about to end without running ``atexit``
    (``os._exit``): their finaliser also removes the ``weasyprint-*`` folder of fonts they keep in the
    temporary folder."""
    for cache_clear in _RELEASES:
        cache_clear()


def inherited() -> None:
    """In a forked copy of a process (a unit sheets' worker): the font configurations it inherited are its
    parent's, and so is their folder of fonts, which the parent still uses and removes itself; not released
    here (:func:`release_now`) at a stop."""
    _RELEASES.clear()
