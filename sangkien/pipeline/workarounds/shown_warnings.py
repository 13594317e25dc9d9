"""Every warning a kernel showed may show again: a warm kernel's next run as a new kernel's.

Written for CPython 3.11: :data:`FORGET_WARNINGS` calls the private ``warnings._filters_mutated``, which
makes every module's registry of the warnings it already showed out of date (each is dropped the next time
it is consulted), so a unit's sheet run in a kernel that ran other sheets (:mod:`sangkien.pipeline.processes.warm`)
shows the warnings it would show in a kernel of its own. Check ``Lib/warnings.py`` whenever the
interpreter's minor version moves.
"""
from __future__ import annotations

FORGET_WARNINGS = "import warnings as _w; _w._filters_mutated(); del _w"
"""Kernel code: every warning shown once so far may show again."""
