"""Workarounds that lean on the inside of a library at one version: each in a module of its own, each
naming the versions it was written for (``requirements.txt`` pins them). When a pin moves, read the
module of that library again before anything else.

| module | library (version) | what it works around |
|---|---|---|
| :mod:`.nbclient_tasks` | nbclient 0.11.0 (jupyter_core 5.9.1) | the polling tasks a stopped run leaves on the event loop cancelled, their failures unprinted |
| :mod:`.shown_warnings` | CPython 3.11 | a warm kernel's warnings shown again in its next run (unit sheets) |
| :mod:`.jsonschema_iri` | jsonschema 4.26.0 (under nbformat 5.11.1) | rfc3987_syntax's 1.8 s grammar kept out of builds |
| :mod:`.weasyprint_exit` | WeasyPrint 70.0 | its font configuration dropped before the interpreter exits |
| :mod:`.weasyprint_subset` | WeasyPrint 70.0, uharfbuzz 0.55.0 | every embedded font subset by the pinned HarfBuzz (same bytes on every machine, no clock in the font) |
| :mod:`.weasyprint_png` | WeasyPrint 70.0, Pillow 13.0.0 | an opaque 8-bit PNG (a chart) laid into the PDF with its own IDAT data, not unpacked and packed again |
| :mod:`.weasyprint_libraries` | WeasyPrint 70.0, cffi 2.0 | its system libraries found from one `ldconfig -p`, not ~68 processes (1.3 s) at import |
| :mod:`.pyhanko_font` | pyHanko 0.38.0 | a signature stamp's TrueType font (2048 units per em) drawn with its own letter spacing |
| :mod:`.pyhanko_office` | pyHanko 0.38.0 | a signature's times in the office's zone (not the machine's), and Info and XMP agreeing after it (PDF/A-2b) |
"""
