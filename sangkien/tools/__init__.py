"""Tools around the report: the sample register and the register template (generated, deterministic),
and ``new-year`` (next year's parameters file from last year's)."""
