"""WeasyPrint keeps the fonts it embeds in a temporary folder of its own: a command run in a private
temporary folder (removed when it ends) must not leave a later PDF of the same process without them.

Slow: WeasyPrint's first import in a process looks its libraries up with ``ldconfig`` and ``gcc``."""
from __future__ import annotations

import pytest

from sangkien.files import private_tempdir
from sangkien.pipeline.exporters import pdf


@pytest.mark.slow
def test_the_font_configuration_outlives_a_private_temporary_folder():
    with private_tempdir() as folder:
        inside, _ = pdf.print_setup()
    after, _ = pdf.print_setup()
    assert after is not inside
    assert not folder.exists()
    again, _ = pdf.print_setup()
    assert again is after
