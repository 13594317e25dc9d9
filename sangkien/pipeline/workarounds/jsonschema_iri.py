"""Keep the optional ``rfc3987_syntax`` module out of builds.

Written for jsonschema 4.26.0 (under nbformat 5.11.1), with rfc3987-syntax 1.1.0 installed: jsonschema
imports ``rfc3987_syntax`` at import time when it is there, which builds a grammar for about 1.8 s, and
nbformat's notebook validation never checks IRIs. Marking the module absent (``None`` in
``sys.modules``) makes jsonschema's ``import`` fail fast and go on without it. Call :func:`keep_out`
before nbformat (or Papermill, nbconvert) is first imported; check jsonschema's ``_format.py`` whenever
the pin moves.
"""
from __future__ import annotations

import sys


def keep_out() -> None:
    """Mark ``rfc3987_syntax`` as absent for this interpreter (a module already imported stays)."""
    sys.modules.setdefault("rfc3987_syntax", None)
