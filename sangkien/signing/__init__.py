"""Signing a built report (``sangkien sign``) and checking a signed one as its receiver would
(``sangkien verify``): commands of their own over the build, never part of it."""
