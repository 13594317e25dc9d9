"""Process plumbing of a build: the one notebook
executor and its kernels (``execute``, ``kernel``, ``warm``), worker processes (``workers``), the forked
child beside the PDF (``forked``) and signals (``interrupts``)."""
