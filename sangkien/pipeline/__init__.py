"""The pipeline layer: building a year (``build.build_year``: load, freshness, stage, execute, render,
manifest, publish), every year at once (``batch``), every unit's sheet (``unitsheets``), in worker processes
(``workers``); the Word draft from the rendered page (``word``), draft or final (``final``), signing a built
PDF (``sign``). Workarounds that lean on one library version live in ``workarounds/``, one module each."""
