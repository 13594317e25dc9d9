"""The pipeline layer: building a year (``build.build_year``: load, freshness, stage, execute, render,
manifest, publish), every year at once (``batch``), every unit's sheet (``unitsheets``), in worker processes
(``workers``); one exporter per output format (``exporters``), the Word draft from the rendered page
(``word``), the version to sign (``final``), signing a built PDF (``sign``). Workarounds that lean on one
library version live in ``workarounds/``, one module each."""
