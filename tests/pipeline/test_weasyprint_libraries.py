"""WeasyPrint's system libraries are found from one ``ldconfig -p`` (workarounds/weasyprint_libraries.py):
the same libraries ``ctypes.util.find_library`` finds, without the dozens of processes it starts."""
from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from sangkien.pipeline.workarounds import weasyprint_libraries

NAMES = ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "harfbuzz-vector", "fontconfig", "pangoft2-1.0",
         "libgobject-2.0-0", "no-such-library-anywhere"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_same_library_as_ctypes_finds(name):
    assert weasyprint_libraries.find_library(name) == ctypes.util.find_library(name)


COUNTED = """
import subprocess
started = []
real = subprocess.Popen.__init__
subprocess.Popen.__init__ = lambda self, *a, **k: started.append(a[0] if a else k.get("args")) or real(self, *a, **k)
from sangkien.pipeline.exporters import pdf
pdf.print_setup()
from weasyprint.text import ffi
assert ffi.pango is not None and ffi.harfbuzz is not None
print(len(started))
"""


@pytest.mark.slow
def test_loading_weasyprint_starts_at_most_one_process():
    done = subprocess.run([sys.executable, "-c", COUNTED], capture_output=True, text=True, check=True)
    assert int(done.stdout.strip().splitlines()[-1]) <= 1, done.stdout
