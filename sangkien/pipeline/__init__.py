"""The pipeline layer: building a year one way on every path (``build``: plan, make, publish), every year
at once (``batch``, or on a Dask cluster: ``cluster``), every unit's sheet (``unitsheets``); the year's
folder and record (``stage``, ``freshness``, ``manifest``, ``final``, ``yearstate``, ``status``); one
exporter per output format (``exporters/``); process plumbing (``processes/``: the notebook executor and
its kernels, worker processes, the forked child, signals). Workarounds that lean on one library version live
in ``workarounds/``, one module each. Signing and verifying are not building: ``sangkien.signing``."""
