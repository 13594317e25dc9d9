"""LibreOffice, where installed, as a receiving office opens our files: ``soffice --headless --convert-to pdf``
with a profile of its own and the machine's fonts plus the shipped Tinos, which fontconfig's metric aliases
put for Times New Roman (the documents' font): what it prints is then what Word or LibreOffice prints with
Times New Roman, on any machine. Tests using it are marked ``slow`` and skip where ``soffice`` is absent
(:data:`MISSING`)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sangkien import paths

MISSING = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")

FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>
<cachedir>{cache}</cachedir></fontconfig>"""


def to_pdf(source: Path, folder: Path) -> Path:
    """``source`` converted by LibreOffice into ``folder`` (its profile and font cache there too)."""
    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=paths.PACKAGE / "fonts", cache=folder / "fc"), encoding="utf-8")
    completed = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                                "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                               capture_output=True, text=True, timeout=240,
                               env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    converted = folder / f"{source.stem}.pdf"
    assert completed.returncode == 0 and converted.exists(), completed.stderr
    return converted
